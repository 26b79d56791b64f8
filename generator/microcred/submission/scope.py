"""Which submission folders a run checks: given paths, a git range, or all of them."""

from __future__ import annotations

import os
from pathlib import Path

from microcred.content.consent import CONSENT_FILE
from microcred.submission.consent import is_consent
from microcred.submission.findings import CheckFinding
from microcred.submission.names import name_problems
from microcred.submission.source import Change, display

SUBMISSIONS = "submissions"
_LAYOUT_FIX = "put evidence in submissions/<login>/<credential>/<module>/"


def folders_in(root: Path, start: str = SUBMISSIONS) -> tuple[list[str], list[CheckFinding]]:
    """Every submission folder under `start` (a path under submissions/), and misplaced files.

    A learner's consent.yml, beside their credential folders, is in place (submission/consent.py
    checks it)."""
    depth = len(start.strip("/").split("/"))
    folders: list[str] = []
    stray: list[CheckFinding] = []
    _descend(root, start.strip("/"), depth, folders, stray)
    return sorted(folders), stray


def _descend(root: Path, rel: str, depth: int, folders: list[str], stray: list[CheckFinding]) -> None:
    if depth == 4:
        folders.append(rel + "/")
        return
    path = os.path.join(root, rel)
    if not os.path.isdir(path) or os.path.islink(path):
        return
    with os.scandir(path) as items:
        for item in sorted(items, key=lambda i: i.name):
            raw = os.fsencode(os.path.join(rel, item.name))
            child = display(raw)
            # A folder with an unsafe name is reported, never entered: its path cannot be shown.
            problems = name_problems(raw, child)
            if problems:
                stray += problems
            elif item.is_dir(follow_symlinks=False):
                _descend(root, child, depth + 1, folders, stray)
            elif item.name != ".gitkeep" and not (depth == 2 and item.name == CONSENT_FILE):
                stray.append(CheckFinding(child, 0, "misplaced", "this file is not inside a "
                                          "submission folder", _LAYOUT_FIX))


def folders_changed(changes: list[Change]) -> tuple[list[str], list[CheckFinding]]:
    """The submission folders a change touches, and changed files under submissions/ that are
    outside one or have unsafe names (a folder with an unsafe name is reported, not checked)."""
    folders: set[str] = set()
    stray: list[CheckFinding] = []
    for change in changes:
        parts = change.raw.split(b"/")
        if parts[0] != SUBMISSIONS.encode():
            continue
        problems = name_problems(change.raw, change.path)
        stray += problems
        if len(parts) >= 5:
            folder = b"/".join(parts[:4])
            if not problems or not name_problems(folder, change.path):
                folders.add(display(folder) + "/")
        elif change.status != "D" and parts[-1] != b".gitkeep" and not problems \
                and not is_consent(parts):
            stray.append(CheckFinding(change.path, 0, "misplaced", "this file is not inside a "
                                      "submission folder", _LAYOUT_FIX))
    return sorted(folders), stray
