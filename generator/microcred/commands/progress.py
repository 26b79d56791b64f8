"""`microcred progress`: where every learner and module stands, for directors and coaches."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from microcred import output
from microcred.analytics import export as exports
from microcred.analytics import render
from microcred.analytics.gather import Reading, Sources
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.heap import no_collection
from microcred.model import Course

if TYPE_CHECKING:
    from microcred.analytics.progress import Progress


def progress(root: Path | None, forge_kind: str, actor: str | None, fmt: str, inactive_weeks: int,
             as_of: str | None, ledger_branch: str | None, html: Path | None,
             export: Path | None = None, names: Path | None = None) -> int:
    root = find_root(root or Path.cwd())
    now = _as_of(as_of)
    if inactive_weeks < 1:
        raise UsageError("--inactive-weeks must be 1 or more")
    for option, path in (("--html", html), ("--export", export), ("--names", names)):
        if path is not None:
            outside_repository(root, path, option)
    if names is not None and export is None:
        raise UsageError("--names is for the registrar's export: give --export DIR too")
    people = exports.read_names(names) if names is not None else {}
    # Everything read and built stays alive until it is printed: the cyclic collector would
    # only scan it again and again (microcred/heap.py). It is all let go inside the pause.
    with no_collection():
        _report(root, forge_kind, actor, fmt, inactive_weeks, now, ledger_branch, html, export,
                people)
    return 0


def _report(root: Path, forge_kind: str, actor: str | None, fmt: str, inactive_weeks: int,
            now: datetime, ledger_branch: str | None, html: Path | None, export: Path | None,
            people: dict[str, exports.Person]) -> None:
    # git starts reading the ledger and the pull requests first: the rest of what this command
    # uses is imported (about 0.2 s) and the course loaded while git reads.
    with Reading(root, forge_kind, ledger_branch) as reading:
        from microcred.analytics.progress import build
        from microcred.content.lint import clean_course
        from microcred.forge.select import open_forge

        loaded = clean_course(root, releases=False)
        forge = open_forge(forge_kind, root, actor or "microcred-bot")
        sources = reading.sources(forge)
    for note in sources.notes:
        output.info(note)
    result = build(loaded.course, sources.ledger, sources.pulls, now, inactive_weeks)
    if html is not None:
        _write_html(root, loaded.course, result, html)
    if export is not None:
        _write_export(loaded.course, sources, export, people)
    _print(result, fmt, quiet_text=html is not None or export is not None)


def _write_html(root: Path, course: Course, result: Progress, html: Path) -> None:
    from microcred.analytics.html import write_report
    from microcred.coaching.cadence import coaching_cadence
    from microcred.coaching.load import load_records

    coaching = coaching_cadence(course, load_records(root).records, result.as_of.date())
    written = write_report(result, course, html, coaching)
    output.info(f"wrote the staff report: {written} (private: learners' logins and states)")


def _write_export(course: Course, sources: Sources, export: Path,
                  people: dict[str, exports.Person]) -> None:
    rows = exports.registrar_rows(course, sources.ledger, people)
    exports.write_export(export, rows, sources.files, sources.ledger)
    output.info(f"wrote {export}/awards.csv ({len(rows)} row(s)) and "
                f"{sum(not b.revoked for b in sources.ledger.badges)} badge(s) in {export}/badges/")


def _print(result: Progress, fmt: str, quiet_text: bool) -> None:
    """The result in `fmt` on stdout (text only when no report or export was asked for), then
    what was set apart on stderr."""
    if fmt == "json":
        render.write_json(result, output.write_chunk)
    elif fmt == "csv":
        output.write(render.to_csv(result).rstrip("\n"))
    elif fmt == "markdown":
        output.write(render.to_markdown(result))
    elif not quiet_text:
        output.write(render.to_text(result))
    if fmt == "markdown":
        # The summary goes where more than staff may read it (a job log too): counts, no logins.
        if result.problems:
            output.warn(f"{len(result.problems)} item(s) set apart; `microcred progress` lists them")
        return
    if fmt != "text" or quiet_text:  # the text lists them itself
        for problem in result.problems:
            output.warn(f"{problem.where}: {problem.message}")

def _as_of(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--as-of {text!r}: expected a date or time such as 2026-06-30 or "
                         "2026-06-30T17:00:00Z") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def outside_repository(root: Path, target: Path, option: str) -> None:
    """Refuse to write learners' data inside the course repository, where it could be committed."""
    if target.resolve().is_relative_to(root.resolve()):
        fix = ("keep it outside the repository (e.g. ../private/names.csv)" if option == "--names"
               else "write it outside (e.g. ../progress-report)")
        raise UsageError(f"{option} {target}: inside the course repository, where it could be "
                         f"committed or published; {fix}")
