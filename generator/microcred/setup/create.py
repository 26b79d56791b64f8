"""A new course repository, made in a staging folder and moved into place only when complete.

Steps, in order: refuse a target that is not a fresh folder outside any course or repository;
write the skeleton; lint it; add CODEOWNERS from its roster, the staff README, the pin file,
the workflows and the editor set-up; commit; tag the first release; move the folder into place.
Nothing is left at the target unless every step succeeded, so an interrupted `init` can simply
be run again.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import git

from microcred.content import releasing
from microcred.content.crossref import check_references
from microcred.content.loader import CONTENT_DIR, MODULES_DIR, load_course
from microcred.errors import ConfigError, UsageError
from microcred.roster import CODEOWNERS_PATH, codeowners
from microcred.setup import scaffold
from microcred.setup.editor import editor_files
from microcred.setup.render import Install, generated_files, staff_readme

_STAGING = ".{name}.microcred-init-"


@dataclass(frozen=True)
class Created:
    """What `create` made."""

    files: int
    commit: str
    tag: str


def check_target(directory: Path) -> None:
    """Refuse a folder that is not new or empty, or that sits in a course or a repository."""
    target = directory.absolute()
    if target.exists() and not target.is_dir():
        raise UsageError(f"{directory}: is a file (choose a new or empty folder)")
    if (target / ".git").exists():
        raise UsageError(f"{directory}: is already a git repository (choose a new or empty "
                         "folder; to refresh an existing course's workflows, run `microcred "
                         "init --update` in it)")
    if target.exists() and any(target.iterdir()):
        raise UsageError(f"{directory}: folder is not empty (choose a new or empty folder)")
    for folder in target.parents:
        if (folder / CONTENT_DIR).is_dir() and (folder / MODULES_DIR).is_dir():
            raise UsageError(f"{directory}: is inside the course at {folder} (choose a folder "
                             "outside any course)")
    existing = next(p for p in (target, *target.parents) if p.exists())
    inside = _git(existing, "rev-parse", "--show-toplevel")
    if inside is not None:
        raise UsageError(f"{directory}: is inside the git repository {inside.strip()} (choose a "
                         "folder outside it: a course is a repository of its own)")
    if _git(existing, "var", "GIT_COMMITTER_IDENT") is None:
        raise ConfigError("git does not know who you are, and init makes the first commit: run "
                          "git config --global user.name \"Your Name\" and git config --global "
                          "user.email you@example.org")


def _git(cwd: Path, *args: str) -> str | None:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else None


def create(directory: Path, options: scaffold.Options, install: Install, today: dt.date) -> Created:
    """Make the repository at `directory` (see the module's steps)."""
    target = directory.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING.format(name=target.name), dir=target.parent))
    try:
        try:
            made = _build(staging, options, install, today)
        except git.GitCommandError as exc:
            raise ConfigError(f"{directory}: git failed ({str(exc.stderr).strip()}); nothing was "
                              "written: fix git's configuration and run init again") from exc
        if target.exists():
            target.rmdir()  # empty, as check_target found it
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return made


def _remove_stale_staging(target: Path) -> None:
    # A staging folder left by a killed run of init for the same target.
    for stale in target.parent.glob(_STAGING.format(name=target.name) + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def _build(root: Path, options: scaffold.Options, install: Install, today: dt.date) -> Created:
    files = scaffold.files(options, today)
    _write(root, files)
    loaded = load_course(root)
    findings = loaded.findings + check_references(loaded)
    if findings:
        raise ConfigError(f"the scaffold does not lint: {findings[0].render()}")
    credential = loaded.course.credentials[scaffold.CREDENTIAL]
    extra = {CODEOWNERS_PATH: codeowners(loaded.course),
             "README.md": staff_readme(options.title, credential.id, credential.version),
             **generated_files(install), **editor_files(options.site_url)}
    _write(root, {path: text.encode("utf-8") for path, text in extra.items()})
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.add("--all")
    repo.git.commit("-q", "-m", f"Start {options.title} with microcred init")
    plan = releasing.plan(repo, root, credential, None)
    tag = releasing.make(repo, root, credential, plan, "First release.")
    return Created(len(files) + len(extra), repo.head.commit.hexsha, tag)


def _write(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
