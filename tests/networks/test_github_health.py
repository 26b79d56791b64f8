"""`doctor --forge github` checks each network repository on GitHub against the registry."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge import github_settings
from microcred.networks.seed import CHECK_WORKFLOW
from tests.forge.conftest import FAST
from tests.networks.github_setup import GitHubCourse, start

NET_A, NET_B = "course-org/course-net-a", "course-org/course-net-b"


@pytest.fixture
def gh(course_repo: git.Repo, course: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubCourse]:
    monkeypatch.setattr(github_settings, "reader_from_environment",
                        functools.partial(github_settings.reader_from_environment, pacing=FAST))
    for found in start(course, monkeypatch):
        assert main(["networks", "sync", "--forge", "github"]) == 0
        yield found


def network_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["doctor", "--forge", "github"]) in (0, 1)
    return [line for line in capsys.readouterr().out.splitlines() if " network" in line]


def test_synced_networks_are_as_the_registry_says(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    lines = network_lines(capsys)
    assert len(lines) == 2
    assert lines[0].startswith("ok    network net-a: private, 8 collaborator(s) as the registry "
                               "says, main protected, rules at ")


def test_each_drift_is_named_with_its_fix(gh: GitHubCourse,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    org = gh.server.org
    org.access[NET_A].private = False
    world_b = gh.server.repo(NET_B)
    world_b.commit({CHECK_WORKFLOW: b"name: edited\n"})
    capsys.readouterr()
    lines = network_lines(capsys)
    assert "FIX   network net-a: course-org/course-net-a is public" in lines[0]
    assert "run `microcred networks sync --forge github`" in lines[0]
    assert f"network net-b: {CHECK_WORKFLOW} on main is missing or not the one pinned" in lines[1]


def test_collaborators_and_protection_are_compared(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    gh.server.org.access[NET_A].collaborators["stranger"] = "write"
    del gh.server.repo(NET_B).settings.protection["main"]
    capsys.readouterr()
    lines = network_lines(capsys)
    assert "collaborators differ from the registry: stranger not in the roster" in lines[0]
    assert "main is not protected with a reviewed pull request and the check" in lines[1]


def test_a_missing_repository_is_named(gh: GitHubCourse,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    del gh.server.org.worlds[NET_B]
    capsys.readouterr()
    assert "network net-b: course-org/course-net-b is missing" in network_lines(capsys)[1]
