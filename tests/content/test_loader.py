"""Finding the course repository from a folder inside it (content/loader.find_root)."""

from __future__ import annotations

import os
from pathlib import Path

import git
import pytest

from microcred.content.loader import CEILING_VARIABLE, find_root
from microcred.errors import ConfigError


def _course_folders(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "modules").mkdir()
    return root


def test_finds_the_course_from_a_folder_below_it(tmp_path: Path) -> None:
    root = _course_folders(tmp_path / "course")
    deep = root / "modules" / "observe" / "notes"
    deep.mkdir(parents=True)
    assert find_root(deep, environ={}) == root.resolve()


def test_a_course_above_the_git_repository_is_not_taken(tmp_path: Path) -> None:
    _course_folders(tmp_path)
    inner = tmp_path / "unrelated"
    inner.mkdir()
    git.Repo.init(inner)
    with pytest.raises(ConfigError, match="not inside a course repository"):
        find_root(inner / ".", environ={})
    # Without the repository boundary the stray folders above would have been found.
    plain = tmp_path / "plain"
    plain.mkdir()
    assert find_root(plain, environ={}) == tmp_path.resolve()


def test_a_course_inside_a_larger_repository_is_found(tmp_path: Path) -> None:
    git.Repo.init(tmp_path)
    root = _course_folders(tmp_path / "courses" / "leadership")
    (root / "content" / "pages").mkdir()
    assert find_root(root / "content" / "pages", environ={}) == root.resolve()


def test_the_search_stops_below_a_ceiling(tmp_path: Path) -> None:
    _course_folders(tmp_path)
    work = tmp_path / "work" / "here"
    work.mkdir(parents=True)
    ceilings = os.pathsep.join(["/nonexistent/elsewhere", str(tmp_path)])
    with pytest.raises(ConfigError, match="not inside a course repository"):
        find_root(work, environ={CEILING_VARIABLE: ceilings})
    # A ceiling is never entered from below, but a course at the ceiling itself is found there.
    assert find_root(tmp_path, environ={CEILING_VARIABLE: str(tmp_path)}) == tmp_path.resolve()


def test_the_test_suite_runs_under_a_ceiling(tmp_path: Path) -> None:
    assert os.environ[CEILING_VARIABLE]
    assert tmp_path.resolve().is_relative_to(Path(os.environ[CEILING_VARIABLE]).resolve())
