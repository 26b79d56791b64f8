"""Coaching records as frozen values. Dates are `YYYY-MM-DD` text, which sorts as dates do."""

from __future__ import annotations

from dataclasses import dataclass, field

ONE_TO_ONE, NETWORK = "one-to-one", "network"
COMMUNITY = "community"  # a calendar cadence: group meetings of a leader's improvement community
MEETINGS = (ONE_TO_ONE, NETWORK)


@dataclass(frozen=True)
class LogEntry:
    """One coaching meeting, as a coach logged it."""

    programme: str
    cohort: str
    date: str
    meeting: str  # ONE_TO_ONE or NETWORK
    coach: str
    participants: tuple[str, ...]
    agreements: tuple[str, ...]
    module: str = ""
    problem_of_practice: str = ""
    network: str = ""
    evidence: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    source: str = ""  # where it is kept: a repository path, or "<branch>:<path>"


@dataclass(frozen=True)
class CommunityMeeting:
    date: str
    staff: tuple[str, ...]  # roles, never names
    kind: str = "group"
    summary: str = ""


@dataclass(frozen=True)
class Community:
    """A leader's school-based improvement community for one cycle."""

    id: str
    programme: str
    cohort: str
    leader: str
    focus: str
    change_idea: str
    meetings: tuple[CommunityMeeting, ...]
    staff: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Material:
    title: str
    link: str  # an https:// address, or a path relative to content/


@dataclass(frozen=True)
class Exchange:
    """A Community Learning Exchange session."""

    id: str
    programme: str
    cohort: str
    date: str
    title: str
    theme: str
    description: str = ""
    materials: tuple[Material, ...] = ()
    attendance: tuple[str, ...] = ()  # logins: never published
    source: str = ""


@dataclass(frozen=True)
class Window:
    module: str
    opens: str
    closes: str  # the assessment deadline


@dataclass(frozen=True)
class Deadline:
    date: str
    title: str


@dataclass(frozen=True)
class Calendar:
    """A cohort's year."""

    id: str
    programme: str
    cohort: str
    starts: str
    ends: str
    windows: tuple[Window, ...]
    title: str = ""
    deadlines: tuple[Deadline, ...] = ()
    cadence: dict[str, int] = field(default_factory=dict)  # meeting kind -> weeks between
    source: str = ""


@dataclass(frozen=True)
class Records:
    """Every coaching record of a course repository."""

    logs: tuple[LogEntry, ...] = ()
    communities: tuple[Community, ...] = ()
    exchanges: tuple[Exchange, ...] = ()
    calendars: tuple[Calendar, ...] = ()

    def calendar_of(self, programme: str, cohort: str) -> Calendar | None:
        return next((c for c in self.calendars
                     if c.programme == programme and c.cohort == cohort), None)

    def exchanges_of(self, programme: str, cohort: str) -> list[Exchange]:
        return sorted((x for x in self.exchanges if x.programme == programme
                       and x.cohort == cohort), key=lambda x: x.date)
