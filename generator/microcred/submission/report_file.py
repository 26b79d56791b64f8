"""Read a check report that another run wrote (`microcred check --report`), as untrusted data.

The comment workflow gets the report as an artifact of the check workflow, which ran under the
pull request's own copy of the workflow file: its content is whatever the pull request made it.
So it is bounded in size, parsed, validated against the published schema (`microcred schema
check-report`), and every value that reaches the comment outside escaped text is held to the
shape microcred itself writes (ids, versions, paths, rules). Problems are reported together;
`read_report` never raises, whatever the bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from microcred.content.schema import schema_of
from microcred.errors import MicrocredError
from microcred.submission.findings import CheckFinding, RequirementStatus, SubmissionReport, printable
from microcred.submission.report import CheckResult

MAX_REPORT_BYTES = 5 * 1024 * 1024  # a course's largest honest report is a few hundred kB
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
FILE = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")
RULE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)?")
MAX_PATH = 4096  # characters: git's own limit on a path, before escaping odd bytes


class ReportError(MicrocredError):
    """The report file cannot be used: too large, not JSON, or not a check report."""


def load_report(path: Path) -> CheckResult:
    """The check result in `path`; ReportError naming every problem when it is not a valid one."""
    result, problems = read_report(_read(path))
    if result is None:
        raise ReportError("\n".join(f"{path}{p}" for p in problems) +
                          f"\n{path}: not a check report microcred wrote; nothing was posted")
    return result


def read_report(raw: bytes) -> tuple[CheckResult | None, list[str]]:
    """The check result in `raw`, or None and every problem (each starting with ':' and the
    place in the file). Never raises."""
    data, problem = _parse(raw)
    if problem:
        return None, [problem]
    problems = [f": {_where(e.absolute_path)}: {printable(e.message[:200])}"
                for e in Draft202012Validator(schema_of("check-report")).iter_errors(data)]
    if not problems:
        problems = [f": {p}" for p in shape_problems(data)]
    if problems:
        return None, sorted(problems)
    return from_json(data), []


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise ReportError(f"{path}: cannot read the report ({exc.strerror}); did the check "
                          "workflow upload it?") from None
    return raw


def _parse(raw: bytes) -> tuple[Any, str]:
    if len(raw) > MAX_REPORT_BYTES:
        return None, (f": larger than {MAX_REPORT_BYTES} bytes; a check report is never that "
                      "large, so it is not used")
    try:
        return json.loads(raw.decode("utf-8")), ""
    except UnicodeDecodeError as exc:
        return None, f": not UTF-8 text (byte {exc.start})"
    except json.JSONDecodeError as exc:
        return None, f":{exc.lineno}:{exc.colno}: not JSON ({exc.msg})"
    except (ValueError, RecursionError):  # a number of thousands of digits; nesting too deep
        return None, ": not JSON as microcred writes it (a huge number or deep nesting)"


def _where(parts: Any) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def shape_problems(data: dict[str, Any]) -> list[str]:
    """What the schema allows but microcred never writes, and the comment must not show."""
    problems = _finding_problems("$.general", data["general"], "")
    for i, sub in enumerate(data["submissions"]):
        at = f"$.submissions[{i}]"
        for key, pattern, what in (("learner", LOGIN, "a GitHub login"),
                                   ("credential", ID, "an id"), ("module", ID, "an id"),
                                   ("credential_version", VERSION, "a version such as 1.0.0")):
            if sub[key] and not pattern.fullmatch(sub[key]):
                problems.append(f"{at}.{key}: {sub[key][:60]!r} is not {what}")
        folder = sub["folder"].rstrip("/").split("/")
        if folder[0] != "submissions" or len(folder) < 2 or \
                not FILE.fullmatch(sub["folder"].rstrip("/")):
            problems.append(f"{at}.folder: {sub['folder'][:60]!r} is not a submission "
                            "folder")
        elif sub["learner"] and folder[1] != sub["learner"]:
            problems.append(f"{at}.learner: {sub['learner']!r} is not the owner of "
                            f"{printable(sub['folder'][:60])}")
        for j, req in enumerate(sub["requirements"]):
            if not ID.fullmatch(req["id"]) or not FILE.fullmatch(req["file"]):
                problems.append(f"{at}.requirements[{j}]: id or file is not as microcred writes it")
        problems += _finding_problems(f"{at}.findings", sub["findings"], sub["folder"])
        problems += _summary_problems(at, sub["summaries"])
    return problems


def _finding_problems(at: str, findings: list[dict[str, Any]], folder: str) -> list[str]:
    """Paths as microcred shows them (relative, printable, inside the submission's folder) and
    rules as microcred names them."""
    problems = []
    for i, finding in enumerate(findings):
        path = finding["path"]
        if not path or len(path) > MAX_PATH or path.startswith("/") or printable(path) != path:
            problems.append(f"{at}[{i}].path: {path[:60]!r} is not a file path")
        elif folder and not (path + "/").startswith(folder.rstrip("/") + "/"):
            problems.append(f"{at}[{i}].path: {path[:60]!r} is outside {folder[:60]!r}")
        if not RULE.fullmatch(finding["rule"]):
            problems.append(f"{at}[{i}].rule: {finding['rule'][:60]!r} is not a rule")
    return problems


def _summary_problems(at: str, summaries: list[dict[str, Any]]) -> list[str]:
    problems = []
    for i, summary in enumerate(summaries):
        for j, column in enumerate(summary["columns"]):
            needs = ("counts",) if column["summary"] == "share" else ("distinct", "most")
            if column["total"] < 1 or any(key not in column for key in needs):
                problems.append(f"{at}.summaries[{i}].columns[{j}]: needs total above 0 and "
                                f"{', '.join(needs)}")
    return problems


def from_json(data: dict[str, Any]) -> CheckResult:
    """The CheckResult a report describes. Its `passed` flags are ignored: passing is decided
    again from the findings."""
    result = CheckResult(data["mode"], general=[_finding(f) for f in data["general"]])
    for sub in data["submissions"]:
        result.reports.append(SubmissionReport(
            sub["folder"], sub["learner"], sub["credential"], sub["module"],
            sub["credential_version"], sub["attempt"],
            [RequirementStatus(q["id"], q["title"], q["kind"], q["file"], q["ok"], q["optional"])
             for q in sub["requirements"]],
            [_finding(f) for f in sub["findings"]],
            sub["summaries"]))
    return result


def _finding(f: dict[str, Any]) -> CheckFinding:
    return CheckFinding(f["path"], f["line"], f["rule"], f["message"], f["fix"], f["severity"])
