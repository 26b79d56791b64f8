"""Fixtures for the forges: a contract-checked fake GitHub on 127.0.0.1 and a forge talking to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from microcred.forge.github import GitHubForge, Pacing
from tests.github.server import TOKEN, FakeGitHub

REPO = "course-org/course"
LEARNER_TOKEN = "ghp_learnerTokenForTests0123456789abcdef"
COACH_TOKEN = "ghp_coachTokenForTests0123456789abcdefgh"
TOKENS = {TOKEN: "microcred-bot", LEARNER_TOKEN: "lea", COACH_TOKEN: "coach-a"}
# No pauses between requests; rate-limit waits only as long as the server's Retry-After says.
FAST = Pacing(seconds_between_requests=None, seconds_between_writes=None, rate_limit_retries=3,
              max_wait=5, secondary_wait=1, backoff_factor=0, timeout=5)
COURSE = {"README.md": b"# Course\n", "modules/observation/module.yml": b"id: observation\n"}


def start_github(prefix: str = "") -> FakeGitHub:
    server = FakeGitHub(REPO, prefix=prefix, tokens=dict(TOKENS)).start()
    server.world.commit(COURSE, message="course")
    return server


def forge_for(server: FakeGitHub, token: str = TOKEN) -> GitHubForge:
    return GitHubForge(REPO, token, server.base_url, pacing=FAST, bot_login="microcred-bot")


@pytest.fixture
def github_server() -> Iterator[FakeGitHub]:
    """A fake GitHub with the course on `main`; fails the test if any exchange broke a contract."""
    server = start_github()
    try:
        yield server
    finally:
        server.close()
    assert server.violations == []


@pytest.fixture
def github_forge(github_server: FakeGitHub) -> GitHubForge:
    """The GitHub forge, as microcred's bot, against `github_server`."""
    return forge_for(github_server)
