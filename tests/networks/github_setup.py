"""The test course with its network repositories in a fake GitHub organisation (held to GitHub's
published contracts), `networks sync --forge github` pointed at it, time on a fake clock."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import git
import pytest

from microcred.forge import github, github_admin
from microcred.forge.github_admin import AdminClient, EtagStore, Limits
from microcred.networks.registry import Registry, RegistryStore
from tests.forge.conftest import FAST, TOKENS
from tests.github.clock import FakeClock
from tests.github.server import BOT, TOKEN, FakeGitHub

COURSE = "course-org/course"
PEOPLE = ("lea", "mae", "coach-ana", "coach-ben", "designer-dee")
# a token for each person of the test roster who acts in a network repository
TOKEN_OF = {login: f"ghp_{login.replace('-', '')}TokenForTests".ljust(40, "0") for login in PEOPLE}
LIMITS = Limits(seconds_between_writes=0.8, max_wait=120, secondary_wait=60, retries=3, timeout=5)


@dataclass
class GitHubCourse:
    server: FakeGitHub
    clock: FakeClock
    root: Path

    def push(self) -> None:
        """The course clone's HEAD on GitHub too (what `git push` does), as a commit of the
        same id: the network workflows check the course out there."""
        head = git.Repo(self.root).head.commit.hexsha
        if head not in self.server.world.commits:
            self.server.world.commit({"README.md": b"# Course\n"}, message="course", sha=head)

    def registry(self) -> Registry:
        return RegistryStore(github.GitHubForge(COURSE, TOKEN, self.server.base_url, pacing=FAST,
                                                bot_login=BOT), "main").load()

    def forge(self, repo: str, login: str = BOT) -> github.GitHubForge:
        """`repo`'s forge acting as `login` (the bot, or a person of the roster)."""
        token = TOKEN if login == BOT else TOKEN_OF[login]
        return github.GitHubForge(repo, token, self.server.base_url, pacing=FAST, bot_login=BOT)

    def client(self) -> AdminClient:
        return AdminClient(TOKEN, self.server.base_url, clock=self.clock, limits=LIMITS,
                           etags=EtagStore(self.root / ".git" / "microcred" / "github-etags.json"))


def start(root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubCourse]:
    tokens = {**TOKENS, **{token: login for login, token in TOKEN_OF.items()}}
    server = FakeGitHub(COURSE, tokens=tokens, owners={BOT}).start()
    server.world.commit({"README.md": b"# Course\n"}, message="course")
    clock = FakeClock()
    monkeypatch.setenv("MICROCRED_GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", COURSE)
    monkeypatch.setenv("GITHUB_API_URL", server.base_url)
    monkeypatch.setattr(github, "from_environment",
                        functools.partial(github.from_environment, pacing=FAST))
    monkeypatch.setattr(github_admin, "admin_from_environment", functools.partial(
        github_admin.admin_from_environment, clock=clock, limits=LIMITS))
    found = GitHubCourse(server, clock, root)
    found.push()
    try:
        yield found
    finally:
        server.close()
    assert server.violations == [], server.violations
