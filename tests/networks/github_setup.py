"""The test course with its network repositories in a fake GitHub organisation (held to GitHub's
published contracts), `networks sync --forge github` pointed at it, time on a fake clock."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from microcred.forge import github, github_admin
from microcred.forge.github_admin import AdminClient, EtagStore, Limits
from microcred.networks.registry import Registry, RegistryStore
from tests.forge.conftest import FAST, TOKENS
from tests.github.clock import FakeClock
from tests.github.server import BOT, TOKEN, FakeGitHub

COURSE = "course-org/course"
LIMITS = Limits(seconds_between_writes=0.8, max_wait=120, secondary_wait=60, retries=3, timeout=5)


@dataclass
class GitHubCourse:
    server: FakeGitHub
    clock: FakeClock
    root: Path

    def registry(self) -> Registry:
        return RegistryStore(github.GitHubForge(COURSE, TOKEN, self.server.base_url, pacing=FAST,
                                                bot_login=BOT), "main").load()

    def client(self) -> AdminClient:
        return AdminClient(TOKEN, self.server.base_url, clock=self.clock, limits=LIMITS,
                           etags=EtagStore(self.root / ".git" / "microcred" / "github-etags.json"))


def start(root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubCourse]:
    server = FakeGitHub(COURSE, tokens=dict(TOKENS), owners={BOT}).start()
    server.world.commit({"README.md": b"# Course\n"}, message="course")
    clock = FakeClock()
    monkeypatch.setenv("MICROCRED_GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", COURSE)
    monkeypatch.setenv("GITHUB_API_URL", server.base_url)
    monkeypatch.setattr(github, "from_environment",
                        functools.partial(github.from_environment, pacing=FAST))
    monkeypatch.setattr(github_admin, "admin_from_environment", functools.partial(
        github_admin.admin_from_environment, clock=clock, limits=LIMITS))
    try:
        yield GitHubCourse(server, clock, root)
    finally:
        server.close()
    assert server.violations == [], server.violations
