"""The coach's queue and reminders on a real repository: `review --next` and `microcred remind`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.local import LocalForge
from microcred.review.queue import working_days
from tests.helpers import shown
from tests.ledger.cohort import (
    PASS_FIRST,
    first_module_files,
    make_course,
    observation_files,
    open_submission,
)


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.chdir(course)
    return make_course(course)


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def test_working_days_skip_weekends() -> None:
    friday = date(2026, 11, 27)
    assert working_days(friday, friday) == 0
    assert working_days(friday, date(2026, 11, 30)) == 1  # over the weekend to Monday
    assert working_days(friday, date(2026, 12, 4)) == 5
    assert working_days(friday, date(2026, 12, 11)) == 10


def test_review_next_opens_the_oldest_submission_waiting_for_this_coach(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    newer = open_submission(repo, "lea", "observation", observation_files("lea"), opened=days_ago(2))
    older = open_submission(repo, "lea", "first-module", first_module_files("lea"), opened=days_ago(9))
    assert main(["review", "--next", "--as", "coach-ana"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"#{older} (lea) has waited longest: ")
    assert "1 more waiting for you\n\nlea · my-credential v0.1.0 · First module" in out
    # reviewed at its latest commit, it leaves the queue: the learner's turn now
    assert main(["review", str(older), "--as", "coach-ana", "--level", PASS_FIRST[0]]) == 0
    capsys.readouterr()
    assert main(["review", "--next", "--as", "coach-ana"]) == 0
    assert capsys.readouterr().out.startswith(f"#{newer} (lea) has waited longest: ")
    assert main(["review", "--next", "--as", "coach-zed"]) == 0
    assert capsys.readouterr().out == "nothing is waiting for @coach-zed's review\n"


def test_remind_comments_once_past_the_service_level_naming_coaches_by_login(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    late = open_submission(repo, "lea", "observation", observation_files("lea"), opened=days_ago(12))
    on_time = open_submission(repo, "lea", "first-module", first_module_files("lea"),
                              opened=days_ago(1))
    assert main(["remind", "--dry-run"]) == 0
    assert "would remind" in capsys.readouterr().out
    assert LocalForge(repo, "x").list_comments(late) == []
    assert main(["remind"]) == 0
    out = capsys.readouterr().out
    assert f"#{late}: " in out and "(service level 5): reminded" in out and f"#{on_time}:" not in out
    [reminder] = LocalForge(repo, "x").list_comments(late)
    assert reminder.author == "microcred-bot"
    assert "@coach-ana, @coach-ben: this submission has waited" in shown(reminder.body)
    assert "@" not in reminder.body.replace("@coach-ana", "").replace("@coach-ben", "")  # no e-mail
    assert main(["remind"]) == 0  # the next day's run: one reminder per commit
    assert "already reminded for this commit" in capsys.readouterr().out
    assert len(LocalForge(repo, "x").list_comments(late)) == 1
    assert LocalForge(repo, "x").list_comments(on_time) == []
