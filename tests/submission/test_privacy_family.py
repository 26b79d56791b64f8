"""Family circumstances tied to one student are flagged; said of a group or a seat code not."""

from __future__ import annotations

import pytest

from microcred.submission.privacy import detectors, find_spans

FOUND_BY = detectors(private_video=True)


def _circumstances(line: str) -> list[str]:
    return [line[s.start:s.end] for s in find_spans(line, FOUND_BY)
            if s.rule == "family-circumstance"]


@pytest.mark.parametrize(("line", "phrase"), [
    ("Odalys has been in foster care since June.", "foster care"),
    ("Tobiah is on free lunch this year.", "on free lunch"),
    ("Her family is in the shelter on Linden.", "in the shelter"),
    ("His grandmother has had guardianship since spring.", "guardianship"),
    ("Odalys: custody order on file, only her aunt picks up.", "custody order"),
    ("Tobiah's immigration status is not to be shared.", "immigration status"),
    ("La familia de Odalys pidió reserva sobre su situación migratoria.", "situación migratoria"),
])
def test_a_circumstance_tied_to_a_student_is_flagged(line: str, phrase: str) -> None:
    assert _circumstances(line) == [phrase]


@pytest.mark.parametrize("line", [
    "Forty percent of students are on free lunch.",
    "S4 is in foster care; the plan says so.",
    "We collected coats for the family shelter drive.",
    "Each family on free or reduced lunch gets the form.",
])
def test_a_circumstance_of_a_group_or_a_seat_code_is_not(line: str) -> None:
    assert _circumstances(line) == []
