"""A leader's improvement-community record, one meeting at a time (coaching/community.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.coaching.community import (
    Meeting,
    Opening,
    checked,
    compose,
    existing,
    record_path,
    with_meeting,
)
from microcred.coaching.load import load_records
from microcred.content.loader import load_course
from microcred.content.yamlfile import parse_yaml
from microcred.errors import UsageError

PATH = "coaching/communities/lea/cycle-1.yml"
HAND_WRITTEN = """format: 1
kind: community
programme: my-programme
cohort: cohort-one
leader: lea
focus: Who answers in grade 3
change_idea: Think time before every question
staff: [grade 3 teacher, reading specialist]
meetings:
  # the first meeting, in the library
  - date: 2026-10-06
    staff: [grade 3 teacher, reading specialist]
    summary: Agreed the change idea.
"""
LATER = Meeting("2026-10-20", ("grade 3 teacher",), "one-to-one", "Planned the first lesson.")


def _add(meeting: Meeting, opening: Opening | None = None) -> dict[str, object]:
    return with_meeting(existing(HAND_WRITTEN, PATH), "my-programme", "cohort-one", "lea",
                        opening or Opening(), meeting)


def test_a_later_meeting_is_appended_to_the_hand_written_file() -> None:
    data = _add(LATER)
    text = compose(data, HAND_WRITTEN, PATH)
    assert text == HAND_WRITTEN + (
        "  - date: 2026-10-20\n"
        "    kind: one-to-one\n"
        "    staff: [grade 3 teacher]\n"
        "    summary: Planned the first lesson.\n")
    assert parse_yaml(text, PATH).data == data


def test_an_earlier_meeting_goes_in_date_order_and_the_file_is_written_whole() -> None:
    data = _add(Meeting("2026-09-29", ("reading specialist",)))
    dates = [m["date"] for m in data["meetings"]]  # type: ignore[index]
    assert dates == ["2026-09-29", "2026-10-06"]
    text = compose(data, HAND_WRITTEN, PATH)
    assert "# the first meeting" not in text and parse_yaml(text, PATH).data == data
    assert "kind" not in data["meetings"][0]  # type: ignore[index]  # a group meeting is the default


def test_a_changed_focus_rewrites_the_record() -> None:
    data = _add(LATER, Opening(focus="Who answers in grade 3 mathematics"))
    text = compose(data, HAND_WRITTEN, PATH)
    assert parse_yaml(text, PATH).data["focus"] == "Who answers in grade 3 mathematics"


def test_the_same_meeting_is_never_recorded_twice() -> None:
    with pytest.raises(UsageError, match="already has a group meeting on 2026-10-06"):
        _add(Meeting("2026-10-06", ("grade 3 teacher",)))
    assert _add(Meeting("2026-10-06", ("grade 3 teacher",), "one-to-one"))  # another kind: fine


def test_a_new_record_needs_its_focus_and_change_idea() -> None:
    with pytest.raises(UsageError, match="give --focus and --change-idea to start it"):
        with_meeting(None, "my-programme", "cohort-one", "lea", Opening(), LATER)
    with pytest.raises(UsageError, match="give --change-idea to start it"):
        with_meeting(None, "my-programme", "cohort-one", "lea", Opening(focus="f"), LATER)
    data = with_meeting(None, "my-programme", "cohort-one", "lea",
                        Opening("Who answers", "Think time", ("grade 3 teacher",)), LATER)
    assert list(data) == ["format", "kind", "programme", "cohort", "leader", "focus",
                          "change_idea", "staff", "meetings"]


@pytest.mark.parametrize("cycle", ["Cycle 1", "../lea", "cycle_1", ""])
def test_a_cycle_must_be_a_plain_file_name(cycle: str) -> None:
    with pytest.raises(UsageError, match="--cycle"):
        record_path("lea", cycle)


def test_a_broken_record_at_base_is_named() -> None:
    with pytest.raises(UsageError, match=f"{PATH} on the base branch is not a record"):
        existing("- a list\n", PATH)
    with pytest.raises(UsageError, match="is not valid YAML"):
        existing("focus: [unclosed\n", PATH)


def test_checked_runs_lints_checks_and_the_privacy_scan(coached: Path) -> None:
    loaded, records = load_course(coached), load_records(coached)
    data = _add(LATER)
    assert checked(loaded, records, PATH, data, HAND_WRITTEN).created is False
    named = _add(Meeting("2026-10-20", ("grade 3 teacher",),
                         summary="Watched how Jaylen Brooks answered."))
    with pytest.raises(UsageError, match="privacy/student-name") as caught:
        checked(loaded, records, PATH, named, HAND_WRITTEN)
    assert "Jaylen" not in str(caught.value)  # the finding masks the name it found
    outside = _add(Meeting("2031-01-01", ("grade 3 teacher",)))
    with pytest.raises(UsageError, match=r"meetings\[1\]\.date: 2031-01-01 is outside cohort"):
        checked(loaded, records, PATH, outside, HAND_WRITTEN)
