"""The ledger store behaves the same on the local forge and on (the fake) GitHub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import git
import pytest

from microcred.forge.base import Forge
from microcred.forge.local import LocalForge
from microcred.ledger.store import LedgerError, LedgerStore, blob_sha, dump
from tests.forge.conftest import forge_for, start_github

BRANCH = "microcred-ledger"
RECORD = "ledger/decisions/pr-1.json"


@pytest.fixture(params=["local", "github"])
def forge(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Forge]:
    """A course on `main`, behind either forge; the fake GitHub must keep its contracts."""
    if request.param == "local":
        folder = tmp_path / "course"
        repo = git.Repo.init(folder, initial_branch="main")
        (folder / "README.md").write_text("# Course\n", encoding="utf-8")
        repo.index.add(["README.md"])
        repo.index.commit("course")
        yield LocalForge(repo, "microcred-bot")
        return
    server = start_github()
    try:
        yield forge_for(server)
    finally:
        server.close()
    assert server.violations == []


def test_ensure_creates_the_branch_once_from_the_default_branch(forge: Forge) -> None:
    store = LedgerStore(forge, BRANCH, "main")
    assert not store.exists()
    store.ensure()
    assert store.exists() and forge.branch_sha(BRANCH) == forge.branch_sha("main")
    store.create(RECORD, {"outcome": "complete"}, "Decide #1")
    moved = forge.branch_sha(BRANCH)
    store.ensure()  # already there: untouched
    assert forge.branch_sha(BRANCH) == moved != forge.branch_sha("main")


def test_ensure_without_the_start_branch_says_so(forge: Forge) -> None:
    with pytest.raises(LedgerError, match="cannot create the ledger branch 'microcred-ledger': no "
                       "branch 'trunk' to start it from"):
        LedgerStore(forge, BRANCH, "trunk").ensure()


def test_create_writes_once_and_never_overwrites(forge: Forge) -> None:
    store = LedgerStore(forge, BRANCH, "main")
    store.ensure()
    assert store.create(RECORD, {"outcome": "complete"}, "Decide #1") is True
    assert store.create(RECORD, {"outcome": "not-yet"}, "Decide #1 again") is False
    assert store.read_json(RECORD) == {"outcome": "complete"}
    assert store.read(RECORD) == b'{\n  "outcome": "complete"\n}\n'
    assert forge.read_file(RECORD, "main") is None  # the default branch never sees the ledger


def test_update_reads_modifies_and_writes(forge: Forge) -> None:
    store = LedgerStore(forge, BRANCH, "main")
    store.ensure()
    seen: list[Any] = []

    def count(current: dict[str, Any] | None) -> dict[str, Any]:
        seen.append(current)
        return {"n": (current or {"n": 0})["n"] + 1}

    assert store.update("ledger/status/count.json", count, "count") == {"n": 1}
    assert store.update("ledger/status/count.json", count, "count") == {"n": 2}
    assert seen == [None, {"n": 1}]


def test_update_retries_from_fresh_state_when_someone_wrote_first(forge: Forge) -> None:
    store = LedgerStore(forge, BRANCH, "main")
    store.ensure()
    path = "ledger/status/count.json"
    store.create(path, {"n": 1}, "start")
    seen: list[Any] = []

    def count(current: dict[str, Any] | None) -> dict[str, Any]:
        seen.append(current)
        if len(seen) == 1:  # another writer gets in between this read and this write
            forge.commit_file(path, dump({"n": 10}), BRANCH, "racer", blob_sha(store.read(path) or b""))
        return {"n": (current or {"n": 0})["n"] + 1}

    assert store.update(path, count, "count") == {"n": 11}
    assert seen == [{"n": 1}, {"n": 10}]
    assert store.read_json(path) == {"n": 11}


def test_a_damaged_record_is_named(forge: Forge) -> None:
    store = LedgerStore(forge, BRANCH, "main")
    store.ensure()
    forge.commit_file(RECORD, b"{not json", BRANCH, "damage", None)
    with pytest.raises(LedgerError, match=r"microcred-ledger:ledger/decisions/pr-1.json: not valid JSON"):
        store.read_json(RECORD)
