"""One pull-request scenario on both forges: the same decisions, comment and reviewer requests.

The clone at `course` plays the CI checkout; the forge is either the local one (records in the
same repository) or the fake GitHub over HTTP, validated against GitHub's schemas.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import git
import pytest

from microcred.commands.pr import check_pull_request
from microcred.forge.base import BOT_MARKER, Forge
from microcred.forge.local import LocalForge
from tests.conftest import DATA
from tests.forge.conftest import forge_for, start_github
from tests.helpers import commit_all

FOLDER = "submissions/lea/my-credential/observation"
SHORT_NOTES = b"## Context\nToo short.\n"


class Scenario:
    """A pull request by `lea` on one forge, with a way to push a new revision of a file."""

    def __init__(self, bot: Forge, number: int, push: Callable[[str, bytes], None],
                 requested: Callable[[], list[str]], comments: Callable[[], list[str]]) -> None:
        self.bot, self.number, self.push = bot, number, push
        self.requested, self.comments = requested, comments


def _clone(course: Path) -> git.Repo:
    repo = commit_all(course)
    repo.git.checkout("-b", "pr")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    repo.git.add("--all")
    repo.index.commit("submission")
    return repo


def _local_push(repo: git.Repo, course: Path) -> Callable[[str, bytes], None]:
    def push(path: str, data: bytes) -> None:
        (course / path).write_bytes(data)
        repo.git.add("--all")
        repo.index.commit("revise")
    return push


@pytest.fixture(params=["local", "github"])
def scenario(request: pytest.FixtureRequest, course: Path) -> Iterator[Scenario]:
    repo = _clone(course)
    local_push = _local_push(repo, course)
    if request.param == "local":
        number = LocalForge(repo, "lea").open_pull_request("pr", "main", "Observation", "").number
        bot = LocalForge(repo, "microcred-bot")
        yield Scenario(bot, number, local_push, lambda: bot.requested_reviewers(number),
                       lambda: [c.body for c in bot.list_comments(number)])
        return
    server = start_github()
    try:
        files = {f"{FOLDER}/{p.name}": p.read_bytes() for p in (DATA / "good-submission").iterdir()}
        server.world.commit(files, branch="pr", start="main", author="lea")
        number = server.world.open_pull("lea", "Observation", "", "pr", "main").number

        def push(path: str, data: bytes) -> None:
            local_push(path, data)  # the CI checkout follows the pushed branch
            server.world.commit({path: data}, branch="pr", author="lea")

        yield Scenario(forge_for(server), number, push,
                       lambda: list(server.world.pull(number).requested),
                       lambda: [c.body for c in server.world.comments])
    finally:
        server.close()
    assert server.violations == []


def test_the_same_pull_request_gets_the_same_decisions(scenario: Scenario, course: Path) -> None:
    first = check_pull_request(scenario.bot, course, scenario.number, "pr", ())
    assert first.passed
    assert scenario.requested() == ["coach-ana", "coach-ben"]
    [comment] = scenario.comments()
    assert comment.startswith(BOT_MARKER) and "✅ **All checks passed.**" in comment

    scenario.push(f"{FOLDER}/notes.md", SHORT_NOTES)
    second = check_pull_request(scenario.bot, course, scenario.number, "pr", ())
    assert not second.passed
    assert sorted(f.rule for f in second.all_findings()) == ["headings", "word-count"]
    [comment] = scenario.comments()  # updated in place, never a second comment
    assert "❌ **Some things need fixing**" in comment
