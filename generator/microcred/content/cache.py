"""A cache of courses loaded from git commits, keyed by the trees they were loaded from.

Loading a course with a large roster costs most of a pull-request check; the same base commit
is checked again on every push. The key is the git tree ids of content/, modules/ and rubrics/
(plus microcred's version and schemas), so any change to the course is a new key, and the cache
lives inside the repository's git directory, written only by microcred itself.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import git

from microcred import __version__
from microcred.model import Course

KEEP = 16  # most recent entries kept


def cached_course(repo: git.Repo, commit: str, folders: tuple[str, ...],
                  load: Callable[[], Course]) -> Course:
    """The course at `commit`, from the cache when its trees were loaded before."""
    key = _key(repo, commit, folders)
    folder = Path(repo.git_dir) / "microcred-cache"
    path = folder / f"{key}.pickle"
    if key and path.is_file():
        try:
            with path.open("rb") as handle:
                course: Course = pickle.load(handle)
            return course
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass
    course = load()
    if key:
        _store(folder, path, course)
    return course


def _key(repo: git.Repo, commit: str, folders: tuple[str, ...]) -> str:
    try:
        trees = repo.git.rev_parse(*(f"{commit}:{folder}" for folder in folders))
    except git.GitCommandError:
        return ""
    schemas = "".join(sorted(p.read_text("utf-8") for p in resources.files(
        "microcred.schemas").iterdir() if p.name.endswith(".json")))
    return hashlib.sha256(f"{__version__}\n{trees}\n{schemas}".encode()).hexdigest()[:32]


def _store(folder: Path, path: Path, course: Course) -> None:
    try:
        folder.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(course, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return  # a cache that cannot be written is only slower
