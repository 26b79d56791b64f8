"""The issue workflow's step: `microcred issue --forge github --event "$GITHUB_EVENT_PATH"`, on
GitHub's push and merged-pull-request payloads, against the contract-checked fake GitHub.

The ledger is written through the API (a branch created from main, files committed with the
blob they replace), exactly as on GitHub; the clone at `course` is the job's checkout of main.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from microcred.badge.verify import verify_credential
from microcred.cli import main
from microcred.ledger import layout
from microcred.review.format import ReviewBlock, render_review
from microcred.review.notice import notice_marker
from tests.github import payloads
from tests.github.server import FakeGitHub
from tests.helpers import replace, shown
from tests.ledger.cohort import SEED, SITE
from tests.workflows.conftest import (
    COACHES,
    FOLDER,
    LEARNER,
    REPOSITORY,
    PullRequest,
    open_pull_request,
    tree_files,
)

PASSING = {"evidence": "proficient", "patterns": "developing"}


@pytest.fixture
def one_module_course(course: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample course with a one-module credential, so one merge completes a badge."""
    replace(course / "content/credentials/my-credential.yml", "modules: [first-module, observation]",
            "modules: [observation]")
    replace(course / "mkdocs.yml", "site_name:", f"site_url: {SITE}\nsite_name:")
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    return course


def approve_and_merge(server: FakeGitHub, pull: PullRequest, coach: str = COACHES[0],
                      levels: dict[str, str] = PASSING) -> str:
    world = server.world
    body = render_review(ReviewBlock("observation", levels, summary="Well evidenced."))
    world.review(world.pull(pull.number), coach, "APPROVE", body, pull.head)
    return world.merge(world.pull(pull.number), "designer-dee", None, None)


def push_event(folder: Path, merge_sha: str, before: str) -> Path:
    data = payloads.payload("push.default")
    payloads.set_repository(data["repository"], REPOSITORY)
    commit = {"id": merge_sha, "tree_id": "0" * 40, "distinct": True,
              "message": "Merge pull request #1", "timestamp": "2026-11-23T10:00:00Z",
              "url": f"https://github.com/{REPOSITORY}/commit/{merge_sha}",
              "author": {"name": "Dee", "email": "dee@example.org", "username": "designer-dee"},
              "committer": {"name": "GitHub", "email": "noreply@github.com", "username": "web-flow"},
              "added": [], "removed": [], "modified": []}
    data.update(ref="refs/heads/main", before=before, after=merge_sha, base_ref=None,
                commits=[commit], head_commit=commit)
    return payloads.write(folder, "push.default", data)


def notices(server: FakeGitHub, number: int) -> list[str]:
    return [c.body for c in server.world.comments
            if c.number == number and c.body.startswith(notice_marker(number))]


def issue(course: Path, number: int) -> int:
    return main(["issue", "--root", str(course), "--forge", "github", "--pr", str(number)])


def ledger_file(server: FakeGitHub, path: str) -> dict[str, Any] | None:
    world = server.world
    tip = world.repo.branches.get(layout.DEFAULT_BRANCH)
    if tip is None:
        return None
    blob = world.tree(tip).get(path)
    return None if blob is None else json.loads(world.blobs[blob])


