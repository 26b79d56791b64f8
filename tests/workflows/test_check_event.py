"""The check workflow's step: `microcred check --event "$GITHUB_EVENT_PATH" --format github
--report FILE`, run in a clone at the base commit on GitHub's own pull request payloads."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from microcred.cli import main
from microcred.content.schema import schema_of
from tests.github import payloads
from tests.github.server import FakeGitHub
from tests.workflows.conftest import FOLDER, LEARNER, REPOSITORY, open_pull_request

WORKFLOW = b"on: pull_request\njobs: {}\n"
# (what the fork's pull request changes besides the learner's folder, the finding it gets)
TAMPERING = {
    "a workflow": (".github/workflows/check.yml", "protected-path"),
    "a rubric": ("rubrics/observation.yml", "protected-path"),
    "another learner's folder": ("submissions/leo/my-credential/observation/notes.md", "other-learner"),
    "the tool": ("generator/microcred/commands/check.py", "protected-path"),
}


def _report(path: Path) -> dict:
    report = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema_of("check-report")).validate(report)
    return report


def test_a_fork_pull_request_with_a_good_submission_passes(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    event = pull.check_event(tmp_path)
    code = main(["check", "--root", str(course), "--event", str(event), "--format", "github",
                 "--report", str(tmp_path / "report.json")])
    out, err = capsys.readouterr()
    assert code == 0
    assert f"checking pull request #1 by lea from the fork {LEARNER}/course: {pull.head[:12]} " \
        f"into main at {pull.base[:12]}" in err
    assert "check: 1 submission(s), passed" in out.splitlines()
    report = _report(tmp_path / "report.json")
    assert report["passed"] and [s["folder"] for s in report["submissions"]] == [FOLDER + "/"]
    assert "✅ **All checks passed.**" in actions_env.read_text(encoding="utf-8")


@pytest.mark.parametrize("what", sorted(TAMPERING))
def test_a_fork_pull_request_that_changes_what_it_may_not_fails(
        what: str, course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path, rule = TAMPERING[what]
    pull = open_pull_request(course, github, {path: WORKFLOW})
    code = main(["check", "--root", str(course), "--event", str(pull.check_event(tmp_path)),
                 "--format", "github", "--report", str(tmp_path / "report.json")])
    out = capsys.readouterr().out
    assert code == 1
    assert f"::error file={path.replace(':', '%3A')},title={rule}::" in out.replace(
        "%2C", ",") or f"::error file={path}" in out
    report = _report(tmp_path / "report.json")
    assert not report["passed"]
    found = [(f["path"], f["rule"]) for f in report["general"]]
    assert (path, rule) in found
    assert "❌ **Some things need fixing**" in actions_env.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["pull_request_review.submitted.approved.derived",
                                  "pull_request_review.submitted.changes_requested.derived"])
def test_a_review_event_checks_the_pull_request_of_its_author_not_the_reviewer(
        name: str, course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    event = pull.check_event(tmp_path, name)
    assert json.loads(event.read_text())["review"]["user"]["login"] == "coach-ana"
    code = main(["check", "--root", str(course), "--event", str(event), "--format", "json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["learner"] for s in report["submissions"]] == ["lea"] and report["general"] == []


def test_the_rules_come_from_the_base_not_from_the_pull_request(
        course: Path, github: FakeGitHub, actions_env: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # The pull request drops the notes requirement from the module and the notes themselves.
    module = (course / "modules/observation/module.yml").read_text(encoding="utf-8")
    pull = open_pull_request(course, github, {
        "modules/observation/module.yml": module.replace("notes.md", "tally.csv").encode(),
        f"{FOLDER}/notes.md": None})
    code = main(["check", "--root", str(course), "--event", str(pull.check_event(tmp_path)),
                 "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    [submission] = report["submissions"]
    assert not submission["passed"]
    assert ("modules/observation/module.yml", "protected-path") in [
        (f["path"], f["rule"]) for f in report["general"]]


def test_event_problems_are_named_by_key(course: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = payloads.payload("pull_request.opened.fork.derived")
    del data["pull_request"]["head"]["sha"]
    data["pull_request"]["user"]["login"] = "not a login"
    event = tmp_path / "event.json"
    event.write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", "--root", str(course), "--event", str(event)]) == 2
    assert capsys.readouterr().err == (
        f"error: {event}: pull_request.user.login: 'not a login' is not a GitHub login\n"
        f"{event}: pull_request.head.sha: missing\n")


def test_an_event_of_another_kind_is_refused(course: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    event = payloads.write(tmp_path, "push.default", payloads.payload("push.default"))
    assert main(["check", "--root", str(course), "--event", str(event)]) == 2
    assert capsys.readouterr().err == (
        f"error: {event}: not a pull_request or pull_request_review event (no 'pull_request' "
        "key); run this on those events only\n")


def test_an_event_file_that_is_not_json(course: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    event = tmp_path / "event.json"
    event.write_text("{", encoding="utf-8")
    assert main(["check", "--root", str(course), "--event", str(event)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {event}: not JSON (") and "give $GITHUB_EVENT_PATH" in err


def test_the_pull_requests_commits_must_be_fetched_first(
        course: Path, github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    data = json.loads(pull.check_event(tmp_path).read_text())
    data["pull_request"]["head"]["sha"] = "f" * 40
    event = payloads.write(tmp_path, "pull_request.opened.fork.derived", data)
    assert main(["check", "--root", str(course), "--event", str(event)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"error: {event}: pull_request.head.sha {'f' * 40}: not in the clone at {course} (fetch "
        "the pull request's commits first: git fetch origin pull/1/head)")


def test_event_replaces_base_head_and_author(course: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(course), "--event", str(tmp_path / "e.json"),
                 "--base", "main"]) == 2
    assert capsys.readouterr().err == ("error: --event gives the base, head and author: drop "
                                       "--base, --head, --author, --all and paths\n")


def test_the_repository_in_payloads_is_the_test_repository() -> None:
    data = payloads.pull_request_event(
        "pull_request.opened.fork.derived", number=3, author="lea", base_sha="a" * 40,
        head_sha="b" * 40, repository=REPOSITORY, head_repository="lea/course")
    assert payloads.problems("pull_request.opened.fork.derived", data) == []
    assert data["pull_request"]["head"]["repo"]["fork"] is True
    assert "Codertocat" not in json.dumps(data["pull_request"]["head"])
