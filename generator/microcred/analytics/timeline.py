"""One learner's module, from its pull requests: state, attempts, 'not yet' reasons, waiting.

Pure: the pull requests, the ledger's decisions and whether the module is complete come in;
a Standing and one Turn per submission come out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from microcred.analytics.records import DecisionRecord, PullHistory, ReviewEvent
from microcred.forge.base import APPROVED, CHANGES_REQUESTED, MERGED, OPEN
from microcred.review.decide import COMPLETE as DECIDED_COMPLETE

NOT_STARTED, SUBMITTED, NOT_YET, RESUBMITTED, COMPLETE = (
    "not started", "submitted", "not yet", "resubmitted", "complete")
# The funnel's order: where a module can stand, from nothing to earned.
STATES = (NOT_STARTED, SUBMITTED, NOT_YET, RESUBMITTED, COMPLETE)
DAY = 86400.0


class Turn(NamedTuple):
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


class Standing(NamedTuple):
    state: str
    attempts: int
    not_yets: int  # 'not yet' verdicts and decisions
    not_yet: tuple[str, ...]  # a criterion per shortfall, over every 'not yet' verdict
    waiting_since: datetime | None  # an open submission no coach has answered yet
    last_activity: datetime | None  # the learner's own latest action on this module
    turns: tuple[Turn, ...]


IsCoach = Callable[[str], bool]
Shortfall = Callable[[str], list[str]]
_UNTOUCHED = Standing(NOT_STARTED, 0, 0, (), None, None, ())
_EARNED = Standing(COMPLETE, 1, 0, (), None, None, ())  # complete in the ledger, no pull request


def standing(pulls: Sequence[PullHistory], decisions: Mapping[int, DecisionRecord],
             completed: bool, shortfall: Shortfall, is_coach: IsCoach) -> Standing:
    """Where one module stands for one learner, from their pull requests for it (any order).

    `shortfall` reads a 'not yet' review's criteria (blocks.Shortfalls of the module's rubric).
    """
    if not pulls:  # most of a roster's modules, most of the year
        return _EARNED if completed else _UNTOUCHED
    ordered = sorted(pulls, key=_number) if len(pulls) > 1 else pulls
    # One pass, oldest first; each pull request's coach reviews are read once.
    short: list[ReviewEvent] = []
    withheld = 0
    undecided = False  # merged, and the ledger has no decision on it yet
    current: tuple[PullHistory, list[ReviewEvent]] | None = None  # the latest open one
    turns: list[Turn] = []
    last: datetime | None = None
    for pull in ordered:
        reviews = _coach_reviews(pull, is_coach)
        asked = [r for r in reviews if r.state == CHANGES_REQUESTED]
        short += asked
        decision = decisions.get(pull.number)
        if pull.state == MERGED:
            if decision is None:
                undecided = True
            elif decision.outcome != DECIDED_COMPLETE and not asked:
                withheld += 1
        elif pull.state == OPEN:
            current = (pull, reviews)
        if pull.created is not None:
            turns.append(_turn(pull, reviews, decision))
        for moment in (pull.created, pull.head_time):
            if moment is not None and (last is None or moment > last):
                last = moment
    reasons = tuple(c for r in short for c in shortfall(r.body))
    not_yets = len(short) + withheld
    answers = [r for r in current[1] if r.state in _VERDICTS] if current else []
    waiting = _waiting_since(current[0], answers) if current else None
    state = _state(completed, current is not None, waiting, answers, not_yets, undecided)
    live = completed or (current is not None and state != NOT_YET)
    attempts = not_yets + (1 if live or (state == SUBMITTED) else 0)
    return Standing(state, attempts, not_yets, reasons, waiting, last, tuple(turns))


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
           answers: Sequence[ReviewEvent], not_yets: int, undecided: bool) -> str:
    if completed:
        return COMPLETE
    if has_current:
        if waiting is None and answers and answers[-1].state == CHANGES_REQUESTED:
            return NOT_YET
        return RESUBMITTED if not_yets else SUBMITTED
    if not_yets:
        return NOT_YET
    return SUBMITTED if undecided else NOT_STARTED


def _turn(pull: PullHistory, reviews: Sequence[ReviewEvent],
          decision: DecisionRecord | None) -> Turn:
    """The turnaround of a pull request with a known opening time, from its coach reviews."""
    assert pull.created is not None
    timed = [(r.at, r.reviewer) for r in reviews if r.at is not None]
    first, reviewer = min(timed) if timed else (None, "")
    return Turn(pull.number, pull.created, first, decision.decided if decision else None, reviewer)


def _days(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / DAY
