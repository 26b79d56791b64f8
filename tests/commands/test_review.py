"""`microcred review` from the terminal: who may review, on a real repository."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.local import LocalForge
from tests.ledger.cohort import PASS_OBSERVATION, make_course, observation_files, open_submission


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.chdir(course)
    return make_course(course)


def _levels(values: list[str]) -> list[str]:
    return [arg for value in values for arg in ("--level", value)]


def test_a_coach_cannot_review_a_pull_request_they_opened(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    forge = LocalForge(repo, "coach-ana")
    forge.close(number)
    # The coach opens the learner's submission themselves, then tries to approve it.
    number = forge.open_pull_request("lea/observation", "main", "observation", "").number
    assert main(["review", str(number), "--as", "coach-ana", *_levels(PASS_OBSERVATION)]) == 2
    assert capsys.readouterr().err == (
        f"error: @coach-ana opened pull request #{number}, and a review by whoever opened it does "
        "not count; ask another of lea's coaches to review it (coach-ben)\n")
    assert forge.list_reviews(number) == []


def test_a_coach_of_another_learner_is_told_whose_coaches_count(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert main(["review", str(number), "--as", "coach-zed", *_levels(PASS_OBSERVATION)]) == 2
    assert capsys.readouterr().err == (
        "error: @coach-zed is not a coach authorised for lea in the programme awarding "
        "my-credential (their coaches there: coach-ana, coach-ben); the review would not count\n")


def test_a_level_without_its_criterion_shows_the_form_to_use(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert main(["review", str(number), "--as", "coach-ana", "--level", "evidence:proficient"]) == 2
    assert capsys.readouterr().err == (
        "error: --level 'evidence:proficient': write it as CRITERION=LEVEL\n")
