"""Shared fixtures: a copy of the sample course, and a guard that keeps tests offline."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import git
import pytest

from microcred.content.loader import CEILING_VARIABLE

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


def _is_loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return isinstance(address, (str, bytes))  # a Unix socket path


@pytest.fixture(scope="session", autouse=True)
def _no_course_above_temp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A stray content/ and modules/ in a shared temporary folder must not become every test's course."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CEILING_VARIABLE, str(tmp_path_factory.getbasetemp()))
        yield


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that reaches beyond this machine or could use a real token."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "MICROCRED_GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A fresh, valid copy of the sample course that a test may break."""
    target = tmp_path / "course"
    shutil.copytree(DATA / "course", target)
    return target


@pytest.fixture
def coached(course: Path) -> Path:
    """The sample course with its coaching records (tests/data/coaching) copied in: a
    calendar, an exchange, two log entries and an improvement-community record."""
    for folder in ("content", "coaching"):
        shutil.copytree(DATA / "coaching" / folder, course / folder, dirs_exist_ok=True)
    return course


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    """The sample course committed with its cohort roster, run from inside it, with the tests'
    issuer key; a test module defines its own `repo` where it needs another."""
    from tests.ledger.cohort import SEED, make_course  # cohort imports this module

    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    return make_course(course)
