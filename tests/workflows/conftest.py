"""A pull request as the workflows see it: a clone checked out at the base (trusted), the pull
request's commits beside it as git objects, and the same repository on the fake GitHub.

The fake GitHub mirrors the clone's commits under their real shas, so the event payloads, the
check's report and the API all name the same commits.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import git
import pytest

from microcred.forge import github as github_forge
from tests.conftest import DATA
from tests.forge.conftest import FAST, TOKENS
from tests.github import payloads
from tests.github.server import TOKEN, FakeGitHub
from tests.helpers import commit_all

REPOSITORY = "course-org/course"
LEARNER = "lea"
FORK = f"{LEARNER}/course"
FOLDER = f"submissions/{LEARNER}/my-credential/observation"
COACHES = ["coach-ana", "coach-ben"]


@dataclass
class PullRequest:
    """One pull request: its clone, base and head commits, and its number on the fake GitHub."""

    root: Path
    repo: git.Repo
    base: str
    head: str
    number: int
    server: FakeGitHub
    author: str
    head_repository: str

    def check_event(self, folder: Path, name: str = "pull_request.opened.fork.derived") -> Path:
        """The pull_request (or pull_request_review) event file of this pull request."""
        data = payloads.pull_request_event(
            name, number=self.number, author=self.author, base_sha=self.base, head_sha=self.head,
            repository=REPOSITORY, head_repository=self.head_repository)
        if "review" in data:
            payloads.set_user(data["review"]["user"], COACHES[0], 200)
            data["review"]["commit_id"] = self.head
        return payloads.write(folder, name, data)

    def run_event(self, folder: Path, event: str = "pull_request", head: str | None = None) -> Path:
        """The workflow_run event of the check workflow's run on this pull request."""
        name = "workflow_run.completed.pull_request_fork.derived"
        data = payloads.workflow_run_event(
            name, head_sha=head or self.head, head_branch="pr", repository=REPOSITORY,
            head_repository=self.head_repository, event=event)
        return payloads.write(folder, name, data)

    def comments(self) -> list[str]:
        return [c.body for c in self.server.world.comments if c.number == self.number]

    def requested(self) -> list[str]:
        return list(self.server.world.pull(self.number).requested)


def tree_files(repo: git.Repo, sha: str) -> dict[str, bytes]:
    """Every file of a commit, by path."""
    return {str(b.path): b.data_stream.read() for b in repo.commit(sha).tree.traverse()
            if isinstance(b, git.Blob)}


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    """The fake GitHub, with the environment GitHub Actions gives a job pointing at it."""
    server = FakeGitHub(REPOSITORY, tokens=dict(TOKENS)).start()
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPOSITORY)
    monkeypatch.setenv("GITHUB_API_URL", server.base_url)
    monkeypatch.setenv("MICROCRED_BOT_LOGIN", "microcred-bot")
    # No pauses between requests: the fake GitHub has no rate limits to respect.
    monkeypatch.setattr(github_forge, "from_environment",
                        functools.partial(github_forge.from_environment, pacing=FAST))
    try:
        yield server
    finally:
        server.close()
    assert server.violations == []


@pytest.fixture
def actions_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The step summary file of a GitHub Actions job (annotations are asked for with --format)."""
    summary = tmp_path / "step-summary.md"
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary


def open_pull_request(course: Path, server: FakeGitHub, changes: dict[str, bytes | None],
                      author: str = LEARNER, fork: bool = True) -> PullRequest:
    """Commit a good submission plus `changes` on a branch, open it as a pull request on the
    fake GitHub (from a fork unless `fork` is false), and leave the clone at the base."""
    repo = commit_all(course)
    base = repo.head.commit.hexsha
    repo.git.checkout("-b", "pr")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    for path, data in changes.items():
        target = course / path
        if data is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    repo.git.add("--all")
    head = repo.index.commit("submission").hexsha
    repo.git.checkout("main")
    world = server.world
    world.commit(dict(tree_files(repo, base)), sha=base, message="course")
    head_repo = world.fork(author) if fork else world.repo
    old, new = tree_files(repo, base), tree_files(repo, head)
    files: dict[str, bytes | None] = {**dict.fromkeys(old.keys() - new.keys()), **new}
    world.commit(files, branch="pr", author=author, repo=head_repo, start="main", sha=head)
    number = world.open_pull(author, "Observation", "", f"{author}:pr" if fork else "pr",
                             "main").number
    return PullRequest(course, repo, base, head, number, server, author,
                       head_repo.full_name)
