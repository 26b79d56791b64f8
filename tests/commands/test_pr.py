"""The pull-request cycle on the local forge, through the CLI, on a real git repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.base import BOT_MARKER
from microcred.forge.local import LocalForge
from tests.conftest import DATA
from tests.helpers import commit_all, shown
from tests.ledger.cohort import (
    PASS_OBSERVATION,
    SHORT_OBSERVATION,
    make_course,
    observation_files,
    open_submission,
)

FOLDER = "submissions/lea/my-credential/observation"


@pytest.fixture
def repo(course: Path) -> git.Repo:
    return commit_all(course)


def test_submit_open_check_comment_and_request_coaches(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert main(["submit", "observation", "--root", str(course), "--login", "lea", "--open"]) == 0
    assert capsys.readouterr().out == "opened pull request #1 from submit/lea/observation-1\n"

    assert main(["pr", "check", "1", "--root", str(course), "--as", "microcred-bot", "-q"]) == 0
    forge = LocalForge(repo, "viewer")
    [comment] = forge.list_comments(1)
    assert comment.body.startswith(BOT_MARKER)
    assert "✅ **All checks passed.**" in comment.body
    assert "**Coach:** @coach-ana, @coach-ben (requested as reviewer)." in comment.body
    assert "Review template" in comment.body and "microcred-review: 1" in comment.body
    assert forge.requested_reviewers(1) == ["coach-ana", "coach-ben"]

    # The learner pushes a flawed revision: the same comment is updated, not duplicated.
    (course / FOLDER / "notes.md").write_text("## Context\nA short note.\n")
    repo.git.commit("-qam", "shorten")
    assert main(["pr", "check", "1", "--root", str(course), "--as", "microcred-bot"]) == 1
    [comment] = forge.list_comments(1)
    assert "❌ **Some things need fixing**" in comment.body
    assert "missing heading(s): 'Evidence'" in shown(comment.body)


def test_pr_list_and_show(repo: git.Repo, course: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    repo.git.checkout("-b", "topic")
    (course / "submissions/lea").mkdir(parents=True)
    (course / "submissions/lea/x.md").write_text("x")
    repo.git.add("--all")
    repo.index.commit("x")
    repo.git.checkout("main")
    assert main(["pr", "open", "--root", str(course), "--as", "lea", "--head", "topic",
                 "--title", "Topic"]) == 0
    capsys.readouterr()
    assert main(["pr", "list", "--root", str(course)]) == 0
    assert capsys.readouterr().out == "#1\topen\tlea\ttopic -> main\tTopic\n"
    assert main(["pr", "show", "1", "--root", str(course), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["author"], shown["files"], shown["reviews"]) == ("lea", ["submissions/lea/x.md"], [])


def test_local_forge_needs_an_actor_to_open(repo: git.Repo, course: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROCRED_LOGIN", raising=False)
    assert main(["pr", "open", "--root", str(course), "--head", "main"]) == 2
    assert "--as LOGIN" in capsys.readouterr().err


def test_roster_writes_and_checks_codeowners(course: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["roster", "--root", str(course)]) == 1
    assert capsys.readouterr().out == (
        ".github/CODEOWNERS: missing (run `microcred roster --write` and commit it)\n")
    assert main(["roster", "--root", str(course), "--write", "-q"]) == 0
    text = (course / ".github/CODEOWNERS").read_text()
    assert "* @designer-dee\n" in text
    assert "/rubrics/ @designer-dee\n" in text
    assert "/submissions/lea/my-credential/ @coach-ana @coach-ben\n" in text
    assert "/submissions/mae/my-credential/ @coach-ben\n" in text
    assert main(["roster", "--root", str(course), "-q"]) == 0
    programme = course / "content/programmes/my-programme.yml"
    programme.write_text(programme.read_text().replace("learners: [mae, max, mia, moe, mu]",
                                                       "learners: [mae, max, mia, moe, nia]"))
    assert main(["roster", "--root", str(course)]) == 1
    assert "out of date" in capsys.readouterr().out


def test_pr_merge_is_held_by_the_gate_until_merging_would_complete_the_module(
        course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(course)
    repo = make_course(course)
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    merge = ["pr", "merge", str(number), "--as", "coach-ana"]
    assert main(merge) == 2
    assert ("#1 is held by the merge gate (microcred/decision): merging now would not complete the "
            "module: no review from a coach authorised for this learner. Review it first") \
        in capsys.readouterr().err
    levels = [a for v in SHORT_OBSERVATION for a in ("--level", v)]
    assert main(["review", str(number), "--as", "coach-ana", *levels]) == 0
    assert main(merge) == 2
    assert "changes requested by @coach-ana (review 1) still stand" in capsys.readouterr().err
    assert LocalForge(repo, "x").get_pull_request(number).state == "open"
    levels = [a for v in PASS_OBSERVATION for a in ("--level", v)]
    assert main(["review", str(number), "--as", "coach-ana", *levels]) == 0
    assert main(merge) == 0
    assert f"merged #{number} into main" in capsys.readouterr().out


def test_pr_merge_force_merges_past_the_gate_and_says_so(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert main(["submit", "observation", "--root", str(course), "--login", "lea", "--open"]) == 0
    assert main(["pr", "merge", "1", "--root", str(course), "--as", "coach-ana", "--force"]) == 0
    captured = capsys.readouterr()
    assert "warning: #1: merging past the gate: merging now would not complete the module" in captured.err
    assert LocalForge(repo, "x").get_pull_request(1).state == "merged"


def test_pr_show_prints_the_conversation_the_gate_and_the_decision(
        course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(course)
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", "4f" * 32)
    repo = make_course(course)
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert main(["pr", "check", str(number), "--as", "microcred-bot", "-q"]) == 0
    levels = [a for v in SHORT_OBSERVATION for a in ("--level", v)]
    assert main(["review", str(number), "--as", "coach-ana", *levels, "--feedback",
                 "evidence=Time-stamp each note.\u202e", "--summary", "A good start."]) == 0
    assert main(["pr", "check", str(number), "--as", "microcred-bot", "-q"]) == 0
    capsys.readouterr()
    assert main(["pr", "show", str(number)]) == 0
    out = capsys.readouterr().out
    assert "── microcred\n   ### microcred check\n\n   ✅ **All checks passed.**" in out
    assert "- **If merged now:** no result — changes requested by @coach-ana (review 1) still stand." in out
    assert "Review template" not in out  # folded sections stay on the forge
    assert ("── review 1 by @coach-ana: changes requested (commit "
            ) in out
    assert ("   evidence: Developing (required Proficient) — not yet\n"
            "      Time-stamp each note.\\u202e\n"  # no control character reaches the terminal
            "   patterns: Developing (required Developing)\n"
            "   A good start.\n") in out
    assert out.endswith("── merge gate (microcred/decision): failure — merging now would not "
                        "complete the module: changes requested by @coach-ana (review 1) still stand\n")

    assert main(["pr", "merge", str(number), "--as", "coach-ana", "--force"]) == 0
    assert main(["issue", "--pr", str(number)]) == 0
    capsys.readouterr()
    assert main(["pr", "show", str(number)]) == 0
    out = capsys.readouterr().out
    assert "── microcred\n   ### Not awarded yet: Classroom observation (My credential v0.1.0)" in out
    assert "── decision: not-awarded (attempt 1, " in out
    assert out.endswith("   - changes requested by @coach-ana (review 1) still stand\n")
    assert main(["pr", "show", str(number), "--format", "json"]) == 0
    shown_json = json.loads(capsys.readouterr().out)
    assert shown_json["decision"]["outcome"] == "not-awarded" and shown_json["gate"] is None
    assert [r["state"] for r in shown_json["reviews"]] == ["CHANGES_REQUESTED"]


def test_pr_show_still_shows_the_conversation_when_the_course_has_problems(
        course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(course)
    repo = make_course(course)
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    levels = [a for v in SHORT_OBSERVATION for a in ("--level", v)]
    assert main(["review", str(number), "--as", "coach-ana", *levels]) == 0
    (course / "rubrics/observation.yml").write_text("not: a rubric\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["pr", "show", str(number)]) == 0
    captured = capsys.readouterr()
    assert "warning: levels are shown as written, not against the rubric" in captured.err
    assert "── review 1 by @coach-ana: changes requested" in captured.out
    assert "   evidence: developing\n" in captured.out
