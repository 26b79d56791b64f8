"""`microcred check`: check submissions by path, by git range, by event, or all of them."""

from __future__ import annotations

import json
import os
from pathlib import Path

from microcred import output
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.markdown import SUMMARY_LIMIT, fit
from microcred.submission.report import CheckResult, to_annotations, to_json, to_markdown, to_text
from microcred.submission.run import (
    check_all_or_paths,
    check_event,
    check_range,
    refuse_empty_range,
    student_names,
)


def check(root: Path | None, paths: list[Path], base: str | None, head: str | None,
          all_: bool, author: str | None, fmt: str, names_file: Path | None,
          event: Path | None = None, report: Path | None = None) -> int:
    """Run the check in the mode the arguments select; print in `fmt`; exit 1 on findings.

    `event` is a pull_request or pull_request_review payload that gives base, head and author;
    `report` is a file to write the JSON report to as well.
    """
    root = find_root(root or Path.cwd())
    names = student_names(names_file)
    if event is not None:
        if base or head or author or all_ or paths:
            raise UsageError("--event gives the base, head and author: drop --base, --head, "
                             "--author, --all and paths")
        result = check_event(root, event, names)
    elif base or head:
        result, _ = check_range(root, base or "", head or "HEAD", author, names)
        if not (result.reports or result.general):
            refuse_empty_range(root, base or "", head or "HEAD")
    elif all_ or paths:
        result = check_all_or_paths(root, paths, all_, names)
    else:
        raise UsageError("say what to check: PATH..., --base REF [--head REF], --event FILE "
                         "or --all")
    if report is not None:
        write_report(result, report)
    emit(result, fmt)
    return 0 if result.passed else 1


def write_report(result: CheckResult, path: Path) -> None:
    """Write the JSON report (schema: check-report) to `path`."""
    try:
        path.write_text(json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the report ({exc.strerror})") from None


def emit(result: CheckResult, fmt: str) -> None:
    if fmt == "json":
        output.write_json(to_json(result))
    elif fmt == "markdown":
        output.write(to_markdown(result))
    else:
        output.write(to_text(result))
    if fmt == "github" or os.environ.get("GITHUB_ACTIONS") == "true":
        output.write(to_annotations(result))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            output.append_file(Path(summary), fit(lambda most: to_markdown(result, most),
                                                  SUMMARY_LIMIT))
