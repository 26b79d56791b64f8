"""`microcred lint`: validate the course against its schemas and cross-references."""

from __future__ import annotations

import time
from pathlib import Path

from microcred import output
from microcred.content.lint import lint_findings
from microcred.content.loader import find_root


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
