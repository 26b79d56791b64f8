"""The programme's progress: every roster learner x module, and figures per group.

    build(course, ledger, pulls, now, inactive_weeks)
      -> places      each roster learner's programme, cohort, network and coach
      -> sort        pull requests to their learner x module (leavers, former coaches and
                     unknown modules set apart as problems)
      -> standings   timeline.standing for every learner x module of their credentials
      -> groups      per programme, cohort, network and coach: counts, waits, turnaround
                     (Progress.groups, worked out when first asked)
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from microcred.analytics import stats
from microcred.analytics.blocks import Shortfalls
from microcred.analytics.places import Place, coaches, places
from microcred.analytics.records import LedgerFacts, Problem, PullHistory
from microcred.analytics.timeline import COMPLETE, STATES, IsCoach, Standing, Turn, standing
from microcred.heap import no_collection, without_collection
from microcred.model import Course

LEFT_ROSTER, FORMER_COACH, UNKNOWN_MODULE = "left-roster", "former-coach", "unknown-module"
GROUPS = ("programme", "cohort", "network", "coach", "module")


class Row(NamedTuple):
    """One learner x module of the roster."""

    place: Place
    credential: str
    module: str
    standing: Standing
    completed_at: datetime | None = None  # when the ledger recorded the module complete


@dataclass(frozen=True)
class Group:
    """Figures for one programme, cohort, network or coach."""

    kind: str
    name: str
    learners: int
    modules: int
    states: dict[str, int]
    waiting: int
    oldest_wait_days: float | None
    first_review_median: float | None
    first_review_p90: float | None
    decision_median: float | None
    decision_p90: float | None
    not_yet: int
    inactive: int


@dataclass(frozen=True)
class Inactive:
    learner: str
    place: Place
    last_activity: datetime | None


@dataclass(frozen=True)
class Progress:
    as_of: datetime
    inactive_weeks: int
    rows: tuple[Row, ...]
    not_yet: tuple[tuple[str, str, str, int], ...]  # (module, criterion, network, count)
    inactive: tuple[Inactive, ...]
    problems: tuple[Problem, ...]

    @functools.cached_property
    def groups(self) -> tuple[Group, ...]:
        """Figures per programme, cohort, network, coach and module, worked out when first asked
        (the CSV, one row per learner x module, needs none of them)."""
        with no_collection():
            return tuple(_groups(self))

    def waiting_days(self, row: Row) -> float | None:
        since = row.standing.waiting_since
        return None if since is None else (self.as_of - since).total_seconds() / 86400


@without_collection
def build(course: Course, ledger: LedgerFacts, pulls: Sequence[PullHistory], now: datetime,
          inactive_weeks: int) -> Progress:
    """Every roster learner's modules, as of `now` (and the figures of every group, when asked)."""
    where = places(course)
    problems = list(ledger.problems)
    by_slot = _sort(course, pulls, where, problems)
    known = coaches(course)
    learners = {k.casefold() for k in where}
    problems += _former_coaches(pulls, known, learners)
    is_coach = _coach_test(known, learners)
    rows = tuple(_rows(course, ledger, where, by_slot, is_coach))
    cutoff = now - timedelta(weeks=inactive_weeks)
    inactive = tuple(_inactive(rows, cutoff))
    return Progress(now, inactive_weeks, rows, _not_yet(rows), inactive, tuple(problems))


def _sort(course: Course, pulls: Sequence[PullHistory], where: dict[str, Place],
          problems: list[Problem]) -> dict[tuple[str, str, str], list[PullHistory]]:
    slots: dict[tuple[str, str, str], list[PullHistory]] = defaultdict(list)
    for pull in pulls:
        if not pull.module:
            continue  # changes no single submission: not a learner's attempt
        login = pull.author.casefold()
        if login not in where:
            problems.append(Problem(LEFT_ROSTER, f"#{pull.number}", f"@{pull.author} is not in the "
                                    "roster now (content/programmes/); their submission is "
                                    "counted apart"))
        elif pull.module not in course.modules or pull.credential not in course.credentials:
            problems.append(Problem(UNKNOWN_MODULE, f"#{pull.number}", f"{pull.credential}/"
                                    f"{pull.module} is not a module of the course now; counted apart"))
        else:
            slots[(login, pull.credential, pull.module)].append(pull)
    return slots


def _former_coaches(pulls: Iterable[PullHistory], known: set[str],
                    learners: set[str]) -> list[Problem]:
    """Reviews by someone neither coach nor learner in today's roster (a coach who left)."""
    found: Counter[str] = Counter()
    for pull in pulls:
        for review in pull.reviews:
            who = review.reviewer.casefold()
            if pull.module and who not in known and who not in learners and who != pull.author.casefold():
                found[review.reviewer] += 1
    return [Problem(FORMER_COACH, f"@{who}", f"{count} review(s) by @{who}, who is not a coach in "
                    "the roster now; they still count for the learner, and apart from every coach's "
                    "figures") for who, count in sorted(found.items())]


