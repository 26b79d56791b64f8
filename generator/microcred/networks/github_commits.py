"""A network pull request's commits from GitHub, as a small local repository the check can read.

The course's issue job checks every merged network pull request again with its own code and its
own record of the pin (networks/issuing.py, network_recheck). On the local forge the network's
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
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import git

from microcred.forge import gitstore
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
    env = {"GIT_INDEX_FILE": str(Path(local.git_dir) / "index-microcred")}
    Path(env["GIT_INDEX_FILE"]).unlink(missing_ok=True)
    lines = []
    for path, entry in sorted(entries.items()):
        if entry.sha not in blobs:
            blobs[entry.sha] = _store(local, client, repo, entry.sha)
        lines.append(f"{entry.mode} {blobs[entry.sha]}\t{path}")
    if lines:
        gitstore.run(local, "update-index", "--index-info",
                     data=("\n".join(lines) + "\n").encode("utf-8"), env=env)
    tree = gitstore.run(local, "write-tree", env=env)
    return gitstore.commit_tree(local, tree, parents, "network pull request", "microcred")


def _store(local: git.Repo, client: AdminClient, repo: str, sha: str) -> str:
    blob = client.get(f"/repos/{repo}/git/blobs/{sha}")
    if blob is None:
        raise ForgeError(f"{repo}: no blob {sha[:12]}")
    return gitstore.write_blob(local, base64.b64decode(blob["content"]))
