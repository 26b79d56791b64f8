"""Each roster learner's place: cohort programmes by network, self-paced ones as one team."""

from __future__ import annotations

from microcred.analytics.places import SELF_PACED, coaches, places
from microcred.content.lint import lint_course
from tests.conftest import REPO


def test_the_example_course_places_every_learner_once() -> None:
    course = lint_course(REPO, releases=False)[0].course
    found = places(course)
    assert len(found) == 21
    assert (found["rkowalczyk"].cohort, found["rkowalczyk"].network, found["rkowalczyk"].coach) == (
        "cohort-2025", "network-elementary", "coach-amaral")
    assert (found["kmarchetti"].network, found["kmarchetti"].coach) == (
        SELF_PACED, "coach-nwosu + coach-pellegrini")
    assert "coach-sandoval" in coaches(course) and "rkowalczyk" not in coaches(course)
