"""The synthetic repository of the check benchmark is valid and its pull requests pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.check_benchmark import MODULES, NEWCOMER, STRANGER, check_in_process, make_repo, range_argv

from microcred.content.lint import lint_findings


@pytest.mark.parametrize("mode", ["cohort", "self-paced"])
def test_a_small_synthetic_repository_checks_clean(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "repo"
    make_repo(root, learners=3, mode=mode)

    assert [f.render() for f in lint_findings(root)] == []
    code, printed = check_in_process(["check", "--all", "--root", str(root), "--format", "json"])
    report = json.loads(printed)
    assert (code, report["passed"], len(report["submissions"])) == (0, True, 3 * MODULES)
    code, printed = check_in_process(range_argv(root, NEWCOMER))
    assert code == 0, printed
    assert printed.strip() == "check: 1 submission(s), passed"
    code, printed = check_in_process(range_argv(root, STRANGER))
    assert code == 1, printed
    assert f"not-enrolled: {STRANGER} is not enrolled in the programme" in printed
