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
