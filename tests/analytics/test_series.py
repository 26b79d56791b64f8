"""The charts' data: with many coaches or networks, the charts draw cohorts, and so do their tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from microcred.analytics.places import Place
from microcred.analytics.progress import Progress, Row
from microcred.analytics.series import heat_drawn, tables, turnaround_lines
from microcred.analytics.timeline import Standing, Turn

START = datetime(2026, 9, 1, tzinfo=UTC)


def _progress(networks: int) -> Progress:
    rows = []
    for n in range(networks):
        place = Place(f"l{n}", "p", f"cohort-{n % 2}", f"net-{n:02d}", f"coach-{n:02d}", ("c",))
        turn = Turn(n + 1, START, START + timedelta(days=n % 5 + 1), None, place.coach)
        rows.append(Row(place, "c", "m", Standing("not yet", 1, 1, ("crit",), None, START, (turn,))))
    not_yet = tuple(("m", "crit", f"net-{n:02d}", 1) for n in range(networks))
    return Progress(START + timedelta(days=30), 4, tuple(rows), not_yet, (), ())


def test_a_few_networks_and_coaches_are_drawn_each() -> None:
    progress = _progress(4)
    assert heat_drawn(progress) == ("network", (["m: crit"], ["net-00", "net-01", "net-02", "net-03"],
                                                [[1, 1, 1, 1]]))
    assert turnaround_lines(progress)[0] == "coach"


def test_many_are_drawn_by_cohort_and_the_tables_follow() -> None:
    progress = _progress(14)
    assert heat_drawn(progress) == ("cohort", (["m: crit"], ["cohort-0", "cohort-1"], [[7, 7]]))
    by, lines = turnaround_lines(progress)
    # cohort-0 has networks 0, 2, ..., 12: first reviews after 1, 3, 5, 2, 4, 1, 3 days -> median 3.
    assert by == "cohort" and lines["cohort-0"] == [("2026-09", 3.0, 7)]
    data = tables(progress)
    assert data["heat"].head == ("module: criterion", "cohort-0", "cohort-1")
    assert data["turnaround"].head[0] == "cohort"
