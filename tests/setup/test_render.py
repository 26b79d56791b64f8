"""The workflows come from the package's templates: this repository's are exactly the rendered
ones, and a course's keep the workflow policy and pass zizmor."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from microcred.setup.generated import Stamp, stamp_of
from microcred.setup.render import PIN_PATH, WORKFLOWS, Install, generated_files
from tests.conftest import REPO
from tests.workflows.policy import problems

COURSE = Install(microcred="microcred==0.1.0 --hash=sha256:" + "ab" * 32)


def test_this_repository_runs_the_rendered_workflows() -> None:
    for rel, text in generated_files(Install(tree=True)).items():
        assert (REPO / rel).read_text(encoding="utf-8") == text, (
            f"{rel} differs from the templates: run `microcred init --update`")


def test_a_course_installs_only_from_its_pin_file() -> None:
    files = generated_files(COURSE)
    assert sorted(files) == [PIN_PATH, *sorted(f".github/workflows/{n}" for n in WORKFLOWS)]
    pin = files[PIN_PATH]
    assert "\nmicrocred==0.1.0 --hash=sha256:abab" in pin
    assert "\nmkdocs==" in pin and "setuptools" not in pin
    for name in WORKFLOWS:
        text = files[f".github/workflows/{name}"]
        installs = [line.strip() for line in text.splitlines() if "pip install" in line]
        assert installs and all("--require-hashes -r" in line for line in installs), name
        assert "--no-build-isolation" not in text


def test_the_check_installs_what_the_base_commit_pins() -> None:
    text = generated_files(COURSE)[".github/workflows/check.yml"]
    assert ("run: python -m pip install --quiet --require-hashes -r "
            "trusted/.github/microcred-requirements.txt") in text


def test_generated_files_carry_their_stamp() -> None:
    for rel, text in generated_files(COURSE).items():
        stamp = stamp_of(text)
        assert stamp is not None and not stamp.edited, rel
    edited = generated_files(COURSE)[".github/workflows/lint.yml"].replace("read-only", "readonly")
    assert stamp_of(edited) == Stamp("0.1.0", True)


@pytest.mark.parametrize("install", [COURSE, Install(tree=True)], ids=["course", "tree"])
def test_rendered_workflows_keep_the_policy_and_pass_zizmor(install: Install, tmp_path: Path) -> None:
    folder = tmp_path / ".github/workflows"
    folder.mkdir(parents=True)
    for rel, text in generated_files(install).items():
        if rel.startswith(".github/workflows/"):
            (tmp_path / rel).write_text(text, encoding="utf-8")
    for path in sorted(folder.iterdir()):
        assert problems(path) == [], path.name
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (it is in the test extras)")
    done = subprocess.run([zizmor, "--offline", "--no-progress", str(folder)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _pinned(path: Path) -> set[str]:
    return {line.split("==")[0].lower() for line in path.read_text(encoding="utf-8").splitlines()
            if "==" in line and not line.startswith((" ", "#"))}


def _declared(names: list[str]) -> set[str]:
    return {re.split(r"[<>=\[; ]", name, maxsplit=1)[0].lower() for name in names}


def test_the_locks_pin_every_declared_dependency() -> None:
    """A dependency added to pyproject.toml needs `.ci/lock`, or the workflows cannot install it."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _declared(project["dependencies"])
    assert runtime - _pinned(REPO / "generator/microcred/setup/requirements.txt") == set()
    tests = runtime | _declared(project["optional-dependencies"]["test"])
    assert tests - _pinned(REPO / ".github/test-requirements.txt") == set()
