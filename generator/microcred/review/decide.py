"""The decision on a merged submission, from trusted data only. Pure: no forge, no files.

The rules, each giving its reason when it withholds the result:

1. the pull request merged, and the submission folder is its author's;
2. the approval comes from a coach authorised for this learner in the programme awarding the
   credential (`authorised`, from the roster on the trusted branch) who is not the author;
3. that approval is of the exact head commit that merged;
4. no "changes requested" from an authorised coach stands after it (a coach's latest review
   state counts, as on GitHub);
5. the approving review carries a valid review block for this module, and every criterion
   reaches its required level — each criterion alone, never averaged;
6. after `coaching_after` "not yet" decisions on this module (on this pull request and every
   other of the learner's, `not_yet_elsewhere()`), a coaching conversation must be logged
   (`coaching_conversation:`) in an authorised coach's review of this attempt.

Enrolment and the trusted re-check of the evidence need the forge and the clone: they are in
ledger/derive.py, which calls `decide` for issuance and for a forecast alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from microcred.forge.base import APPROVED, CHANGES_REQUESTED, MERGED, PullRequest, Review
from microcred.model import Module, Rubric
from microcred.review.format import (
    NOT_YET,
    ReviewBlock,
    below_required,
    normalised,
    outcome,
    parse_review,
    validate,
)

COMPLETE, NOT_AWARDED = "complete", "not-awarded"


@dataclass(frozen=True)
class Decision:
    outcome: str  # COMPLETE or NOT_AWARDED
    reasons: tuple[str, ...] = ()
    approver: str = ""
    review_id: int = 0
    levels: dict[str, str] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)
    not_yet_before: int = 0
    coaching_conversation: str = ""

    @property
    def complete(self) -> bool:
        return self.outcome == COMPLETE


@dataclass(frozen=True)
class Assessed:
    """One authorised coach's review with its block checked against the rubric."""

    review: Review
    block: ReviewBlock | None
    problems: tuple[str, ...]
    verdict: str = ""  # PASS or NOT_YET when the block is valid


