"""The programme's minimum of logged coaching before a module's assessment. Pure.

`min_coaching` in the programme file asks, per module, for a number of one-to-one and network
meetings logged with the learner about that module, by a coach authorised for them, on or
before the day of the approving review. A decision short of it names what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence

from microcred.coaching.due import count_logged
from microcred.coaching.records import LogEntry


def missing_coaching(logs: Sequence[LogEntry], learner: str, module: str,
                     need: dict[str, int], coaches: Sequence[str], until: str) -> list[str]:
    """One reason per kind of meeting logged fewer times than `need` asks; none when met."""
    allowed = tuple(coaches)
    have = count_logged(tuple(logs), learner, module, allowed, until or "9999-12-31")
    found: list[str] = []
    for kind, wanted in need.items():
        if have[kind] >= wanted:
            continue
        dates = sorted(e.date for e in logs if e.meeting == kind and learner in e.participants
                       and e.module == module and e.coach in allowed
                       and (not until or e.date <= until))
        logged = f"{have[kind]} logged ({', '.join(dates)})" if dates else "none logged"
        by = " or ".join(allowed) or "an authorised coach"
        short = wanted - have[kind]
        found.append(f"{short} more {kind} coaching meeting(s) to log with {learner} for "
                     f"{module}: it needs {wanted} before the assessment"
                     f"{f' ({until})' if until else ''}, {logged}; {by} records it with "
                     f"`microcred log {learner} --meeting {kind} --module {module} ...`")
    return found
