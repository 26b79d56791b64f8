"""Awards left pending: every module of a credential version complete, and no badge for it.

A pure reading of the ledger's file names, so the issue run (through the forge) and `doctor`
(from a local clone) find the same ones. An award is pending after a run without the signing
key, a run stopped between the last completion and the badge, or a refusal to sign.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from microcred.ledger import layout
from microcred.model import Course


@dataclass(frozen=True, order=True)
class Award:
    login: str  # lower case, as in ledger paths
    credential: str
    version: str

    def describe(self) -> str:
        return f"{self.login} · {self.credential} v{self.version}"


def pending_awards(paths: Iterable[str], course: Course,
                   editions: Mapping[tuple[str, str], Course]) -> list[Award]:
    """The awards whose every module has a completion among `paths` but no badge does."""
    done: dict[Award, set[str]] = {}
    badges = set()
    for path in paths:
        completion = layout.parse_completion_path(path)
        if completion is not None:
            login, credential, version, module = completion
            done.setdefault(Award(login, credential, version), set()).add(module)
        badge = layout.parse_badge_path(path)
        if badge is not None:
            badges.add(Award(*badge))
    return sorted(a for a, modules in done.items()
                  if a not in badges and _every_module(a, modules, course, editions))


def _every_module(award: Award, modules: set[str], course: Course,
                  editions: Mapping[tuple[str, str], Course]) -> bool:
    current = course.credentials.get(award.credential)
    edition = course if current is not None and current.version == award.version else \
        editions.get((award.credential, award.version))
    if edition is None or award.credential not in edition.credentials:
        return False
    return set(edition.credentials[award.credential].modules) <= modules
