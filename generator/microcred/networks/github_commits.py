"""A network pull request's commits from GitHub, as a small local repository the check can read.

The course's issue job checks every merged network pull request again with its own code and its
own record of the pin (commands/networks.py, network_recheck). On the local forge the network's
bare repository holds the commits; on GitHub this module reads what the check needs through the
API and writes it into a temporary repository as two commits:

    base   the base commit's versions of the paths that matter
    head   the head commit's versions of them

The paths that matter are every path the pull request changes and everything under the
submission folders it touches (the check reads a whole folder), so the check sees the same
changes and the same folders as in a full clone, with a few requests: two tree listings and one
blob per file. File modes come from GitHub's trees, so a symbolic link stays one.
"""

from __future__ import annotations

import base64
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import git

from microcred.forge.base import ForgeError
from microcred.forge.github_admin import AdminClient

SUBMISSIONS = "submissions/"
FOLDER_DEPTH = 4  # submissions/<login>/<credential>/<module>


@dataclass(frozen=True)
class Entry:
    mode: str
    sha: str


@dataclass(frozen=True)
class Commits:
    repo: git.Repo
    base: str
    head: str


def tree(client: AdminClient, repo: str, sha: str) -> dict[str, Entry]:
    found = client.get(f"/repos/{repo}/git/trees/{sha}", recursive="1")
    if found is None:
        raise ForgeError(f"{repo}: no commit {sha[:12]} (was the branch force-pushed?)")
    if found.get("truncated"):
        raise ForgeError(f"{repo}: GitHub listed only part of {sha[:12]}; too many files")
    return {e["path"]: Entry(e["mode"], e["sha"]) for e in found["tree"] if e["type"] == "blob"}


def paths_that_matter(base: dict[str, Entry], head: dict[str, Entry]) -> set[str]:
    """Changed paths, and every path under a submission folder a change touches (pure)."""
    changed = {p for p in base.keys() | head.keys() if base.get(p) != head.get(p)}
    folders = {"/".join(p.split("/")[:FOLDER_DEPTH]) + "/" for p in changed
               if p.startswith(SUBMISSIONS) and p.count("/") >= FOLDER_DEPTH}
    return changed | {p for p in base.keys() | head.keys() if p.startswith(tuple(folders))}


@contextmanager
def fetched(client: AdminClient, repo: str, base_sha: str, head_sha: str) -> Iterator[Commits]:
    """The pull request's base and head, as far as the check reads them, in a temporary repo."""
    base, head = tree(client, repo, base_sha), tree(client, repo, head_sha)
    wanted = paths_that_matter(base, head)
    with tempfile.TemporaryDirectory(prefix="microcred-network-") as tmp:
        local = git.Repo.init(tmp)
        blobs: dict[str, str] = {}
        first = _commit(local, client, repo, {p: base[p] for p in wanted if p in base}, blobs, [])
        second = _commit(local, client, repo, {p: head[p] for p in wanted if p in head}, blobs,
                         [first])
        yield Commits(local, first, second)


def _commit(local: git.Repo, client: AdminClient, repo: str, entries: dict[str, Entry],
            blobs: dict[str, str], parents: list[str]) -> str:
    index = Path(local.git_dir) / "index-microcred"
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    index.unlink(missing_ok=True)
    lines = []
    for path, entry in sorted(entries.items()):
        if entry.sha not in blobs:
            blobs[entry.sha] = _store(local, client, repo, entry.sha)
        lines.append(f"{entry.mode} {blobs[entry.sha]}\t{path}")
    if lines:
        _git(local, env, "update-index", "--index-info", input_="\n".join(lines) + "\n")
    tree_id = _git(local, env, "write-tree")
    args = [a for p in parents for a in ("-p", p)]
    return _git(local, {**env, "GIT_AUTHOR_NAME": "microcred", "GIT_AUTHOR_EMAIL": "microcred@local",
                        "GIT_COMMITTER_NAME": "microcred", "GIT_COMMITTER_EMAIL": "microcred@local"},
                "commit-tree", tree_id, *args, "-m", "network pull request")


def _store(local: git.Repo, client: AdminClient, repo: str, sha: str) -> str:
    blob = client.get(f"/repos/{repo}/git/blobs/{sha}")
    if blob is None:
        raise ForgeError(f"{repo}: no blob {sha[:12]}")
    data = base64.b64decode(blob["content"])
    return _git(local, dict(os.environ), "hash-object", "-w", "--stdin", input_bytes=data)


def _git(local: git.Repo, env: dict[str, str], *args: str, input_: str | None = None,
         input_bytes: bytes | None = None) -> str:
    data = input_bytes if input_bytes is not None else (input_ or "").encode("utf-8")
    result = subprocess.run(["git", "-C", str(local.working_dir), *args], input=data,
                            capture_output=True, check=False, env=env)
    if result.returncode != 0:
        raise ForgeError(f"git {args[0]}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode("utf-8").strip()
