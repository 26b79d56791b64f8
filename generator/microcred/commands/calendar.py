"""`microcred calendar`: what is due in a cohort, or for one learner, as of a date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from microcred import output
from microcred.coaching.due import OVERDUE, Due, due_items
from microcred.coaching.load import CALENDARS_DIR, load_records
from microcred.content.lint import clean_course
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.model import Cohort, Course, Programme


def calendar(root: Path | None, learner: str | None, cohort_id: str | None,
             as_of: str | None, fmt: str) -> int:
    """Print what is due; exit 1 when coaching is overdue."""
    root = find_root(root or Path.cwd())
    loaded = clean_course(root, releases=False)
    when = _as_of(as_of)
    programme, cohort = _cohort(loaded.course, learner, cohort_id)
    records = load_records(root).records
    cal = records.calendar_of(programme.id, cohort.id)
    if cal is None:
        raise ConfigError(f"cohort '{cohort.id}' has no calendar: write "
                          f"{CALENDARS_DIR}/{cohort.id}.yml (docs/formats.md)")
    items = due_items(programme, cohort, cal, records, when, learner or "")
    _show(items, programme, cohort, when, learner or "", fmt)
    return 1 if any(d.state == OVERDUE for d in items) else 0


def _as_of(text: str | None) -> str:
    if not text:
        return datetime.now(UTC).date().isoformat()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"--as-of {text!r}: write the date as YYYY-MM-DD") from None


def _cohort(course: Course, learner: str | None, cohort_id: str | None) -> tuple[Programme, Cohort]:
    if bool(learner) == bool(cohort_id):
        raise UsageError("say whose calendar: --learner LOGIN or --cohort COHORT")
    for programme in course.programmes.values():
        for cohort in programme.cohorts:
            if cohort.id == cohort_id or (
                    learner and any(learner in n.learners for n in cohort.networks)):
                return programme, cohort
    if learner:
        raise UsageError(f"'{learner}' is in no cohort's network (check the login against "
                         "content/programmes/)")
    known = sorted(c.id for p in course.programmes.values() for c in p.cohorts)
    raise UsageError(f"no cohort '{cohort_id}' (cohorts: {', '.join(known) or 'none'})")


def _show(items: list[Due], programme: Programme, cohort: Cohort, when: str, learner: str,
          fmt: str) -> None:
    if fmt == "json":
        output.write_json({"format": 1, "programme": programme.id, "cohort": cohort.id,
                           "learner": learner, "as_of": when,
                           "items": [d.as_dict() for d in items]})
        return
    whose = f", for {learner}" if learner else ""
    output.write(f"{cohort.title or cohort.id} ({programme.title}) as of {when}{whose}")
    for d in items:
        output.write(f"  {d.date}  {d.state:<8}  {d.text}")
    if not items:
        output.write("  nothing left in this cohort's calendar")
