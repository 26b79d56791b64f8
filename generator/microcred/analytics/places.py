"""Where each learner sits in the roster now: programme, cohort, network and responsible coach."""

from __future__ import annotations

from dataclasses import dataclass

from microcred.model import Course, Programme

SELF_PACED = "(self-paced)"


@dataclass(frozen=True)
class Place:
    learner: str
    programme: str
    cohort: str
    network: str
    coach: str  # the network's coach; for a self-paced programme, its coaches as one team
    credentials: tuple[str, ...]


def places(course: Course) -> dict[str, Place]:
    """Every roster learner's place, keyed by login folded to lower case."""
    found: dict[str, Place] = {}
    for programme in course.programmes.values():
        for cohort in programme.cohorts:
            for network in cohort.networks:
                for login in network.learners:
                    found.setdefault(login.casefold(), Place(
                        login, programme.id, cohort.id, network.id, network.coach,
                        programme.credentials))
        for login in programme.learners:
            found.setdefault(login.casefold(), _self_paced(programme, login))
    return found


def _self_paced(programme: Programme, login: str) -> Place:
    return Place(login, programme.id, SELF_PACED, SELF_PACED, " + ".join(programme.coaches),
                 programme.credentials)


def coaches(course: Course) -> set[str]:
    """Every coach the roster names now (programme coaches, network coaches and backups)."""
    found = {c for p in course.programmes.values() for c in p.coaches}
    found |= {login for p in course.programmes.values() for cohort in p.cohorts
              for n in cohort.networks for login in (n.coach, n.backup_coach) if login}
    return {c.casefold() for c in found}
