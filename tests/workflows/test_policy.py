"""Every workflow keeps the policy (tests/workflows/policy.py), and the policy catches each
kind of bad workflow."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.workflows.policy import load, problems

WORKFLOWS = REPO / ".github" / "workflows"
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
GOOD = f"""\
name: tests
on:
  pull_request:
permissions: {{}}
jobs:
  tests:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - run: echo "$TITLE"
        env:
          TITLE: ${{{{ github.event.pull_request.title }}}}
"""


def _write(tmp_path: Path, text: str, name: str = "tests.yml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_workflows_are_all_there() -> None:
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == [
        "check.yml", "comment.yml", "issue.yml", "lint.yml", "progress.yml", "publish.yml",
        "remind.yml", "tests.yml"]


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_workflow_keeps_the_policy(name: str) -> None:
    assert problems(WORKFLOWS / name) == []


def test_a_good_workflow_passes(tmp_path: Path) -> None:
    assert problems(_write(tmp_path, GOOD)) == []


BAD = {
    "permissions": (GOOD.replace("permissions: {}", "permissions: write-all"),
                    "tests.yml: top-level permissions must be {} (each job asks for what it needs)"),
    "no top-level permissions": (GOOD.replace("permissions: {}\n", ""),
                                 "tests.yml: top-level permissions must be {}"),
    "tag": (GOOD.replace(CHECKOUT, "actions/checkout@v7"),
            "tests.yml: line 11: uses actions/checkout@v7: pin it to a full commit sha"),
    "no version comment": (GOOD.replace(" # v7.0.1", ""), "tests.yml: line 11: uses actions/checkout@"),
    "short sha": (GOOD.replace("3d3c42e5aac5ba805825da76410c181273ba90b1", "3d3c42e"),
                  "tests.yml: line 11: uses actions/checkout@3d3c42e"),
    "pull_request_target": (GOOD.replace("  pull_request:", "  pull_request_target:"),
                            "tests.yml: pull_request_target runs a pull request's workflow"),
    "expression in run": (GOOD.replace('echo "$TITLE"', 'echo "${{ github.event.pull_request.title }}"'),
                          "tests.yml: job tests, step 2: '${{' inside run"),
    "persisted credentials": (GOOD.replace("persist-credentials: false", "fetch-depth: 0"),
                              "tests.yml: job tests, step 1: actions/checkout needs "
                              "persist-credentials: false"),
    "secret": (GOOD.replace("github.event.pull_request.title", "secrets.MICROCRED_SIGNING_KEY"),
               "tests.yml: job tests: reads secrets; only the issue job"),
    "write permission": (GOOD.replace("contents: read", "contents: write"),
                         "tests.yml: job tests: permissions {'contents': 'write'} are not the ones it needs"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_the_policy_catches_a_bad_workflow(kind: str, tmp_path: Path) -> None:
    text, expected = BAD[kind]
    found = problems(_write(tmp_path, text))
    assert any(p.startswith(expected) for p in found), found


def test_the_check_workflow_gets_no_write_permission_and_no_secrets(tmp_path: Path) -> None:
    text = (WORKFLOWS / "check.yml").read_text(encoding="utf-8")
    bad = text.replace("      contents: read\n", "      contents: read\n      pull-requests: write\n")
    bad = bad.replace('--format github', '--format github --token "$TOKEN"').replace(
        "      - name: Check the pull request\n",
        "      - name: Check the pull request\n        env:\n"
        "          TOKEN: ${{ secrets.GITHUB_TOKEN }}\n")
    found = problems(_write(tmp_path, bad, "check.yml"))
    assert "check.yml: job check: the check gets no write permission" in found
    assert "check.yml: job check: the check gets no secrets and no token" in found
    assert any(p.startswith("check.yml: job check: reads secrets") for p in found)


def test_the_check_workflow_refreshes_on_reviews(tmp_path: Path) -> None:
    text = (WORKFLOWS / "check.yml").read_text(encoding="utf-8")
    found = problems(_write(tmp_path, text.replace("types: [submitted, dismissed]",
                                                   "types: [submitted]"), "check.yml"))
    assert found == ["check.yml: must run on pull_request_review (submitted, dismissed)"]


def test_secrets_live_only_in_the_issue_job_of_the_protected_environment(tmp_path: Path) -> None:
    text = (WORKFLOWS / "issue.yml").read_text(encoding="utf-8")
    found = problems(_write(tmp_path, text.replace("    environment: badges\n", ""), "issue.yml"))
    assert "issue.yml: job issue: must run in the protected 'badges' environment" in found
    assert any(p.startswith("issue.yml: job issue: reads secrets") for p in found)


def test_issues_never_race(tmp_path: Path) -> None:
    text = (WORKFLOWS / "issue.yml").read_text(encoding="utf-8")
    found = problems(_write(tmp_path, text.replace("cancel-in-progress: false",
                                                   "cancel-in-progress: true"), "issue.yml"))
    assert found == ["issue.yml: concurrency must be {group: microcred-issue, cancel-in-progress: "
                     "false}, so merges never race"]


def test_pages_permissions_only_on_the_deploy_job(tmp_path: Path) -> None:
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    bad = text.replace("      contents: read\n", "      contents: read\n      pages: write\n", 1)
    found = problems(_write(tmp_path, bad, "publish.yml"))
    assert found == ["publish.yml: job build: permissions {'contents': 'read', 'pages': 'write'} "
                     "are not the ones it needs ({'contents': 'read'})"]


def test_workflow_run_triggers_name_the_workflows_they_follow() -> None:
    names = {p.name: load(p).get("name") for p in WORKFLOWS.glob("*.yml")}
    follows = {name: load(WORKFLOWS / name)["on"]["workflow_run"]["workflows"]
               for name in ("comment.yml", "publish.yml")}
    assert follows == {"comment.yml": [names["check.yml"]], "publish.yml": [names["issue.yml"]]}
