"""`microcred lint`: validate the course against its schemas and cross-references."""

from __future__ import annotations

import time
from pathlib import Path

from microcred import output
from microcred.coaching.lint import check_records, private_details
from microcred.coaching.load import load_records
from microcred.content.crossref import check_references
from microcred.content.loader import Loaded, find_root, load_course
from microcred.content.released import released_findings
from microcred.errors import Finding


def lint_course(root: Path, releases: bool = True) -> tuple[Loaded, list[Finding]]:
    """Load the course at `root`; return it with every problem, sorted by file and line.

    `releases=False` skips the comparison with released versions (a release is what fixes it).
    """
    loaded = load_course(root)
    records = load_records(root)
    found = loaded.findings + check_references(loaded) + records.findings + \
        check_records(loaded, records)
    if releases and not found:  # comparing with releases needs a course that loads cleanly
        found = released_findings(root, loaded)
    return loaded, sorted(set(found))


def lint_findings(root: Path) -> list[Finding]:
    """Return every problem of the course at `root`, the privacy scan of coaching records too."""
    loaded, found = lint_course(root)
    return sorted(set(found + private_details(loaded.course, load_records(root).texts)))


def lint(root: Path | None, fmt: str) -> int:
    """Report every problem at once; exit 1 when there are any."""
    started = time.perf_counter()
    root = find_root(root or Path.cwd())
    findings = lint_findings(root)
    elapsed = time.perf_counter() - started
    if fmt == "json":
        output.write_json({"format": 1, "root": str(root), "findings":
                           [f.as_dict() for f in findings]})
    else:
        for finding in findings:
            output.write(finding.render())
        summary = f"{len(findings)} problem(s)" if findings else "no problems"
        output.info(f"lint: {summary} in {elapsed * 1000:.0f} ms")
    return 1 if findings else 0
