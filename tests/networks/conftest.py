"""A course repository with its network repositories on the local forge (real bare repositories)."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.networks.registry import Registry
from tests.ledger.cohort import SEED, make_course
from tests.networks.helpers import registry_of


@pytest.fixture
def course_repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    return make_course(course)


@pytest.fixture
def synced(course_repo: git.Repo, course: Path) -> Registry:
    """The test course (net-a: lea, leo, lia, lou with coach-ana; net-b: mae... with coach-ben),
    its two network repositories created."""
    assert main(["networks", "sync", "--as", "designer-dee"]) == 0
    return registry_of(course)