def test_a_push_carrying_an_approved_merge_issues_a_verifiable_badge(
        one_module_course: Path, github: FakeGitHub, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(one_module_course, github, {})
    merge = approve_and_merge(github, pull)
    event = push_event(tmp_path, merge, pull.base)
    argv = ["issue", "--root", str(one_module_course), "--forge", "github", "--event", str(event)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"#{pull.number} {LEARNER} · my-credential v0.1.0 · observation: complete" in out
    badge = ledger_file(github, layout.badge_path(LEARNER, "my-credential", "0.1.0"))
    status = ledger_file(github, layout.STATUS_LIST)
    assert badge is not None and status is not None
    assert badge["evidence"][0]["id"] == f"https://github.com/YOUR-ORG/YOUR-COURSE/pull/{pull.number}"
    issued = datetime.fromisoformat(badge["validFrom"].replace("Z", "+00:00"))
    assert verify_credential(badge, now=issued, status_lists={status["id"]: status}).verified
    # the learner is told, in one comment on the pull request, with the badge's links
    [notice] = notices(github, pull.number)
    assert "### ✅ Module complete: Classroom observation (My credential v0.1.0)" in notice
    assert ("- The signed badge (Open Badges 3.0 JSON): https://github.com/YOUR-ORG/YOUR-COURSE/"
            "blob/microcred-ledger/ledger/badges/lea/my-credential/v0.1.0.json") in notice
    # GitHub re-delivers the event: nothing new is written, nobody is told twice
    writes = len(github.calls("repos/create-or-update-file-contents"))
    comments = len(github.calls("issues/create-comment"))
    assert main(argv) == 0
    assert "nothing new" in capsys.readouterr().out
    assert len(github.calls("repos/create-or-update-file-contents")) == writes
    assert len(github.calls("issues/create-comment")) == comments
    assert len(notices(github, pull.number)) == 1


def test_a_merged_pull_request_event_without_an_authorised_approval_issues_nothing(
        one_module_course: Path, github: FakeGitHub, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(one_module_course, github, {})
    approve_and_merge(github, pull, coach="designer-dee")  # not a coach of this learner
    data = payloads.pull_request_event(
        "pull_request.closed.merged.derived", number=pull.number, author=LEARNER,
        base_sha=pull.base, head_sha=pull.head, repository=REPOSITORY,
        head_repository=pull.head_repository)
    event = payloads.write(tmp_path, "pull_request.closed.merged.derived", data)
    assert main(["issue", "--root", str(one_module_course), "--forge", "github",
                 "--event", str(event)]) == 0
    out = capsys.readouterr().out
    assert "not awarded — @designer-dee approved but is not a coach authorised for lea" in out
    decision = ledger_file(github, layout.decision_path(pull.number))
    assert decision is not None and decision["outcome"] == "not-awarded"
    assert ledger_file(github, layout.badge_path(LEARNER, "my-credential", "0.1.0")) is None


SHORT = {"evidence": "developing", "patterns": "developing"}


def commit_in_both(pull: PullRequest, branch: str, start: str, note: str) -> str:
    """A commit of lea's on `branch` from `start`, her notes extended by `note`, made in the clone
    (where a trusted re-check reads it) and mirrored under the same sha to her fork."""
    repo, world = pull.repo, pull.server.world
    repo.git.checkout("-B", branch, start)
    notes = pull.root / FOLDER / "notes.md"
    if not notes.exists():
        repo.git.checkout(pull.head, "--", FOLDER)
    notes.write_text(notes.read_text(encoding="utf-8") + note, encoding="utf-8")
    repo.git.add("--all")
    sha = repo.index.commit(f"lea: {note.strip()}").hexsha
    repo.git.checkout("main")
    old, new = tree_files(repo, start), tree_files(repo, sha)
    changed: dict[str, bytes | None] = {**dict.fromkeys(old.keys() - new.keys()), **new}
    world.commit(changed, branch=branch, author=LEARNER, repo=world.repos[pull.head_repository],
                 start=start, sha=sha)
    return sha


def second_attempt(pull: PullRequest, branch: str, note: str) -> int:
    """Another pull request of lea's for the module, from her fork, off the course's main."""
    commit_in_both(pull, branch, pull.base, note)
    return pull.server.world.open_pull(LEARNER, "Observation again", "", f"{LEARNER}:{branch}",
                                       "main").number


def coach_review(server: FakeGitHub, number: int, levels: dict[str, str], event: str,
                 coaching: str = "") -> None:
    world = server.world
    pull = world.pull(number)
    body = render_review(ReviewBlock("observation", levels, {"evidence": "Time-stamp each note."},
                                     coaching, "Thank you."))
    world.review(pull, COACHES[0], event, body, world.head_sha(pull))


def test_not_yet_then_pass_on_github_tells_the_learner_each_merge(
        one_module_course: Path, github: FakeGitHub) -> None:
    pull = open_pull_request(one_module_course, github, {})
    coach_review(github, pull.number, SHORT, "REQUEST_CHANGES")
    world = github.world
    commit_in_both(pull, "pr", pull.head, "10:02 More notes.\n")  # lea revises and pushes
    coach_review(github, pull.number, PASSING, "APPROVE")
    world.merge(world.pull(pull.number), "coach-ana", None, None)
    assert issue(one_module_course, pull.number) == 0
    [notice] = notices(github, pull.number)
    assert "Module complete" in notice and "Attempt 2, approved by @coach-ana." in notice
    assert "Low-inference evidence: Time-stamp each note." in shown(notice)


def test_pr_show_and_status_read_the_same_from_github(
        one_module_course: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(one_module_course, github, {})
    coach_review(github, pull.number, SHORT, "REQUEST_CHANGES")
    forge = ["--root", str(one_module_course), "--forge", "github"]
    assert main(["status", "--learner", LEARNER, *forge]) == 0
    assert capsys.readouterr().out == (
        "lea · My credential\n"
        f"  Classroom observation  not yet      #{pull.number}: not yet — changes requested\n"
        f"next: Classroom observation: revise the evidence and push to #{pull.number}'s branch\n")
    coach_review(github, pull.number, PASSING, "APPROVE")
    github.world.merge(github.world.pull(pull.number), "coach-ana", None, None)
    assert issue(one_module_course, pull.number) == 0
    capsys.readouterr()
    assert main(["pr", "show", str(pull.number), *forge]) == 0
    out = capsys.readouterr().out
    assert "── microcred\n   ### ✅ Module complete: Classroom observation" in out
    assert "── review 1004 by @coach-ana: changes requested (commit " in out
    assert "   evidence: Developing (required Proficient) — not yet\n      Time-stamp each note.\n" in out
    assert "── decision: complete (attempt 2, " in out
    assert main(["status", "--learner", LEARNER, *forge]) == 0
    assert f"  Classroom observation  complete     complete (#{pull.number})\n" in capsys.readouterr().out


def test_two_not_yets_then_the_coaching_rule_on_github(
        one_module_course: Path, github: FakeGitHub) -> None:
    world = github.world
    first = open_pull_request(one_module_course, github, {})
    coach_review(github, first.number, SHORT, "REQUEST_CHANGES")
    world.pulls[first.number].state = "closed"  # lea withdraws it; the 'not yet' still counts

    second = second_attempt(first, "pr-2", "10:03 Second attempt.\n")
    coach_review(github, second, SHORT, "REQUEST_CHANGES")
    world.pulls[second].state = "closed"

    third = second_attempt(first, "pr-3", "10:04 Third attempt.\n")
    coach_review(github, third, PASSING, "APPROVE")
    world.merge(world.pull(third), "coach-ana", None, None)
    assert issue(one_module_course, third) == 0
    [notice] = notices(github, third)
    assert ("after 2 'not yet' decisions on observation, this attempt needs a coaching "
            "conversation") in shown(notice)
    assert ledger_file(github, layout.badge_path(LEARNER, "my-credential", "0.1.0")) is None
