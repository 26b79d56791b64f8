"""Where a learner stands on each module: not started, submitted, not yet, complete; what next.

`gather` reads the facts through the forge (the learner's pull requests and their reviews) and
the ledger (decisions and completions); `standing` turns one module's facts into its state and
the next step, purely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from microcred.forge.base import APPROVED, CHANGES_REQUESTED, MERGED, OPEN, Forge, PullRequest
from microcred.ledger import layout
from microcred.ledger.store import LedgerStore
from microcred.model import Course
from microcred.review.decide import same_login
from microcred.roster import coaches_for_credential
from microcred.submission.scope import folders_changed
from microcred.submission.source import Change

NOT_STARTED, SUBMITTED, NOT_YET, COMPLETE = "not started", "submitted", "not yet", "complete"


@dataclass(frozen=True)
class Attempt:
    """One of the learner's pull requests for a module, as far as it got."""

    number: int
    state: str  # open, closed or merged
    verdict: str = ""  # the latest authorised coach's review: APPROVED, CHANGES_REQUESTED or ""
    decision: str = ""  # the ledger's outcome once decided


@dataclass(frozen=True)
class ModuleStanding:
    credential: str
    module: str
    title: str
    state: str
    detail: str
    next: str = ""


def standing(credential: str, module: str, title: str, completed: bool,
             attempts: Sequence[Attempt]) -> ModuleStanding:
    """The state of one module from its completion and its attempts (oldest first)."""
    def say(state: str, detail: str, step: str = "") -> ModuleStanding:
        return ModuleStanding(credential, module, title, state, detail, step)

    if completed:
        done = next((a for a in reversed(attempts) if a.decision == "complete"), None)
        return say(COMPLETE, f"complete (#{done.number})" if done else "complete")
    current = next((a for a in reversed(attempts) if a.state == OPEN), None)
    if current is not None:
        if current.verdict == CHANGES_REQUESTED:
            return say(NOT_YET, f"#{current.number}: not yet — changes requested",
                       f"revise the evidence and push to #{current.number}'s branch")
        if current.verdict == APPROVED:
            return say(SUBMITTED, f"#{current.number}: approved, waiting to be merged",
                       f"a coach merges #{current.number}")
        return say(SUBMITTED, f"#{current.number}: waiting for your coach's review",
                   "wait for the review (the bot comment on the pull request says what is checked)")
    last = attempts[-1] if attempts else None
    if last is not None and (last.decision == "not-awarded" or last.verdict == CHANGES_REQUESTED):
        return say(NOT_YET, f"#{last.number}: not yet",
                   f"microcred submit {module} --new-attempt --open")
    return say(NOT_STARTED, "not started", f"microcred submit {module} --open")


def gather(forge: Forge, store: LedgerStore, course: Course, learner: str) -> list[ModuleStanding]:
    """Every module of every credential of the learner's programmes, in the course's order."""
    ledger = store.exists()
    attempts = _attempts(forge, store if ledger else None, course, learner)
    out = []
    for programme in course.programmes.values():
        if learner.casefold() not in (x.casefold() for x in programme.all_learners()):
            continue
        for cred_id in programme.credentials:
            credential = course.credentials[cred_id]
            for mid in credential.modules:
                done = ledger and store.read_json(layout.completion_path(
                    learner, cred_id, credential.version, mid)) is not None
                out.append(standing(cred_id, mid, course.modules[mid].title, done,
                                    attempts.get((cred_id, mid), [])))
    return out


def _attempts(forge: Forge, store: LedgerStore | None, course: Course,
              learner: str) -> dict[tuple[str, str], list[Attempt]]:
    """The learner's pull requests by (credential, module), oldest first."""
    found: dict[tuple[str, str], list[Attempt]] = {}
    for pull in forge.list_pull_requests("all"):
        if not same_login(pull.author, learner):
            continue
        key = _module_of(forge, pull, learner)
        if key is not None:
            # The coaches who count are those of the programme awarding this credential.
            coaches = coaches_for_credential(course, learner, key[0])
            found.setdefault(key, []).append(_attempt(forge, store, pull, coaches))
    return found


def _module_of(forge: Forge, pull: PullRequest, learner: str) -> tuple[str, str] | None:
    folders, _ = folders_changed([Change("M", p.encode()) for p in forge.changed_files(pull.number)])
    parts = folders[0].strip("/").split("/") if len(folders) == 1 else []
    if len(parts) != 4 or not same_login(parts[1], learner):
        return None
    return parts[2], parts[3]


def _attempt(forge: Forge, store: LedgerStore | None, pull: PullRequest,
             coaches: list[str]) -> Attempt:
    verdict = ""
    for review in forge.list_reviews(pull.number):
        if review.state in (APPROVED, CHANGES_REQUESTED) and any(
                same_login(review.reviewer, c) for c in coaches):
            verdict = review.state
    decision = None
    if pull.state == MERGED and store is not None:
        decision = store.read_json(layout.decision_path(pull.number))
    return Attempt(pull.number, pull.state, verdict, str(decision["outcome"]) if decision else "")
