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


def turnaround(progress: Progress) -> dict[str, list[tuple[str, float, int]]]:
    """Per coach, per month a submission was opened: median days to first review, and how many."""
    former = {p.where.removeprefix("@").casefold() for p in progress.problems if p.kind == FORMER_COACH}
    months: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in progress.rows:
        for turn in row.standing.turns:
            days = turn.to_first_review
            if days is not None and turn.reviewer.casefold() not in former:
                months[row.place.coach][f"{turn.opened:%Y-%m}"].append(days)
    return {coach: [(month, stats.median(values) or 0.0, len(values))
                    for month, values in sorted(by_month.items())]
            for coach, by_month in sorted(months.items())}


def heat(progress: Progress) -> tuple[list[str], list[str], list[list[int]]]:
    """'Not yet' shortfalls: rows 'module: criterion', columns networks, cells counts."""
    rows = sorted({f"{m}: {c}" for m, c, _, _ in progress.not_yet})
    networks = sorted({n for _, _, n, _ in progress.not_yet})
    cells = [[0] * len(networks) for _ in rows]
    for m, c, n, k in progress.not_yet:
        cells[rows.index(f"{m}: {c}")][networks.index(n)] += k
    return rows, networks, cells


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
    rows, networks, cells = heat(progress)
    months = turnaround(progress)
    cohorts = cohort_progress(progress)
    return {
        "funnel": Table("Learners by where each module stands", ("module", *STATES),
                        tuple((m, *(str(counts[s][i]) for s in STATES)) for i, m in enumerate(modules))),
        "turnaround": Table("Median days to a coach's first review, by month the submission was "
                            "opened", ("coach", "month", "median days", "submissions"),
                            tuple((c, m, f"{d:.1f}", str(n)) for c, series in months.items()
                                  for m, d, n in series)),
        "heat": Table("'Not yet' shortfalls by criterion and network",
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
