"""One learner's module, from its pull requests: state, attempts, 'not yet' reasons, waiting.

Pure: the pull requests, the ledger's decisions and whether the module is complete come in;
a Standing and one Turn per submission come out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from microcred.analytics.blocks import shortfall
from microcred.analytics.records import DecisionRecord, PullHistory, ReviewEvent
from microcred.forge.base import APPROVED, CHANGES_REQUESTED, MERGED, OPEN
from microcred.model import Module, Rubric
from microcred.review.decide import COMPLETE as DECIDED_COMPLETE

NOT_STARTED, SUBMITTED, NOT_YET, RESUBMITTED, COMPLETE = (
    "not started", "submitted", "not yet", "resubmitted", "complete")
# The funnel's order: where a module can stand, from nothing to earned.
STATES = (NOT_STARTED, SUBMITTED, NOT_YET, RESUBMITTED, COMPLETE)
DAY = 86400.0


@dataclass(frozen=True)
class Turn:
    """One submission's turnaround: from opening to the first coach review and to the decision."""

    number: int
    opened: datetime
    first_review: datetime | None
    decided: datetime | None
    reviewer: str  # who reviewed first ("" before any review)

    @property
    def to_first_review(self) -> float | None:
        return _days(self.opened, self.first_review)

    @property
    def to_decision(self) -> float | None:
        return _days(self.opened, self.decided)


@dataclass(frozen=True)
class Standing:
    state: str
    attempts: int
    not_yets: int  # 'not yet' verdicts and decisions
    not_yet: tuple[str, ...]  # a criterion per shortfall, over every 'not yet' verdict
    waiting_since: datetime | None  # an open submission no coach has answered yet
    last_activity: datetime | None  # the learner's own latest action on this module
    turns: tuple[Turn, ...]


IsCoach = Callable[[str], bool]
_UNTOUCHED = Standing(NOT_STARTED, 0, 0, (), None, None, ())


def standing(pulls: Sequence[PullHistory], decisions: Mapping[int, DecisionRecord],
             completed: bool, module: Module | None, rubric: Rubric | None,
             is_coach: IsCoach) -> Standing:
    """Where one module stands for one learner, from their pull requests for it (any order)."""
    if not pulls:  # most of a roster's modules, most of the year
        return Standing(COMPLETE, 1, 0, (), None, None, ()) if completed else _UNTOUCHED
    ordered = sorted(pulls, key=_number) if len(pulls) > 1 else pulls
    # Each pull request's coach reviews, read once: every step below asks for them.
    coached = [(p, _coach_reviews(p, is_coach)) for p in ordered]
    short = [r for _, reviews in coached for r in reviews if r.state == CHANGES_REQUESTED]
    withheld = [p for p, reviews in coached if p.state == MERGED and p.number in decisions
                and decisions[p.number].outcome != DECIDED_COMPLETE
                and not any(r.state == CHANGES_REQUESTED for r in reviews)]
    reasons = tuple(c for r in short for c in shortfall(r.body, module, rubric))
    not_yets = len(short) + len(withheld)
    current = next(((p, reviews) for p, reviews in reversed(coached) if p.state == OPEN), None)
    answers = [r for r in current[1] if r.state in _VERDICTS] if current else []
    waiting = _waiting_since(current[0], answers) if current else None
    state = _state(completed, current is not None, waiting, answers, not_yets, ordered, decisions)
    live = completed or (current is not None and state != NOT_YET)
    attempts = not_yets + (1 if live or (state == SUBMITTED) else 0)
    turns = tuple(t for p, reviews in coached if (t := _turn(p, reviews, decisions)) is not None)
    return Standing(state, attempts, not_yets, reasons, waiting, _last_activity(ordered), turns)


_VERDICTS = (APPROVED, CHANGES_REQUESTED)


def _number(pull: PullHistory) -> int:
    return pull.number


def _coach_reviews(pull: PullHistory, is_coach: IsCoach) -> list[ReviewEvent]:
    author = pull.author.casefold()
    return [r for r in pull.reviews if is_coach(r.reviewer) and r.reviewer.casefold() != author]


def _waiting_since(pull: PullHistory, answers: Sequence[ReviewEvent]) -> datetime | None:
    """Since when the open submission has waited for a coach; None when a coach has answered.

    `answers` are its coaches' verdicts (approve or 'not yet'), oldest first.
    """
    if not answers:
        return pull.created
    last = answers[-1]
    if last.commit_sha == pull.head_sha:
        return None  # answered on the latest commit: the next move is the learner's (or a merge)
    # Pushed since the last answer: waiting from the push, or at least from that answer.
    return pull.head_time or last.at


def _state(completed: bool, has_current: bool, waiting: datetime | None,
           answers: Sequence[ReviewEvent], not_yets: int, ordered: Sequence[PullHistory],
           decisions: Mapping[int, DecisionRecord]) -> str:
    if completed:
        return COMPLETE
    if has_current:
        if waiting is None and answers and answers[-1].state == CHANGES_REQUESTED:
            return NOT_YET
        return RESUBMITTED if not_yets else SUBMITTED
    if not_yets:
        return NOT_YET
    undecided = any(p.state == MERGED and p.number not in decisions for p in ordered)
    return SUBMITTED if undecided else NOT_STARTED


def _turn(pull: PullHistory, reviews: Sequence[ReviewEvent],
          decisions: Mapping[int, DecisionRecord]) -> Turn | None:
    """The pull request's turnaround, from its coach reviews."""
    if pull.created is None:
        return None
    timed = sorted((r.at, r.reviewer) for r in reviews if r.at is not None)
    decision = decisions.get(pull.number)
    first, reviewer = timed[0] if timed else (None, "")
    return Turn(pull.number, pull.created, first, decision.decided if decision else None, reviewer)


def _last_activity(pulls: Sequence[PullHistory]) -> datetime | None:
    moments = [m for p in pulls for m in (p.created, p.head_time) if m is not None]
    return max(moments, default=None)


def _days(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / DAY
