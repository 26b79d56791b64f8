"""Reading a check report another run wrote, as untrusted data."""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.submission.findings import CheckFinding, RequirementStatus, SubmissionReport
from microcred.submission.report import CheckResult, to_json, to_markdown
from microcred.submission.report_file import ReportError, load_report, read_report
from tests.helpers import shown, shown_html

FOLDER = "submissions/lea/my-credential/observation/"


def _result() -> CheckResult:
    report = SubmissionReport(
        FOLDER, "lea", "my-credential", "observation", "0.1.0", 1,
        [RequirementStatus("notes", "Notes", "text", "notes.md", True)],
        [CheckFinding(f"{FOLDER}notes.md", 3, "word-count", "too short", "write more"),
         CheckFinding(f"{FOLDER}tally.csv", 0, "privacy/email", "an email", severity="notice")],
        [{"requirement": "tally", "title": "Tally", "rows": 4, "columns": [
            {"name": "talk", "summary": "share", "total": 4, "counts": [["yes", 3], ["no", 1]]},
            {"name": "seat", "summary": "distinct", "total": 4, "distinct": 2, "most": 3}]}])
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
    markdown = to_markdown(load_report(_write(tmp_path, data)))
    assert "<img" not in shown_html(markdown)
    assert "talk` ![x](http://e.x/p.png) ` next | share" in shown(markdown)


@pytest.mark.parametrize(("key", "value", "problem"), [
    ("path", "a\r\r<!--", "$.general[0].path: 'a\\r\\r<!--' is not a file path"),
    ("path", "/etc/passwd", "$.general[0].path: '/etc/passwd' is not a file path"),
    ("path", "", "$.general[0].path: '' is not a file path"),
    ("path", "x\u202ey", "$.general[0].path: 'x\\u202ey' is not a file path"),
    ("rule", "protected-path <b>", "$.general[0].rule: 'protected-path <b>' is not a rule")])
def test_a_general_finding_is_held_to_the_shape_microcred_writes(
        tmp_path: Path, key: str, value: str, problem: str) -> None:
    data = to_json(_result())
    data["general"][0][key] = value
    path = _write(tmp_path, data)
    with pytest.raises(ReportError) as caught:
        load_report(path)
    assert str(caught.value).splitlines() == [
        f"{path}: {problem}", f"{path}: not a check report microcred wrote; nothing was posted"]


def test_a_submission_finding_must_be_inside_its_folder(tmp_path: Path) -> None:
    data = to_json(_result())
    data["submissions"][0]["findings"][0]["path"] = "rubrics/x.yml"
    result, problems = read_report(json.dumps(data).encode())
    assert result is None and problems == [
        f": $.submissions[0].findings[0].path: 'rubrics/x.yml' is outside {FOLDER!r}"]


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


# -- any input: problems or a result, never an exception; nothing live in what is shown ---------

GOOD_REPORT = to_json(_result())
HOSTILE = ["<img src=x>", "@team", "https://e.x", "`", "\r\r", "<!--", "\u202e", "\ud800", "",
           "submissions/lea/my-credential/observation/x.md", "protected-path", "..", "/"]
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                         st.sampled_from(HOSTILE))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)


def _leaves(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The place of every value in `data`, containers included."""
    inner = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else []
    return [at] + [place for key, value in inner for place in _leaves(value, (*at, key))]


LEAVES = _leaves(GOOD_REPORT)[1:]
texts = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(HOSTILE), max_size=4).map("".join))


@st.composite
def reports(draw: st.DrawFn) -> bytes:
    """A good report with a few values replaced (mostly by one of the same type), or any JSON,
    or any bytes."""
    kind = draw(st.sampled_from(["mutated", "mutated", "mutated", "json", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    data = json.loads(json.dumps(GOOD_REPORT))
    for place in draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=4)):
        try:  # an earlier change may have replaced the way there
            node = functools.reduce(lambda inner, key: inner[key], place[:-1], data)
            old = node[place[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(node, (dict, list)):  # the way there now ends in a string
            continue
        same = texts if isinstance(old, str) else st.integers(-2, 10**6) \
            if isinstance(old, int) and not isinstance(old, bool) else json_values
        node[place[-1]] = draw(st.one_of(same, same, same, json_values))
    return json.dumps(data).encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None)
@given(raw=reports())
def test_read_report_never_raises_and_nothing_it_lets_through_is_live(raw: bytes) -> None:
    result, problems = read_report(raw)
    assert (result is None) == bool(problems)
    for problem in problems:
        assert problem.startswith(":") and problem.isprintable(), problem
    if result is not None:
        rendered = shown_html(to_markdown(result))
        assert not re.search(r"<(?!/?(h3|h4|p|ul|li|strong|em|code|table|thead|tbody|tr|th|td|"
                             r"input|br)\b)", rendered), rendered
        text = html.unescape(re.sub(r"<code>.*?</code>|<[^>]*>", "", rendered))
        assert not re.search(r"(?<!\w)@[A-Za-z0-9]|://", text), text
