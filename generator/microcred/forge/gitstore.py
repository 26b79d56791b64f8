"""Small git plumbing helpers: write objects and move refs with compare-and-swap.

Nothing here touches a work tree, so it is safe on a repository someone is working in.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import git

from microcred.forge.base import Conflict, ForgeError

ZERO = "0" * 40
# Private index files of one tree-building call: microcred-index-<pid>-<random>, plus git's
# `.lock` beside one while it writes. A process killed mid-call leaves them behind.
INDEX_PREFIX = "microcred-index-"
_INDEX = re.compile(rf"^{INDEX_PREFIX}(?:(?P<pid>\d+)-)?[0-9a-f]{{32}}(?:\.lock)?$")
STALE_AFTER = 3600  # seconds: an index this old is left over, whoever made it


def run(repo: git.Repo, *args: str, data: bytes | None = None,
        env: dict[str, str] | None = None) -> str:
    """Run a git plumbing command in `repo`; return its stdout."""
    return _git(str(repo.git_dir), args, data, env)


def run_in_worktree(repo: git.Repo, *args: str) -> str:
    """Run a git command that updates the work tree of a non-bare repository."""
    return _git(str(repo.working_dir), args, None, None)


def _git(where: str, args: tuple[str, ...], data: bytes | None,
         env: dict[str, str] | None) -> str:
    result = subprocess.run(
        ["git", "-C", where, *args], input=data, capture_output=True, check=False,
        env={"GIT_TERMINAL_PROMPT": "0", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
             **(env or {})})
    if result.returncode != 0:
        raise ForgeError(f"git {args[0]}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode("utf-8", errors="replace").strip()


def write_blob(repo: git.Repo, data: bytes) -> str:
    return run(repo, "hash-object", "-w", "--stdin", data=data)


def ref_sha(repo: git.Repo, ref: str) -> str | None:
    """The commit a ref points to, or None when it does not exist."""
    try:
        return run(repo, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
    except ForgeError:
        return None


def commit_tree(repo: git.Repo, tree: str, parents: list[str], message: str, author: str) -> str:
    args = ["commit-tree", tree]
    for parent in parents:
        args += ["-p", parent]
    email = f"{author}@users.noreply.local"
    return run(repo, *args, "-m", message, env={
        "GIT_AUTHOR_NAME": author, "GIT_COMMITTER_NAME": author,
        "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email})


def tree_with(repo: git.Repo, commit: str, path: str, blob: str) -> str:
    """A new tree: `commit`'s tree with `path` set to `blob`, via a private index (the work
    tree, the index and every branch untouched)."""
    # One index per call: writers of the same blob at the same time must not share one.
    index = private_index(repo)
    env = {"GIT_INDEX_FILE": index}
    try:
        run(repo, "read-tree", commit, env=env)
        run(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        return run(repo, "write-tree", env=env)
    finally:
        for leftover in (index, f"{index}.lock"):
            if os.path.exists(leftover):
                os.remove(leftover)


def swap_ref(repo: git.Repo, ref: str, new: str, old: str | None) -> None:
    """Point `ref` at `new` only if it still points at `old` (None: only if it does not exist)."""
    try:
        run(repo, "update-ref", ref, new, old or ZERO)
    except ForgeError as exc:
        raise Conflict(f"{ref} moved while we were updating it") from exc


def pack_refs(repo: git.Repo) -> bool:
    """Pack every ref into `packed-refs` (`git pack-refs --all`, what `git gc` does); False when
    git could not (another process packing at the same moment): the next packing will.

    Safe beside writers: git locks each ref it folds in, and a ref updated later is written
    loose again over its packed value.
    """
    try:
        run(repo, "pack-refs", "--all")
    except ForgeError:
        return False
    return True


def write_json_ref(repo: git.Repo, ref: str, data: dict[str, Any], message: str, author: str,
                   old: str | None) -> str:
    """Commit `data` as `record.json` on `ref` (history kept), guarded by `old`."""
    blob = write_blob(repo, json.dumps(data, indent=2, sort_keys=True).encode() + b"\n")
    tree = run(repo, "mktree", data=f"100644 blob {blob}\trecord.json\n".encode())
    commit = commit_tree(repo, tree, [old] if old else [], message, author)
    swap_ref(repo, ref, commit, old)
    return commit


def read_json_ref(repo: git.Repo, ref: str) -> tuple[dict[str, Any], str] | None:
    """The record on `ref` and the commit it was read from."""
    sha = ref_sha(repo, ref)
    if sha is None:
        return None
    return json.loads(run(repo, "cat-file", "blob", f"{sha}:record.json")), sha


def private_index(repo: git.Repo) -> str:
    """A fresh path for a private index file, named after this process."""
    return f"{repo.git_dir}/{INDEX_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"


def sweep_stale_indexes(repo: git.Repo) -> list[str]:
    """Remove private index files (and their locks) left by processes that died; their names."""
    removed = []
    for path in Path(repo.git_dir).glob(f"{INDEX_PREFIX}*"):
        match = _INDEX.match(path.name)
        if match and _left_over(path, match["pid"]):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def _left_over(path: Path, pid: str | None) -> bool:
    try:
        if time.time() - path.stat().st_mtime > STALE_AFTER:
            return True
    except FileNotFoundError:
        return False  # its owner finished and removed it just now
    return pid is not None and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True
