"""A new coaching log entry: its YAML text, its place, its checks, and the private notes kept
outside the repository.

The entry is checked as `microcred lint` would check the file (schema, roster, dates, module,
privacy) before anything is written; private notes go only to a folder outside the repository.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from microcred.coaching.lint import check_records, private_details
from microcred.coaching.load import LOGS_DIR, LoadedRecords, log_entry_of
from microcred.coaching.records import LogEntry, Records
from microcred.content.loader import Loaded
from microcred.content.schema import validate
from microcred.content.yamlfile import parse_yaml
from microcred.errors import Finding, UsageError
from microcred.ledger.layout import COACHING_LOGS

NOTES_ENV = "MICROCRED_NOTES_DIR"
ORDER = ("format", "kind", "programme", "cohort", "date", "meeting", "network", "coach",
         "participants", "module", "problem_of_practice", "evidence", "agreements", "next_steps")


@dataclass(frozen=True)
class NewEntry:
    path: str  # coaching/logs/<coach>/<date>-<meeting>-<who>.yml
    text: str
    entry: LogEntry
    data: dict[str, Any]

    @property
    def stem(self) -> str:
        return Path(self.path).stem


def entry_data(fields: dict[str, Any]) -> dict[str, Any]:
    """The entry as the schema orders it, empty fields left out."""
    data = {"format": 1, "kind": "coaching-log", **fields}
    return {k: data[k] for k in ORDER if data.get(k) not in (None, "", [], ())}


def compose(data: dict[str, Any]) -> tuple[str, str]:
    """(path, YAML text) of an entry."""
    who = data.get("network") or "-".join(data.get("participants", []))
    path = f"{LOGS_DIR}/{data.get('coach')}/{data.get('date')}-{data.get('meeting')}-{who}.yml"
    return path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def checked(loaded: Loaded, records: LoadedRecords, data: dict[str, Any]) -> NewEntry:
    """The entry, once it passes every check its file would face; else a UsageError listing
    what to fix (nothing is written)."""
    path, text = compose(data)
    doc = parse_yaml(text, path)
    problems = validate(doc, "coaching-log")
    entry = None if problems else log_entry_of(doc.data, path)
    if entry is not None:
        others = records.records
        trial = LoadedRecords(Records((entry,), (), others.exchanges, others.calendars),
                              [], {**records.docs, path: doc}, {path: text})
        problems = [f for f in check_records(loaded, trial) if f.path == path] + \
            private_details(loaded.course, {path: text})
    if problems or entry is None:
        raise UsageError("the entry is not recorded:\n" + "\n".join(
            _as_option(f) for f in problems))
    return NewEntry(path, text, entry, data)


def _as_option(finding: Finding) -> str:
    return f"  {finding.key}: {finding.message}" + (f" ({finding.fix})" if finding.fix else "")


def notes_folder(root: Path, option: Path | None) -> Path:
    """Where private notes go: --notes-dir, else $MICROCRED_NOTES_DIR; never inside `root`."""
    folder = option or (Path(os.environ[NOTES_ENV]) if os.environ.get(NOTES_ENV) else None)
    if folder is None:
        raise UsageError(f"private notes need a folder outside the repository: pass --notes-dir "
                         f"DIR or set {NOTES_ENV} (nothing was recorded)")
    resolved = folder.expanduser().resolve()
    if resolved == root.resolve() or root.resolve() in resolved.parents:
        raise UsageError(f"{folder}: inside the repository, where private notes would reach git; "
                         "choose a folder outside it (nothing was recorded)")
    return resolved


def write_notes(folder: Path, stem: str, notes: str) -> Path:
    """Write the notes readable by their owner only; refuse to overwrite earlier notes."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}.md"
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"{target} already exists; add to it by hand") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(notes.rstrip("\n") + "\n")
    return target


def ledger_path(entry: NewEntry) -> str:
    """The entry's place on the ledger branch, as JSON (ledger files are JSON)."""
    return f"{COACHING_LOGS}/{Path(entry.path.removeprefix(LOGS_DIR + '/')).with_suffix('.json')}"
