"""The files sync writes into a network repository: the pinned check workflow keeps the workflow
policy and passes zizmor; the network file names the course and its commit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from microcred.networks.registry import NetworkRecord
from microcred.networks.seed import check_workflow, network_file
from tests.workflows.policy import problems

COMMIT = "0123456789abcdef0123456789abcdef01234567"
RECORD = NetworkRecord("network-high", 3, "instructional-leadership", "cohort-2025",
                       "course.networks/network-high.git", COMMIT, ("tquarshie",),
                       ("coach-sandoval",), (), ())


def test_the_check_workflow_is_pinned_keeps_the_policy_and_passes_zizmor(tmp_path: Path) -> None:
    folder = tmp_path / ".github/workflows"
    folder.mkdir(parents=True)
    path = folder / "microcred-network-check.yml"
    path.write_text(check_workflow(RECORD, "my-org/leadership-course"), encoding="utf-8")
    steps = yaml.safe_load(path.read_text("utf-8"))["jobs"]["check"]["steps"]
    assert steps[0]["with"] == {"repository": "my-org/leadership-course", "ref": COMMIT,
                                "path": "course", "fetch-depth": 0, "persist-credentials": False}
    assert "microcred networks check network-high --root course --repo network" in steps[-1]["run"]
    assert problems(path) == []
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (it is in the test extras)")
    done = subprocess.run([zizmor, "--offline", "--no-progress", str(folder)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_network_file_says_which_course_commit_it_follows() -> None:
    data = yaml.safe_load(network_file(RECORD, "my-org/leadership-course"))
    assert data == {"format": 1, "network": "network-high", "programme": "instructional-leadership",
                    "cohort": "cohort-2025", "course": "my-org/leadership-course",
                    "course_commit": COMMIT}
