"""The whole lint of a course: load, schemas, cross-references, then the released versions."""

from __future__ import annotations

from pathlib import Path

from microcred.content.crossref import check_references
from microcred.content.loader import Loaded, load_course
from microcred.content.released import released_findings
from microcred.errors import Finding


def lint_course(root: Path, releases: bool = True) -> tuple[Loaded, list[Finding]]:
    """Load the course at `root`; return it with every problem, sorted by file and line.

    `releases=False` skips the comparison with released versions (a release is what fixes it).
    """
    loaded = load_course(root)
    found = loaded.findings + check_references(loaded)
    if releases and not found:  # comparing with releases needs a course that loads cleanly
        found = released_findings(root, loaded)
    return loaded, sorted(set(found))


def lint_findings(root: Path) -> list[Finding]:
    """Return every problem of the course at `root`."""
    return lint_course(root)[1]
