"""`microcred log`: a coach records a coaching meeting.

    check   the entry as lint would (schema, roster, dates, module, privacy): nothing written
            unless it passes
    notes   private notes, if any, to a folder outside the repository
    record  by the programme's `coaching_logs`: a branch and pull request into coaching/logs/
            (the default), or a commit straight to the ledger branch
"""

from __future__ import annotations

from pathlib import Path

import git

from microcred import output
from microcred.coaching.load import load_records
from microcred.coaching.propose import Proposal, propose
from microcred.coaching.records import NETWORK
from microcred.coaching.write import (
    NewEntry,
    checked,
    entry_data,
    ledger_path,
    notes_folder,
    write_notes,
)
from microcred.content.lint import clean_course
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.forge.select import open_forge
from microcred.ledger.layout import branch as ledger_branch
from microcred.ledger.store import LedgerStore
from microcred.login import who_am_i
from microcred.model import Course, Programme
from microcred.submission.branch import base_ref, exists_at


def log(root: Path | None, forge_kind: str, actor: str | None, fields: dict[str, object],
        notes: str | None, notes_dir: Path | None, base: str) -> int:
    """Check a coaching entry, keep its private notes outside git, and record it."""
    root = find_root(root or Path.cwd())
    loaded = clean_course(root, releases=False)
    coach = who_am_i(root, actor)
    programme = _programme(loaded.course, fields, coach)
    data = entry_data({"programme": programme.id, **fields, "coach": coach})
    entry = checked(loaded, load_records(root), data)
    folder = notes_folder(root, notes_dir) if notes else None  # refused before anything is written
    if programme.coaching_logs == "ledger":
        where = _to_ledger(root, forge_kind, coach, entry, base)
    else:
        where = _to_pull_request(root, forge_kind, coach, entry, base)
    if folder is not None and notes:
        output.info(f"private notes: {write_notes(folder, entry.stem, notes)} (not in git)")
    output.write(where)
    return 0


def _programme(course: Course, fields: dict[str, object], coach: str) -> Programme:
    """The programme whose cohort the entry names and whose coaches include `coach`."""
    cohort = fields.get("cohort")
    for programme in course.programmes.values():
        if any(c.id == cohort for c in programme.cohorts) and coach in programme.coaches:
            return programme
    raise UsageError(f"{coach} coaches in no programme with a cohort '{cohort}' (check --cohort "
                     "and --as against content/programmes/)")


def _to_pull_request(root: Path, forge_kind: str, coach: str, entry: NewEntry, base: str) -> str:
    repo = git.Repo(root)
    if exists_at(repo, base_ref(repo, base), entry.path):
        raise UsageError(f"{entry.path} is already on {base}: this meeting is logged (edit that "
                         "file in a pull request to correct it; nothing was recorded)")
    branch = f"log/{coach}/{entry.stem}"
    who = entry.entry.network if entry.entry.meeting == NETWORK else \
        ", ".join(entry.entry.participants)
    number = propose(root, forge_kind, coach, base, Proposal(
        entry.path, entry.text, branch,
        f"Coaching log: {entry.entry.meeting} {entry.entry.date} ({coach})",
        f"Coaching log: {entry.entry.meeting} with {who}, {entry.entry.date}",
        "Logged with `microcred log`."))
    return f"logged {entry.path} on branch {branch}: pull request #{number}"


def _to_ledger(root: Path, forge_kind: str, coach: str, entry: NewEntry, base: str) -> str:
    forge = open_forge(forge_kind, root, coach)
    store = LedgerStore(forge, ledger_branch(), base)
    store.ensure()
    path = ledger_path(entry)
    if not store.create(path, entry.data, f"Coaching log: {entry.entry.meeting} "
                             f"{entry.entry.date} ({coach})"):
        raise UsageError(f"{store.branch}:{path} already exists: this meeting is logged "
                         "(nothing was recorded)")
    return f"logged {path} on the ledger branch {store.branch}"
