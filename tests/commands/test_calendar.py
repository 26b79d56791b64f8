"""`microcred calendar` through main(argv): text, JSON, exit codes and usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli import main


def test_a_learners_calendar_in_text(coached: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["calendar", "--root", str(coached), "--learner", "lea", "--as-of", "2026-10-01"])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        "Cohort one (My programme) as of 2026-10-01, for lea",
        "  2026-10-13  due       one-to-one with coach-ana: last 2026-09-15, every 4 weeks",
        "  2026-10-15  upcoming  First exchange"]


def test_overdue_coaching_exits_1_and_json_says_it(coached: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["calendar", "--root", str(coached), "--cohort", "cohort-one", "--as-of",
                 "2026-11-20", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (data["cohort"], data["learner"], data["as_of"]) == ("cohort-one", "", "2026-11-20")
    assert {"date": "2026-10-13", "state": "overdue", "what": "network", "text":
            "network meeting of net-b (coach-ben): none logged yet, every 6 weeks"} in data["items"]


@pytest.mark.parametrize(("argv", "message"), [
    ([], "error: say whose calendar: --learner LOGIN or --cohort COHORT"),
    (["--cohort", "nope"], "error: no cohort 'nope' (cohorts: cohort-one)"),
    (["--learner", "lea", "--as-of", "1 May"], "error: --as-of '1 May': write the date as YYYY-MM-DD"),
])
def test_usage_errors(coached: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                      message: str) -> None:
    assert main(["calendar", "--root", str(coached), *argv]) == 2
    assert capsys.readouterr().err.strip() == message


def test_a_cohort_without_a_calendar(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "--root", str(course), "--learner", "lea"]) == 2
    assert "cohort 'cohort-one' has no calendar: write content/calendars/cohort-one.yml" in \
        capsys.readouterr().err
