"""From the roster to the network repositories it asks for: who is in each, who may read and push.

The roster (content/programmes/*.yml) is the one source of truth. A network's repository is
readable and writable by its learners, its coach and backup coach, the programme's designers
and the bot that runs checks; nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcred.errors import ConfigError
from microcred.model import Course

BOT = "microcred-bot"


@dataclass(frozen=True)
class NetworkPlan:
    """One network as the roster describes it."""

    id: str
    programme: str
    cohort: str
    learners: tuple[str, ...]
    coaches: tuple[str, ...]
    designers: tuple[str, ...]

    @property
    def members(self) -> tuple[str, ...]:
        """Everyone who may read and push: learners, coaches, designers and the bot."""
        seen: dict[str, None] = {}
        for login in (*self.learners, *self.coaches, *self.designers, BOT):
            seen.setdefault(login, None)
        return tuple(seen)


def plan_networks(course: Course) -> list[NetworkPlan]:
    """Every network of every cohort, in roster order; network ids must be unique."""
    plans: list[NetworkPlan] = []
    where: dict[str, str] = {}
    for programme in course.programmes.values():
        for cohort in programme.cohorts:
            for net in cohort.networks:
                if net.id in where:
                    raise ConfigError(
                        f"{programme.source or programme.id}: network '{net.id}' is also in "
                        f"{where[net.id]}; give each network an id of its own (it names its "
                        "repository)")
                where[net.id] = f"{programme.id}/{cohort.id}"
                coaches = tuple(c for c in (net.coach, net.backup_coach) if c)
                plans.append(NetworkPlan(net.id, programme.id, cohort.id, tuple(net.learners),
                                         coaches, tuple(programme.designers)))
    return plans


def network_of_learner(plans: list[NetworkPlan], login: str) -> NetworkPlan | None:
    """The network `login` is in today (logins ignore case)."""
    return next((p for p in plans if any(x.casefold() == login.casefold() for x in p.learners)),
                None)
