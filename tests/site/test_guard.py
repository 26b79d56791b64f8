"""`microcred build` refuses a build that would not be a microcred site, and checks the marker
the plugin leaves as its last step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.site.guard import MARKER, clear_marker, marker_problem


def _edit(course: Path, old: str, new: str) -> None:
    config = course / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def _build(course: Path, site: Path) -> int:
    return main(["build", "--root", str(course), "--site-dir", str(site), "-q"])


def test_a_build_without_the_plugin_is_refused_before_it_starts(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(course, "  - microcred\n", "")
    assert _build(course, tmp_path / "site") == 2
    assert capsys.readouterr().err == (
        f"error: {course / 'mkdocs.yml'}: plugins: the microcred plugin is not listed, so the "
        "site would have no programme, credential or module page (add '- microcred' under "
        "plugins)\n")
    assert not (tmp_path / "site").exists()


def test_another_theme_is_refused_and_the_export_suggested(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(course, "  name: material\n", "  name: mkdocs\n")
    assert _build(course, tmp_path / "site") == 2
    err = capsys.readouterr().err
    assert (f"{course / 'mkdocs.yml'}: theme.name: the pages are made for the material theme, "
            "not mkdocs (set 'theme: {name: material}'") in err
    assert "microcred build --export DIR" in err
    assert not (tmp_path / "site").exists()


def test_the_plugin_marks_the_site_it_built(course: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text('{"pages": -1}')  # an earlier build's: cleared first
    assert _build(course, site) == 0
    marker = json.loads((site / MARKER).read_text())
    assert marker["generator"].startswith("microcred ") and marker["pages"] > 4


def test_a_site_without_the_marker_is_reported_incomplete(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<html></html>")
    problem = marker_problem(tmp_path)
    assert problem is not None and "the microcred plugin did not finish this build" in problem
    assert "do not publish it" in problem
    (tmp_path / MARKER).write_text("{}")
    assert marker_problem(tmp_path) is None
    clear_marker(tmp_path)
    clear_marker(tmp_path)  # nothing to clear is fine
    assert marker_problem(tmp_path) is not None
