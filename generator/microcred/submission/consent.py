"""Check learners' consent files (`submissions/<login>/consent.yml`), the one file a learner
keeps outside a submission folder. Read as untrusted bytes, like evidence."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from microcred.content.consent import CONSENT_FILE, MAX_CONSENT_BYTES, read_consent
from microcred.submission.findings import CheckFinding, printable
from microcred.submission.names import name_problems
from microcred.submission.source import (
    FILE,
    OTHER,
    SYMLINK,
    Change,
    Entry,
    GitSource,
    Source,
    TooLarge,
    display,
)

_SUBMISSIONS, _FILE = b"submissions", CONSENT_FILE.encode()


def is_consent(parts: Sequence[bytes]) -> bool:
    """Whether a path, split at '/', is `submissions/<login>/consent.yml`."""
    return len(parts) == 3 and parts[0] == _SUBMISSIONS and parts[2] == _FILE


def consents_in(root: Path, start: str) -> list[Entry]:
    """The consent files in a working tree under `start`: submissions/ or one learner's folder."""
    parts = start.strip("/").split("/")
    top = os.path.join(os.fsencode(root), _SUBMISSIONS)
    if len(parts) > 2 or not os.path.isdir(top) or os.path.islink(top):
        return []
    logins = [os.fsencode(parts[1])] if len(parts) == 2 else sorted(os.listdir(top))
    found = []
    for login in logins:
        raw = b"/".join((_SUBMISSIONS, login, _FILE))
        if name_problems(raw, display(raw)):
            continue  # the scope reports the unsafe folder name
        try:
            info = os.lstat(os.path.join(os.fsencode(root), raw))
        except OSError:
            continue
        mode = FILE if stat.S_ISREG(info.st_mode) else (
            SYMLINK if stat.S_ISLNK(info.st_mode) else OTHER)
        found.append(Entry(raw, mode, info.st_size))
    return found


def consents_changed(changes: list[Change], source: GitSource) -> list[Entry]:
    """The consent files a change adds or modifies, as they are in `source`."""
    return [entry for change in changes
            if change.status != "D" and is_consent(change.raw.split(b"/"))
            and (entry := source.entry(change.raw)) is not None]


def check_consents(source: Source, entries: list[Entry]) -> list[CheckFinding]:
    """One finding per problem in each consent file."""
    return [finding for entry in entries for finding in _check(source, entry)]


def _check(source: Source, entry: Entry) -> list[CheckFinding]:
    if entry.mode != FILE:
        return [CheckFinding(entry.path, 0, "consent", "the consent file must be a regular file",
                             "replace it by the file itself")]
    try:
        data = source.read(entry, MAX_CONSENT_BYTES)
    except TooLarge:
        return [CheckFinding(entry.path, 0, "consent", f"the consent file is larger than "
                             f"{MAX_CONSENT_BYTES // 1000} KB", "keep only format, kind, "
                             "public_page and show_as")]
    _, problems = read_consent(data, entry.path)
    # The parser's and the schema's messages quote the learner's own (untrusted) text.
    return [CheckFinding(entry.path, p.line, "consent",
                         printable(f"{p.key}: {p.message}" if p.key else p.message),
                         printable(p.fix)) for p in problems]
