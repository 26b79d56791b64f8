"""`microcred schema`: one schema printed, or all written, with the course's `$id`s."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.content.schema import KINDS, REPORTS


def _with_site_url(course: Path, url: str) -> None:
    config = course / "mkdocs.yml"
    config.write_text(f"site_url: {url}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")


def test_outside_a_course_the_id_is_the_urn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["schema", "module"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == "urn:microcred:schema:module:1"


def test_in_a_course_the_id_is_the_schema_address_on_its_site(
        course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with_site_url(course, "https://org.github.io/course")
    assert main(["schema", "rubric", "--root", str(course)]) == 0
    assert (json.loads(capsys.readouterr().out)["$id"]
            == "https://org.github.io/course/schemas/1/rubric.schema.json")


def test_write_puts_every_schema_in_the_folder(course: Path, tmp_path: Path) -> None:
    _with_site_url(course, "https://org.github.io/course/")
    out = tmp_path / "schemas"
    assert main(["schema", "--write", str(out), "--root", str(course), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{k}.schema.json" for k in KINDS + REPORTS)
    module = json.loads((out / "module.schema.json").read_text(encoding="utf-8"))
    assert module["$id"] == "https://org.github.io/course/schemas/1/module.schema.json"


def test_a_kind_and_write_together_is_a_usage_error(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "module", "--write", str(tmp_path), "--root", str(course)]) == 2
    assert "not both" in capsys.readouterr().err


def test_neither_a_kind_nor_write_is_a_usage_error(
        course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--root", str(course)]) == 2
    assert "give the KIND of schema to print" in capsys.readouterr().err


def test_an_unwritable_folder_names_it(course: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["schema", "--write", str(blocker / "sub"), "--root", str(course)]) == 2
    assert f"{blocker / 'sub'}" in capsys.readouterr().err
