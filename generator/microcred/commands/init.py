"""`microcred init DIR`: create a course repository with the standard layout."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import git

from microcred import output
from microcred.errors import UsageError

# Files whose text carries the course title.
_TITLED = ("mkdocs.yml", "content/index.md")
# Package data cannot ship a dotfile reliably, so the scaffold names it without the dot.
_RENAMED = {"gitignore": ".gitignore"}


def init(directory: Path, title: str) -> int:
    """Copy the scaffold into `directory`, fill in the title, and make it a git repository."""
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"{directory}: folder is not empty (choose a new or empty folder)")
    files = dict(_walk(resources.files("microcred") / "scaffold", ""))
    for rel, data in files.items():
        target = directory / _RENAMED.get(rel, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel in _TITLED:
            data = data.decode("utf-8").replace("{{ title }}", title).encode("utf-8")
        target.write_bytes(data)
    repo = git.Repo.init(directory, initial_branch="main")
    repo.index.add([_RENAMED.get(rel, rel) for rel in files])
    output.info(f"created a course repository in {directory} ({len(files)} files)")
    output.info("next: edit content/, modules/ and rubrics/, then run `microcred lint`")
    return 0


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            out += _walk(entry, rel + "/")
        elif entry.name != "__pycache__":
            out.append((rel, entry.read_bytes()))
    return out
