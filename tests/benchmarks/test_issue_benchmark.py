"""The issue benchmark's cohort is real: every learner ends with one badge, and a re-run adds none."""

from __future__ import annotations

import pytest
from benchmarks.issue_benchmark import measure, race


def test_a_small_cohort_gets_one_badge_each_and_a_rerun_issues_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", "00" * 32)  # measure() sets its own; restored after
    result = measure(4)
    assert (result["pull_requests"], result["badges_issued"], result["badges_issued_on_rerun"]) == (12, 4, 0)
    # 12 decisions + 12 completions + the status list + 4 status indices + 4 badges + 4 records
    assert result["ledger_commits"] == 37


def test_racing_issuers_all_succeed_and_orphan_no_index() -> None:
    result = race(4, 3)
    assert result["exit_codes"] == [0, 0, 0], result["errors"]
    assert (result["badges_issued"], result["indices_reserved"], result["orphaned_indices"]) == (4, 4, 0)
