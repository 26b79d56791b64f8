"""Read and append ledger files on the ledger branch through a forge, with compare-and-swap.

Every write names the blob it expects to replace (None: the file must not exist yet), so two
issuers racing on the same record cannot both win, and a record once written is never rewritten
unless the caller means to (the status list and the index allocations).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import time
from collections.abc import Callable
from typing import Any

from microcred.errors import MicrocredError
from microcred.forge.base import Conflict, Forge

RETRIES = 30
BACK_OFF = 0.02  # seconds: the most the first retry waits; later ones up to ten times that


class LedgerError(MicrocredError):
    """The ledger could not be read or written."""


def blob_sha(content: bytes) -> str:
    """Git's id of a file with these bytes (what both forges use to guard a write)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def dump(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def back_off(attempt: int) -> None:
    """Wait a random while, longer after each lost race, so racing issuers spread out."""
    time.sleep(random.uniform(0, BACK_OFF * min(attempt + 1, 10)))


class LedgerStore:
    """The ledger branch of one repository, as seen through `forge`."""

    def __init__(self, forge: Forge, branch: str, start_from: str) -> None:
        self.forge, self.branch, self.start_from = forge, branch, start_from

    def ensure(self) -> None:
        """Create the ledger branch from `start_from` (a branch) the first time it is needed."""
        if self.forge.branch_sha(self.branch) is not None:
            return
        start = self.forge.branch_sha(self.start_from)
        if start is None:
            raise LedgerError(f"cannot create the ledger branch '{self.branch}': no branch "
                              f"'{self.start_from}' to start it from")
        with contextlib.suppress(Conflict):  # created by a concurrent issuer: just as good
            self.forge.create_branch(self.branch, start)

    def exists(self) -> bool:
        return self.forge.branch_sha(self.branch) is not None

    def read(self, path: str) -> bytes | None:
        return self.forge.read_file(path, self.branch)

    def read_json(self, path: str) -> dict[str, Any] | None:
        content = self.read(path)
        if content is None:
            return None
        try:
            data = json.loads(content)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LedgerError(f"{self.branch}:{path}: not valid JSON ({exc}); restore it from "
                              "the branch history") from None
        if not isinstance(data, dict):
            raise LedgerError(f"{self.branch}:{path}: expected a JSON object")
        return data

    def create(self, path: str, data: dict[str, Any], message: str) -> bool:
        """Write `path` only if it does not exist yet; False when it already did (nothing written)."""
        for attempt in range(RETRIES):
            if self.read(path) is not None:
                return False  # written before, or by a concurrent issuer first
            try:
                self.forge.commit_file(path, dump(data), self.branch, message, None)
                return True
            except Conflict:
                back_off(attempt)  # the branch kept moving under other writers: try again
        raise LedgerError(f"{self.branch}:{path} could not be written while concurrent writers "
                          "kept moving the branch; run again (nothing was half-written)")

    def update(self, path: str, change: Callable[[dict[str, Any] | None], dict[str, Any]],
               message: str) -> dict[str, Any]:
        """Read-modify-write `path`, retrying from fresh state when someone else wrote first."""
        for attempt in range(RETRIES):
            content = self.read(path)
            current = None if content is None else self.read_json(path)
            new = change(current)
            try:
                self.forge.commit_file(path, dump(new), self.branch, message,
                                       None if content is None else blob_sha(content))
                return new
            except Conflict:
                back_off(attempt)
        raise LedgerError(f"{self.branch}:{path} kept changing under concurrent writers; try again")
