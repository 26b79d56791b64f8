"""The README's end-to-end example runs as written: every command, in order, in a fresh clone;
and every `microcred` command the README and docs/ show is spelled as microcred takes it.

The commands are read from the files themselves, so the tests fail as soon as they show a
command that does not work when pasted; each result line the README's example shows must appear
in the output (commit ids, which differ from run to run, excepted).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import git

from microcred.cli import _parser
from tests.conftest import REPO

SECTION = "### A submission, end to end, with no GitHub account"
# What a clone holds that microcred reads: the course, the sample submissions, the site settings.
COURSE = ("content", "modules", "rubrics", "submissions", "mkdocs.yml")
MARK = "@@@ command"
STATUS = "@@@ exit status"
HEX = re.compile(r"\b[0-9a-f]{12,40}\b")


def readme_example() -> list[tuple[str, list[str]]]:
    """(command, result lines shown under it) for each `$ ` line of the README's example."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split(SECTION, 1)[1].split("```console\n", 1)[1].split("```", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def fresh_clone(target: Path) -> Path:
    """A new repository holding this one's course on `main`, as a clone would."""
    target.mkdir()
    for name in COURSE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    repo = git.Repo.init(target, initial_branch="main")
    repo.git.add("--all")
    repo.git.commit("-qm", "course", "--author", "Course <course@example.org>",
                    env={"GIT_COMMITTER_NAME": "Course", "GIT_COMMITTER_EMAIL": "course@example.org"})
    return target


def _environment(home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("MICROCRED_", "GIT_")) and k not in ("GITHUB_ACTIONS",)}
    bin_dir = str(Path(sys.executable).parent)  # where `microcred` is installed
    return {**keep, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
            "PATH": f"{bin_dir}{os.pathsep}{keep.get('PATH', '')}"}


def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    steps = readme_example()
    assert [c for c, _ in steps if "..." in c] == []
    clone = fresh_clone(tmp_path / "clone")
    home = tmp_path / "home"
    home.mkdir()
    # Each command's exit status follows its output; one the README shows failing (an `error:`
    # line) must fail, every other must succeed.
    script = "".join(f"echo '{MARK} {i}'\n{command}\necho \"{STATUS} $?\"\n"
                     for i, (command, _) in enumerate(steps))
    run = subprocess.run(["bash", "-c", script], cwd=clone, env=_environment(home),
                         capture_output=True, text=True, timeout=600, check=False)
    outputs = _by_command(run.stdout, len(steps))
    for (command, shown), out in zip(steps, outputs, strict=True):
        failed = not out.rstrip().endswith(f"{STATUS} 0")
        assert failed == any(line.startswith("error:") for line in shown), (command, run.stderr)
        for line in shown:
            assert HEX.sub("<sha>", line) in HEX.sub("<sha>", out + run.stderr), (command, line)


def _by_command(stdout: str, count: int) -> list[str]:
    parts = re.split(rf"^{MARK} \d+\n", stdout, flags=re.MULTILINE)[1:]
    assert len(parts) == count
    return parts


def documented_commands() -> list[tuple[str, str]]:
    """(file, command) for every `$ microcred ...` line of the README's and docs/' examples."""
    found = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if not line.startswith("$ microcred "):
                continue
            command = line[2:]
            while command.endswith("\\") and i + 1 < len(lines):  # continued lines
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            found.append((path.relative_to(REPO).as_posix(), command))
    return found


def test_every_documented_command_is_spelled_as_it_runs() -> None:
    """No placeholder `...` in a command, and every option and argument is one microcred takes."""
    problems = []
    for where, command in documented_commands():
        argv = shlex.split(command.split(" #")[0], comments=False)[1:]
        if any("..." in arg for arg in argv):
            problems.append(f"{where}: {command}: a literal '...'")
            continue
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                _parser().parse_args(argv)
        except SystemExit:
            problems.append(f"{where}: {command}: microcred does not take these arguments")
    assert problems == []
    assert len(documented_commands()) > 40
