"""The merge gate: what merging a pull request now would decide, by issuance's own decision.

An open pull request is decided as if it had merged at its current head, through the very
steps `microcred issue` takes (`submission_at`, then `Deriver.decide_pull`, which checks
enrolment and the programme's coaches, counts the learner's other "not yet" decisions and
applies the coaching rule); the check's own result stands in for issuance's trusted re-check.
The forecast line of the bot comment, the `microcred/decision` commit status and `pr merge`'s
refusal all read it, so none of them can promise what issuance would not award.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from microcred.content.assessment import Editions
from microcred.errors import UsageError
from microcred.forge.base import FAILURE, MERGED, OPEN, SUCCESS, Forge, PullRequest, status_description
from microcred.ledger.derive import Deriver, submission_at
from microcred.model import Course
from microcred.review.decide import Decision

CONTEXT = "microcred/decision"  # the commit status the branch rules require
NO_SUBMISSION = "changes no submission"  # submission_at's words for a course change


@dataclass(frozen=True)
class Forecast:
    """What merging now would decide: `state` is the commit status to set on the head."""

    state: str  # SUCCESS (merging completes the module, or decides nothing) or FAILURE
    description: str
    decision: Decision | None = None  # None when the pull request carries no submission

    @property
    def blocks(self) -> bool:
        return self.state != SUCCESS


def forecast(forge: Forge, course: Course, editions: Editions, pull: PullRequest,
             check_passed: bool = True) -> Forecast:
    """The decision merging `pull` now would bring, with a one-line reason for the status."""
    if pull.state != OPEN:
        raise UsageError(f"pull request #{pull.number} is {pull.state}; the gate looks at open ones")
    found = submission_at(forge, pull.number, pull.head_sha)
    if isinstance(found, str):
        if found.startswith(NO_SUBMISSION):
            return Forecast(SUCCESS, "no submission: merging decides nothing for a learner")
        return Forecast(FAILURE, status_description(f"merging now would decide nothing: {found}"))
    # `check_passed` is the check of this head; issuance re-runs it on the merged head itself.
    deriver = Deriver(forge, course, editions, recheck=lambda _: ())
    decision, _ = deriver.decide_pull(replace(pull, state=MERGED, merge_sha=pull.head_sha), found)
    if not check_passed:
        return Forecast(FAILURE, "the check found problems to fix first", decision)
    if decision.complete:
        return Forecast(SUCCESS, f"merging now completes {found.manifest.module}", decision)
    return Forecast(FAILURE, status_description("merging now would not complete the module: "
                                                + "; ".join(decision.reasons)), decision)


def set_gate(forge: Forge, pull: PullRequest, gate: Forecast) -> None:
    """Post the forecast as the head commit's `microcred/decision` status."""
    forge.set_status(pull.head_sha, CONTEXT, gate.state, gate.description)

