"""Network repositories on the local forge: one bare repository per network beside the course.

    <parent>/<course>/                    the course repository (content, rules, the ledger)
    <parent>/<course>.networks/<id>.git   one bare repository per network

Access is the registry's (registry.py): `open_network` is the only way this package reaches a
network repository, and it refuses anyone the registry does not list as a reader (or, for
writing, a pusher). The filesystem is not a wall on one machine; the API layer is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import git

from microcred.content.history import COURSE_FOLDERS
from microcred.forge.base import ForgeError
from microcred.forge.local import LocalForge
from microcred.networks.registry import NetworkRecord
from microcred.networks.seed import seed_files

READ, PUSH = "read", "push"
BOT_EMAIL = "microcred-bot@users.noreply.local"


class AccessDenied(ForgeError):
    """The registry does not let this login read (or push to) that network's repository."""


def networks_dir(course_root: Path) -> Path:
    return course_root.parent / f"{course_root.name}.networks"


def repo_name(course_root: Path, network_id: str) -> str:
    """The registry's `repo` for a local network: relative to the course's parent folder."""
    return f"{course_root.name}.networks/{network_id}.git"


def repo_path(course_root: Path, record: NetworkRecord) -> Path:
    return course_root.parent / record.repo


def check_access(record: NetworkRecord, actor: str, need: str) -> None:
    allowed = record.may_push(actor) if need == PUSH else record.may_read(actor)
    if not allowed:
        verb = "push to" if need == PUSH else "read"
        why = " (archived: read only)" if need == PUSH and record.state != "active" else ""
        raise AccessDenied(f"{actor} may not {verb} the repository of network '{record.id}'{why}; "
                           "its readers and pushers come from the roster (networks sync)")


def open_network(course_root: Path, record: NetworkRecord, actor: str,
                 need: str = READ) -> LocalForge:
    """The forge of `record`'s repository acting as `actor`, who must be allowed `need`."""
    check_access(record, actor, need)
    path = repo_path(course_root, record)
    try:
        return LocalForge(git.Repo(path), actor)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ForgeError(f"{path}: the repository of network '{record.id}' is missing; run "
                         "`microcred networks sync`") from None


def clone(course_root: Path, record: NetworkRecord, actor: str, target: Path) -> git.Repo:
    """A working clone of the network's repository for `actor` (a reader)."""
    check_access(record, actor, READ)
    repo = git.Repo.clone_from(str(repo_path(course_root, record)), str(target))
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", actor)
        cfg.set_value("user", "email", f"{actor}@users.noreply.local")
    return repo


def push(course_root: Path, record: NetworkRecord, actor: str, work: git.Repo, branch: str) -> None:
    """Push `branch` of `actor`'s clone to the network's repository (a pusher only)."""
    check_access(record, actor, PUSH)
    if branch in ("main",) and actor not in record.coaches:
        raise AccessDenied(f"{actor} may not push to main of network '{record.id}'; open a pull "
                           "request from a branch")
    _git(str(work.git_dir), "push", "--quiet", str(repo_path(course_root, record)),
         f"refs/heads/{branch}:refs/heads/{branch}")


def ensure_repo(course_root: Path, record: NetworkRecord) -> bool:
    """Create the bare repository if it is not there yet; whether it was created."""
    path = repo_path(course_root, record)
    if (path / "HEAD").is_file():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    git.Repo.init(path, bare=True, initial_branch="main")
    return True


def seed(course_root: Path, record: NetworkRecord, course_repo_name: str,
         course_files: Path) -> str | None:
    """Bring main of the network's repository to the course at `record.course_commit` (course
    folders from `course_files`, a copy of them at that commit; workflows, pin file, network
    file), keeping everything else on main (submissions). The new commit, or None when main
    already matches."""
    bare = repo_path(course_root, record)
    course = git.Repo(course_root)
    files = seed_files(course, record, course_repo_name)
    if _matches(course_root, bare, record.course_commit, files):
        return None
    with tempfile.TemporaryDirectory(prefix="microcred-seed-") as tmp:
        work = Path(tmp) / "tree"
        shutil.copytree(course_files, work)
        for path, text in files.items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(text, encoding="utf-8")
        message = f"Course rules at {record.course_commit[:12]} for network {record.id}"
        return commit_over_main(bare, work, COURSE_FOLDERS, message)


