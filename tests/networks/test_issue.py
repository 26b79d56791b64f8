"""Issuing from network repositories: decisions and badges in the course's ledger only."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import git
import pytest

from microcred.badge.verify import verify_credential
from microcred.cli import main
from microcred.ledger import layout
from microcred.ledger.snapshot import read_ledger
from microcred.networks import local
from microcred.networks.registry import SPAN, Registry
from tests.badge.test_interop import SCHEMA, VERIFIER, _missing
from tests.ledger.cohort import SITE, first_module_files, observation_files
from tests.networks.helpers import approve, record, submit

FIRST = {"reflection-depth": "proficient"}
OBSERVATION = {"evidence": "proficient", "patterns": "developing"}


def earn(course: Path, tmp: Path, network: str, learner: str, coach: str) -> list[int]:
    """`learner` submits both modules in `network`; `coach` approves and merges each."""
    first = submit(course, tmp, network, learner, "first-module", first_module_files(learner))
    approve(course, network, coach, first, "first-module", FIRST)
    second = submit(course, tmp, network, learner, "observation", observation_files(learner))
    approve(course, network, coach, second, "observation", OBSERVATION)
    return [first, second]


def test_two_networks_pull_requests_become_badges_in_the_course_ledger(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    earn(course, tmp_path, "net-a", "lea", "coach-ana")
    earn(course, tmp_path, "net-b", "mae", "coach-ben")
    assert main(["issue", "--networks", "--all"]) == 0
    out = capsys.readouterr().out
    assert f"#{SPAN + 2} lea · my-credential v0.1.0 · observation: complete" in out
    assert f"#{2 * SPAN + 2} mae · my-credential v0.1.0 · observation: complete" in out
    files = read_ledger(course)
    for learner in ("lea", "mae"):
        badge = json.loads(files[layout.badge_path(learner, "my-credential", "0.1.0")])
        status = json.loads(files[layout.STATUS_LIST])
        assert verify_credential(badge, now=datetime.now(UTC),
                                 status_lists={status["id"]: status}).verified
    assert layout.decision_path(SPAN + 1) in files and layout.decision_path(2 * SPAN + 1) in files
    decision = json.loads(files[layout.decision_path(SPAN + 2)])
    assert decision["evidence"] == "urn:microcred:network:net-a/pull/2"
    for network in ("net-a", "net-b"):  # nothing of the ledger in a network repository
        bare = git.Repo(local.repo_path(course, record(course, network)))
        assert [h.name for h in bare.heads if h.name.startswith("microcred-")] == []


def test_issuing_again_records_nothing_new(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    earn(course, tmp_path, "net-a", "lea", "coach-ana")
    assert main(["issue", "--networks", "--all"]) == 0
    before = read_ledger(course)
    capsys.readouterr()
    assert main(["issue", "--networks", "--all"]) == 0
    assert "was decided before" in capsys.readouterr().out
    assert read_ledger(course) == before


def test_a_coach_of_another_network_cannot_approve(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # coach-ben coaches net-b and is net-a's backup: the roster lets only coach-ana and him
    # approve lea; designer-dee can read and push to net-a but is no coach.
    number = submit(course, tmp_path, "net-a", "lea", "first-module", first_module_files("lea"))
    approve(course, "net-a", "designer-dee", number, "first-module", FIRST)
    assert main(["issue", "--networks", "--all"]) == 0
    assert "not awarded" in capsys.readouterr().out
    assert not any(p.startswith(layout.BADGES) for p in read_ledger(course))


def test_evidence_changed_after_the_check_is_caught_by_the_trusted_recheck(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {**first_module_files("lea"), "reflection.md": "too short\n"}
    number = submit(course, tmp_path, "net-a", "lea", "first-module", files)
    approve(course, "net-a", "coach-ana", number, "first-module", FIRST)
    assert main(["issue", "--networks", "--all"]) == 0
    out = capsys.readouterr().out
    assert "run again with trusted code" in out and "not awarded" in out


@pytest.mark.skipif(bool(_missing()), reason=_missing() or "installed")
def test_a_badge_from_a_network_pull_request_verifies_in_the_independent_verifier(
        synced: Registry, course: Path, tmp_path: Path) -> None:
    earn(course, tmp_path, "net-b", "mae", "coach-ben")
    assert main(["issue", "--networks", "--all"]) == 0
    files = read_ledger(course)
    badge_file, list_file = tmp_path / "badge.json", tmp_path / "list.json"
    badge_file.write_bytes(files[layout.badge_path("mae", "my-credential", "0.1.0")])
    list_file.write_bytes(files[layout.STATUS_LIST])
    done = subprocess.run(["node", str(VERIFIER / "verify.mjs"), str(badge_file), "--status-list",
                           f"{SITE}{layout.STATUS_LIST_URL_PATH}={list_file}", "--schema",
                           str(SCHEMA)], capture_output=True, text=True, timeout=120, check=False)
    assert json.loads(done.stdout) == {"verified": True, "signature": True, "status": True,
                                       "errors": []}, done.stderr
