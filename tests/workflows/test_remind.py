"""The remind workflow's step: `microcred remind --forge github`, against the contract-checked
fake GitHub; and a coach's `review --next` there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.review.format import ReviewBlock, render_review
from tests.github.server import FakeGitHub
from tests.helpers import shown
from tests.workflows.conftest import COACHES, open_pull_request


def _opened_days_ago(github: FakeGitHub, number: int, days: int) -> None:
    github.world.pull(number).created_at = (datetime.now(UTC) - timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def test_an_overdue_submission_gets_one_reminder_per_commit(
        course: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    argv = ["remind", "--root", str(course), "--forge", "github"]
    assert main(argv) == 0
    assert capsys.readouterr().out == ""  # opened today: within the service level
    _opened_days_ago(github, pull.number, 12)
    assert main(argv) == 0
    assert "(service level 5): reminded" in capsys.readouterr().out
    [reminder] = pull.comments()
    assert shown(reminder).strip().startswith("⏰ @coach-ana, @coach-ben: this submission has waited ")
    assert main(argv) == 0  # the next morning's run
    assert "already reminded for this commit" in capsys.readouterr().out
    assert len(pull.comments()) == 1
    # a coach's review of the latest commit takes it off the queue
    body = render_review(ReviewBlock("observation", {"evidence": "developing", "patterns": "developing"}))
    github.world.review(github.world.pull(pull.number), COACHES[0], "REQUEST_CHANGES", body, pull.head)
    assert main(argv) == 0
    assert capsys.readouterr().out == ""


def test_review_next_on_github(course: Path, github: FakeGitHub,
                               capsys: pytest.CaptureFixture[str]) -> None:
    pull = open_pull_request(course, github, {})
    _opened_days_ago(github, pull.number, 3)
    assert main(["review", "--next", "--root", str(course), "--forge", "github", "--as",
                 COACHES[0]]) == 0
    assert capsys.readouterr().out.startswith(f"#{pull.number} (lea) has waited longest: ")
