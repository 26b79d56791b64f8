"""GitHub's example webhook payloads (tests/github/webhooks/), adapted to a test's repository.

A test loads a payload, changes values (commits, logins, repository names) but never its keys or
their types, and writes it where a command reads `$GITHUB_EVENT_PATH`; `write` refuses a payload
that no longer fits GitHub's schema for its event.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

WEBHOOKS = Path(__file__).parent / "webhooks"
# payload file -> the schema of its event and action
SCHEMAS = {
    "pull_request.opened": "pull_request.opened",
    "pull_request.opened.fork.derived": "pull_request.opened",
    "pull_request_review.submitted.approved.derived": "pull_request_review.submitted",
    "pull_request_review.submitted.changes_requested.derived": "pull_request_review.submitted",
    "pull_request.closed.merged.derived": "pull_request.closed",
    "push.default": "push.default",
    "workflow_run.completed": "workflow_run.completed",
    "workflow_run.completed.pull_request_fork.derived": "workflow_run.completed",
}


@cache
def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of the payload `payloads/<name>.json`."""
    return copy.deepcopy(_load(WEBHOOKS / "payloads" / f"{name}.json"))


def problems(name: str, data: Any) -> list[str]:
    """Where `data` no longer fits GitHub's schema for the event of payload `name`."""
    schema = _load(WEBHOOKS / "schemas" / f"{SCHEMAS[name]}.schema.json")
    return [f"{e.json_path}: {e.message[:200]}"
            for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    """Write an adapted payload as an event file; fail the test if it lost GitHub's shape."""
    assert problems(name, data) == [], f"{name}: the adapted payload no longer fits its schema"
    path = folder / f"{name}.event.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def set_user(user: dict[str, Any], login: str, uid: int) -> None:
    """Make a payload's user object (sender, pull_request.user, ...) describe `login`."""
    # Derived payloads renamed some logins but not the URLs: replace what the URL names too.
    olds = {user["login"], user["url"].rsplit("/", 1)[-1]}
    for key, value in list(user.items()):
        if isinstance(value, str):
            for old in olds:
                value = value.replace(f"/{old}", f"/{login}")
            user[key] = value
    user.update(login=login, id=uid)


def set_repository(repo: dict[str, Any], full_name: str, fork: bool = False) -> None:
    """Make a payload's repository object describe `full_name`."""
    olds = {repo["full_name"], repo["url"].split("/repos/", 1)[-1]}
    for key, value in list(repo.items()):
        if isinstance(value, str):
            for old in olds:
                value = value.replace(f"/{old}", f"/{full_name}").replace(f":{old}", f":{full_name}")
            repo[key] = value
    owner, name = full_name.split("/")
    repo.update(full_name=full_name, name=name, fork=fork, default_branch="main")
    set_user(repo["owner"], owner, 500 + len(owner))


def pull_request_event(name: str, *, number: int, author: str, base_sha: str, head_sha: str,
                       repository: str, head_repository: str, head_ref: str = "pr") -> dict[str, Any]:
    """A pull_request or pull_request_review payload about pull request `number`."""
    data = payload(name)
    pr = data["pull_request"]
    pr["number"] = number
    set_user(pr["user"], author, 100)
    set_repository(data["repository"], repository)
    set_repository(pr["base"]["repo"], repository)
    set_repository(pr["head"]["repo"], head_repository, fork=head_repository != repository)
    set_user(pr["base"]["user"], repository.split("/")[0], 300)
    set_user(pr["head"]["user"], head_repository.split("/")[0], 301)
    pr["base"].update(ref="main", sha=base_sha, label=f"{repository.split('/')[0]}:main")
    pr["head"].update(ref=head_ref, sha=head_sha,
                      label=f"{head_repository.split('/')[0]}:{head_ref}")
    return data


def workflow_run_event(name: str, *, head_sha: str, head_branch: str, repository: str,
                       head_repository: str, event: str = "pull_request",
                       workflow: str = "microcred check") -> dict[str, Any]:
    """A workflow_run payload: a finished run of `workflow` on the commit `head_sha`."""
    data = payload(name)
    run = data["workflow_run"]
    set_repository(data["repository"], repository)
    set_repository(run["repository"], repository)
    set_repository(run["head_repository"], head_repository, fork=head_repository != repository)
    run.update(head_sha=head_sha, head_branch=head_branch, event=event, name=workflow)
    run["head_commit"]["id"] = head_sha
    return data
