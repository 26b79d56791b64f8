"""`doctor --forge local` checks the network repositories against the registry and the roster."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.cli import main
from microcred.networks import local
from microcred.networks.registry import Registry
from microcred.networks.seed import CHECK_WORKFLOW
from tests.helpers import commit_all, replace
from tests.networks.helpers import record


def doctor(capsys: pytest.CaptureFixture[str]) -> str:
    main(["doctor", "--forge", "local"])
    out, err = capsys.readouterr()
    return out + err


def test_synced_networks_are_ok(synced: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    out = doctor(capsys)
    assert "ok    network net-a: 8 reader(s), rules at" in out
    assert "ok    network net-b:" in out


def test_an_edited_workflow_and_a_stale_roster_are_found(
        synced: Registry, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = record(course, "net-a")
    work = local.clone(course, rec, "coach-ana", tmp_path / "coach")
    workflow = Path(work.working_dir) / CHECK_WORKFLOW
    workflow.write_text(workflow.read_text("utf-8").replace("--author", "--author-x"), "utf-8")
    work.git.commit("-am", "edit the check")
    local.push(course, rec, "coach-ana", work, "main")
    replace(course / "content/programmes/my-programme.yml", "        coach: coach-ben\n        learners",
            "        coach: coach-ben\n        backup_coach: coach-ana\n        learners")
    commit_all(course, "a backup coach for net-b")
    out = doctor(capsys)
    assert f"FIX   network net-a: {CHECK_WORKFLOW} on main is missing or not the one pinned" in out
    assert ("FIX   network net-b: its readers differ from today's roster "
            "(run `microcred networks sync`)") in out
    assert main(["networks", "sync"]) == 0
    assert "ok    network net-b:" in doctor(capsys)
