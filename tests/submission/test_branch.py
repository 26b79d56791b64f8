"""A submission's own branch, on real git repositories."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.errors import UsageError
from microcred.submission.branch import commit_folder, known_ref, push, start_branch
from tests.helpers import commit_all


@pytest.fixture
def repo(tmp_path: Path) -> git.Repo:
    (tmp_path / "README.md").write_text("course\n")
    return commit_all(tmp_path)


def test_a_branch_starts_from_the_base_and_carries_the_folder(repo: git.Repo,
                                                              tmp_path: Path) -> None:
    repo.git.switch("-c", "elsewhere")
    (tmp_path / "other.txt").write_text("committed elsewhere")
    repo.git.add("other.txt")
    repo.git.commit("-qm", "elsewhere")
    folder = tmp_path / "submissions/lea/c/m"
    folder.mkdir(parents=True)
    (folder / "notes.md").write_text("## Context\n")
    assert start_branch(repo, "submit/lea/m-1", "main", "submissions/lea/c/m") == "main"
    assert repo.active_branch.name == "submit/lea/m-1"
    assert not (tmp_path / "other.txt").exists()
    assert (folder / "notes.md").read_text() == "## Context\n"
    assert commit_folder(repo, "submissions/lea/c/m", "Submit") is True
    assert commit_folder(repo, "submissions/lea/c/m", "Submit") is False  # nothing new
    assert [c.message for c in repo.iter_commits("main..HEAD")] == ["Submit\n"]


def test_known_ref_takes_the_local_branch_then_the_remote_one(repo: git.Repo) -> None:
    assert known_ref(repo, "main") == "main"
    assert known_ref(repo, "trunk") is None


def test_a_refused_push_says_what_to_do(repo: git.Repo) -> None:
    with pytest.raises(UsageError, match=r"^git could not push main to origin: .*fork it on "
                                         r"GitHub and push to your fork"):
        push(repo, "main")
