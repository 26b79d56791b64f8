"""Completions and badges for a registrar or HR system: one CSV row per learner x credential
version, and each badge's signed JSON in a folder ready for bulk import.

Names and emails come only from a mapping file the programme keeps outside the repository
(`login,name,email`); without it the export carries logins only.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from microcred.analytics.records import LedgerFacts
from microcred.errors import MicrocredError
from microcred.model import Course

COLUMNS = ("login", "name", "email", "programme", "credential", "credential_title", "version",
           "modules_complete", "modules_total", "completed_on", "awarded_on", "badge_id",
           "badge_file", "status")
AWARDED, REVOKED, IN_PROGRESS = "awarded", "revoked", "in progress"
NAME_COLUMNS = ("login", "name", "email")


class ExportError(MicrocredError):
    """The names file or the export folder cannot be used."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def read_names(path: Path) -> dict[str, Person]:
    """login -> name and email, from a CSV file with the columns login, name, email."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"{path}: cannot be read ({exc}); give a UTF-8 CSV file") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in NAME_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ExportError(f"{path}:1: missing column(s) {', '.join(missing)} (the first line must "
                          "name the columns: login,name,email)")
    people: dict[str, Person] = {}
    for line, row in enumerate(reader, start=2):
        login = (row["login"] or "").strip().casefold()
        if not login:
            raise ExportError(f"{path}:{line}: no login (every line needs one)")
        if login in people:
            raise ExportError(f"{path}:{line}: login {row['login']!r} is listed twice (keep one line)")
        people[login] = Person((row["name"] or "").strip(), (row["email"] or "").strip())
    return people


def badge_file(login: str, credential: str, version: str) -> str:
    return f"{login}-{credential}-v{version}.json"


def registrar_rows(course: Course, ledger: LedgerFacts,
                   names: Mapping[str, Person]) -> list[dict[str, str]]:
    """One row per learner x credential version with a completed module or a badge."""
    versions = {(c.login, c.credential, c.version): c for c in ledger.badges}
    done: dict[tuple[str, str], list[datetime | None]] = {}
    for (login, cred_id, _module), when in ledger.completed.items():
        done.setdefault((login, cred_id), []).append(when)
    keys = {(b.login, b.credential, b.version) for b in ledger.badges}
    keys |= {(login, cred, course.credentials[cred].version if cred in course.credentials else "")
             for login, cred in done if not any(k[:2] == (login, cred) for k in keys)}
    rows = []
    for login, cred, version in sorted(keys):
        credential = course.credentials.get(cred)
        badge = versions.get((login, cred, version))
        person = names.get(login.casefold(), Person("", ""))
        times = [t for t in done.get((login, cred), []) if t is not None]
        status = (REVOKED if badge.revoked else AWARDED) if badge else IN_PROGRESS
        rows.append({
            "login": login, "name": person.name, "email": person.email,
            "programme": credential.programme if credential else "", "credential": cred,
            "credential_title": credential.title if credential else "", "version": version,
            "modules_complete": str(len(done.get((login, cred), []))),
            "modules_total": str(len(credential.modules)) if credential else "",
            "completed_on": f"{max(times):%Y-%m-%d}" if times else "",
            "awarded_on": f"{badge.issued:%Y-%m-%d}" if badge and badge.issued else "",
            "badge_id": badge.badge_id if badge else "",
            "badge_file": f"badges/{badge_file(login, cred, version)}" if badge else "",
            "status": status})
    return rows


def write_export(target: Path, rows: list[dict[str, str]], ledger_files: Mapping[str, bytes | None],
                 ledger: LedgerFacts) -> Path:
    """Write awards.csv and badges/*.json into `target` whole, or leave it as it was."""
    if target.exists() and any(target.iterdir()):
        raise ExportError(f"{target}: not empty; give a new or empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        (staging / "badges").mkdir()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        # A byte-order mark so spreadsheet programs read the names as UTF-8.
        (staging / "awards.csv").write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
        for badge in ledger.badges:
            if not badge.revoked:
                name = badge_file(badge.login, badge.credential, badge.version)
                (staging / "badges" / name).write_bytes(ledger_files[badge.path] or b"")
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
