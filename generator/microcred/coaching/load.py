"""Find the coaching records of a course repository and turn the valid ones into records.

    content/calendars/<id>.yml                 kind: calendar    (published)
    content/exchanges/<id>.yml                 kind: exchange    (published, but not attendance)
    coaching/logs/<coach>/<date>-<meeting>.yml kind: coaching-log (never published)
    coaching/communities/<leader>/<id>.yml     kind: community   (never published)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microcred.coaching.records import (
    Calendar,
    Community,
    CommunityMeeting,
    Deadline,
    Exchange,
    LogEntry,
    Material,
    Records,
    Window,
)
from microcred.content.schema import validate
from microcred.content.yamlfile import YamlDoc, YamlError, load_yaml, parse_yaml
from microcred.errors import Finding

COACHING_DIR = "coaching"
LOGS_DIR = f"{COACHING_DIR}/logs"
COMMUNITIES_DIR = f"{COACHING_DIR}/communities"
CALENDARS_DIR = "content/calendars"
EXCHANGES_DIR = "content/exchanges"


@dataclass
class LoadedRecords:
    """The valid records, the findings of the invalid ones, and every parsed document."""

    records: Records = field(default_factory=Records)
    findings: list[Finding] = field(default_factory=list)
    docs: dict[str, YamlDoc] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # logs and communities, for the privacy scan


_Build = Callable[[dict[str, Any], str], Any]


def load_records(root: Path) -> LoadedRecords:
    """Read every coaching record under `root`, collecting findings instead of stopping."""
    out = LoadedRecords()
    built: dict[str, list[Any]] = {}
    sources: list[tuple[str, str, str, _Build]] = [
        ("calendar", CALENDARS_DIR, "*.yml", calendar_of),
        ("exchange", EXCHANGES_DIR, "*.yml", exchange_of),
        ("coaching-log", LOGS_DIR, "**/*.yml", log_entry_of),
        ("community", COMMUNITIES_DIR, "*/*.yml", community_of),
    ]
    for kind, folder, pattern, build in sources:
        items = built.setdefault(kind, [])
        for path in sorted((root / folder).glob(pattern)):
            item = _load_one(out, root, path, kind, build)
            if item is not None:
                items.append(item)
    out.records = Records(tuple(built["coaching-log"]), tuple(built["community"]),
                          tuple(built["exchange"]), tuple(built["calendar"]))
    return out


def _load_one(out: LoadedRecords, root: Path, path: Path, kind: str, build: _Build) -> Any:
    shown = path.relative_to(root).as_posix()
    try:
        doc = load_yaml(path, shown)
    except YamlError as exc:
        out.findings.append(exc.finding)
        return None
    out.docs[shown] = doc
    if kind in ("coaching-log", "community"):
        out.texts[shown] = path.read_text(encoding="utf-8")
    problems = validate(doc, kind)
    if problems:
        out.findings.extend(problems)
        return None
    item = build(doc.data, shown)
    if kind in ("calendar", "exchange") and item.id != path.stem:
        out.findings.append(Finding(shown, doc.line_of(("id",)), "id",
                                    f"id '{item.id}' does not match the file name '{path.stem}'",
                                    f"rename the file or set 'id: {path.stem}'"))
        return None
    return item


def parse_log_entry(text: str, shown: str) -> tuple[LogEntry | None, list[Finding]]:
    """A log entry from YAML text (a file on the ledger branch, say), or why it is not one."""
    try:
        doc = parse_yaml(text, shown)
    except YamlError as exc:
        return None, [exc.finding]
    problems = validate(doc, "coaching-log")
    return (None, problems) if problems else (log_entry_of(doc.data, shown), [])


def log_entry_of(d: dict[str, Any], source: str) -> LogEntry:
    return LogEntry(d["programme"], d["cohort"], d["date"], d["meeting"], d["coach"],
                    tuple(d["participants"]), tuple(d["agreements"]), d.get("module", ""),
                    d.get("problem_of_practice", ""), d.get("network", ""),
                    tuple(d.get("evidence", ())), tuple(d.get("next_steps", ())), source)


def community_of(d: dict[str, Any], source: str) -> Community:
    meetings = tuple(CommunityMeeting(m["date"], tuple(m["staff"]), m.get("kind", "group"),
                                      m.get("summary", "")) for m in d["meetings"])
    return Community(Path(source).stem, d["programme"], d["cohort"], d["leader"], d["focus"],
                     d["change_idea"], meetings, tuple(d.get("staff", ())), source)


def exchange_of(d: dict[str, Any], source: str) -> Exchange:
    materials = tuple(Material(m["title"], m["link"]) for m in d.get("materials", ()))
    return Exchange(d["id"], d["programme"], d["cohort"], d["date"], d["title"], d["theme"],
                    d.get("description", ""), materials, tuple(d.get("attendance", ())), source)


def calendar_of(d: dict[str, Any], source: str) -> Calendar:
    windows = tuple(Window(w["module"], w["opens"], w["closes"]) for w in d["windows"])
    deadlines = tuple(Deadline(x["date"], x["title"]) for x in d.get("deadlines", ()))
    return Calendar(d["id"], d["programme"], d["cohort"], d["starts"], d["ends"], windows,
                    d.get("title", ""), deadlines, dict(d.get("cadence", {})), source)
