"""Loading coaching records: valid files become records, invalid ones findings with lines."""

from __future__ import annotations

from pathlib import Path

from microcred.coaching.load import load_records, parse_log_entry
from microcred.coaching.records import NETWORK, ONE_TO_ONE
from tests.helpers import replace

LOG = "coaching/logs/coach-ana/2026-09-15-one-to-one-lea.yml"


def test_every_kind_of_record_loads(coached: Path) -> None:
    loaded = load_records(coached)
    assert loaded.findings == []
    records = loaded.records
    assert [(e.date, e.meeting, e.participants) for e in records.logs] == [
        ("2026-09-15", ONE_TO_ONE, ("lea",)), ("2026-09-29", NETWORK, ("lea", "leo", "lia", "lou"))]
    assert records.logs[0].source == LOG
    calendar = records.calendar_of("my-programme", "cohort-one")
    assert calendar is not None
    assert [(w.module, w.closes) for w in calendar.windows] == [
        ("first-module", "2026-11-27"), ("observation", "2027-03-12")]
    assert calendar.cadence == {"one-to-one": 4, "network": 6}
    assert [x.id for x in records.exchanges_of("my-programme", "cohort-one")] == ["exchange-one"]
    assert records.communities[0].leader == "lea"
    assert records.communities[0].meetings[0].kind == "group"


def test_a_course_without_records_has_none(course: Path) -> None:
    loaded = load_records(course)
    assert (loaded.records.logs, loaded.records.calendars, loaded.findings) == ((), (), [])


def test_a_schema_problem_names_file_and_line(coached: Path) -> None:
    replace(coached / LOG, "meeting: one-to-one", "meeting: coffee")
    loaded = load_records(coached)
    assert [f.render() for f in loaded.findings] == [
        f"{LOG}:6: meeting: 'coffee' is not allowed (use 'one-to-one' (a coach and one leader) "
        "or 'network' (the peer network))"]
    assert len(loaded.records.logs) == 1


def test_private_notes_have_no_place_in_a_log(coached: Path) -> None:
    (coached / LOG).write_text((coached / LOG).read_text() + "private_notes: worried about\n")
    [finding] = load_records(coached).findings
    assert (finding.line, finding.key, finding.message) == (
        16, "private_notes", "unknown key 'private_notes'")


def test_a_calendar_named_unlike_its_id_is_refused(coached: Path) -> None:
    cal = coached / "content/calendars/cohort-one.yml"
    cal.rename(cal.with_name("year.yml"))
    assert [f.render() for f in load_records(coached).findings] == [
        "content/calendars/year.yml:3: id: id 'cohort-one' does not match the file name 'year' "
        "(rename the file or set 'id: year')"]


def test_a_log_entry_parses_from_text() -> None:
    entry, problems = parse_log_entry(
        "format: 1\nkind: coaching-log\nprogramme: p\ncohort: c\ndate: 2026-01-02\n"
        "meeting: one-to-one\ncoach: co\nparticipants: [x]\nagreements: [a]\n", "b:x.yml")
    assert problems == [] and entry is not None and entry.source == "b:x.yml"
    assert parse_log_entry("format: 1\n", "b:y.yml")[0] is None
