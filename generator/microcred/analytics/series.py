"""The data behind each chart, as plain tables: the charts draw them, the report prints them."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from microcred.analytics import stats
from microcred.analytics.progress import FORMER_COACH, Progress
from microcred.analytics.timeline import STATES


@dataclass(frozen=True)
class Table:
    """A chart's data: a caption, column headings and rows of cells."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def funnel(progress: Progress) -> tuple[list[str], dict[str, list[int]]]:
    """Modules, and for each state the number of learners whose module stands there."""
    groups = [g for g in progress.groups if g.kind == "module"]
    return [g.name for g in groups], {s: [g.states[s] for g in groups] for s in STATES}


# Past these, a chart draws cohorts instead: 200 coaches' lines or 2,000 networks' columns are
# unreadable (and heavy); the tables beside the charts keep every coach and network.
MAX_LINES, MAX_COLUMNS = 8, 12


def turnaround(progress: Progress, by: str = "coach") -> dict[str, list[tuple[str, float, int]]]:
    """Per coach (or cohort), per month a submission was opened: median days to first review."""
    return _turnaround(progress, (by,))[by]


def _turnaround(progress: Progress,
                kinds: tuple[str, ...]) -> dict[str, dict[str, list[tuple[str, float, int]]]]:
    """turnaround() by each kind of group in `kinds`, in one pass over the submissions."""
    former = {p.where.removeprefix("@").casefold() for p in progress.problems if p.kind == FORMER_COACH}
    found: dict[str, dict[str, dict[str, list[float]]]] = {
        kind: defaultdict(lambda: defaultdict(list)) for kind in kinds}
    months: dict[tuple[int, int], str] = {}
    for row in progress.rows:
        for turn in row.standing.turns:
            days = turn.to_first_review
            if days is None:
                continue
            opened = turn.opened
            key = (opened.year, opened.month)
            month = months.get(key) or months.setdefault(key, f"{opened:%Y-%m}")
            for kind, by_group in found.items():
                if kind != "coach" or turn.reviewer.casefold() not in former:
                    by_group[getattr(row.place, kind)][month].append(days)
    return {kind: {who: [(month, stats.median(values) or 0.0, len(values))
                         for month, values in sorted(by_month.items())]
                   for who, by_month in sorted(by_group.items())}
            for kind, by_group in found.items()}


def turnaround_lines(progress: Progress) -> tuple[str, dict[str, list[tuple[str, float, int]]]]:
    """What the turnaround chart draws: a line per coach, or per cohort when coaches are many."""
    both = _turnaround(progress, ("coach", "cohort"))
    coaches = both["coach"]
    return ("coach", coaches) if len(coaches) <= MAX_LINES else ("cohort", both["cohort"])


def heat(progress: Progress, by: str = "network") -> tuple[list[str], list[str], list[list[int]]]:
    """'Not yet' shortfalls: rows 'module: criterion', columns networks (or cohorts), cells counts."""
    cohort_of = {r.place.network: r.place.cohort for r in progress.rows}

    def column(network: str) -> str:
        return network if by == "network" else cohort_of.get(network, network)

    rows = sorted({f"{m}: {c}" for m, c, _, _ in progress.not_yet})
    columns = sorted({column(n) for _, _, n, _ in progress.not_yet})
    cells = [[0] * len(columns) for _ in rows]
    row_at = {r: i for i, r in enumerate(rows)}
    column_at = {c: i for i, c in enumerate(columns)}
    for m, c, n, k in progress.not_yet:
        cells[row_at[f"{m}: {c}"]][column_at[column(n)]] += k
    return rows, columns, cells


def heat_drawn(progress: Progress) -> tuple[str, tuple[list[str], list[str], list[list[int]]]]:
    """What the heat map draws: networks as columns, or cohorts when networks are many."""
    networks = heat(progress)
    return ("network", networks) if len(networks[1]) <= MAX_COLUMNS else (
        "cohort", heat(progress, "cohort"))


def cohort_progress(progress: Progress) -> dict[str, list[tuple[datetime, float]]]:
    """Per cohort, week by week: the share of its learners' modules complete (percent)."""
    totals: dict[str, int] = defaultdict(int)
    done: dict[str, list[datetime]] = defaultdict(list)
    for row in progress.rows:
        totals[row.place.cohort] += 1
        if row.completed_at is not None:
            done[row.place.cohort].append(row.completed_at)
    starts = [t.opened for r in progress.rows for t in r.standing.turns]
    start = min(starts, default=progress.as_of) - timedelta(days=7)
    weeks = []
    week = start
    while week <= progress.as_of:
        weeks.append(week)
        week += timedelta(weeks=1)
    weeks.append(progress.as_of)
    out = {}
    for cohort, total in sorted(totals.items()):
        times = sorted(done[cohort])
        out[cohort] = [(w, round(100 * _count_until(times, w) / total, 1)) for w in weeks]
    return out


def _count_until(times: list[datetime], moment: datetime) -> int:
    return bisect.bisect_right(times, moment)


def tables(progress: Progress) -> dict[str, Table]:
    """The data table shown beside each chart."""
    modules, counts = funnel(progress)
    heat_by, (rows, networks, cells) = heat_drawn(progress)
    lines_by, months = turnaround_lines(progress)
    cohorts = cohort_progress(progress)
    return {
        "funnel": Table("Learners by where each module stands", ("module", *STATES),
                        tuple((m, *(str(counts[s][i]) for s in STATES)) for i, m in enumerate(modules))),
        "turnaround": Table("Median days to a coach's first review, by month the submission was "
                            "opened", (lines_by, "month", "median days", "submissions"),
                            tuple((c, m, f"{d:.1f}", str(n)) for c, series in months.items()
                                  for m, d, n in series)),
        "heat": Table(f"'Not yet' shortfalls by criterion and {heat_by}",
                      ("module: criterion", *networks),
                      tuple((r, *(str(v) for v in cells[i])) for i, r in enumerate(rows))),
        "cohorts": Table("Share of each cohort's modules complete, month by month", (
            "cohort", "date", "complete (%)"),
            tuple((c, f"{w:%Y-%m-%d}", f"{pct:.1f}") for c, series in cohorts.items()
                  for w, pct in _monthly(series))),
    }


def _monthly(series: list[tuple[datetime, float]]) -> list[tuple[datetime, float]]:
    """The last point of each month, and the final one: a table a person can read."""
    last: dict[str, tuple[datetime, float]] = {}
    for moment, value in series:
        last[f"{moment:%Y-%m}"] = (moment, value)
    return list(last.values())