def same_login(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def assess(review: Review, module: Module, rubric: Rubric) -> Assessed:
    """Read and check one review's block; problems say what the coach should fix."""
    parsed = parse_review(review.body)
    if parsed.block is None:
        problems = parsed.problems
        if not problems and review.state in (APPROVED, CHANGES_REQUESTED):
            problems = ("this review has no review block; paste the template from the bot "
                        "comment and choose a level for every criterion",)
        return Assessed(review, None, problems)
    problems = tuple(validate(parsed.block, module, rubric))
    if problems:
        return Assessed(review, parsed.block, problems)
    verdict = outcome(normalised(parsed.block, rubric), rubric)
    if review.state == APPROVED and verdict == NOT_YET:
        low = ", ".join(below_required(normalised(parsed.block, rubric), rubric))
        problems = (f"the review approves, but {low} is below the required level; request "
                    "changes instead, or raise the level if the evidence reaches it",)
    return Assessed(review, parsed.block, problems, verdict)


def not_yet_count(assessed: Iterable[Assessed]) -> int:
    """'Not yet' decisions: valid blocks from authorised coaches that leave a criterion short."""
    return sum(1 for a in assessed if not a.problems and a.verdict == NOT_YET)


def not_yet_elsewhere(current: int, attempts: Iterable[tuple[int, Sequence[Review]]],
                      module: Module, rubric: Rubric, coaches: Iterable[str]) -> int:
    """'Not yet' decisions for `module` on every one of the learner's other pull requests.

    `attempts` are (number, reviews) of the learner's pull requests, in any order: all of them
    count but `current`, whatever their numbers, so no order of opening skips the coaching rule.
    Only valid review blocks of `coaches` for this module count.
    """
    allowed = {c.casefold() for c in coaches}
    return sum(not_yet_count(a for a in (assess(r, module, rubric) for r in reviews
                                         if r.reviewer.casefold() in allowed)
                             if a.block is not None and a.block.module == module.id)
               for number, reviews in attempts if number != current)


def decide(pull: PullRequest, learner: str, reviews: Sequence[Review], module: Module,
           rubric: Rubric, authorised: Iterable[str], not_yet_elsewhere: int,
           coaching_after: int) -> Decision:
    """Decide one merged pull request carrying `learner`'s submission for `module`.

    `reviews` are the pull request's reviews in the order they were given; `not_yet_elsewhere`
    counts 'not yet' decisions on this learner's other pull requests for the module
    (`not_yet_elsewhere()`). Pure: the same call forecasts "if merged now" when given the open
    pull request with `state=MERGED`, and decides a merge for issuance.
    """
    if pull.state != MERGED:
        return Decision(NOT_AWARDED, (f"pull request #{pull.number} is {pull.state}, not merged",))
    if not same_login(pull.author, learner):
        return Decision(NOT_AWARDED, (f"the submission folder belongs to {learner}, but "
                                      f"@{pull.author} opened the pull request",))
    coaches = {c.casefold() for c in authorised if not same_login(c, pull.author)}
    ours = [r for r in reviews if r.reviewer.casefold() in coaches]
    notes = [f"@{r.reviewer} approved but is not a coach authorised for {learner}; not counted"
             for r in reviews if r.state == APPROVED and r.reviewer.casefold() not in coaches]
    latest = _latest_states(ours)
    approval = next((r for r in reversed(ours) if r.state == APPROVED
                     and latest.get(r.reviewer.casefold()) is r), None)
    if approval is None:
        return _withheld(notes, *_why_no_approval(ours, latest))
    if approval.commit_sha != pull.head_sha:
        return _withheld(notes, f"@{approval.reviewer} approved commit {approval.commit_sha[:12]}, "
                         f"but {pull.head_sha[:12]} merged; the coach must approve the latest commit")
    standing = [r for r in latest.values() if r.state == CHANGES_REQUESTED]
    if standing:
        return _withheld(notes, *(f"changes requested by @{r.reviewer} (review {r.id}) still stand"
                                  for r in standing))
    index = ours.index(approval)
    assessed = [assess(r, module, rubric) for r in ours[:index + 1]]
    verdict = assessed[-1]
    if verdict.block is None or verdict.problems:
        return _withheld(notes, f"@{approval.reviewer}'s approval cannot be read: "
                         + "; ".join(verdict.problems))
    before = not_yet_elsewhere + not_yet_count(assessed[:-1])
    coaching = next((a.block.coaching_conversation for a in reversed(assessed)
                     if a.block is not None and a.block.coaching_conversation), "")
    decision = Decision(COMPLETE, tuple(notes), approval.reviewer, approval.id,
                        normalised(verdict.block, rubric), dict(verdict.block.feedback), before,
                        coaching)
    if before >= coaching_after and not coaching:
        return replace(decision, outcome=NOT_AWARDED, reasons=(*notes, (
            f"after {before} 'not yet' decisions on {module.id}, this attempt needs a coaching "
            "conversation: the coach records its date as `coaching_conversation:` in the review "
            "block")))
    return decision


def _withheld(notes: Sequence[str], *reasons: str) -> Decision:
    return Decision(NOT_AWARDED, (*notes, *reasons))


def _latest_states(reviews: Sequence[Review]) -> dict[str, Review]:
    """Each coach's latest approving or changes-requesting review (comments do not change state)."""
    latest: dict[str, Review] = {}
    for review in reviews:
        if review.state in (APPROVED, CHANGES_REQUESTED):
            latest[review.reviewer.casefold()] = review
    return latest


def _why_no_approval(ours: Sequence[Review], latest: dict[str, Review]) -> list[str]:
    if not ours:
        return ["no review from a coach authorised for this learner"]
    if any(r.state == CHANGES_REQUESTED for r in latest.values()):
        return [f"changes requested by @{r.reviewer} (review {r.id}) still stand"
                for r in latest.values() if r.state == CHANGES_REQUESTED]
    return ["no approving review from an authorised coach"]
