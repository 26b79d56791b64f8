"""The ledger's revocation list: status indices handed out once, the signed list, revocations.

`ledger/status/allocations.json` maps every badge id to its index in the Bitstring Status List
(`{"format": 1, "next": n, "badges": {id: {"index": i, "path": p}}}`); `ledger/status/
revocation.json` is the signed list the site publishes. Both change only by compare-and-swap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcred.badge.keys import SigningKey
from microcred.badge.sign import xsd_datetime
from microcred.badge.status import DEFAULT_LENGTH, create_status_list, is_set, update_status_list
from microcred.ledger import layout
from microcred.ledger.store import LedgerError, LedgerStore


@dataclass(frozen=True)
class Allocation:
    index: int
    path: str  # the badge's file on the ledger branch


@dataclass(frozen=True)
class RevokeResult:
    badge_id: str
    allocation: Allocation
    already: bool  # the bit was set before: nothing changed in the list
    record: str  # where the ledger keeps why (the first reason given stands)


class _AlreadySet(Exception):
    """The bit is set in the list as it stands now: there is nothing to write."""


def reserve_index(store: LedgerStore, path: str, new_id: str) -> tuple[str, int]:
    """The badge id and status index for the badge at `path`: `new_id` and the next free index
    the first time, the same pair on every later call.

    The reservation is the journal entry of an award: a run interrupted after it, or beaten to
    the badge by a concurrent issuer, leaves no orphaned index, since whoever signs the badge
    at `path` next signs it with this id and index.
    """
    def change(current: dict[str, Any] | None) -> dict[str, Any]:
        data = current or {"format": 1, "next": 0, "badges": {}}
        if _reserved(data, path) is None:
            if data["next"] >= DEFAULT_LENGTH:
                raise LedgerError(f"the status list is full ({DEFAULT_LENGTH} badges); start a "
                                  "second list before issuing more")
            data["badges"][new_id] = {"index": data["next"], "path": path}
            data["next"] += 1
        return data

    current = store.read_json(layout.ALLOCATIONS)
    found = _reserved(current, path) if current else None
    if found is None:  # only a new reservation is a write
        found = _reserved(store.update(layout.ALLOCATIONS, change, f"Status index for {path}"), path)
    assert found is not None
    return found


def allocate_index(store: LedgerStore, badge_id: str, path: str) -> int:
    """The status index reserved for the badge at `path` (under `badge_id` if it is the first)."""
    return reserve_index(store, path, badge_id)[1]


def _reserved(data: dict[str, Any], path: str) -> tuple[str, int] | None:
    """The reservation for `path`: its id and index, if that index is its alone."""
    mine = [(bid, int(e["index"])) for bid, e in data["badges"].items() if e.get("path") == path]
    if not mine:
        return None
    taken = [int(e["index"]) for e in data["badges"].values()]
    # An index shared with another badge (a hand-edited file) would revoke both at once.
    return next(((bid, i) for bid, i in mine if taken.count(i) == 1 and i < data["next"]), None)


def ensure_status_list(store: LedgerStore, key: SigningKey, list_url: str,
                       now: datetime) -> dict[str, Any]:
    """The signed status list, created (every bit clear) the first time a badge needs it."""
    existing = store.read_json(layout.STATUS_LIST)
    if existing is not None:
        return existing
    created = create_status_list(list_url, key, now)
    if not store.create(layout.STATUS_LIST, created, "Create the revocation status list"):
        existing = store.read_json(layout.STATUS_LIST)  # a concurrent issuer created it first
        if existing is not None:
            return existing
    return created


def allocation_of(store: LedgerStore, badge_id: str) -> Allocation:
    """Where `badge_id` sits in the status list and in the ledger; LedgerError if it was never issued."""
    allocations = store.read_json(layout.ALLOCATIONS) or {"badges": {}}
    entry = allocations["badges"].get(badge_id)
    if entry is None:
        raise LedgerError(f"{badge_id}: no badge with this id in the ledger on '{store.branch}'; "
                          "copy the id from the badge's \"id\" field")
    return Allocation(int(entry["index"]), str(entry.get("path", "")))


def revoke(store: LedgerStore, key: SigningKey, badge_id: str, reason: str, actor: str,
           now: datetime) -> RevokeResult:
    """Set the badge's bit in the signed list and record why; revoking twice changes nothing."""
    if not store.exists():
        raise LedgerError(f"there is no ledger branch '{store.branch}': no badge was issued here, "
                          "so there is nothing to revoke (is --ledger-branch right?)")
    allocation = allocation_of(store, badge_id)
    index = allocation.index
    current = store.read_json(layout.STATUS_LIST)
    if current is None:
        raise LedgerError(f"the ledger on '{store.branch}' has no status list; nothing to revoke")
    if current.get("issuer") != key.controller:
        raise LedgerError(f"the status list is issued by {current.get('issuer')}, but the key "
                          f"given is {key.controller}; revoke with the issuer's key")
    already = is_set(current, index) or _set_bit(store, key, index, badge_id, now)
    # Written after the bit, and also when the bit was already set: a revocation interrupted
    # between the two writes gets its record on the next try.
    record = layout.revocation_path(badge_id)
    store.create(record, {
        "format": 1, "kind": "revocation", "badge": badge_id, "reason": reason,
        "revoked_by": actor, "revoked": xsd_datetime(now)}, f"Why {badge_id} was revoked")
    return RevokeResult(badge_id, allocation, already, record)


def _set_bit(store: LedgerStore, key: SigningKey, index: int, badge_id: str, now: datetime) -> bool:
    """Set bit `index` and re-sign the list; True when a concurrent revocation set it first."""
    def change(listed: dict[str, Any] | None) -> dict[str, Any]:
        if listed is None:
            raise LedgerError("the status list disappeared while revoking; try again")
        if is_set(listed, index):
            raise _AlreadySet
        return update_status_list(listed, index, True, key, now)

    try:
        store.update(layout.STATUS_LIST, change, f"Revoke {badge_id}")
    except _AlreadySet:
        return True
    return False
