"""What is due: windows, deadlines, exchanges and coaching, as of a day."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from microcred.coaching.due import DUE, OPEN, OVERDUE, UPCOMING, Due, due_items
from microcred.coaching.load import load_records
from microcred.content.loader import load_course


def _items(root: Path, as_of: str, learner: str = "", need: dict[str, int] | None = None) -> list[Due]:
    course = load_course(root).course
    programme = course.programmes["my-programme"]
    if need:
        programme = replace(programme, min_coaching={"first-module": need})
    records = load_records(root).records
    calendar = records.calendar_of("my-programme", "cohort-one")
    assert calendar is not None
    return due_items(programme, programme.cohorts[0], calendar, records, as_of, learner)


def test_a_learner_sees_their_window_their_coaching_and_what_comes(coached: Path) -> None:
    assert _items(coached, "2026-10-01", "lea", {"one-to-one": 2}) == [
        Due("2026-10-13", DUE, "one-to-one", "one-to-one with coach-ana: last 2026-09-15, every 4 weeks"),
        Due("2026-10-15", UPCOMING, "exchange", "First exchange"),
        Due("2026-11-10", DUE, "network", "network meeting of net-a (coach-ana): last 2026-09-29, "
            "every 6 weeks"),
        Due("2026-11-27", OPEN, "window", "first-module: assessment due (open since 2026-09-07); "
            "1 of 2 one-to-one logged"),
        Due("2026-12-01", UPCOMING, "window", "observation opens (assessment due 2027-03-12)"),
    ]


def test_coaching_not_logged_in_time_is_overdue(coached: Path) -> None:
    items = _items(coached, "2026-11-20")
    assert [(d.date, d.state, d.what) for d in items if d.what == "network"] == [
        ("2026-10-13", OVERDUE, "network"), ("2026-11-10", OVERDUE, "network")]
    assert [d.text for d in items if d.state == OVERDUE] == [
        "network meeting of net-b (coach-ben): none logged yet, every 6 weeks",
        "network meeting of net-a (coach-ana): last 2026-09-29, every 6 weeks"]


def test_after_the_cohort_nothing_is_due(coached: Path) -> None:
    assert _items(coached, "2027-07-01", "lea") == []


def test_coaching_logged_after_the_day_is_not_counted_yet(coached: Path) -> None:
    [window] = [d for d in _items(coached, "2026-09-10", "lea", {"one-to-one": 2})
                if d.state == OPEN]
    assert window.text.endswith("; 0 of 2 one-to-one logged")


def test_a_leaders_improvement_community_is_due_by_the_cadence(coached: Path) -> None:
    calendar = coached / "content/calendars/cohort-one.yml"
    calendar.write_text(calendar.read_text().replace("  network: 6\n",
                                                     "  network: 6\n  community: 3\n"))
    # lea's record (coaching/communities/lea/cycle-1.yml) has one group meeting, on 2026-10-06.
    [due] = [d for d in _items(coached, "2026-10-20", "lea") if d.what == "community"]
    assert due == Due("2026-10-27", DUE, "community",
                      "meeting of your improvement community: last 2026-10-06, every 3 weeks")
    [late] = [d for d in _items(coached, "2026-11-01", "lea") if d.what == "community"]
    assert (late.date, late.state) == ("2026-10-27", OVERDUE)
    # A meeting held after the day asked about is not counted yet; leo keeps no record at all.
    [before] = [d for d in _items(coached, "2026-10-01", "lea") if d.what == "community"]
    assert before.text.endswith("none logged yet, every 3 weeks")
    [leo] = [d for d in _items(coached, "2026-10-01", "leo") if d.what == "community"]
    assert leo.text == "meeting of your improvement community: none logged yet, every 3 weeks"
    # The cohort's view lists networks, not each leader's school community.
    assert [d for d in _items(coached, "2026-10-20") if d.what == "community"] == []


def test_without_a_community_cadence_nothing_about_communities_is_due(coached: Path) -> None:
    assert [d for d in _items(coached, "2026-10-20", "lea") if d.what == "community"] == []
