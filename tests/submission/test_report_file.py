"""Reading a check report another run wrote, as untrusted data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.submission.findings import CheckFinding, RequirementStatus, SubmissionReport
from microcred.submission.report import CheckResult, to_json, to_markdown
from microcred.submission.report_file import ReportError, load_report

FOLDER = "submissions/lea/my-credential/observation/"


def _result() -> CheckResult:
    report = SubmissionReport(
        FOLDER, "lea", "my-credential", "observation", "0.1.0", 1,
        [RequirementStatus("notes", "Notes", "text", "notes.md", True)],
        [CheckFinding(f"{FOLDER}notes.md", 3, "word-count", "too short", "write more")],
        [{"requirement": "tally", "title": "Tally", "rows": 4, "columns": [
            {"name": "talk", "summary": "share", "total": 4, "counts": [["yes", 3], ["no", 1]]}]}])
    return CheckResult("range", [report], [CheckFinding("rubrics/x.yml", 0, "protected-path", "no")])


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_report_reads_back_as_written(tmp_path: Path) -> None:
    written = to_json(_result())
    loaded = load_report(_write(tmp_path, written))
    assert to_json(loaded) == written
    assert to_markdown(loaded) == to_markdown(_result())


def test_the_passed_flags_are_decided_again_from_the_findings(tmp_path: Path) -> None:
    data = to_json(_result())
    data["passed"] = data["submissions"][0]["passed"] = True
    loaded = load_report(_write(tmp_path, data))
    assert not loaded.passed and not loaded.reports[0].passed


def test_a_column_name_cannot_close_its_code_span(tmp_path: Path) -> None:
    data = to_json(_result())
    data["submissions"][0]["summaries"][0]["columns"][0]["name"] = "talk` ![x](http://e.x/p.png) `\nnext"
    loaded = load_report(_write(tmp_path, data))
    name = loaded.reports[0].summaries[0]["columns"][0]["name"]  # type: ignore[index]
    assert name == "talk' ![x](http://e.x/p.png) ' next"


def test_a_summary_the_comment_could_not_draw_is_refused(tmp_path: Path) -> None:
    data = to_json(_result())
    column = data["submissions"][0]["summaries"][0]["columns"][0]
    del column["counts"]
    column["total"] = 0
    path = _write(tmp_path, data)
    with pytest.raises(ReportError) as caught:
        load_report(path)
    assert str(caught.value).splitlines()[0] == (
        f"{path}: $.submissions[0].summaries[0].columns[0]: needs total above 0 and counts")


def test_a_report_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(b'{"format": "\xff"}')
    with pytest.raises(ReportError, match=r"not UTF-8 text \(byte 12\)"):
        load_report(path)


def test_a_missing_report_says_where_it_should_come_from(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="did the check workflow upload it"):
        load_report(tmp_path / "missing.json")
