"""What is due in a cohort on a given day: module windows, deadlines, exchanges, coaching.

Pure: the calendar, the logs and the roster in, a list of dated items out. For a learner the
coaching lines are theirs (their one-to-ones, their network's meetings, the coaching a module
requires before its assessment); for a cohort, each network's meetings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from microcred.coaching.records import COMMUNITY, NETWORK, ONE_TO_ONE, Calendar, LogEntry, Records
from microcred.model import Cohort, Network, Programme

OPEN, UPCOMING, DUE, OVERDUE = "open", "upcoming", "due", "overdue"


@dataclass(frozen=True)
class Due:
    date: str
    state: str  # OPEN, UPCOMING, DUE or OVERDUE
    what: str  # window, deadline, exchange, one-to-one, network, community
    text: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def due_items(programme: Programme, cohort: Cohort, calendar: Calendar, records: Records,
              as_of: str, learner: str = "") -> list[Due]:
    """Everything still ahead of `as_of` in the cohort (and coaching overdue), by date."""
    items = [*_windows(programme, calendar, records, as_of, learner),
             *(Due(d.date, UPCOMING, "deadline", d.title)
               for d in calendar.deadlines if d.date >= as_of),
             *(Due(x.date, UPCOMING, "exchange", x.title)
               for x in records.exchanges_of(programme.id, cohort.id) if x.date >= as_of)]
    networks = [n for n in cohort.networks if not learner or learner in n.learners]
    if as_of <= calendar.ends:
        for net in networks:
            items += _coaching(calendar, records.logs, net, as_of, learner)
        if learner and COMMUNITY in calendar.cadence:
            items.append(_community(calendar, records, cohort, learner, as_of))
    return sorted(items, key=lambda d: (d.date, d.what, d.text))


def _windows(programme: Programme, calendar: Calendar, records: Records, as_of: str,
             learner: str) -> list[Due]:
    out: list[Due] = []
    for w in calendar.windows:
        if w.opens > as_of:
            out.append(Due(w.opens, UPCOMING, "window", f"{w.module} opens (assessment due "
                           f"{w.closes})"))
        elif w.closes >= as_of:
            text = f"{w.module}: assessment due (open since {w.opens})"
            need = programme.min_coaching.get(w.module, {})
            if learner and need:
                text += "; " + logged_against(need, count_logged(records.logs, learner, w.module,
                                                             until=as_of))
            out.append(Due(w.closes, OPEN, "window", text))
    return out


def count_logged(logs: tuple[LogEntry, ...], learner: str, module: str,
                 coaches: tuple[str, ...] = (), until: str = "9999-12-31") -> dict[str, int]:
    """Meetings logged with `learner` about `module` on or before `until`, by kind; only
    those of `coaches` when given."""
    counts = {ONE_TO_ONE: 0, NETWORK: 0}
    for entry in logs:
        if (learner in entry.participants and entry.module == module and entry.date <= until
                and (not coaches or entry.coach in coaches)):
            counts[entry.meeting] += 1
    return counts


def logged_against(need: dict[str, int], have: dict[str, int]) -> str:
    """'2 of 2 one-to-one logged, 0 of 1 network logged'."""
    return ", ".join(f"{have.get(kind, 0)} of {n} {kind} logged" for kind, n in need.items())


def _coaching(calendar: Calendar, logs: tuple[LogEntry, ...], net: Network, as_of: str,
              learner: str) -> list[Due]:
    out: list[Due] = []
    meetings = [e for e in logs if e.date <= as_of]
    if learner and ONE_TO_ONE in calendar.cadence:
        mine = [e.date for e in meetings if e.meeting == ONE_TO_ONE and learner in e.participants]
        out.append(_next(calendar, ONE_TO_ONE, calendar.cadence[ONE_TO_ONE], mine, as_of,
                         f"one-to-one with {net.coach}"))
    if NETWORK in calendar.cadence:
        held = [e.date for e in meetings if e.meeting == NETWORK and e.network == net.id]
        out.append(_next(calendar, NETWORK, calendar.cadence[NETWORK], held, as_of,
                         f"network meeting of {net.id} ({net.coach})"))
    return out


def _community(calendar: Calendar, records: Records, cohort: Cohort, learner: str,
               as_of: str) -> Due:
    """The next group meeting of the improvement community `learner` runs, by the cadence."""
    held = [m.date for c in records.communities if c.leader == learner and c.cohort == cohort.id
            and c.programme == calendar.programme for m in c.meetings
            if m.kind == "group" and m.date <= as_of]
    return _next(calendar, COMMUNITY, calendar.cadence[COMMUNITY], held, as_of,
                 "meeting of your improvement community")


def _next(calendar: Calendar, kind: str, weeks: int, held: list[str], as_of: str,
          text: str) -> Due:
    last = max(held, default="")
    start = last or calendar.starts
    due = (date.fromisoformat(start) + timedelta(weeks=weeks)).isoformat()
    since = f"last {last}" if last else "none logged yet"
    state = OVERDUE if due < as_of else DUE
    return Due(due, state, kind, f"{text}: {since}, every {weeks} weeks")
