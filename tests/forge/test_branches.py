"""Branch operations on both forges (the ledger branch needs them): read a head, create a branch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import git
import pytest

from microcred.forge.base import Conflict, Forge, ForgeError
from microcred.forge.local import LocalForge
from tests.forge.conftest import forge_for, start_github
from tests.github.server import FakeGitHub


def local_repo(folder: Path) -> git.Repo:
    repo = git.Repo.init(folder, initial_branch="main")
    (folder / "README.md").write_text("# Course\n", encoding="utf-8")
    repo.index.add(["README.md"])
    repo.index.commit("course")
    return repo


@pytest.fixture(params=["local", "github"])
def forge(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Forge]:
    """The same course on `main`, behind either forge; the fake GitHub must keep its contracts."""
    if request.param == "local":
        yield LocalForge(local_repo(tmp_path / "course"), "microcred-bot")
        return
    server: FakeGitHub = start_github()
    try:
        yield forge_for(server)
    finally:
        server.close()
    assert server.violations == []


def test_a_missing_branch_has_no_sha_until_it_is_created(forge: Forge) -> None:
    main = forge.branch_sha("main")
    assert main is not None and len(main) == 40
    assert forge.branch_sha("microcred-ledger") is None
    forge.create_branch("microcred-ledger", main)
    assert forge.branch_sha("microcred-ledger") == main
    assert forge.read_file("README.md", "microcred-ledger") == forge.read_file("README.md", "main")


def test_a_branch_name_with_slashes(forge: Forge) -> None:
    main = forge.branch_sha("main") or ""
    assert forge.branch_sha("ledger/2025") is None
    forge.create_branch("ledger/2025", main)
    assert forge.branch_sha("ledger/2025") == main
    assert forge.branch_sha("ledger") is None  # a prefix of a branch is not a branch


def test_creating_an_existing_branch_is_a_conflict(forge: Forge) -> None:
    main = forge.branch_sha("main") or ""
    forge.create_branch("microcred-ledger", main)
    with pytest.raises(Conflict):
        forge.create_branch("microcred-ledger", main)
    with pytest.raises(Conflict):
        forge.create_branch("main", main)


def test_a_branch_at_an_unknown_commit_is_refused() -> None:
    server = start_github()
    try:
        with pytest.raises(ForgeError) as caught:
            forge_for(server).create_branch("microcred-ledger", "0" * 40)
        assert not isinstance(caught.value, Conflict)
        assert str(caught.value) == ("create branch microcred-ledger: GitHub answered 422: "
                                     "Object does not exist")
        assert [s.status for s in server.calls("git/create-ref")] == [422]
    finally:
        server.close()
    assert server.violations == []


def test_github_is_asked_for_the_exact_ref() -> None:
    server = start_github()
    try:
        forge_for(server).branch_sha("microcred-ledger")
        [seen] = server.calls("git/get-ref")
        assert (seen.method, seen.path, seen.status) == (
            "GET", "/repos/course-org/course/git/ref/heads/microcred-ledger", 404)
    finally:
        server.close()
    assert server.violations == []
