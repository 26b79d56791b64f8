"""Keep each learner's record on the ledger branch: a signed presentation of all their badges.

Written after every badge the learner is issued (ledger/issuance.py), replacing the one before:
the record is derived from the badges, which stay the source of truth. A badge revoked later
stays inside the record and fails there as it fails alone, since every verifier checks each
badge's own status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from microcred.badge.keys import SigningKey
from microcred.badge.presentation import build_presentation, sign_presentation
from microcred.ledger import layout
from microcred.ledger.store import LedgerStore


def learner_badges(store: LedgerStore, login: str) -> list[dict[str, Any]]:
    """The learner's badges on the ledger branch, in path order (credential, then version)."""
    paths = sorted(p for p in store.forge.list_files(f"{layout.BADGES}/{login.lower()}",
                                                      store.branch)
                   if layout.parse_badge_path(p))
    return [badge for path in paths if (badge := store.read_json(path)) is not None]


def record_domain(site_url: str) -> str:
    """The presentation's `domain`: the site's host (with its port, if any)."""
    return urlsplit(site_url).netloc


def ensure_record(store: LedgerStore, key: Callable[[], SigningKey], site_url: str, login: str,
                  now: datetime) -> bool:
    """Sign the record again when it lacks a badge the learner holds (or is not there yet);
    whether it did. Nothing is signed for a learner with no badge."""
    if not is_stale(store, login):
        return False
    refresh_record(store, key(), site_url, login, now)
    return True


def is_stale(store: LedgerStore, login: str, paths: Iterable[str] | None = None) -> bool:
    """Whether the learner holds a badge their record does not bundle. Badges are never
    removed and the record bundles them all, so counting them is enough; `paths`, a listing of
    the ledger taken earlier in the run, saves listing it again."""
    prefix = f"{layout.BADGES}/{login.lower()}/"
    listed = store.forge.list_files(prefix.rstrip("/"), store.branch) if paths is None else paths
    held = sum(1 for p in listed if p.startswith(prefix) and layout.parse_badge_path(p))
    if not held:
        return False
    current = store.read_json(layout.record_path(login)) or {}
    bundled = current.get("verifiableCredential")
    return not isinstance(bundled, list) or len(bundled) < held


def refresh_record(store: LedgerStore, key: SigningKey, site_url: str, login: str,
                   now: datetime) -> dict[str, Any]:
    """Sign the learner's record afresh from every badge they hold, and store it."""
    unsigned = build_presentation(layout.record_url(site_url, login), key.controller,
                                  learner_badges(store, login))
    record = sign_presentation(unsigned, key, now, record_domain(site_url))
    store.update(layout.record_path(login), lambda _old: record,
                 f"Learner record of {login.lower()}")
    return record
