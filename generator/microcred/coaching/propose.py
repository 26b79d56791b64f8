"""Propose one coaching file by pull request: a commit on a new branch from the base, pushed
(GitHub), and the pull request. Shared by `microcred log` (a coach's entry) and
`microcred community` (a leader's record).

The commit is made with git's plumbing on a private index, so the working tree, the index and
the branch checked out are never touched: an uncommitted draft of the same file, or any other
work in progress, stays exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import git

from microcred.errors import UsageError
from microcred.forge import gitstore
from microcred.forge.select import open_forge
from microcred.submission.branch import base_ref, push


@dataclass(frozen=True)
class Proposal:
    path: str  # repository path of the file
    text: str
    branch: str
    commit_message: str
    title: str
    body: str


def propose(root: Path, forge_kind: str, actor: str, base: str, proposal: Proposal) -> int:
    """Commit the file on a new branch from `base`, push it (GitHub), open the pull request;
    return its number."""
    repo = git.Repo(root)
    if proposal.branch in (h.name for h in repo.heads):
        raise UsageError(f"branch {proposal.branch} already exists: this change is proposed there "
                         "(merge or delete it first; nothing was recorded)")
    commit_on_new_branch(repo, base_ref(repo, base), proposal)
    if forge_kind == "github":
        push(repo, proposal.branch)
    forge = open_forge(forge_kind, root, actor)
    return forge.open_pull_request(proposal.branch, base, proposal.title, proposal.body).number


def commit_on_new_branch(repo: git.Repo, start: str, proposal: Proposal) -> str:
    """Create `proposal.branch` at a commit on `start` that writes the one file; return its sha.
    The branch is created only if it does not exist (never moved)."""
    blob = gitstore.write_blob(repo, proposal.text.encode("utf-8"))
    tree = gitstore.tree_with(repo, start, proposal.path, blob)
    try:  # as the person running the command, as `git commit` would
        commit = str(repo.git.commit_tree(tree, "-p", start, "-m", proposal.commit_message))
    except git.GitCommandError as exc:
        raise UsageError(f"git could not commit {proposal.path}: {str(exc.stderr).strip()} "
                         "(tell git who you are: `git config user.name \"Your Name\"` and "
                         "`git config user.email you@example.org`; then run this again)") from None
    gitstore.swap_ref(repo, f"refs/heads/{proposal.branch}", commit, None)  # must not exist yet
    return commit