def _coach_test(known: set[str], learners: set[str]) -> IsCoach:
    """A coach now, or a reviewer who is neither coach nor learner now (a coach who left)."""
    @functools.cache
    def is_coach(login: str) -> bool:
        return login.casefold() in known or login.casefold() not in learners

    return is_coach


def _rows(course: Course, ledger: LedgerFacts, where: dict[str, Place],
          slots: dict[tuple[str, str, str], list[PullHistory]], is_coach: IsCoach) -> Iterable[Row]:
    modules = {c: _modules(course, c) for c in {c for p in where.values() for c in p.credentials}}
    completed = ledger.completed
    for login, place in where.items():
        for credential_id in place.credentials:
            for module_id, shortfall in modules[credential_id]:
                key = (login, credential_id, module_id)
                yield Row(place, credential_id, module_id, standing(
                    slots.get(key, ()), ledger.decisions, key in completed, shortfall, is_coach),
                    completed.get(key))


def _modules(course: Course, credential_id: str) -> list[tuple[str, Shortfalls]]:
    """The credential's modules, each with the reader of its 'not yet' reviews (blocks.py)."""
    credential = course.credentials.get(credential_id)
    found = []
    for module_id in credential.modules if credential else ():
        module = course.modules.get(module_id)
        found.append((module_id, Shortfalls(module, course.rubrics.get(module.rubric)
                                            if module else None)))
    return found


def _inactive(rows: Sequence[Row], cutoff: datetime) -> Iterable[Inactive]:
    """Learners with modules still to do and nothing of their own since `cutoff`.

    A learner whose submission waits for a coach is not idle: the next move is the coach's.
    """
    by_learner: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_learner[row.place.learner].append(row)
    for learner, mine in by_learner.items():
        if all(r.standing.state == COMPLETE for r in mine) or any(
                r.standing.waiting_since is not None for r in mine):
            continue
        last = max((r.standing.last_activity for r in mine if r.standing.last_activity),
                   default=None)
        if last is None or last < cutoff:
            yield Inactive(learner, mine[0].place, last)


def _not_yet(rows: Sequence[Row]) -> tuple[tuple[str, str, str, int], ...]:
    counts = Counter((r.module, criterion, r.place.network)
                     for r in rows for criterion in r.standing.not_yet)
    return tuple((m, c, n, k) for (m, c, n), k in sorted(counts.items()))


class _Figures(NamedTuple):
    """What one row adds to the figures of its groups, worked out once for every kind of group."""

    learner: str
    state: str
    wait: float | None
    not_yets: int
    turns: tuple[tuple[str, float | None, float | None], ...]  # reviewer, to first review, to decision


def _groups(progress: Progress) -> Iterable[Group]:
    idle = {i.learner for i in progress.inactive}
    former = _former(progress)
    figures = [_Figures(r.place.learner, r.standing.state, progress.waiting_days(r),
                        r.standing.not_yets, tuple((t.reviewer, t.to_first_review, t.to_decision)
                                                   for t in r.standing.turns))
               for r in progress.rows]
    for kind in GROUPS:
        members: dict[str, list[_Figures]] = defaultdict(list)
        for row, figure in zip(progress.rows, figures, strict=True):
            members[row.module if kind == "module" else getattr(row.place, kind)].append(figure)
        for name, rows in sorted(members.items()):
            yield _group(kind, name, rows, idle, former)


def _group(kind: str, name: str, rows: Sequence[_Figures], idle: set[str],
           former: set[str]) -> Group:
    states = Counter(r.state for r in rows)
    waits = [r.wait for r in rows if r.wait is not None]
    turns = [t for r in rows for t in r.turns]
    if kind == "coach":  # a review by a coach no longer in the roster is not this coach's figure
        turns = [t for t in turns if not t[0] or _same(t[0], name) or t[0].casefold() not in former]
    first = [t[1] for t in turns if t[1] is not None]
    decided = [t[2] for t in turns if t[2] is not None]
    learners = {r.learner for r in rows}
    return Group(kind, name, len(learners), len(rows), {s: states.get(s, 0) for s in STATES},
                 len(waits), stats.rounded(max(waits, default=None)),
                 stats.rounded(stats.median(first)), stats.rounded(stats.percentile(first, 90)),
                 stats.rounded(stats.median(decided)), stats.rounded(stats.percentile(decided, 90)),
                 sum(r.not_yets for r in rows), len(learners & idle))


def _former(progress: Progress) -> set[str]:
    return {p.where.removeprefix("@").casefold() for p in progress.problems if p.kind == FORMER_COACH}


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def turns_of(progress: Progress) -> list[tuple[Row, Turn]]:
    """Every submission's turnaround with its learner x module, for charts and tables."""
    return [(row, turn) for row in progress.rows for turn in row.standing.turns]
