"""Which awards a learner's ledger records unlock. Pure: file names and held badges in, awards out.

Two rules make one completion count more than once:

    shared modules   a module completed for one credential counts in every credential whose
                     edition holds the same module version (same module id, same rubric and
                     evidence requirements: `module_version`)
    stacking         a credential with `requires` is unlocked when the learner holds at least
                     `at_least` of the listed credentials as valid badges (not revoked, not
                     expired; checked by the caller), besides completing its own modules if any

A credential reached through sharing or stacking is awarded at its current version, and only to
a learner who holds no badge of it yet: a badge once issued is never issued twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from microcred.content.assessment import Editions, edition_for
from microcred.content.history import rubric_fingerprint
from microcred.ledger import layout
from microcred.model import Course, Credential
from microcred.roster import enrolled


@dataclass(frozen=True, order=True)
class Award:
    login: str  # lower case, as in ledger paths
    credential: str
    version: str

    def describe(self) -> str:
        return f"{self.login} · {self.credential} v{self.version}"


@dataclass(frozen=True)
class Holdings:
    """One learner's records on the ledger branch, from its file names."""

    login: str
    completions: frozenset[tuple[str, str, str]] = frozenset()  # (credential, version, module)
    badges: frozenset[tuple[str, str]] = frozenset()  # (credential, version), revoked or not
    valid: frozenset[str] = field(default=frozenset())  # credentials held as a valid badge


def holdings(paths: Iterable[str], valid: Mapping[str, frozenset[str]] | None = None
             ) -> dict[str, Holdings]:
    """Each learner's holdings; `valid` (login → credentials held valid) defaults to every
    badge present (what a reader of file names alone can say)."""
    completions: dict[str, set[tuple[str, str, str]]] = {}
    badges: dict[str, set[tuple[str, str]]] = {}
    for path in paths:
        if (completion := layout.parse_completion_path(path)) is not None:
            completions.setdefault(completion[0], set()).add(completion[1:])
        elif (badge := layout.parse_badge_path(path)) is not None:
            badges.setdefault(badge[0], set()).add(badge[1:])
    return {login: Holdings(
        login, frozenset(completions.get(login, ())), frozenset(badges.get(login, ())),
        valid[login] if valid is not None and login in valid
        else frozenset(c for c, _ in badges.get(login, ())) if valid is None else frozenset())
        for login in sorted(set(completions) | set(badges))}


def module_version(edition: Course, module_id: str) -> str:
    """What makes two credentials' module the same: its id, rubric and evidence asked for."""
    module = edition.modules[module_id]
    rubric = edition.rubrics.get(module.rubric)
    shape = [module_id, rubric_fingerprint(rubric) if rubric else module.rubric,
             [(e.id, e.kind, e.file, e.optional) for e in module.evidence]]
    return hashlib.sha256(json.dumps(shape).encode("utf-8")).hexdigest()


def counting_completion(held: Holdings, course: Course, editions: Editions, edition: Course,
                        credential: Credential, module_id: str) -> tuple[str, str, str] | None:
    """The completion that counts for `module_id` of `credential` (its own first, then any
    other credential's with the same module version); None when there is none."""
    own = (credential.id, credential.version, module_id)
    if own in held.completions:
        return own
    wanted = module_version(edition, module_id)
    for cid, version, mid in sorted(held.completions):
        other = edition_for(course, editions, cid, version) if mid == module_id else None
        if other is not None and mid in other.modules and module_version(other, mid) == wanted:
            return cid, version, mid
    return None


def parts_held(held: Holdings, credential: Credential) -> list[str]:
    """The listed parts the learner holds as valid badges, in the credential's order."""
    stack = credential.requires
    return [p for p in stack.credentials if p in held.valid] if stack else []


def is_unlocked(held: Holdings, course: Course, editions: Editions, edition: Course,
                credential: Credential) -> bool:
    """Whether every module of `credential` has a completion that counts and enough parts
    are held."""
    if not all(counting_completion(held, course, editions, edition, credential, m)
               for m in credential.modules):
        return False
    stack = credential.requires
    return stack is None or len(parts_held(held, credential)) >= stack.at_least


def unlocked(held: Holdings, course: Course, editions: Editions) -> list[Award]:
    """The awards `held` unlocks and that have no badge yet."""
    candidates = {(cid, version) for cid, version, _ in held.completions}
    awarded = {cid for cid, _ in held.badges}
    # Reached through a shared module or a stack: only in a programme the learner is in.
    candidates |= {(cid, c.version) for cid, c in course.credentials.items()
                   if cid not in awarded and enrolled(course, held.login, c.programme)}
    found = []
    for cid, version in sorted(candidates - held.badges):
        edition = edition_for(course, editions, cid, version)
        if edition is None or cid not in edition.credentials:
            continue
        if is_unlocked(held, course, editions, edition, edition.credentials[cid]):
            found.append(Award(held.login, cid, version))
    return found
