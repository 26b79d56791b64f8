"""The ledger's revocation list: status indices handed out once, the signed list, revocations.

`ledger/status/allocations.json` maps every badge id to its index in the Bitstring Status List
(`{"format": 1, "next": n, "badges": {id: {"index": i, "path": p}}}`); `ledger/status/
revocation.json` is the signed list the site publishes. Both change only by compare-and-swap.

The signed list never goes back: each version is valid from a later second than the one it
replaces (`badge.status.sequence`), and whoever signs a new one first compares the list on the
branch with the newest version in the branch's history that the issuer signed (`newest_list`).
A list put back as it was before a revocation is older than that: it is replaced by the newest
version with every bit either of them sets, re-signed, before anything else is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from microcred.badge import BadgeError
from microcred.badge.keys import SigningKey, did_web_document
from microcred.badge.sign import xsd_datetime
from microcred.badge.status import (
    DEFAULT_LENGTH,
    create_status_list,
    encode_list,
    is_set,
    newer,
    read_bits,
    resign_status_list,
    sequence,
    union,
    update_status_list,
)
from microcred.badge.verify import Context, check_signature, issuer_id
from microcred.content.loader import find_root
from microcred.errors import ConfigError
from microcred.ledger import layout
from microcred.ledger.snapshot import file_versions, read_ledger
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
    restored: str = ""  # the validFrom of a newer list the one on the branch had been rolled back from


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


def newest_list(versions: Sequence[dict[str, Any]], issuer: str,
                did_documents: Mapping[str, Mapping[str, Any]] | None = None,
                now: datetime | None = None) -> dict[str, Any] | None:
    """The newest of `versions` (by validFrom) whose signature is `issuer`'s; None if none is."""
    context = Context(now or datetime.now(UTC), did_documents=did_documents or {})
    dated = []
    for version in versions:
        try:
            dated.append((sequence(version), version))
        except BadgeError:
            continue
    for _, version in sorted(dated, key=lambda pair: pair[0], reverse=True):
        if issuer_id(version) == issuer and check_signature(version, context).passed:
            return version
    return None


def history_of(versions: Sequence[bytes]) -> list[dict[str, Any]]:
    """The versions of the status list that are JSON objects (what `snapshot.file_versions` read)."""
    return [data for _, data in parsed_versions(versions)]


def parsed_versions(versions: Sequence[bytes]) -> list[tuple[bytes, dict[str, Any]]]:
    """Each version that is a JSON object, with its bytes; the others are left out."""
    found = []
    for raw in versions:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            continue
        if isinstance(data, dict):
            found.append((raw, data))
    return found


def status_list_history(root: Path, branch: str | None = None) -> list[dict[str, Any]]:
    """Every version of the signed list in the ledger branch's history in the local clone."""
    return history_of(file_versions(root, layout.STATUS_LIST, branch))


def _floor(history: Sequence[dict[str, Any]], key: SigningKey) -> dict[str, Any] | None:
    """The newest list in the history that this key signed: no list signed later may be older."""
    documents = {key.controller: did_web_document(key)} if key.controller.startswith("did:web:") else {}
    return newest_list(history, key.controller, documents)


def _rolled_back(listed: dict[str, Any] | None, floor: dict[str, Any] | None) -> bool:
    """Whether the list on the branch must give way to `floor`, the newest the key signed: it is
    gone, older, or not that issuer's signed list at all (put there by someone else)."""
    if floor is None:
        return False
    if listed is None:
        return True
    try:
        if newer(floor, listed):
            return True
    except BadgeError:
        return True
    return newest_list([listed], issuer_id(floor)) is None


