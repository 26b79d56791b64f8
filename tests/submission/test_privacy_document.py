"""The document step: table columns added, correspondents removed, relatives found."""

from __future__ import annotations

from microcred.submission.privacy import detectors, find_spans

FOUND_BY = detectors(private_video=True)


def _found(text: str) -> list[tuple[int, str, str]]:
    lines = text.splitlines()
    return [(s.line, s.rule, lines[s.line - 1][s.start:s.end]) for s in find_spans(text, FOUND_BY)]


def test_a_titled_adult_with_a_named_students_surname_is_a_relative() -> None:
    text = "Odalys Quillfeather read two chapters.\nMrs. Quillfeather emailed on Monday.\n"

    assert (2, "parent-name", "Quillfeather") in _found(text)


def test_a_titled_adult_with_another_surname_is_staff_and_an_initial_proves_nothing() -> None:
    text = ("Odalys Quillfeather read two chapters with Ms. Harrowgate.\n"
            "Thanks! — K. Harrowgate\nMs. Harrowgate's 4th period is next.\n")

    assert [value for _, rule, value in _found(text) if rule == "parent-name"] == []


def test_a_column_cell_is_added_once_beside_what_the_line_found() -> None:
    text = "Student,DOB\nOdalys Quill,DOB 4/2/2016\n"

    assert _found(text) == [(2, "student-name", "Odalys Quill"), (2, "date-of-birth", "4/2/2016")]
