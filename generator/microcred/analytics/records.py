"""The facts progress is computed from, as plain records: no forge, no git, no files.

The records made once per pull request, review and decision (tens of thousands of each in a
large programme's year) are NamedTuples: immutable like a frozen dataclass, and made about
three times faster (a frozen dataclass sets each field through object.__setattr__).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple


class ReviewEvent(NamedTuple):
    """One review on a pull request, as the forge reports it."""

    reviewer: str
    state: str  # APPROVED, CHANGES_REQUESTED or COMMENTED
    commit_sha: str
    at: datetime | None
    body: str


class PullHistory(NamedTuple):
    """One submission pull request: whose, for which module, and what happened to it."""

    number: int
    author: str
    state: str  # open, closed or merged
    created: datetime | None
    head_sha: str
    credential: str  # "" when the pull request carries no single submission
    module: str
    reviews: tuple[ReviewEvent, ...] = ()
    head_time: datetime | None = None  # when its latest commit was made, when known


class DecisionRecord(NamedTuple):
    """ledger/decisions/pr-N.json: the decision on one merged pull request."""

    number: int
    learner: str
    credential: str
    version: str
    module: str
    outcome: str  # complete or not-awarded
    decided: datetime | None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class BadgeRecord:
    """ledger/badges/<login>/<credential>/v<version>.json, and whether it was revoked."""

    login: str
    credential: str
    version: str
    badge_id: str
    issued: datetime | None
    path: str
    revoked: bool = False


@dataclass(frozen=True)
class Problem:
    """Input progress could not use, counted apart and reported, never fatal."""

    kind: str  # corrupt-record, left-roster, former-coach, unknown-module
    where: str
    message: str


@dataclass(frozen=True)
class LedgerFacts:
    decisions: dict[int, DecisionRecord]
    completed: dict[tuple[str, str, str], datetime | None]  # (login, credential, module) -> when
    badges: tuple[BadgeRecord, ...]
    problems: tuple[Problem, ...] = ()


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime; None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)  # Python 3.11 reads a trailing Z as UTC
    except ValueError:
        return None
    if moment.tzinfo is UTC:  # nearly every time a record holds: nothing to convert
        return moment
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
