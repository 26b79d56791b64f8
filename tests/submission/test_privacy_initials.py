"""A student named by dotted initials where a person is meant; abbreviations and authors not."""

from __future__ import annotations

import pytest

from microcred.submission.privacy.initials import initials


@pytest.mark.parametrize(("line", "value"), [
    ("Student: Q.T. (Grade 3). Reads at level J.", "Q.T."),
    ("Q.T. reads 70 words a minute now.", "Q.T."),
    ("We moved Q.T.'s seat to the front.", "Q.T."),
    ("Child - R.V.O. joined in October.", "R.V.O."),
])
def test_initials_where_a_child_is_meant(line: str, value: str) -> None:
    assert [line[h.start:h.end] for h in initials(line)] == [value]


@pytest.mark.parametrize("line", [
    "The bell rings at 8:15 A.M. every day.",
    "P.E. moved to the gym.",
    "We read J.K. Rowling in 5th grade.",
    "Q.T. and the rest of the slides are below.",
    "Meet in Washington D.C. next spring.",
])
def test_abbreviations_authors_and_initials_without_a_person_cue_are_not(line: str) -> None:
    assert list(initials(line)) == []
