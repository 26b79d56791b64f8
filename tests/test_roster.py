"""Who may earn a credential by the roster."""

from __future__ import annotations

from microcred.content.loader import load_course
from microcred.roster import enrolled_in, enrolment_problem, programmes_awarding
from tests.conftest import DATA


def test_enrolment_follows_the_programmes_awarding_the_credential() -> None:
    course = load_course(DATA / "course").course
    assert [p.id for p in programmes_awarding(course, "my-credential")] == ["my-programme"]
    learners = enrolled_in(course, "my-credential")
    assert learners is not None and {"lea", "mu"} <= learners
    assert enrolment_problem(course, "lea", "my-credential") is None
    assert enrolment_problem(course, "nobody", "my-credential") == (
        "'nobody' is not on the roster of My programme, which awards 'my-credential'")
    assert enrolled_in(course, "no-such-credential") is None  # reported on its own elsewhere
    assert enrolment_problem(course, "nobody", "no-such-credential") is None
