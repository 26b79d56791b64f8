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


def run_issue(course: Path, event: Path | None = None) -> int:
    where = ["--event", str(event)] if event else ["--all"]
    return main(["issue", "--root", str(course), "--forge", "github", *where])


def docs_merge(server: FakeGitHub, path: str = "content/extra.md") -> tuple[int, str]:
    """A designer's merged pull request that changes no submission."""
    world = server.world
    world.commit({path: b"# More\n"}, branch="docs", author="designer-dee", start="main")
    pull = world.open_pull("designer-dee", "Docs", "", "docs", "main")
    return pull.number, world.merge(pull, "designer-dee", None, None)


# The ledger writes of one merge that completes a credential, in order.
WRITES = ["decision", "completion", "status list", "reservation", "badge"]


@pytest.mark.parametrize("failing", range(len(WRITES)), ids=WRITES)
def test_a_502_on_any_ledger_write_loses_no_award(
        one_module_course: Path, github: FakeGitHub, tmp_path: Path,
        capsys: pytest.CaptureFixture[str], failing: int) -> None:
    pull = open_pull_request(one_module_course, github, {})
    event = push_event(tmp_path, approve_and_merge(github, pull), pull.base)
    # The writes before `failing` go through; that one gets a 502.
    github.fail("repos/create-or-update-file-contents", 502, "Bad Gateway", after=failing)
    assert run_issue(one_module_course, event) == 2
    assert f"error: #{pull.number}: commit ledger/" in capsys.readouterr().err
    badge_path = layout.badge_path(LEARNER, "my-credential", "0.1.0")
    # Once the completion is in, the same run's look for pending awards finishes the badge;
    # before that, the next run (GitHub re-running the job) decides again and finishes.
    assert (ledger_file(github, badge_path) is not None) == (failing >= WRITES.index("status list"))
    assert run_issue(one_module_course, event) == 0
    badge = ledger_file(github, badge_path)
    status = ledger_file(github, layout.STATUS_LIST)
    allocations = ledger_file(github, layout.ALLOCATIONS)
    assert badge is not None and status is not None and allocations is not None
    issued = datetime.fromisoformat(badge["validFrom"].replace("Z", "+00:00"))
    assert verify_credential(badge, now=issued, status_lists={status["id"]: status}).verified
    assert list(allocations["badges"]) == [badge["id"]]  # one index, the badge's: none orphaned
    decision = ledger_file(github, layout.decision_path(pull.number))
    assert decision is not None and decision["outcome"] == "complete"
    assert ledger_file(github, layout.completion_path(LEARNER, "my-credential", "0.1.0",
                                                      "observation")) is not None


def test_a_badge_left_without_the_key_is_issued_by_the_next_push_whatever_it_carries(
        one_module_course: Path, github: FakeGitHub, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(one_module_course, github, {})
    merged = approve_and_merge(github, pull)
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    first = push_event(tmp_path / "first", merged, pull.base)
    monkeypatch.delenv("MICROCRED_SIGNING_KEY")
    assert run_issue(one_module_course, first) == 2
    assert "no signing key" in capsys.readouterr().err
    assert ledger_file(github, layout.badge_path(LEARNER, "my-credential", "0.1.0")) is None
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    number, sha = docs_merge(github)  # the next push merges something else entirely
    assert run_issue(one_module_course, push_event(tmp_path / "second", sha, merged)) == 0
    out = capsys.readouterr().out
    assert f"#{number}: changes no submission" in out
    assert f"{LEARNER} · my-credential v0.1.0: complete since an earlier run" in out
    assert ledger_file(github, layout.badge_path(LEARNER, "my-credential", "0.1.0")) is not None


def test_completions_pushed_to_the_ledger_branch_get_no_badge_signed(
        one_module_course: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    # Someone with write access commits a decision for a docs-only merge and a completion for
    # a login not on the roster, naming that merge.
    world = github.world
    world.commit({"README.md": b"# Course\n"}, message="course")
    number, _ = docs_merge(github)
    world.commit({}, branch=layout.DEFAULT_BRANCH, start="main")
    forged = {"format": 1, "kind": "decision", "pull_request": number, "learner": "mallory",
              "credential": "my-credential", "credential_version": "0.1.0",
              "module": "observation", "outcome": "complete",
              "levels": {"evidence": "proficient", "patterns": "proficient"}}
    world.commit({layout.decision_path(number): json.dumps(forged).encode(),
                  layout.completion_path("mallory", "my-credential", "0.1.0", "observation"):
                  json.dumps({**forged, "kind": "completion"}).encode()},
                 branch=layout.DEFAULT_BRANCH, author="coach-ana")
    assert run_issue(one_module_course) == 1
    err = capsys.readouterr().err
    assert (f"error: #{number}: microcred-ledger:{layout.decision_path(number)} says #{number} "
            f"completed a module, but the forge says #{number} changes no submission") in err
    assert "error: mallory · my-credential v0.1.0: microcred-ledger:ledger/completions/mallory/" in err
    assert ledger_file(github, layout.badge_path("mallory", "my-credential", "0.1.0")) is None
    assert ledger_file(github, layout.ALLOCATIONS) is None  # nothing reserved, nothing signed


def test_a_merge_whose_evidence_fails_the_trusted_check_is_not_awarded(
        one_module_course: Path, github: FakeGitHub, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # A fork pull request whose own copy of check.yml always passes: its notes are missing,
    # a coach approves anyway, and it merges.
    pull = open_pull_request(one_module_course, github, {f"{FOLDER}/notes.md": None})
    event = push_event(tmp_path, approve_and_merge(github, pull), pull.base)
    assert run_issue(one_module_course, event) == 0
    out = capsys.readouterr().out
    assert (f"#{pull.number} {LEARNER} · my-credential v0.1.0 · observation: not awarded — the "
            f"check of the merged commit, run again with trusted code, found: {FOLDER}/notes.md: "
            "missing:") in out
    decision = ledger_file(github, layout.decision_path(pull.number))
    assert decision is not None and decision["outcome"] == "not-awarded"
    assert any("notes.md: missing" in reason for reason in decision["reasons"])
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
