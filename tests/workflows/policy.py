"""The rules every workflow under .github/workflows/ keeps (docs/administration.md explains why).

`problems(path)` returns one line per broken rule, naming the file, the job or step, and the
rule; tests/workflows/test_policy.py requires none, and shows each rule catching a bad file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from microcred.forge.setup_checks import CHECK_NAME, ENVIRONMENT

PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(\.\d+){0,2}\s*$")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)")
SECRET = re.compile(r"\bsecrets\s*[.\[]")
WRITE_ALLOWED = {  # workflow file -> job -> the permissions it may have, exactly
    "check.yml": {"check": {"contents": "read"}},
    "comment.yml": {"comment": {"actions": "read", "contents": "read", "pull-requests": "write",
                                 "statuses": "write"}},
    "issue.yml": {"issue": {"contents": "write", "pull-requests": "write"}},
    "progress.yml": {"progress": {"contents": "read", "pull-requests": "read", "issues": "write"}},
    "remind.yml": {"remind": {"pull-requests": "write"}},
    "publish.yml": {"build": {"contents": "read"}, "deploy": {"pages": "write", "id-token": "write"}},
    "tests.yml": {"tests": {"contents": "read"}},
    "lint.yml": {"lint": {"contents": "read"}},
    # a network repository's check (networks/templates/network-check.yml): reads only
    "microcred-network-check.yml": {"check": {"contents": "read"}},
}


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a workflow"
    # YAML 1.1 reads the key `on` as true.
    if True in data:
        data["on"] = data.pop(True)
    return data


def problems(path: Path) -> list[str]:
    """Every rule `path` breaks, one line each."""
    doc = load(path)
    found = [*_pinned(path), *_top_level(doc), *_runs(doc), *_checkouts(doc), *_secrets(path.name, doc),
             *_permissions(path.name, doc)]
    if path.name == "check.yml":
        found += _check_workflow(doc)
    if path.name == "issue.yml":
        found += _issue_workflow(doc)
    return [f"{path.name}: {p}" for p in found]


def _pinned(path: Path) -> list[str]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        used = USES.match(line)
        if used and not used[1].startswith("./") and not PINNED.match(line):
            out.append(f"line {number}: uses {used[1]}: pin it to a full commit sha with a "
                       "'# vX.Y.Z' comment")
    return out


def _top_level(doc: dict[str, Any]) -> list[str]:
    out = []
    if doc.get("permissions") != {}:
        out.append("top-level permissions must be {} (each job asks for what it needs)")
    triggers = doc.get("on") or {}
    names = [triggers] if isinstance(triggers, str) else list(triggers)
    if "pull_request_target" in names:
        out.append("pull_request_target runs a pull request's workflow with write access and "
                   "secrets: use pull_request")
    return out


def _steps(doc: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    return [(job_id, i, step) for job_id, job in (doc.get("jobs") or {}).items()
            for i, step in enumerate(job.get("steps") or [])]


def _runs(doc: dict[str, Any]) -> list[str]:
    return [f"job {job}, step {i + 1}: '${{{{' inside run: pass values through env: instead"
            for job, i, step in _steps(doc) if "${{" in str(step.get("run", ""))]


def _checkouts(doc: dict[str, Any]) -> list[str]:
    return [f"job {job}, step {i + 1}: actions/checkout needs persist-credentials: false"
            for job, i, step in _steps(doc)
            if str(step.get("uses", "")).startswith("actions/checkout@")
            and str((step.get("with") or {}).get("persist-credentials")).lower() != "false"]


def _secrets(name: str, doc: dict[str, Any]) -> list[str]:
    out = []
    for job_id, job in (doc.get("jobs") or {}).items():
        text = yaml.safe_dump(job)
        if job.get("secrets") == "inherit":
            out.append(f"job {job_id}: secrets: inherit passes every secret")
        uses_secrets = bool(SECRET.search(text))
        allowed = name == "issue.yml" and job_id == "issue" and job.get("environment") == ENVIRONMENT
        if uses_secrets and not allowed:
            out.append(f"job {job_id}: reads secrets; only the issue job, in the protected "
                       f"'{ENVIRONMENT}' environment, may")
    return out


def _permissions(name: str, doc: dict[str, Any]) -> list[str]:
    out = []
    expected = WRITE_ALLOWED.get(name, {})
    for job_id, job in (doc.get("jobs") or {}).items():
        granted = job.get("permissions")
        if not isinstance(granted, dict):
            out.append(f"job {job_id}: permissions must be listed (a mapping)")
        elif granted != expected.get(job_id, {}):
            out.append(f"job {job_id}: permissions {granted} are not the ones it needs "
                       f"({expected.get(job_id, {})})")
    return out


def _check_workflow(doc: dict[str, Any]) -> list[str]:
    out = []
    triggers = doc.get("on") or {}
    if "pull_request" not in triggers:
        out.append("must run on pull_request (forks included)")
    review = (triggers.get("pull_request_review") or {}) if isinstance(triggers, dict) else {}
    if sorted(review.get("types") or []) != ["dismissed", "submitted"]:
        out.append("must run on pull_request_review (submitted, dismissed)")
    for job_id, job in (doc.get("jobs") or {}).items():
        if any(v == "write" for v in (job.get("permissions") or {}).values()):
            out.append(f"job {job_id}: the check gets no write permission")
        if SECRET.search(yaml.safe_dump(job)) or "github.token" in yaml.safe_dump(job):
            out.append(f"job {job_id}: the check gets no secrets and no token")
        if job.get("name") != CHECK_NAME:
            out.append(f"job {job_id}: name it '{CHECK_NAME}', the status check branch rules require")
    return out


def _issue_workflow(doc: dict[str, Any]) -> list[str]:
    out = []
    if doc.get("concurrency") != {"group": "microcred-issue", "cancel-in-progress": False}:
        out.append("concurrency must be {group: microcred-issue, cancel-in-progress: false}, so "
                   "merges never race")
    for job_id, job in (doc.get("jobs") or {}).items():
        if job.get("environment") != ENVIRONMENT:
            out.append(f"job {job_id}: must run in the protected '{ENVIRONMENT}' environment")
    return out