def _matches(course_root: Path, bare: Path, commit: str, files: dict[str, str]) -> bool:
    """Whether main of `bare` already holds the course folders of `commit` (same tree ids: git
    names a tree by its content) and exactly `files`: then seeding would change nothing."""
    if not _head(bare):
        return False
    for folder in COURSE_FOLDERS:
        if _object(str(course_root), f"{commit}:{folder}") != _object(str(bare), f"main:{folder}"):
            return False
    return all(_object(str(bare), f"main:{path}") ==
               _git(str(bare), "hash-object", "--stdin", input_=text.encode("utf-8"))
               for path, text in files.items())


def _object(where: str, spec: str) -> str:
    try:
        return _git(where, "rev-parse", "--verify", "--quiet", spec)
    except ForgeError:
        return ""


def copy_folder(source: Path, target: Path, folder: str, message: str) -> str | None:
    """Copy `folder` as it is on main of bare repository `source` onto main of `target`, as
    files (no objects of `source` beyond them reach `target`). The new commit, or None."""
    with tempfile.TemporaryDirectory(prefix="microcred-move-") as tmp:
        work = Path(tmp) / "tree"
        work.mkdir()
        archive = _git_bytes(str(source), "archive", "--format=tar", "refs/heads/main", "--", folder)
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        return commit_over_main(target, work, (), message)


def commit_over_main(bare: Path, work: Path, replaced: tuple[str, ...], message: str) -> str | None:
    """Commit `work`'s files over main's tree of `bare`: the folders `replaced` taken wholly from
    `work`, everything else on main kept. The new commit, or None when nothing changes."""
    index = work.parent / "index"
    env = {"GIT_DIR": str(bare), "GIT_INDEX_FILE": str(index), "GIT_WORK_TREE": str(work)}
    here = str(work)
    old = _head(bare)
    if old:
        _git(here, "read-tree", old, env=env)
        if replaced:
            _git(here, "rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", *replaced,
                 env=env)
    # Only what `work` holds: files of main that are not in it (submissions) stay as they are.
    _git(here, "add", "--all", "--", *sorted(p.name for p in work.iterdir()), env=env)
    tree = _git(here, "write-tree", env=env)
    if old and _git(str(bare), "rev-parse", f"{old}^{{tree}}") == tree:
        return None
    parents = ["-p", old] if old else []
    commit = _git(str(bare), "commit-tree", tree, *parents, "-m", message, env={
        "GIT_AUTHOR_NAME": "microcred-bot", "GIT_COMMITTER_NAME": "microcred-bot",
        "GIT_AUTHOR_EMAIL": BOT_EMAIL, "GIT_COMMITTER_EMAIL": BOT_EMAIL})
    _git(str(bare), "update-ref", "refs/heads/main", commit, old or "0" * 40)
    return commit


def _head(bare: Path) -> str:
    try:
        return _git(str(bare), "rev-parse", "--verify", "--quiet", "refs/heads/main^{commit}")
    except ForgeError:
        return ""


def _git(where: str, *args: str, env: dict[str, str] | None = None,
         input_: bytes | None = None) -> str:
    return _git_bytes(where, *args, env=env, input_=input_).decode("utf-8", errors="replace").strip()


def _git_bytes(where: str, *args: str, env: dict[str, str] | None = None,
               input_: bytes | None = None) -> bytes:
    result = subprocess.run(["git", "-C", where, *args], input=input_, capture_output=True,
                            check=False,
                            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})})
    if result.returncode != 0:
        raise ForgeError(f"git {args[0]} in {where}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def has_path(bare: Path, path: str) -> bool:
    """Whether main of `bare` has `path`."""
    try:
        return bool(_git(str(bare), "ls-tree", "--name-only", "refs/heads/main", "--", path))
    except ForgeError:
        return False
