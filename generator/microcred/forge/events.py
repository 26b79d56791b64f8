"""GitHub event payloads, as GitHub Actions hands them to a job in `$GITHUB_EVENT_PATH`.

A workflow passes the file's path instead of `${{ github.event... }}` expressions, so nothing
the event carries (branch names, titles) is ever pasted into a shell script. Only the fields
microcred uses are read, each checked for type and shape; every problem is reported at once,
naming the key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microcred.errors import ConfigError

MAX_EVENT_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB
SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# GitHub logins: letters, digits and single hyphens; apps comment as `name[bot]`.
LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")
REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_review")


class EventError(ConfigError):
    """The event file is not a payload of the kind the command needs."""


@dataclass(frozen=True)
class PullRequestEvent:
    """A `pull_request` or `pull_request_review` payload: which pull request, at which commits."""

    kind: str
    number: int
    author: str
    base_ref: str
    base_sha: str
    head_ref: str
    head_sha: str
    head_repo: str  # owner/name; "" when the fork was deleted
    from_fork: bool

    def describe(self) -> str:
        origin = f" from the fork {self.head_repo}" if self.from_fork and self.head_repo else ""
        return (f"pull request #{self.number} by {self.author}{origin}: {self.head_sha[:12]} "
                f"into {self.base_ref} at {self.base_sha[:12]}")


@dataclass(frozen=True)
class WorkflowRunEvent:
    """A `workflow_run` payload: a finished run of another workflow and the commit it ran on."""

    run_id: int
    workflow: str
    event: str  # what started that run: pull_request, pull_request_review, push, ...
    conclusion: str
    head_sha: str
    head_branch: str
    head_repo: str
    repository: str


def read_event(path: Path) -> dict[str, Any]:
    """The payload in `path` as a JSON object; EventError when it is not one."""
    try:
        size = path.stat().st_size
        if size > MAX_EVENT_BYTES:
            raise EventError(f"{path}: {size} bytes, more than an event payload can be "
                             f"({MAX_EVENT_BYTES}); give $GITHUB_EVENT_PATH")
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise EventError(f"{path}: cannot read the event file ({exc.strerror}); give "
                         "$GITHUB_EVENT_PATH") from None
    except ValueError as exc:
        raise EventError(f"{path}: not JSON ({exc}); give $GITHUB_EVENT_PATH") from None
    except RecursionError:
        raise EventError(f"{path}: nested too deeply for an event payload; give "
                         "$GITHUB_EVENT_PATH") from None
    if not isinstance(data, dict):
        raise EventError(f"{path}: not a JSON object; give $GITHUB_EVENT_PATH")
    return data


def pull_request_event(path: Path) -> PullRequestEvent:
    """Read a pull_request or pull_request_review payload (forks included)."""
    data = read_event(path)
    if not isinstance(data.get("pull_request"), dict):
        raise EventError(f"{path}: not a pull_request or pull_request_review event (no "
                         "'pull_request' key); run this on those events only")
    r = _Reader(path, data)
    head_repo = r.get("pull_request.head.repo", (dict, type(None)))
    event = PullRequestEvent(
        kind="pull_request_review" if "review" in data else "pull_request",
        number=r.number("pull_request.number"),
        author=r.match("pull_request.user.login", LOGIN, "a GitHub login"),
        base_ref=r.text("pull_request.base.ref"),
        base_sha=r.match("pull_request.base.sha", SHA, "a commit sha"),
        head_ref=r.text("pull_request.head.ref"),
        head_sha=r.match("pull_request.head.sha", SHA, "a commit sha"),
        head_repo=r.match("pull_request.head.repo.full_name", REPOSITORY, "owner/name")
        if head_repo else "",
        from_fork=_from_fork(r, head_repo))
    r.done()
    return event


def _from_fork(r: _Reader, head_repo: Any) -> bool:
    # A deleted fork leaves head.repo null: still a fork, and never the base repository.
    if not head_repo:
        return True
    base = r.match("pull_request.base.repo.full_name", REPOSITORY, "owner/name")
    head = head_repo.get("full_name")
    return not isinstance(head, str) or head.casefold() != base.casefold()


def workflow_run_event(path: Path) -> WorkflowRunEvent:
    """Read a workflow_run payload."""
    data = read_event(path)
    if not isinstance(data.get("workflow_run"), dict):
        raise EventError(f"{path}: not a workflow_run event (no 'workflow_run' key); run this "
                         "on workflow_run events only")
    r = _Reader(path, data)
    head_repo = r.get("workflow_run.head_repository", (dict, type(None)))
    event = WorkflowRunEvent(
        run_id=r.number("workflow_run.id"),
        workflow=r.text("workflow_run.name"),
        event=r.text("workflow_run.event"),
        conclusion=str(r.get("workflow_run.conclusion", (str, type(None))) or ""),
        head_sha=r.match("workflow_run.head_sha", SHA, "a commit sha"),
        head_branch=str(r.get("workflow_run.head_branch", (str, type(None))) or ""),
        head_repo=r.match("workflow_run.head_repository.full_name", REPOSITORY, "owner/name")
        if head_repo else "",
        repository=r.match("repository.full_name", REPOSITORY, "owner/name"))
    r.done()
    return event


class _Reader:
    """Typed look-ups by dotted key, collecting every problem before raising once."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path, self.data = path, data
        self.problems: list[str] = []

    def get(self, key: str, types: type | tuple[type, ...]) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                self.problems.append(f"{key}: missing")
                return None
            node = node[part]
        if not isinstance(node, types) or (isinstance(node, bool) and types is int):
            self.problems.append(f"{key}: {type(node).__name__}, expected {_names(types)}")
            return None
        return node

    def text(self, key: str) -> str:
        return str(self.get(key, str) or "")

    def number(self, key: str) -> int:
        value = self.get(key, int)
        return value if isinstance(value, int) else 0

    def match(self, key: str, pattern: re.Pattern[str], what: str) -> str:
        value = self.get(key, str)
        if isinstance(value, str) and not pattern.fullmatch(value):
            self.problems.append(f"{key}: {value[:80]!r} is not {what}")
        return value if isinstance(value, str) else ""

    def done(self) -> None:
        if self.problems:
            raise EventError("\n".join(f"{self.path}: {p}" for p in self.problems))


def _names(types: type | tuple[type, ...]) -> str:
    names = {"str": "text", "int": "a number", "dict": "an object", "NoneType": "null"}
    listed = types if isinstance(types, tuple) else (types,)
    return " or ".join(names.get(t.__name__, t.__name__) for t in listed)
