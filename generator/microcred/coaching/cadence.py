"""Coaching cadence for the staff report: how often each network and each leader met. Pure.

Per network: its meetings logged, the last one, days since, and whether the next is overdue by
the cohort calendar's cadence. Per leader: the same for their one-to-ones, with the meetings
of the improvement community they run in their school.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from microcred.coaching.records import NETWORK, ONE_TO_ONE, Calendar, Records
from microcred.model import Course


@dataclass(frozen=True)
class Cadence:
    """One network's or one leader's coaching, as of a day."""

    name: str  # the network's id, or the leader's login
    cohort: str
    network: str
    coach: str
    meetings: int
    last: str  # YYYY-MM-DD, or "" when none is logged
    days_since: int | None
    every_weeks: int | None  # the calendar's cadence; None when it sets none
    overdue: bool
    school_meetings: int = 0  # leaders: meetings of their improvement community


def coaching_cadence(course: Course, records: Records, as_of: date) -> tuple[list[Cadence], list[Cadence]]:
    """(networks, leaders), in roster order, counting what was logged up to `as_of`."""
    day = as_of.isoformat()
    logs = [e for e in records.logs if e.date <= day]
    networks: list[Cadence] = []
    leaders: list[Cadence] = []
    for programme in course.programmes.values():
        for cohort in programme.cohorts:
            calendar = records.calendar_of(programme.id, cohort.id)
            for net in cohort.networks:
                held = [e.date for e in logs if e.meeting == NETWORK and e.network == net.id
                        and e.cohort == cohort.id]
                networks.append(_row(net.id, cohort.id, net.id, net.coach, held, calendar,
                                     NETWORK, as_of))
                for login in net.learners:
                    mine = [e.date for e in logs if e.meeting == ONE_TO_ONE
                            and login in e.participants and e.cohort == cohort.id]
                    school = sum(1 for c in records.communities if c.leader == login
                                 for m in c.meetings if m.date <= day)
                    row = _row(login, cohort.id, net.id, net.coach, mine, calendar, ONE_TO_ONE,
                               as_of)
                    leaders.append(replace(row, school_meetings=school))
    return networks, leaders


def _row(name: str, cohort: str, network: str, coach: str, dates: list[str],
         calendar: Calendar | None, kind: str, as_of: date) -> Cadence:
    last = max(dates, default="")
    every = calendar.cadence.get(kind) if calendar else None
    since = (as_of - date.fromisoformat(last)).days if last else None
    running = calendar is not None and calendar.starts <= as_of.isoformat() <= calendar.ends
    started = (as_of - date.fromisoformat(calendar.starts)).days if calendar else 0
    overdue = bool(every and running and (since if since is not None else started) > every * 7)
    return Cadence(name, cohort, network, coach, len(dates), last, since, every, overdue)
