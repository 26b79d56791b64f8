"""Moving a learner, adding a network, archiving a cohort: nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.ledger import layout
from microcred.ledger.snapshot import read_ledger
from microcred.networks import local
from microcred.networks.registry import SPAN, Registry
from tests.helpers import commit_all
from tests.ledger.cohort import first_module_files, observation_files
from tests.networks.helpers import approve, record, registry_of, submit
from tests.networks.test_issue import FIRST, OBSERVATION


def test_a_learner_moved_midway_keeps_history_and_decisions_and_earns_the_badge(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # mae leaves net-b (coach-ben) for net-a (coach-ana) halfway through the credential.
    first = submit(course, tmp_path, "net-b", "mae", "first-module", first_module_files("mae"))
    approve(course, "net-b", "coach-ben", first, "first-module", FIRST)
    assert main(["issue", "--networks", "--all"]) == 0

    assert main(["networks", "move", "mae", "--to", "net-a", "--as", "designer-dee"]) == 0
    out = capsys.readouterr().out
    assert "mae: moved net-b -> net-a; evidence copied, pull requests stay in net-b" in out
    net_a, net_b = record(course, "net-a"), record(course, "net-b")
    assert "mae" in net_b.former and "mae" not in net_b.readers and "mae" in net_a.learners
    with pytest.raises(local.AccessDenied):
        local.open_network(course, net_b, "mae")
    moved = "submissions/mae/my-credential/first-module/reflection.md"
    assert git.Repo(local.repo_path(course, net_a)).git.show(f"main:{moved}")
    assert local.open_network(course, net_b, "coach-ben").get_pull_request(first).state == "merged"

    second = submit(course, tmp_path, "net-a", "mae", "observation", observation_files("mae"))
    approve(course, "net-a", "coach-ana", second, "observation", OBSERVATION)
    assert main(["issue", "--networks", "--all"]) == 0
    files = read_ledger(course)
    badge = json.loads(files[layout.badge_path("mae", "my-credential", "0.1.0")])
    evidence = [e["id"] for e in badge["evidence"]]
    assert evidence == ["urn:microcred:network:net-b/pull/1", "urn:microcred:network:net-a/pull/1"]
    assert json.loads(files[layout.decision_path(2 * SPAN + first)])["approver"] == "coach-ben"


def test_a_network_added_mid_year_gets_a_new_serial_and_its_repository(
        synced: Registry, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newcomers = ["nia", "ned", "noa", "nox"]
    assert main(["networks", "add", "net-c", "--cohort", "cohort-one", "--coach", "coach-ana",
                 *[arg for login in newcomers for arg in ("--learner", login)],
                 "--as", "designer-dee"]) == 0
    out = capsys.readouterr().out
    assert "net-c: created" in out
    registry = registry_of(course)
    assert [(n.id, n.serial) for n in registry.networks] == [("net-a", 1), ("net-b", 2),
                                                            ("net-c", 3)]
    roster = (course / "content/programmes/my-programme.yml").read_text("utf-8")
    assert "- id: net-c" in roster  # committed on main, and the clean checkout follows
    assert main(["lint"]) == 0


def test_archiving_a_cohort_makes_its_repositories_read_only_and_loses_nothing(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = submit(course, tmp_path, "net-a", "lea", "first-module", first_module_files("lea"))
    approve(course, "net-a", "coach-ana", number, "first-module", FIRST)
    assert main(["networks", "archive", "cohort-one", "--as", "designer-dee"]) == 0
    assert "net-a: archived" in capsys.readouterr().out
    net_a = record(course, "net-a")
    clone = local.clone(course, net_a, "lea", tmp_path / "after")  # still readable
    with pytest.raises(local.AccessDenied, match="archived: read only"):
        local.push(course, net_a, "lea", clone, "lea/more")
    pinned = net_a.course_commit
    commit_all(course, "a later change")  # an empty commit is enough to move the pin
    assert main(["networks", "sync"]) == 0  # the roster does not bring it back
    assert "net-a: archived; left as it is" in capsys.readouterr().out
    assert (record(course, "net-a").state, record(course, "net-a").course_commit) == (
        "archived", pinned)
    assert main(["issue", "--networks", "--all"]) == 0
    assert layout.decision_path(SPAN + number) in read_ledger(course)


def test_a_move_to_an_unknown_network_or_one_leaving_a_network_too_small_changes_nothing(
        synced: Registry, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = git.Repo(course).head.commit.hexsha
    assert main(["networks", "move", "lea", "--to", "net-z"]) == 2
    assert capsys.readouterr().err.splitlines()[:2] == [
        "error: Move lea to network net-z: no programme file takes the change, so nothing was "
        "changed:",
        "  content/programmes/my-programme.yml: lea is there, but no network 'net-z' is (its "
        "networks: net-a, net-b)"]
    assert main(["networks", "move", "lea", "--to", "net-b"]) == 2
    err = capsys.readouterr().err
    assert "network 'net-a' has 3 learners, fewer than 4" in err and "nothing was changed" in err
    assert git.Repo(course).head.commit.hexsha == head
    assert record(course, "net-a").learners == ("lea", "leo", "lia", "lou")
