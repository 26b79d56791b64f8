"""`microcred roster`: generate .github/CODEOWNERS from the roster, or check it is current."""

from __future__ import annotations

from pathlib import Path

from microcred import output
from microcred.content.lint import clean_course
from microcred.content.loader import find_root
from microcred.roster import CODEOWNERS_PATH, codeowners


def roster(root: Path | None, write: bool) -> int:
    """Print CODEOWNERS (default), write it (--write) or report whether it is stale (exit 1)."""
    root = find_root(root or Path.cwd())
    loaded = clean_course(root)
    wanted = codeowners(loaded.course)
    path = root / CODEOWNERS_PATH
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(wanted, encoding="utf-8")
        tmp.replace(path)
        output.info(f"wrote {CODEOWNERS_PATH}")
        return 0
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current == wanted:
        output.info(f"{CODEOWNERS_PATH} is current")
        return 0
    state = "missing" if current is None else "out of date with the roster"
    output.write(f"{CODEOWNERS_PATH}: {state} (run `microcred roster --write` and commit it)")
    return 1
