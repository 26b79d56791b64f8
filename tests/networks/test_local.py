"""Access on the local forge: the API layer lets only a network's members read or push."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.networks import local
from microcred.networks.registry import Registry
from tests.ledger.cohort import first_module_files
from tests.networks.helpers import record, submit


def test_a_learner_cannot_read_or_push_another_networks_repository(
        synced: Registry, course: Path, tmp_path: Path) -> None:
    net_b = record(course, "net-b")
    with pytest.raises(local.AccessDenied, match="lea may not read the repository of network 'net-b'"):
        local.open_network(course, net_b, "lea")
    with pytest.raises(local.AccessDenied, match="lea may not read"):
        local.clone(course, net_b, "lea", tmp_path / "peek")
    assert not (tmp_path / "peek").exists()
    mine = local.clone(course, record(course, "net-a"), "lea", tmp_path / "mine")
    with pytest.raises(local.AccessDenied, match="lea may not push to the repository of network 'net-b'"):
        local.push(course, net_b, "lea", mine, "main")


def test_members_read_and_push_and_open_pull_requests(
        synced: Registry, course: Path, tmp_path: Path) -> None:
    number = submit(course, tmp_path, "net-a", "lea", "first-module", first_module_files("lea"))
    coach = local.open_network(course, record(course, "net-a"), "coach-ana")
    assert coach.get_pull_request(number).author == "lea"
    with pytest.raises(local.AccessDenied):
        local.open_network(course, record(course, "net-a"), "mae")


def test_learners_push_branches_not_main(synced: Registry, course: Path, tmp_path: Path) -> None:
    mine = local.clone(course, record(course, "net-a"), "lea", tmp_path / "mine")
    with pytest.raises(local.AccessDenied, match="open a pull request from a branch"):
        local.push(course, record(course, "net-a"), "lea", mine, "main")
