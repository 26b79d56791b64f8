"""The revoked-part rule: which stacked badges fall with a revoked part.

A stacked badge names each part badge it counted in its evidence (the part's `urn:uuid:` id).
When a part is revoked, every badge of the same learner that counted it is revoked too, unless
the parts it counted that are still unrevoked number at least the credential's `at_least`
(a "3 of 4" credential survives losing one of four parts). The rule repeats up the stack: a
revoked stacked badge may itself be a part of a higher one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from microcred.ledger import layout
from microcred.ledger.statuslist import allocation_of
from microcred.ledger.store import LedgerError, LedgerStore
from microcred.model import Credential

Revoked = Callable[[str], bool]


def parts_counted(badge: Mapping[str, Any]) -> list[str]:
    """The ids of the part badges a stacked badge counted (its badge-id evidence)."""
    evidence = badge.get("evidence")
    return [str(e["id"]) for e in evidence if isinstance(e, dict)
            and str(e.get("id", "")).startswith("urn:uuid:")] if isinstance(evidence, list) else []


def falling_with(store: LedgerStore, credentials: Mapping[str, Credential], badge_id: str,
                 revoked: Revoked) -> list[str]:
    """The badges to revoke because `badge_id` is (`revoked` says which are already), nearest
    first; the part itself is not listed."""
    falling: list[str] = []
    queue = [badge_id]
    while queue:
        part = queue.pop(0)
        for stacked, parts in _stacked_on(store, part).items():
            if stacked in falling or revoked(stacked):
                continue
            gone = set(falling) | {badge_id}
            left = [p for p in parts if p not in gone and not revoked(p)]
            if len(left) < _at_least(store, credentials, stacked, len(parts)):
                falling.append(stacked)
                queue.append(stacked)
    return falling


def _stacked_on(store: LedgerStore, part: str) -> dict[str, list[str]]:
    """The same learner's badges that counted `part`: badge id → the parts it counted."""
    login = _login_of(store, part)
    found = {}
    for path in store.forge.list_files(f"{layout.BADGES}/{login}", store.branch):
        badge = store.read_json(path) if layout.parse_badge_path(path) else None
        if badge is not None and part in (parts := parts_counted(badge)):
            found[str(badge["id"])] = parts
    return found


def _login_of(store: LedgerStore, badge_id: str) -> str:
    parsed = layout.parse_badge_path(allocation_of(store, badge_id).path)
    if parsed is None:
        raise LedgerError(f"{badge_id}: the ledger's allocation names no badge file")
    return parsed[0]


def _at_least(store: LedgerStore, credentials: Mapping[str, Credential], badge_id: str,
              counted: int) -> int:
    """How many parts the stacked credential needs; every counted one when it is no longer
    in the course (the strict reading)."""
    parsed = layout.parse_badge_path(allocation_of(store, badge_id).path)
    credential = credentials.get(parsed[1]) if parsed else None
    return credential.requires.at_least if credential and credential.requires else counted
