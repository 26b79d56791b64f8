"""A forge on a plain git repository: pull requests are branches, their records live in refs.

Each pull request has a ref `refs/microcred/pulls/<n>` pointing at a chain of commits; every
change (review, comment, merge) adds a commit, so the history is append-only, and every update
is a compare-and-swap on the ref, so concurrent writers never lose each other's work.

Every PACK_EVERY pull requests the refs are packed into one file (`git pack-refs --all`, as
`git gc` would): a year of a large programme is tens of thousands of refs, and each listing of
them (the next number, `progress`) would otherwise open every one as its own file.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import git

from microcred.forge import gitstore
from microcred.forge.base import (
    BOT_MARKER,
    CLOSED,
    MERGED,
    OPEN,
    STATUS_STATES,
    Comment,
    CommitStatus,
    Conflict,
    ForgeError,
    PullRequest,
    Review,
    status_description,
)

PULLS = "refs/microcred/pulls/"
# One ref per commit that carries statuses, as GitHub keeps statuses per commit, not per pull request.
STATUSES = "refs/microcred/statuses/"
RETRIES = 40
PACK_EVERY = 256  # pull requests opened between two packings of the refs


def _back_off(attempt: int) -> None:
    """Wait a little, more each time and at random, so writers racing for a ref spread out."""
    time.sleep(random.uniform(0, 0.005 * min(attempt + 1, 20)))


class LocalForge:
    """Pull requests on a local repository, acting as `actor` (a GitHub-style login)."""

    def __init__(self, repo: git.Repo, actor: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 pack_every: int = PACK_EVERY) -> None:
        self.repo = repo
        self.actor = actor
        self.clock = clock
        self.pack_every = pack_every
        gitstore.sweep_stale_indexes(repo)

    def as_actor(self, actor: str) -> LocalForge:
        return LocalForge(self.repo, actor, self.clock, self.pack_every)

    def _now(self) -> str:
        return self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    # pull requests

    def open_pull_request(self, head: str, base: str, title: str, body: str) -> PullRequest:
        head_sha, base_sha = self._branch(head), self._branch(base)
        record = {"title": title, "body": body, "author": self.actor, "base": base, "head": head,
                  "base_sha": base_sha, "head_sha": head_sha, "state": OPEN, "merge_sha": "",
                  "reviews": [], "comments": [], "requested_reviewers": [],
                  "created_at": self._now()}
        for attempt in range(RETRIES):
            number = self._next_number()
            try:
                gitstore.write_json_ref(self.repo, f"{PULLS}{number}", {**record, "number": number},
                                        f"open pull request #{number}", self.actor, None)
            except Conflict:
                _back_off(attempt)
                continue
            if number % self.pack_every == 0:
                gitstore.pack_refs(self.repo)
            return self.get_pull_request(number)
        raise ForgeError("could not allocate a pull request number")

    def get_pull_request(self, number: int) -> PullRequest:
        record, _ = self._read(number)
        return self._pull(record)

    def list_pull_requests(self, state: str = OPEN) -> list[PullRequest]:
        pulls = [self.get_pull_request(n) for n in self._numbers()]
        return [p for p in pulls if state == "all" or p.state == state]

    def changed_files(self, number: int) -> list[str]:
        pr = self.get_pull_request(number)
        # -z: paths as they are; without it git quotes any name with non-ASCII letters.
        out = gitstore.run(self.repo, "diff", "--name-only", "-z", "--no-renames",
                           f"{pr.base_sha}...{pr.head_sha}")
        return [path for path in out.split("\0") if path]

    # reviews and comments

    def list_reviews(self, number: int) -> list[Review]:
        record, _ = self._read(number)
        return [Review(**r) for r in record["reviews"]]

    def submit_review(self, number: int, state: str, body: str, commit_sha: str) -> Review:
        def add(record: dict[str, Any]) -> None:
            review = {"id": len(record["reviews"]) + 1, "reviewer": self.actor, "state": state,
                      "body": body, "commit_sha": commit_sha, "submitted_at": self._now()}
            record["reviews"].append(review)

        record = self._update(number, add, f"review by {self.actor}: {state}")
        return Review(**record["reviews"][-1])

    def list_comments(self, number: int) -> list[Comment]:
        record, _ = self._read(number)
        return [Comment(**c) for c in record["comments"]]

    def upsert_bot_comment(self, number: int, body: str) -> Comment:
        body = body if body.startswith(BOT_MARKER) else f"{BOT_MARKER}\n{body}"

        def upsert(record: dict[str, Any]) -> None:
            mine = [c for c in record["comments"]
                    if c["body"].startswith(BOT_MARKER) and c["author"] == self.actor]
            if mine:
                mine[0]["body"] = body
            else:
                record["comments"].append({"id": len(record["comments"]) + 1,
                                           "author": self.actor, "body": body})

        record = self._update(number, upsert, "update the check comment")
        return next(Comment(**c) for c in record["comments"]
                    if c["body"] == body and c["author"] == self.actor)

    def comment_once(self, number: int, marker: str, body: str) -> tuple[Comment, bool]:
        """Add a comment starting with `marker` unless this actor already wrote one."""
        body = body if body.startswith(marker) else f"{marker}\n{body}"
        added: list[bool] = []

        def add(record: dict[str, Any]) -> None:
            added.clear()
            if any(c["body"].startswith(marker) and c["author"] == self.actor
                   for c in record["comments"]):
                return
            record["comments"].append({"id": len(record["comments"]) + 1,
                                       "author": self.actor, "body": body})
            added.append(True)

        record = self._update(number, add, "add a notice")
        mine = next(c for c in record["comments"]
                    if c["body"].startswith(marker) and c["author"] == self.actor)
        return Comment(**mine), bool(added)

    def set_status(self, sha: str, context: str, state: str, description: str) -> CommitStatus:
        """Set `context`'s status on commit `sha` (its earlier statuses stay in the ref's history)."""
        if state not in STATUS_STATES:
            raise ForgeError(f"status state {state!r}: expected one of {', '.join(STATUS_STATES)}")
        if gitstore.ref_sha(self.repo, sha) is None:
            raise ForgeError(f"no commit {sha} in {self.repo.working_dir}")
        status = {"context": context, "state": state, "creator": self.actor,
                  "description": status_description(description)}
        ref = f"{STATUSES}{sha}"
        for attempt in range(RETRIES):
            found = gitstore.read_json_ref(self.repo, ref)
            record, old = found if found else ({"statuses": []}, None)
            record["statuses"] = [s for s in record["statuses"] if s["context"] != context]
            record["statuses"].append(status)
            try:
                gitstore.write_json_ref(self.repo, ref, record, f"{context}: {state}", self.actor, old)
                return CommitStatus(**status)
            except Conflict:
                _back_off(attempt)
        raise ForgeError(f"the statuses of {sha[:12]} kept changing; try again")

    def get_status(self, sha: str, context: str) -> CommitStatus | None:
        """The latest status `context` set on commit `sha`, or None."""
        found = gitstore.read_json_ref(self.repo, f"{STATUSES}{sha}")
        statuses = found[0]["statuses"] if found else []
        return next((CommitStatus(**s) for s in statuses if s["context"] == context), None)

    def request_reviewers(self, number: int, logins: list[str]) -> list[str]:
        def request(record: dict[str, Any]) -> None:
            for login in logins:
                if login not in record["requested_reviewers"] and login != record["author"]:
                    record["requested_reviewers"].append(login)

        return list(self._update(number, request, "request reviewers")["requested_reviewers"])

    def requested_reviewers(self, number: int) -> list[str]:
        return list(self._read(number)[0]["requested_reviewers"])

    # files and merging

    def read_file(self, path: str, ref: str) -> bytes | None:
        """The file's bytes at `ref`, or None when it is not a file there (missing, a folder)."""
        try:
            return self.repo.git.cat_file("blob", f"{ref}:{path}", stdout_as_string=False,
                                         strip_newline_in_stdout=False)
        except git.GitCommandError:
            return None

    def list_files(self, prefix: str, ref: str) -> list[str]:
        """Every file under the folder `prefix` at `ref` (a branch or commit); none if no such ref."""
        try:
            out = gitstore.run(self.repo, "ls-tree", "-r", "-z", "--name-only", ref, "--",
                               prefix.rstrip("/") + "/")
        except ForgeError:
            return []
        return [path for path in out.split("\0") if path]

    def commit_file(self, path: str, content: bytes, branch: str, message: str,
                    expected_blob: str | None) -> str:
        """Add or replace one file on `branch`; refuse if the file is not at `expected_blob`.

        A branch that moved for another file's sake is not a conflict: try again on top of it.
        """
        blob = gitstore.write_blob(self.repo, content)
        for attempt in range(RETRIES):
            old = gitstore.ref_sha(self.repo, f"refs/heads/{branch}")
            if old is None:
                raise ForgeError(f"no branch '{branch}'")
            if self._blob_at(old, path) != expected_blob:
                raise Conflict(f"{path} on {branch} changed since it was read")
            tree = gitstore.tree_with(self.repo, old, path, blob)
            commit = gitstore.commit_tree(self.repo, tree, [old], message, self.actor)
            try:
                self._move_branch(branch, old, commit)
                return commit
            except Conflict:
                _back_off(attempt)
        raise Conflict(f"{branch} kept moving while committing {path}; try again")

    def merge(self, number: int) -> PullRequest:
        """Merge the pull request's head into its base with a merge commit."""
        pr = self.get_pull_request(number)
        if pr.state != OPEN:
            raise ForgeError(f"pull request #{number} is {pr.state}")
        old = self._branch(pr.base)
        try:
            tree = gitstore.run(self.repo, "merge-tree", "--write-tree", old, pr.head_sha)
        except ForgeError:
            raise ForgeError(f"pull request #{number} does not merge cleanly into {pr.base}; "
                             f"merge {pr.base} into {pr.head} and resolve the conflicts") from None
        tree = tree.splitlines()[0]
        commit = gitstore.commit_tree(self.repo, tree, [old, pr.head_sha],
                                      f"Merge pull request #{number} from {pr.head}", self.actor)
        self._move_branch(pr.base, old, commit)

        def mark(record: dict[str, Any]) -> None:
            record.update(state=MERGED, merge_sha=commit, head_sha=pr.head_sha,
                          merged_by=self.actor)

        return self._pull(self._update(number, mark, f"merge #{number}"))

    def branch_sha(self, name: str) -> str | None:
        """The commit `name` points to, or None when there is no such branch."""
        return gitstore.ref_sha(self.repo, f"refs/heads/{name}")

    def create_branch(self, name: str, sha: str) -> None:
        """Create branch `name` at `sha`; Conflict if it already exists."""
        gitstore.swap_ref(self.repo, f"refs/heads/{name}", sha, None)

    def close(self, number: int) -> PullRequest:
        """Close the pull request without merging it; its branch stays."""
        pr = self.get_pull_request(number)
        if pr.state != OPEN:
            raise ForgeError(f"pull request #{number} is {pr.state}")

        def mark(record: dict[str, Any]) -> None:
            record.update(state=CLOSED, head_sha=pr.head_sha, closed_by=self.actor)

        return self._pull(self._update(number, mark, f"close #{number}"))

    # internals

    def _branch(self, name: str) -> str:
        sha = gitstore.ref_sha(self.repo, f"refs/heads/{name}")
        if sha is None:
            raise ForgeError(f"no branch '{name}' in {self.repo.working_dir}")
        return sha

    def _numbers(self) -> list[int]:
        out = gitstore.run(self.repo, "for-each-ref", "--format=%(refname)", PULLS)
        return sorted(int(line.rsplit("/", 1)[1]) for line in out.splitlines() if line)

    def _next_number(self) -> int:
        numbers = self._numbers()
        return (numbers[-1] if numbers else 0) + 1

    def _read(self, number: int) -> tuple[dict[str, Any], str]:
        found = gitstore.read_json_ref(self.repo, f"{PULLS}{number}")
        if found is None:
            raise ForgeError(f"no pull request #{number}")
        return found

    def _update(self, number: int, change: Callable[[dict[str, Any]], None],
                message: str) -> dict[str, Any]:
        for attempt in range(RETRIES):
            record, sha = self._read(number)
            change(record)
            try:
                gitstore.write_json_ref(self.repo, f"{PULLS}{number}", record, message,
                                        self.actor, sha)
                return record
            except Conflict:
                _back_off(attempt)
        raise ForgeError(f"pull request #{number} kept changing; try again")

    def _pull(self, r: dict[str, Any]) -> PullRequest:
        head_sha = r["head_sha"]
        if r["state"] == OPEN:
            head_sha = gitstore.ref_sha(self.repo, f"refs/heads/{r['head']}") or head_sha
        return PullRequest(r["number"], r["title"], r["author"], r["base"], r["head"],
                           r["base_sha"], head_sha, r["state"], False, r["merge_sha"],
                           created_at=r.get("created_at", ""))

    def _blob_at(self, commit: str, path: str) -> str | None:
        try:
            return gitstore.run(self.repo, "rev-parse", "--verify", "--quiet", f"{commit}:{path}")
        except ForgeError:
            return None

    def _move_branch(self, branch: str, old: str, new: str) -> None:
        """Move `branch` from `old` to `new`; a clean checkout of it follows along."""
        follow = self._checked_out_clean(branch)
        gitstore.swap_ref(self.repo, f"refs/heads/{branch}", new, old)
        if follow:
            gitstore.run_in_worktree(self.repo, "read-tree", "-m", "-u", old, new)

    def _checked_out_clean(self, branch: str) -> bool:
        if self.repo.bare or self.repo.head.is_detached:
            return False
        return self.repo.active_branch.name == branch and not self.repo.is_dirty(
            untracked_files=False)
