"""`microcred init` creates a course that lints clean and builds."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main


def test_init_creates_a_valid_git_course(tmp_path: Path) -> None:
    target = tmp_path / "new-course"
    assert main(["init", str(target), "--title", "District Leadership", "-q"]) == 0
    assert main(["lint", "--root", str(target), "-q"]) == 0
    assert "site_name: \"District Leadership\"" in (target / "mkdocs.yml").read_text()
    repo = git.Repo(target)
    staged = {path for path, _ in repo.index.entries}
    assert {".gitignore", "mkdocs.yml", "modules/first-module/module.yml",
            "submissions/.gitkeep"} <= staged
    for folder in ("content", "modules", "rubrics", "submissions"):
        assert (target / folder).is_dir()


def test_init_course_builds(tmp_path: Path) -> None:
    target = tmp_path / "c"
    assert main(["init", str(target), "-q"]) == 0
    assert main(["build", "--root", str(target), "--site-dir", str(tmp_path / "site"), "-q"]) == 0
    assert (tmp_path / "site/modules/first-module/index.html").is_file()


def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["init", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path}: folder is not empty (choose a new or empty folder)\n")
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
