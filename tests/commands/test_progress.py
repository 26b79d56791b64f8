"""`microcred progress` on a real repository: exit codes, formats, messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from microcred.cli import main
from tests.analytics.history import year_copy

AS_OF = "2026-09-13T09:00:00Z"


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return year_copy(tmp_path_factory)


def run(year: Path, *args: str) -> int:
    return main(["progress", "--root", str(year), "--as-of", AS_OF, "--inactive-weeks", "1", *args])


def test_csv_has_one_row_per_learner_and_module(year: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(year, "--format", "csv") == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 18  # 9 learners x 2 modules
    maxs = next(r for r in rows if (r["learner"], r["module"]) == ("max", "observation"))
    assert maxs == {
        "programme": "my-programme", "cohort": "cohort-one", "network": "net-b",
        "coach": "coach-ben", "learner": "max", "credential": "my-credential",
        "module": "observation", "state": "resubmitted", "attempts": "2", "not_yet": "1",
        "not_yet_criteria": "evidence", "waiting_days": "6.0", "last_activity": "2026-09-07T09:00:00Z"}
    assert "warning: #5: @zed is not in the roster now" in err
    assert "warning: microcred-ledger:ledger/decisions/pr-99.json: not valid JSON" in err


def test_text_names_the_groups_and_what_was_set_apart(year: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert run(year) == 0
    out = capsys.readouterr().out
    assert out.startswith("progress as of 2026-09-13 09:00 UTC; durations in days;")
    assert "  max (net-b):  first-module not started [0]  observation resubmitted [2]" in out
    assert "set apart: 3" in out


def test_json_and_markdown(year: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(year, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == 1 and len(data["learners"]) == 18
    assert run(year, "--format", "markdown") == 0
    markdown, err = capsys.readouterr()
    assert err == "warning: 3 item(s) set apart; `microcred progress` lists them\n"
    assert "| net-b | 5 | 10 | 7 | 2 | 0 | 1 | 0 | 2 | 10.0 | 1.5 | 1.9 |" in markdown
    for learner in ("lea", "leo", "mae", "max", "mia", "zed"):  # no learner's login in the summary
        assert f" {learner} " not in markdown and f"@{learner}" not in markdown


def test_bad_options_are_usage_errors(year: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(year, "--html", str(year / "report")) == 2
    assert "inside the course repository" in capsys.readouterr().err
    assert main(["progress", "--root", str(year), "--as-of", "next week"]) == 2
    assert "--as-of 'next week': expected a date" in capsys.readouterr().err


def test_export_refuses_a_names_file_inside_the_repository(year: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run(year, "--export", str(tmp_path / "out"), "--names", str(year / "names.csv")) == 2
    assert "--names" in capsys.readouterr().err and not (tmp_path / "out").exists()
    assert run(year, "--export", str(tmp_path / "out")) == 0
    awards = (tmp_path / "out" / "awards.csv").read_text(encoding="utf-8-sig").splitlines()
    assert awards[1] == ("lea,,,my-programme,my-credential,My credential,0.1.0,1,2,2026-09-04,,,,"
                         "in progress")


def test_html_writes_the_staff_report_outside_the_repository(
        year: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(year, "--html", str(tmp_path / "report")) == 0
    assert "wrote the staff report" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "report" / "charts").iterdir()) == [
        "cohorts.svg", "funnel.svg", "heat.svg", "turnaround.svg"]
