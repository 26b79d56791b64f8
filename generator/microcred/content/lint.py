"""The whole lint of a course: load, schemas, cross-references (calendars and exchanges
included), then the released versions; and for `microcred lint`, the coaching records."""

from __future__ import annotations

from pathlib import Path

from microcred.coaching.lint import lint_records, private_details
from microcred.coaching.load import load_records
from microcred.content.crossref import check_references
from microcred.content.loader import Loaded, load_course
from microcred.content.released import released_findings
from microcred.errors import ConfigError, Finding


def lint_course(root: Path, releases: bool = True) -> tuple[Loaded, list[Finding]]:
    """Load the course at `root`; return it with every problem, sorted by file and line.

    `releases=False` skips the comparison with released versions (a release is what fixes it).
    """
    loaded = load_course(root)
    in_course, _ = lint_records(loaded, load_records(root))
    found = loaded.findings + check_references(loaded) + in_course
    if releases and not found:  # comparing with releases needs a course that loads cleanly
        found = released_findings(root, loaded)
    return loaded, sorted(set(found))


def clean_course(root: Path, releases: bool = True) -> Loaded:
    """The course at `root` for a command that acts on it; ConfigError naming the first problem
    when it does not lint clean (`releases` as in `lint_course`)."""
    loaded, findings = lint_course(root, releases)
    if findings:
        raise ConfigError(f"the course has problems; run `microcred lint` ({findings[0].render()})")
    return loaded


def lint_findings(root: Path) -> list[Finding]:
    """Return every problem of the course at `root`, and of its coaching logs and community
    records (roster, dates, modules and the privacy scan)."""
    loaded, found = lint_course(root)
    records = load_records(root)
    _, in_records = lint_records(loaded, records)
    return sorted(set(found + in_records + private_details(loaded.course, records.texts)))
