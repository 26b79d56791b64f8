"""Enrolment by the roster: case-insensitive, networks and a self-paced list alike."""

from __future__ import annotations

from pathlib import Path

from microcred.model import Cohort, Course, Credential, Issuer, Network, Programme
from microcred.roster import enrolled, not_enrolled


def _programme(cohorts: tuple[Cohort, ...] = (), learners: tuple[str, ...] = (),
               mode: str = "cohort") -> Programme:
    return Programme("prog", "Programme", mode, "", ("cred",), cohorts=cohorts,
                     learners=learners)


def _course(programme: Programme) -> Course:
    credential = Credential("cred", "Credential", "1.0.0", "prog", "", "", ("m1",),
                            Issuer("Issuer", "https://example.org"), "")
    return Course(Path("."), {"prog": programme}, {"cred": credential}, {}, {})


NETWORKS = (Cohort("c1", (Network("n1", "coach-a", ("Ana-Lee", "bo")),
                          Network("n2", "coach-b", ("cy",)))),)


def test_all_learners_lists_networks_first_then_the_rest_once() -> None:
    programme = _programme(cohorts=NETWORKS, learners=("dee", "bo", "eve"))
    assert programme.all_learners() == ("Ana-Lee", "bo", "cy", "dee", "eve")


def test_learner_keys_are_every_login_case_folded() -> None:
    programme = _programme(cohorts=NETWORKS, learners=("Dee",))
    assert programme.learner_keys == {"ana-lee", "bo", "cy", "dee"}


def test_enrolled_ignores_case_in_networks_and_self_paced_lists() -> None:
    networks = _course(_programme(cohorts=NETWORKS))
    self_paced = _course(_programme(mode="self-paced", learners=("Ana-Lee",)))
    for course in (networks, self_paced):
        assert enrolled(course, "ana-lee", "prog")
        assert enrolled(course, "ANA-LEE", "prog")
        assert not enrolled(course, "ana", "prog")
        assert not enrolled(course, "ana-lee", "other-programme")


def test_not_enrolled_names_the_programme_only_for_a_learner_off_its_roster() -> None:
    course = _course(_programme(cohorts=NETWORKS))
    assert not_enrolled(course, "BO", "cred") == ""
    assert not_enrolled(course, "stranger", "cred") == (
        "stranger is not enrolled in the programme 'prog', which awards cred")
    assert not_enrolled(course, "stranger", "no-such-credential") == ""
