"""The Forge protocol: the few pull-request operations microcred needs, as plain records.

Two implementations: `local` (pull requests as branches, with metadata kept in the repository
under refs/microcred/) and `github` (PyGithub). Commands only talk to this protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from microcred.errors import MicrocredError

OPEN, CLOSED, MERGED = "open", "closed", "merged"
APPROVED, CHANGES_REQUESTED, COMMENTED = "APPROVED", "CHANGES_REQUESTED", "COMMENTED"
# The first line of the one comment microcred keeps on each pull request.
BOT_MARKER = "<!-- microcred:check -->"
# Commit status states, as GitHub names them.
SUCCESS, FAILURE, PENDING, ERROR = "success", "failure", "pending", "error"
STATUS_STATES = (SUCCESS, FAILURE, PENDING, ERROR)


class ForgeError(MicrocredError):
    """The forge refused or failed an operation."""


class Conflict(ForgeError):
    """Someone else changed the thing first (optimistic concurrency); retry from fresh state."""


@dataclass(frozen=True)
class PullRequest:
    number: int
    title: str
    author: str
    base: str
    head: str
    base_sha: str
    head_sha: str
    state: str = OPEN
    from_fork: bool = False
    merge_sha: str = ""
    head_repo: str = ""  # owner/name of the head's repository; "" when unknown or deleted
    created_at: str = ""  # ISO 8601, UTC; "" when the forge does not say


@dataclass(frozen=True)
class Review:
    id: int
    reviewer: str
    state: str
    body: str
    commit_sha: str
    submitted_at: str = ""  # ISO 8601, UTC; "" when the forge does not say


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    body: str


@dataclass(frozen=True)
class CommitStatus:
    """One context's latest status on a commit, as GitHub's commit statuses carry it."""

    context: str
    state: str  # one of STATUS_STATES
    description: str
    creator: str = ""


class Forge(Protocol):
    """What microcred needs from a place that hosts pull requests."""

    def open_pull_request(self, head: str, base: str, title: str, body: str) -> PullRequest: ...

    def get_pull_request(self, number: int) -> PullRequest: ...

    def list_pull_requests(self, state: str = OPEN) -> list[PullRequest]: ...

    def changed_files(self, number: int) -> list[str]: ...

    def list_reviews(self, number: int) -> list[Review]: ...

    def submit_review(self, number: int, state: str, body: str, commit_sha: str) -> Review: ...

    def list_comments(self, number: int) -> list[Comment]: ...

    def upsert_bot_comment(self, number: int, body: str) -> Comment: ...

    def comment_once(self, number: int, marker: str, body: str) -> tuple[Comment, bool]:
        """Add a comment starting with `marker` unless the bot already wrote one; (it, new?)."""
        ...

    def set_status(self, sha: str, context: str, state: str, description: str) -> CommitStatus: ...

    def get_status(self, sha: str, context: str) -> CommitStatus | None: ...

    def request_reviewers(self, number: int, logins: list[str]) -> list[str]: ...

    def read_file(self, path: str, ref: str) -> bytes | None: ...

    def list_files(self, prefix: str, ref: str) -> list[str]: ...

    def commit_file(self, path: str, content: bytes, branch: str, message: str,
                    expected_blob: str | None) -> str: ...

    def merge(self, number: int) -> PullRequest: ...

    def close(self, number: int) -> PullRequest: ...

    def branch_sha(self, name: str) -> str | None: ...

    def create_branch(self, name: str, sha: str) -> None: ...


def status_description(text: str) -> str:
    """A status description within GitHub's 140 characters, on one line."""
    line = " ".join(text.split())
    return line if len(line) <= 140 else line[:139] + "…"


def bot_comment_of(comments: list[Comment], bot: str) -> Comment | None:
    """The comment microcred owns: its marker *and* written by the bot, so a learner who pastes
    the marker into a comment of their own cannot get the bot to edit it."""
    return next((c for c in comments if c.body.startswith(BOT_MARKER) and c.author == bot), None)
