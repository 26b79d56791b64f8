"""Progress as text, JSON, CSV (one row per learner x module) and a Markdown summary.

The Markdown summary carries group figures only, never a learner's login: it is what the
scheduled workflow may post where more people than staff can read it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from microcred import jsondata
from microcred.analytics.progress import Group, Progress, Row
from microcred.analytics.timeline import STATES
from microcred.heap import without_collection

FORMAT = 1
# Durations in days; "not-yets": 'not yet' verdicts given (a module can have several).
FIGURES = ("learners", "modules", *STATES, "waiting", "oldest wait", "1st review median", "p90",
           "decision median", "p90", "not-yets", "inactive")
CSV_COLUMNS = ("programme", "cohort", "network", "coach", "learner", "credential", "module",
               "state", "attempts", "not_yet", "not_yet_criteria", "waiting_days", "last_activity")


def group_cells(group: Group) -> list[str]:
    values: list[Any] = [group.learners, group.modules, *(group.states[s] for s in STATES),
                         group.waiting, group.oldest_wait_days, group.first_review_median,
                         group.first_review_p90, group.decision_median, group.decision_p90,
                         group.not_yet, group.inactive]
    return ["–" if v is None else str(v) for v in values]


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    body = [list(head), *map(list, rows)]
    widths = [max(len(r[i]) for r in body) for i in range(len(head))]
    return ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                      for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip() for r in body]


def weeks(n: int) -> str:
    return f"{n} week" if n == 1 else f"{n} weeks"


@without_collection
def to_text(progress: Progress, learners: bool = True) -> str:
    """Group tables, 'not yet' by criterion, inactive learners, each learner's modules, problems."""
    out = [f"progress as of {progress.as_of:%Y-%m-%d %H:%M} UTC; durations in days; "
           f"inactive: nothing of their own for {weeks(progress.inactive_weeks)}", ""]
    for kind in ("programme", "cohort", "network", "coach", "module"):
        rows = [g for g in progress.groups if g.kind == kind]
        lines = _table((kind, *FIGURES), ([g.name, *group_cells(g)] for g in rows))
        out += [f"by {kind}", *("  " + line for line in lines), ""]
    out += ["'not yet' by criterion (shortfalls in coaches' reviews)"]
    out += ["  " + line for line in _table(("module", "criterion", "network", "count"),
                                           ([m, c, n, str(k)] for m, c, n, k in progress.not_yet))]
    out += ["", f"learners with no activity for {weeks(progress.inactive_weeks)}: {len(progress.inactive)}"]
    out += [f"  {i.learner} ({i.place.network}, coach {i.place.coach}): last "
            f"{i.last_activity:%Y-%m-%d}" if i.last_activity else
            f"  {i.learner} ({i.place.network}, coach {i.place.coach}): never" for i in progress.inactive]
    if learners:
        out += ["", "learners (state, attempts in brackets)", *_learner_lines(progress.rows)]
    out += ["", f"set apart: {len(progress.problems)}"]
    out += [f"  {p.kind} {p.where}: {p.message}" for p in progress.problems]
    return "\n".join(out)


def _learner_lines(rows: Sequence[Row]) -> Iterable[str]:
    current = ""
    line: list[str] = []
    for row in rows:
        if row.place.learner != current:
            if line:
                yield "  " + "  ".join(line)
            current = row.place.learner
            line = [f"{current} ({row.place.network}):"]
        line.append(f"{row.module} {row.standing.state} [{row.standing.attempts}]")
    if line:
        yield "  " + "  ".join(line)


@without_collection
def to_json(progress: Progress) -> dict[str, Any]:
    """Everything, as data: groups, learners x modules, criteria, inactive learners, problems."""
    document = _document(progress)
    document["learners"] = [_row(progress, r) for r in progress.rows]
    return document


def _document(progress: Progress) -> dict[str, Any]:
    """to_json's document, its learners still to come (an empty list, in its place)."""
    return {
        "format": FORMAT, "as_of": _iso(progress.as_of), "inactive_weeks": progress.inactive_weeks,
        "states": list(STATES),
        "groups": [dict(g.__dict__) for g in progress.groups],
        "learners": [],
        "not_yet_by_criterion": [{"module": m, "criterion": c, "network": n, "count": k}
                                 for m, c, n, k in progress.not_yet],
        "inactive": [{"learner": i.learner, "network": i.place.network, "coach": i.place.coach,
                      "last_activity": _iso(i.last_activity)} for i in progress.inactive],
        "set_apart": [p.__dict__ for p in progress.problems],
    }


