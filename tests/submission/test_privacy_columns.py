"""A table's identifying columns flag their cells, under title and merged header rows."""

from __future__ import annotations

from microcred.submission.privacy.columns import maybe_table, table_hits


def _cells(text: str) -> list[tuple[int, str, str]]:
    lines = text.splitlines()
    return [(index, hit.rule, lines[index][hit.start:hit.end])
            for index, hit in table_hits(lines)]


def test_cells_under_identifying_headers_are_flagged_below_title_and_merged_rows() -> None:
    text = ("Spring check-ins,,,,\n"
            ",Family,,Flags,\n"
            "Pupil,Carer,Birthday,Meals,Notes\n"
            "Odalys,Renata Quill,4/2/2016,reduced,likes maps\n"
            "\"Voss, Tobiah\",,11 Oct 2015,paid,\n")

    assert _cells(text) == [
        (3, "student-name", "Odalys"), (3, "date-of-birth", "4/2/2016"),
        (4, "student-name", "Voss, Tobiah"), (4, "date-of-birth", "11 Oct 2015")]


def test_each_kind_of_column_by_its_header() -> None:
    text = ("Last,First,Guardian,Home phone,Student No.,FRL,Home address\n"
            "Quill,Odalys,Renata Quill,555 0163,7731-0092,free,\"9 Birchfield Row, Unit 4\"\n")

    assert [rule for _, rule, _ in _cells(text)] == [
        "student-name", "student-name", "parent-name", "phone", "student-id",
        "family-circumstance", "address"]


def test_labels_totals_and_empty_or_negative_cells_are_not_flagged() -> None:
    text = ("Student,Student ID,FRL\n"
            "S07,,no\n"
            "Table 3,-,n/a\n"
            "Total,,\n")

    assert _cells(text) == []


def test_a_data_row_after_a_full_header_is_not_read_as_a_header() -> None:
    text = ("session,speaker,role,comment\n"
            "2026-03-02,S4,student,wants a quiet room\n")

    assert _cells(text) == []


def test_a_markdown_pipe_table_is_a_table_too() -> None:
    text = ("Notes from the fall\n\n"
            "| Name | DOB | Goal |\n"
            "|---|---|---|\n"
            "| Odalys Quill | 2016-04-02 | fluency |\n\n"
            "After the table, prose | with a pipe.\n")

    assert _cells(text) == [(4, "student-name", "Odalys Quill"), (4, "date-of-birth", "2016-04-02")]


def test_prose_with_commas_is_no_table() -> None:
    text = "Name, date and signature go at the top.\nThen, after that, the rest.\n"

    assert _cells(text) == []
    assert not maybe_table("no separators here\n")
