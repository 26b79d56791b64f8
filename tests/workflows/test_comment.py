"""The comment workflow's step: `microcred pr comment --forge github --event "$GITHUB_EVENT_PATH"
--report FILE`, on GitHub's workflow_run payloads, against the contract-checked fake GitHub.

The report comes from the check step (`microcred check --event ... --report`) run on the same
pull request, or is forged, as a pull request that rewrites the check workflow could."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.forge.base import BOT_MARKER
from microcred.review.format import ReviewBlock, render_review
from tests.github.server import FakeGitHub
from tests.github.settings import Ruleset
from tests.github.state import MAX_COMMENT
from tests.helpers import shown, shown_html
from tests.workflows.conftest import COACHES, FOLDER, PullRequest, open_pull_request

PASSED = "✅ **All checks passed.**"
FAILED = "❌ **Some things need fixing**"


def _check(pull: PullRequest, tmp_path: Path, event: str = "pull_request.opened.fork.derived") -> Path:
    """Run the check step on the pull request; return its report."""
    report = tmp_path / "check-report.json"
    main(["check", "--root", str(pull.root), "--event", str(pull.check_event(tmp_path, event)),
          "--format", "json", "--report", str(report)])
    return report


def _comment(pull: PullRequest, tmp_path: Path, report: Path, **run: str) -> int:
    return main(["pr", "comment", "--root", str(pull.root), "--forge", "github",
                 "--event", str(pull.run_event(tmp_path, **run)), "--report", str(report)])


def _no_badges(server: FakeGitHub) -> None:
    """Nothing was issued: no branch but main, no file committed through the API."""
    assert set(server.world.repo.branches) == {"main"}
    assert server.calls("repos/create-or-update-file-contents") == []


def test_a_passing_fork_pull_request_gets_the_comment_and_its_coaches(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    report = _check(pull, tmp_path)
    capsys.readouterr()
    assert _comment(pull, tmp_path, report) == 0
    assert capsys.readouterr().out == "#1: check: 1 submission(s), passed\n"
    [comment] = pull.comments()
    assert comment.startswith(BOT_MARKER) and PASSED in comment
    assert "@coach-ana, @coach-ben" in comment
    assert pull.requested() == COACHES
    assert [c.author for c in github.world.comments] == ["microcred-bot"]
    # the merge gate: set by this trusted job on the head; no coach has reviewed yet
    [gate] = github.world.latest_statuses(pull.head)
    assert (gate.context, gate.state, gate.creator) == ("microcred/decision", "failure", "microcred-bot")
    assert gate.description == ("merging now would not complete the module: no review from a "
                                "coach authorised for this learner")


@pytest.mark.parametrize(("path", "rule"), [
    (".github/workflows/check.yml", "protected-path"),
    ("rubrics/observation.yml", "protected-path"),
    ("submissions/leo/my-credential/observation/notes.md", "other-learner")])
def test_a_fork_pull_request_that_changes_what_it_may_not_is_commented_on_and_issues_nothing(
        path: str, rule: str, course: Path, github: FakeGitHub, actions_env: Path,
        tmp_path: Path) -> None:
    pull = open_pull_request(course, github, {path: b"changed\n"})
    report = _check(pull, tmp_path)
    assert not json.loads(report.read_text())["passed"]
    assert _comment(pull, tmp_path, report) == 0
    [comment] = pull.comments()
    assert FAILED in comment and f"`{path}`" in comment
    assert "**Coach review** starts once every item above is fixed." in comment
    assert pull.requested() == []
    assert [s.state for s in github.world.latest_statuses(pull.head)] == ["failure"]
    _no_badges(github)


def test_a_forged_report_cannot_hide_a_change_to_the_workflows(
        course: Path, github: FakeGitHub, tmp_path: Path) -> None:
    # The pull request rewrote the check workflow, which then uploaded a report of its own.
    pull = open_pull_request(course, github, {".github/workflows/check.yml": b"jobs: {}\n"})
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({"format": 1, "mode": "range", "passed": True, "general": [],
                                  "submissions": []}), encoding="utf-8")
    assert _comment(pull, tmp_path, forged) == 0
    [comment] = pull.comments()
    assert FAILED in comment and "`.github/workflows/check.yml`" in comment
    assert "may not change workflows and repository settings" in comment
    assert pull.requested() == []
    _no_badges(github)


def test_a_forged_report_cannot_inject_markup_or_hide_the_protected_path_finding(
        course: Path, github: FakeGitHub, tmp_path: Path) -> None:
    pull = open_pull_request(course, github, {".github/workflows/check.yml": b"jobs: {}\n"})
    hostile = "@coach-ana see https://evil.example <img src=x> <!-- [x](javascript:y) `\r\r<details>"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({"format": 1, "mode": "range", "passed": True, "submissions": [],
                                  "general": [{"path": "README.md", "line": 0, "rule": "note",
                                               "severity": "notice", "message": hostile,
                                               "fix": hostile}]}), encoding="utf-8")
    assert _comment(pull, tmp_path, forged) == 0
    [comment] = pull.comments()
    rendered = shown_html(comment)
    for live in ("<img", "<!-- [x]", "<details>", "<a ", "@coach-ana see", "https://evil"):
        assert live not in rendered
    assert "may not change workflows and repository settings" in shown(comment)
    assert "@coach-ana see https://evil.example <img src=x> <!-- [x](javascript:y)" in shown(comment)


def test_a_comment_over_the_size_limit_lists_fewer_and_says_how_many_more(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path) -> None:
    # 600 stray files once made a 73,743-character body; GitHub refused it and a stale comment
    # stayed. The workflow change must stay in view however long the list.
    stray: dict[str, bytes | None] = {f"notes/draft-{i:03}-of-a-long-file-name.md": b"x\n"
                                      for i in range(600)}
    pull = open_pull_request(course, github, {**stray, ".github/workflows/zz.yml": b"on: push\n"})
    assert _comment(pull, tmp_path, _check(pull, tmp_path)) == 0
    [comment] = pull.comments()
    assert len(comment) <= MAX_COMMENT
    listed = comment.count("`notes/draft-")
    assert 300 < listed < 600
    assert f"- … and {600 - listed} more: run `microcred check` to list them all" in comment
    first = comment.index("- ❌")
    assert comment.index("`.github/workflows/zz.yml`") == comment.index("`", first)
    assert "Review template" in comment


@pytest.mark.parametrize("name", ["pull_request_review.submitted.approved.derived",
                                  "pull_request_review.submitted.changes_requested.derived"])
def test_a_review_refreshes_the_one_comment(name: str, course: Path, github: FakeGitHub,
                                            actions_env: Path, tmp_path: Path) -> None:
    pull = open_pull_request(course, github, {})
    assert _comment(pull, tmp_path, _check(pull, tmp_path)) == 0
    event = "APPROVE" if "approved" in name else "REQUEST_CHANGES"
    github.world.review(github.world.pull(pull.number), COACHES[0], event, "Looks good.", pull.head)
    report = _check(pull, tmp_path, name)
    assert _comment(pull, tmp_path, report, event="pull_request_review") == 0
    [comment] = pull.comments()  # edited in place, never a second comment
    assert "**Reviews**" in comment and "@coach-ana" in comment.split("**Reviews**")[1]
    _no_badges(github)


def test_a_run_whose_commit_is_no_longer_the_head_posts_nothing(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    report = _check(pull, tmp_path)
    capsys.readouterr()
    assert _comment(pull, tmp_path, report, head="e" * 40) == 0
    assert capsys.readouterr().err == (
        "no open pull request has head eeeeeeeeeeee any more (pushed again or closed since the "
        "check ran); nothing to post\n")
    assert pull.comments() == []


def test_a_run_not_started_by_a_pull_request_is_refused(
        course: Path, github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    assert _comment(pull, tmp_path, tmp_path / "none.json", event="push") == 2
    assert "the run was started by 'push', not by a pull request" in capsys.readouterr().err


def _refused(pull: PullRequest, tmp_path: Path, report: Path,
             capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert _comment(pull, tmp_path, report) == 2
    assert pull.comments() == [] and pull.requested() == []
    return capsys.readouterr().err


def _good_report(pull: PullRequest, tmp_path: Path) -> dict:
    return json.loads(_check(pull, tmp_path).read_text(encoding="utf-8"))


def test_an_oversized_report_is_refused(course: Path, github: FakeGitHub, actions_env: Path,
                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    report = tmp_path / "big.json"
    report.write_bytes(b" " * (5 * 1024 * 1024 + 1))
    assert _refused(pull, tmp_path, report, capsys) == (
        f"error: {report}: larger than 5242880 bytes; a check report is never that large, so "
        f"it is not used\n{report}: not a check report microcred wrote; nothing was posted\n")


def test_a_report_that_is_not_json_is_refused(course: Path, github: FakeGitHub,
                                              tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    report = tmp_path / "bad.json"
    report.write_text('{"format": 1,\n  "mode": }', encoding="utf-8")
    assert _refused(pull, tmp_path, report, capsys) == (
        f"error: {report}:2:11: not JSON (Expecting value)\n"
        f"{report}: not a check report microcred wrote; nothing was posted\n")


def test_a_report_against_its_schema_is_refused_naming_each_problem(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    data = _good_report(pull, tmp_path)
    data["passed"] = "yes"
    data["submissions"][0]["attempt"] = "1"
    data["extra"] = True
    report = tmp_path / "report.json"
    report.write_text(json.dumps(data), encoding="utf-8")
    assert _refused(pull, tmp_path, report, capsys) == (
        f"error: {report}: $.passed: 'yes' is not of type 'boolean'\n"
        f"{report}: $.submissions[0].attempt: '1' is not of type 'integer'\n"
        f"{report}: $: Additional properties are not allowed ('extra' was unexpected)\n"
        f"{report}: not a check report microcred wrote; nothing was posted\n")


def test_a_report_with_markup_where_ids_belong_is_refused(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    data = _good_report(pull, tmp_path)
    data["submissions"][0]["module"] = "<img src=x>"
    data["submissions"][0]["requirements"][0]["file"] = "notes.md` @everyone `"
    report = tmp_path / "report.json"
    report.write_text(json.dumps(data), encoding="utf-8")
    err = _refused(pull, tmp_path, report, capsys)
    assert f"{report}: $.submissions[0].module: '<img src=x>' is not an id\n" in err
    assert f"{report}: $.submissions[0].requirements[0]: id or file is not as microcred writes it\n" in err


def test_a_report_about_folders_the_pull_request_does_not_change_is_refused(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    data = _good_report(pull, tmp_path)
    other = data["submissions"][0]["folder"].replace("/lea/", "/leo/")
    data["submissions"][0].update(folder=other, learner="leo")
    report = tmp_path / "report.json"
    report.write_text(json.dumps(data), encoding="utf-8")
    assert _refused(pull, tmp_path, report, capsys) == (
        f"error: the report checks {other}, which pull request #1 does not change; nothing was "
        "posted\n")


def test_a_report_whose_learner_does_not_own_the_folder_is_refused(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    data = _good_report(pull, tmp_path)
    data["submissions"][0]["learner"] = "leo"
    report = tmp_path / "report.json"
    report.write_text(json.dumps(data), encoding="utf-8")
    assert f"$.submissions[0].learner: 'leo' is not the owner of {FOLDER}/" in _refused(
        pull, tmp_path, report, capsys)


def test_the_pull_request_is_told_apart_by_branch_when_heads_are_shared(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path) -> None:
    pull = open_pull_request(course, github, {})
    world = github.world
    fork = world.repos[pull.head_repository]
    fork.branches["copy"] = pull.head  # the same commit on a second branch, opened again
    world.open_pull("lea", "Copy", "", "lea:copy", "main")
    report = _check(pull, tmp_path)
    assert _comment(pull, tmp_path, report) == 0
    assert len(pull.comments()) == 1 and [c.number for c in world.comments] == [pull.number]


def test_a_copycat_fork_with_the_same_commit_and_branch_cannot_block_the_comment(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Before, this made `pr comment` fail ("pull requests #1, #2 all have head ...") on every push.
    pull = open_pull_request(course, github, {})
    world = github.world
    other = world.fork("leo")
    other.branches["pr"] = pull.head  # the learner's public commit, on a branch of the same name
    copycat = world.open_pull("leo", "Same", "", "leo:pr", "main").number
    report = _check(pull, tmp_path)
    capsys.readouterr()
    assert _comment(pull, tmp_path, report) == 0
    assert capsys.readouterr().out == "#1: check: 1 submission(s), passed\n"
    assert [c.number for c in world.comments] == [pull.number]
    assert world.pull(copycat).requested == []


def test_the_merge_gate_holds_a_premature_merge_until_the_approval(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # the branch rules of docs/administration.md: both statuses required on main
    github.world.settings.rulesets = [Ruleset(1, "main", ["~DEFAULT_BRANCH"], [
        {"type": "required_status_checks", "parameters": {
            "strict_required_status_checks_policy": False,
            "required_status_checks": [{"context": "microcred/decision"}]}}])]
    pull = open_pull_request(course, github, {})
    assert _comment(pull, tmp_path, _check(pull, tmp_path)) == 0
    merge = ["pr", "merge", str(pull.number), "--root", str(course), "--forge", "github"]
    assert main(merge) == 2  # microcred's own look at the gate
    assert "held by the merge gate (microcred/decision)" in capsys.readouterr().err
    assert main([*merge, "--force"]) == 2  # and GitHub's branch rules, past it
    assert 'GitHub answered 405: Repository rule violations found\n\nRequired status check ' \
        '"microcred/decision" is failing.' in capsys.readouterr().err
    assert github.world.pull(pull.number).state == "open"

    body = render_review(ReviewBlock("observation", {"evidence": "proficient", "patterns": "developing"}))
    github.world.review(github.world.pull(pull.number), COACHES[0], "APPROVE", body, pull.head)
    report = _check(pull, tmp_path, "pull_request_review.submitted.approved.derived")
    assert _comment(pull, tmp_path, report, event="pull_request_review") == 0
    [gate] = github.world.latest_statuses(pull.head)
    assert (gate.state, gate.description) == ("success", "merging now completes observation")
    assert "**If merged now:** module complete." in pull.comments()[0]
    capsys.readouterr()
    assert main(merge) == 0
    assert f"merged #{pull.number} into main" in capsys.readouterr().out


def test_a_forged_passing_report_over_missing_evidence_fails_the_gate(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # The pull request rewrote its copy of the check workflow to upload "passed" whatever it
    # holds, over a submission whose notes are missing. The comment step checks the head again
    # with the default branch's code: the gate fails and no coach is asked to review.
    pull = open_pull_request(course, github, {f"{FOLDER}/notes.md": None})
    honest = json.loads(_check(pull, tmp_path).read_text(encoding="utf-8"))
    assert honest["passed"] is False
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**honest, "passed": True, "general": [], "submissions": [
        {**s, "passed": True, "findings": []} for s in honest["submissions"]]}), encoding="utf-8")
    capsys.readouterr()
    assert _comment(pull, tmp_path, forged) == 0
    assert "says passed, the check run here" in capsys.readouterr().err
    [comment] = pull.comments()
    assert FAILED in comment and "notes.md" in comment
    [gate] = github.world.latest_statuses(pull.head)
    assert (gate.state, gate.description) == ("failure", "the check found problems to fix first")
    assert pull.requested() == []
    _no_badges(github)
