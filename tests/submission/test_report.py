from __future__ import annotations

import cmarkgfm
from cmarkgfm.cmark import Options
from jsonschema import Draft202012Validator

from microcred.content.schema import schema_of
from microcred.submission.findings import NOTICE, CheckFinding, RequirementStatus, SubmissionReport
from microcred.submission.report import CheckResult, to_annotations, to_json, to_markdown


def _result() -> CheckResult:
    report = SubmissionReport("submissions/lea/c/m/", "lea", "c", "m", "1.0.0", 1)
    report.requirements = [RequirementStatus("notes", "Notes", "text", "notes.md", True),
                           RequirementStatus("tally", "Tally", "csv", "tally.csv", False)]
    report.findings = [
        CheckFinding("submissions/lea/c/m/tally.csv", 3, "csv-value", "bad value", "use recall"),
        CheckFinding("submissions/lea/c/m/notes.md", 2, "privacy/email", "an email: “«•••@•••»”",
                     "remove it"),
        CheckFinding("submissions/lea/c/m/submission.yml", 5, "version", "pinned", severity=NOTICE)]
    report.summaries = [{"requirement": "tally", "title": "Tally", "rows": 4, "columns": [
        {"name": "kind", "summary": "share", "total": 4, "counts": [["recall", 3], ["open", 1]]},
        {"name": "seat", "summary": "distinct", "total": 4, "distinct": 2, "most": 3, "never": 0}]}]
    return CheckResult("range", [report])


def test_markdown_checklist_with_chart_and_masked_privacy() -> None:
    md = to_markdown(_result())
    assert "❌ **Some things need fixing**" in md
    assert "- [x] Notes (`notes.md`)" in md
    assert "- [ ] Tally (`tally.csv`)" in md
    assert "**Privacy** (values are masked)" in md
    assert "recall | 75% | `███████████████░░░░░`" in md
    assert "`seat`: 2 different values across 4 entries" in md


def test_markdown_neutralises_untrusted_text() -> None:
    """A forged report's finding cannot add HTML, mentions or links, nor hide what follows it
    (a `\\r\\r` once ended the code span and an HTML comment swallowed the rest)."""
    forged = CheckFinding("a\r\r<!--", 0, "x", "@team <img src=x> [a](https://evil.example)",
                          "see www.evil.example")
    protected = CheckFinding("modules/observation/module.yml", 0, "ownership",
                             "changes a protected path")
    report = SubmissionReport("submissions/lea/c/m/", "lea", "c<b>", "m", "1.0.0\n\n<!--", 1)
    report.requirements = [RequirementStatus("notes", "<script>x</script>", "text", "n`\r\r.md", True)]
    report.findings = [CheckFinding("x\u2028y", 1, "r", "@org/team", "`\r\r<details>")]
    rendered = cmarkgfm.github_flavored_markdown_to_html(
        to_markdown(CheckResult("range", [report], general=[forged, protected])),
        options=Options.CMARK_OPT_UNSAFE)
    assert "changes a protected path" in rendered
    for live in ("<!--", "<img", "<b>", "<script", "<details", "<a ", "@team", "@org", "www.evil"):
        assert live not in rendered


def test_annotations_escape_workflow_commands() -> None:
    evil = CheckFinding("a,b:c\n::warning::x", 1, "r", "line1\n::set-output name=x::y 100%")
    text = to_annotations(CheckResult("range", general=[evil]))
    assert text == ("::error file=a%2Cb%3Ac%0A%3A%3Awarning%3A%3Ax,line=1,title=microcred r::"
                    "line1%0A::set-output name=x::y 100%25")
    assert "\n" not in text


def test_json_report_shape() -> None:
    data = to_json(_result())
    assert data["format"] == 1 and data["mode"] == "range" and data["passed"] is False
    sub = data["submissions"][0]
    assert sub["requirements"][1] == {"id": "tally", "title": "Tally", "kind": "csv",
                                      "file": "tally.csv", "ok": False, "optional": False}
    assert [f["severity"] for f in sub["findings"]] == ["error", "notice", "error"]


def test_json_report_matches_its_published_schema() -> None:
    Draft202012Validator(schema_of("check-report")).validate(to_json(_result()))
