"""The networks as one forge: numbers routed to their repository, files from the course."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.forge.base import ForgeError
from microcred.forge.local import LocalForge
from microcred.networks import local
from microcred.networks.federated import NetworkForges, NetworkSettings
from microcred.networks.registry import SPAN, Registry
from tests.ledger.cohort import first_module_files
from tests.networks.helpers import submit


def forges(course: Path, registry: Registry) -> NetworkForges:
    return NetworkForges(LocalForge(git.Repo(course), "microcred-bot"), registry,
                         lambda r: local.open_network(course, r, "microcred-bot"))


def test_pull_requests_of_two_networks_get_distinct_numbers(
        synced: Registry, course: Path, tmp_path: Path) -> None:
    submit(course, tmp_path, "net-a", "lea", "first-module", first_module_files("lea"))
    submit(course, tmp_path, "net-b", "mae", "first-module", first_module_files("mae"))
    both = forges(course, synced)
    pulls = both.list_pull_requests()
    assert [(p.number, p.author) for p in pulls] == [(SPAN + 1, "lea"), (2 * SPAN + 1, "mae")]
    assert both.get_pull_request(2 * SPAN + 1).head_repo == "course.networks/net-b.git"
    assert both.changed_files(SPAN + 1) == [
        "submissions/lea/my-credential/first-module/reflection.md",
        "submissions/lea/my-credential/first-module/submission.yml"]
    head = pulls[1].head_sha
    assert both.read_file("submissions/mae/my-credential/first-module/submission.yml", head)
    assert both.read_file("mkdocs.yml", "main") is not None  # the course's own files


def test_an_unknown_serial_and_opening_here_are_refused(synced: Registry, course: Path) -> None:
    both = forges(course, synced)
    with pytest.raises(ForgeError, match="no network has serial 7"):
        both.get_pull_request(7 * SPAN + 1)
    with pytest.raises(ForgeError, match="a network's own repository"):
        both.open_pull_request("x", "main", "t", "")


def test_evidence_addresses_name_the_network() -> None:
    settings = NetworkSettings("https://s.example/", "https://github.com/org/course", "main",
                               "microcred-ledger", network_urls=((2, "https://github.com/org/net-b"),))
    assert settings.pull_request_url(2 * SPAN + 5) == "https://github.com/org/net-b/pull/5"
    assert settings.pull_request_url(4) == "https://github.com/org/course/pull/4"
