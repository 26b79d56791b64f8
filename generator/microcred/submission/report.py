"""Render check results: text, JSON (stable, with a schema), Markdown checklist, GitHub annotations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from microcred.markdown import escape_code, escape_text
from microcred.submission.findings import ERROR, CheckFinding, SubmissionReport
from microcred.submission.observation import bar

REPORT_FORMAT = 1


@dataclass
class CheckResult:
    """All submission reports of one run, and findings that belong to no submission."""

    mode: str
    reports: list[SubmissionReport] = field(default_factory=list)
    general: list[CheckFinding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.reports) and not any(
            f.severity == ERROR for f in self.general)

    def drop_repeats(self) -> None:
        """Keep one copy of a finding reported twice (an unsafe name is seen by the ownership
        check, the scope and the folder check alike); the folder's copy is kept."""
        seen = {f for r in self.reports for f in r.findings}
        self.general = [f for f in dict.fromkeys(self.general) if f not in seen]

    def all_findings(self) -> list[CheckFinding]:
        return sorted(self.general) + [f for r in self.reports for f in sorted(r.findings)]


def to_text(result: CheckResult) -> str:
    lines = [f.render() for f in result.all_findings()]
    errors = sum(1 for f in result.all_findings() if f.severity == ERROR)
    verdict = "passed" if result.passed else f"{errors} problem(s) to fix"
    lines.append(f"check: {len(result.reports)} submission(s), {verdict}")
    return "\n".join(lines)


def to_json(result: CheckResult) -> dict[str, Any]:
    """The documented report (schema: microcred schema check-report)."""
    return {
        "format": REPORT_FORMAT, "mode": result.mode, "passed": result.passed,
        "general": [f.as_dict() for f in sorted(result.general)],
        "submissions": [_report_dict(r) for r in result.reports],
    }


def _report_dict(r: SubmissionReport) -> dict[str, Any]:
    return {
        "folder": r.folder, "learner": r.learner, "credential": r.credential, "module": r.module,
        "credential_version": r.version, "attempt": r.attempt, "passed": r.passed,
        "requirements": [{"id": q.id, "title": q.title, "kind": q.kind, "file": q.file,
                          "ok": q.ok, "optional": q.optional} for q in r.requirements],
        "findings": [f.as_dict() for f in sorted(r.findings)],
        "summaries": r.summaries,
    }


def to_markdown(result: CheckResult, most: int | None = None) -> str:
    """The checklist a pull-request comment and the step summary show; with `most`, each list
    shows at most that many items and says how many more there are.

    Every value in it came from the pull request (or a report it could forge), so each one goes
    through `escape_text` or `escape_code`. Errors come before notices, and a change to a
    protected path first of all, so a cut list never hides them behind notices."""
    head = "✅ **All checks passed.**" if result.passed else "❌ **Some things need fixing** " \
        "before a coach reviews this pull request."
    parts = ["### microcred check", "", head, ""]
    if result.general:
        parts += ["#### Changes outside your submission", ""]
        parts += [*_md_findings(sorted(result.general, key=_shown_first), most), ""]
    for report in result.reports[:most]:
        parts += _md_report(report, most)
    if most is not None and len(result.reports) > most:
        parts += [f"… and {len(result.reports) - most} more submission folder(s): run "
                  "`microcred check` to see them all.", ""]
    return "\n".join(parts).rstrip() + "\n"


def _shown_first(f: CheckFinding) -> tuple[bool, bool, CheckFinding]:
    return f.severity != ERROR, f.rule != "protected-path", f


def _md_findings(findings: list[CheckFinding], most: int | None) -> list[str]:
    lines = [_md_finding(f) for f in findings[:most]]
    if most is not None and len(findings) > most:
        lines.append(f"- … and {len(findings) - most} more: run `microcred check` to list them all")
    return lines


def _md_report(r: SubmissionReport, most: int | None) -> list[str]:
    title = f"#### {escape_code(r.folder)}"
    meta = " · ".join((escape_text(r.credential), escape_text(r.module),
                       f"version {escape_text(r.version or '?')}", f"attempt {r.attempt or '?'}"))
    lines = [title, "", meta, ""]
    for q in r.requirements:
        mark = "x" if q.ok else " "
        optional = " *(optional)*" if q.optional else ""
        lines.append(f"- [{mark}] {escape_text(q.title)}{optional} ({escape_code(q.file)})")
    if r.requirements:
        lines.append("")
    findings = sorted(r.findings, key=_shown_first)
    privacy = [f for f in findings if f.rule.startswith("privacy/")]
    other = [f for f in findings if not f.rule.startswith("privacy/")]
    if other:
        lines += ["**To fix**", "", *_md_findings(other, most), ""]
    if privacy:
        lines += ["**Privacy** (values are masked)", "", *_md_findings(privacy, most), ""]
    for summary in r.summaries[:most]:
        lines += _md_summary(summary, most)
    return lines


def _md_finding(f: CheckFinding) -> str:
    # A Word document has no lines to point at: its findings name their paragraph instead.
    numbered = f.line and not f.path.lower().endswith(".docx")
    where = escape_code(f.path) + (f" line {f.line}" if numbered else "")
    icon = "❌" if f.severity == ERROR else "ℹ️"
    fix = f" — *{escape_text(f.fix)}*" if f.fix else ""
    return f"- {icon} {where}: {escape_text(f.message)}{fix}"


def _md_summary(summary: dict[str, Any], most: int | None) -> list[str]:
    lines = [f"**Observation data: {escape_text(str(summary['title']))}** "
             f"({summary['rows']} rows)", ""]
    for column in summary["columns"][:most]:
        if column["summary"] == "share":
            # A table cell ends at `|` even inside code, so the header is escaped text.
            lines += [f"{escape_text(column['name'])} | share | ", "---|---:|---"]
            for value, count in column["counts"][:most]:
                share = count / column["total"]
                lines.append(f"{escape_text(str(value))} | {share:.0%} | `{bar(share)}`")
            lines.append("")
        else:
            lines.append(f"{escape_code(column['name'])}: {column['distinct']} different values across "
                         f"{column['total']} entries; the most frequent appears {column['most']} "
                         f"time(s) ({column['most'] / column['total']:.0%}).")
            lines.append("")
    return lines


def _prop(text: str) -> str:
    return (text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def to_annotations(result: CheckResult) -> str:
    """GitHub workflow commands, escaped so untrusted text cannot inject commands."""
    lines = []
    for f in result.all_findings():
        level = "error" if f.severity == ERROR else "notice"
        props = f"file={_prop(f.path)}" + (f",line={f.line}" if f.line else "") + \
            f",title={_prop('microcred ' + f.rule)}"
        message = f.message + (f" ({f.fix})" if f.fix else "")
        lines.append(f"::{level} {props}::{_data(message)}")
    return "\n".join(lines)
