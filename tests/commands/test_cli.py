"""The CLI, called as `main(argv)`: exit codes and exact output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from microcred.cli import main
from tests.helpers import replace


def test_lint_clean_course_exits_0(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--root", str(course)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("lint: no problems in ")


def test_lint_findings_exit_1_with_one_line_each(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(course / "modules/observation/module.yml", "rubric: observation", "rubric: obs")
    assert main(["lint", "--root", str(course), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == (
        "modules/observation/module.yml:8: rubric: unknown rubric 'obs' "
        "(create rubrics/<id>.yml for rubric 'obs' or use an existing one)")
    assert captured.err == ""


def test_lint_json_is_data(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(course / "content/credentials/my-credential.yml", "version: 0.1.0", "version: x")
    assert main(["lint", "--root", str(course), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == 1
    assert report["findings"] == [{
        "path": "content/credentials/my-credential.yml", "line": 5, "key": "version",
        "message": "'x' has the wrong form", "fix": "use a semantic version such as 1.0.0"}]


def test_lint_finds_the_course_from_a_subfolder(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(course / "modules" / "observation")
    assert main(["lint"]) == 0


def test_outside_a_course_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path.resolve()}: not inside a course repository")
    assert "microcred init" in err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_schema_prints_the_published_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # outside any course: the schema's URN
    assert main(["schema", "rubric"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$id"] == "urn:microcred:schema:rubric:1"
    assert "criteria" in schema["required"]


def test_build_refuses_a_broken_course(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(course / "rubrics/observation.yml", "required: developing", "required: great")
    assert main(["build", "--root", str(course), "--site-dir", str(tmp_path / "s"), "-q"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("rubrics/observation.yml:21: criteria[1].required: level 'great'")
    assert captured.err == "error: the course has 1 problem(s); fix them before building\n"
    assert not (tmp_path / "s" / "index.html").exists()


@pytest.mark.parametrize("argv", [["submit", "-h"], ["pr", "list", "-h"], ["review", "-h"],
                                  ["badge", "get", "-h"], ["doctor", "-h"]])
def test_every_forge_option_is_explained(argv: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    usage = " ".join(capsys.readouterr().out.split())
    assert re.search(r"--forge \{local,github\} (where|which) ", usage), usage
