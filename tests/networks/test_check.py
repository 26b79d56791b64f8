"""Checks in a network repository use the course's rules at the pin, never the network's copy."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.networks import local
from microcred.networks.registry import Registry
from tests.ledger.cohort import first_module_files, reflection
from tests.networks.helpers import record, submit


def edit_network_rules(course: Path, tmp_path: Path) -> None:
    """A coach of net-a lowers the first module's word count in the network's own copy."""
    rec = record(course, "net-a")
    work = local.clone(course, rec, "coach-ana", tmp_path / "coach")
    module = work.working_dir + "/modules/first-module/module.yml"
    text = Path(module).read_text("utf-8")
    Path(module).write_text(text.replace("min: 150", "min: 10"), encoding="utf-8")
    work.git.commit("-am", "easier")
    local.push(course, rec, "coach-ana", work, "main")


def test_edited_rules_in_the_network_repository_are_ignored(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_network_rules(course, tmp_path)
    files = {**first_module_files("lea"), "reflection.md": reflection(40)}
    number = submit(course, tmp_path, "net-a", "lea", "first-module", files)
    capsys.readouterr()
    assert main(["networks", "check", "net-a", "--pr", str(number), "--as", "microcred-bot"]) == 1
    out = capsys.readouterr().out
    assert "150" in out  # the course's minimum, not the network's 10
    forge = local.open_network(course, record(course, "net-a"), "coach-ana")
    status = forge.get_status(forge.get_pull_request(number).head_sha, "microcred/check")
    assert status is not None and status.state == "failure"


def test_a_good_submission_passes_and_the_workflow_form_gives_the_same(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = submit(course, tmp_path, "net-a", "lea", "first-module", first_module_files("lea"))
    assert main(["networks", "check", "net-a", "--pr", str(number), "--as", "coach-ana"]) == 0
    assert "passed" in capsys.readouterr().out
    clone = git.Repo(tmp_path / "clone-net-a-lea-lea-first-module")
    head = clone.head.commit.hexsha
    assert main(["networks", "check", "net-a", "--repo", str(clone.working_dir), "--base",
                 "origin/main", "--head", head, "--author", "lea"]) == 0


def test_an_outsider_cannot_check_a_networks_pull_request(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = submit(course, tmp_path, "net-a", "lea", "first-module", first_module_files("lea"))
    assert main(["networks", "check", "net-a", "--pr", str(number), "--as", "mae"]) == 2
    assert "mae may not read the repository of network 'net-a'" in capsys.readouterr().err