@without_collection
def write_json(progress: Progress, write: Callable[[str], None]) -> None:
    """to_json's document as `json.dumps(indent=2, ensure_ascii=False)` and a newline, byte for
    byte, written a few learners at a time: the whole document of 10,000 learners would take
    hundreds of MB before its first byte is written."""
    items = list(_document(progress).items())
    write("{\n")
    for at, (key, value) in enumerate(items):
        write(f"  {_dumps(key)}: ")
        if key == "learners" and progress.rows:
            _write_rows(progress, write)
        else:
            write(_dumps(value).replace("\n", "\n  "))
        write(",\n" if at < len(items) - 1 else "\n")
    write("}\n")


def _write_rows(progress: Progress, write: Callable[[str], None], batch: int = 500) -> None:
    # One dump per batch of rows, not per row: each dump with an indent makes a cycle of
    # closures that only the cyclic collector frees, and it is paused (microcred/heap.py).
    rows = progress.rows
    write("[\n")
    for start in range(0, len(rows), batch):
        text = _dumps([_row(progress, r) for r in rows[start:start + batch]])
        # "[\n  {...},\n  {...}\n]": the rows one level deeper than in a list of their own
        write("  " + text[2:-2].replace("\n", "\n  ") + (",\n" if start + batch < len(rows) else "\n"))
    write("  ]")


def _dumps(value: Any) -> str:
    # JSON escapes every newline inside a string, so each newline here is between lines. Every
    # float progress writes is round(x, 1) of a number of days (waits, medians, percentiles:
    # stats.rounded).
    return jsondata.dumps_indented(value, rounded=True)


def _row(progress: Progress, row: Row) -> dict[str, Any]:
    s, p = row.standing, row.place
    wait = progress.waiting_days(row)
    return {"programme": p.programme, "cohort": p.cohort, "network": p.network, "coach": p.coach,
            "learner": p.learner, "credential": row.credential, "module": row.module,
            "state": s.state, "attempts": s.attempts, "not_yet": s.not_yets,
            "not_yet_criteria": list(s.not_yet),
            "waiting_days": None if wait is None else round(wait, 1),
            "last_activity": _iso(s.last_activity),
            "submissions": [{"pull_request": t.number, "opened": _iso(t.opened),
                             "first_review": _iso(t.first_review), "decided": _iso(t.decided),
                             "first_reviewer": t.reviewer} for t in s.turns]}


@without_collection
def to_csv(progress: Progress) -> str:
    """One row per learner x module, for a spreadsheet: CSV_COLUMNS of the JSON's learners."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(progress, row) for row in progress.rows)
    return buffer.getvalue()


def _csv_row(progress: Progress, row: Row) -> list[Any]:
    s, p = row.standing, row.place
    wait = progress.waiting_days(row)
    return [p.programme, p.cohort, p.network, p.coach, p.learner, row.credential, row.module,
            s.state, s.attempts, s.not_yets, "; ".join(s.not_yet),
            "" if wait is None else round(wait, 1), _iso(s.last_activity) or ""]


def to_markdown(progress: Progress) -> str:
    """Group figures and the funnel per module, without any learner's login."""
    out = [f"## Programme progress, {progress.as_of:%Y-%m-%d}", "",
           "Durations in days (median and 90th percentile). Learners' own figures are in the "
           "staff report, not here.", ""]
    for kind in ("cohort", "network", "coach", "module"):
        rows = [g for g in progress.groups if g.kind == kind]
        out += [f"### By {kind}", "", "| " + " | ".join((kind, *FIGURES)) + " |",
                "|---" + "|---:" * len(FIGURES) + "|"]
        out += ["| " + " | ".join([g.name.replace("|", "\\|"), *group_cells(g)]) + " |" for g in rows]
        out.append("")
    out += [f"Set apart (not counted above): {len(progress.problems)} "
            f"({', '.join(sorted({p.kind for p in progress.problems})) or 'none'})", ""]
    return "\n".join(out)


def _iso(moment: Any) -> str | None:
    """A UTC time as 2026-09-04T12:00:00Z (isoformat: several times quicker than strftime)."""
    return None if moment is None else f"{moment.isoformat(timespec='seconds')[:19]}Z"
