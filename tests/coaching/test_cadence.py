"""Coaching cadence per network and leader, as of a day, against the calendar's cadence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from microcred.coaching.cadence import Cadence, coaching_cadence
from microcred.coaching.load import load_records
from microcred.content.loader import load_course


def _cadence(root: Path, day: str) -> tuple[list[Cadence], list[Cadence]]:
    return coaching_cadence(load_course(root).course, load_records(root).records,
                            date.fromisoformat(day))


def test_each_network_and_leader_with_their_last_meeting(coached: Path) -> None:
    networks, leaders = _cadence(coached, "2026-10-20")
    assert networks == [
        Cadence("net-a", "cohort-one", "net-a", "coach-ana", 1, "2026-09-29", 21, 6, False),
        Cadence("net-b", "cohort-one", "net-b", "coach-ben", 0, "", None, 6, True)]
    assert leaders[0] == Cadence("lea", "cohort-one", "net-a", "coach-ana", 1, "2026-09-15", 35,
                                 4, True, school_meetings=1)
    assert [c.name for c in leaders] == ["lea", "leo", "lia", "lou", "mae", "max", "mia", "moe", "mu"]


def test_meetings_after_the_day_do_not_count_and_none_is_overdue_before_the_cohort(
        coached: Path) -> None:
    networks, leaders = _cadence(coached, "2026-09-10")
    assert [(c.meetings, c.overdue) for c in networks] == [(0, False), (0, False)]
    assert (leaders[0].meetings, leaders[0].school_meetings) == (0, 0)