def ensure_status_list(store: LedgerStore, key: SigningKey, list_url: str, now: datetime,
                       history: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The signed status list, created (every bit clear) the first time a badge needs it.

    A list older than the newest in `history` (the branch's earlier versions), or none where
    the history has one, is restored first: nothing is issued on top of a rolled-back list.
    """
    floor = _floor(history, key)
    existing = store.read_json(layout.STATUS_LIST)
    if existing is not None and not _rolled_back(existing, floor):
        return existing
    if floor is not None:
        return store.update(layout.STATUS_LIST, lambda listed: _restored(listed, floor, key, now),
                            "Restore the newest signed status list (an older one had been put back)")
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


def is_revoked(store: LedgerStore, badge_id: str) -> bool:
    """Whether the ledger's status list has `badge_id`'s bit set."""
    listed = store.read_json(layout.STATUS_LIST)
    return listed is not None and is_set(listed, allocation_of(store, badge_id).index)


def _restored(listed: dict[str, Any] | None, floor: dict[str, Any], key: SigningKey,
              now: datetime) -> dict[str, Any]:
    """The newest list again, with the bits of the one on the branch too, signed anew."""
    if listed is not None and not _rolled_back(listed, floor):
        return listed  # restored meanwhile by a concurrent writer
    return resign_status_list(floor, _restored_bits(listed, floor), key, now)


def _restored_bits(listed: dict[str, Any] | None, floor: dict[str, Any]) -> bytearray:
    """The floor's bits, with those of the list on the branch when the same issuer signed it
    (a revocation made on top of the older list stands; another key's bits never count)."""
    if listed is None or newest_list([listed], issuer_id(floor)) is None:
        return read_bits(floor)
    try:
        return union(floor, listed)
    except BadgeError:  # a list of another length: the issuer's newest stands alone
        return read_bits(floor)


def revoke(store: LedgerStore, key: SigningKey, badge_id: str, reason: str, actor: str,
           now: datetime, history: Sequence[dict[str, Any]] = ()) -> RevokeResult:
    """Set the badge's bit in the signed list and record why; revoking twice changes nothing.

    `history` holds the list's earlier versions on the branch: a list rolled back from a newer
    one is restored (every bit either sets) in the same write.
    """
    if not store.exists():
        raise LedgerError(f"there is no ledger branch '{store.branch}': no badge was issued here, "
                          "so there is nothing to revoke (is --ledger-branch right?)")
    allocation = allocation_of(store, badge_id)
    index = allocation.index
    current = store.read_json(layout.STATUS_LIST)
    floor = _floor(history, key)
    if current is None and floor is None:
        raise LedgerError(f"the ledger on '{store.branch}' has no status list; nothing to revoke")
    restored = sequence(floor) if floor is not None and _rolled_back(current, floor) else None
    listed: dict[str, Any] = (floor if restored is not None else current) or {}
    if listed.get("issuer") != key.controller:
        raise LedgerError(f"the status list is issued by {listed.get('issuer')}, but the key "
                          f"given is {key.controller}; revoke with the issuer's key")
    if restored is not None:  # re-signed in any case: the newest list comes back with the bit
        already = _set_bit(store, key, index, badge_id, now, floor)
    else:
        already = is_set(listed, index) or _set_bit(store, key, index, badge_id, now)
    # Written after the bit, and also when the bit was already set: a revocation interrupted
    # between the two writes gets its record on the next try.
    record = layout.revocation_path(badge_id)
    store.create(record, {
        "format": 1, "kind": "revocation", "badge": badge_id, "reason": reason,
        "revoked_by": actor, "revoked": xsd_datetime(now)}, f"Why {badge_id} was revoked")
    return RevokeResult(badge_id, allocation, already, record,
                        xsd_datetime(restored) if restored is not None else "")


def _set_bit(store: LedgerStore, key: SigningKey, index: int, badge_id: str, now: datetime,
             floor: dict[str, Any] | None = None) -> bool:
    """Set bit `index` and re-sign the list; True when it was set already (nothing to restore)."""
    def change(listed: dict[str, Any] | None) -> dict[str, Any]:
        if floor is not None and _rolled_back(listed, floor):
            base = {**floor, "credentialSubject": {
                **floor["credentialSubject"], "encodedList": encode_list(_restored_bits(listed, floor))}}
            return update_status_list(base, index, True, key, now)
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


def ledger_status_lists(root: Path | None) -> dict[str, list[dict[str, Any]]]:
    """The ledger's status list in the local clone, then its earlier versions, by its URL;
    empty outside a course."""
    try:
        found = find_root(root or Path.cwd())
    except ConfigError:
        if root is not None:
            raise
        return {}
    raw = read_ledger(found).get(layout.STATUS_LIST)
    if raw is None:
        return {}
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{layout.branch()}:{layout.STATUS_LIST}: not valid JSON ({exc}); "
                          "restore it from the branch history") from None
    if not isinstance(data, dict) or "id" not in data:
        return {}
    history = [v for v in status_list_history(found) if v.get("id") == data["id"]]
    return {str(data["id"]): [data, *history]}
