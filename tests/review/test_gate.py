"""The merge gate forecasts with issuance's own decision: attempts and the coaching rule count."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.content.assessment import assessment_courses
from microcred.forge.base import BOT_MARKER, FAILURE, SUCCESS
from microcred.forge.local import LocalForge
from microcred.review.gate import CONTEXT, forecast
from tests.helpers import shown
from tests.ledger.cohort import (
    PASS_OBSERVATION,
    SHORT_OBSERVATION,
    make_course,
    observation_files,
    open_submission,
)


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.chdir(course)
    return make_course(course)


def review(number: int, values: list[str], *extra: str) -> None:
    args = [arg for value in values for arg in ("--level", value)]
    assert main(["review", str(number), "--as", "coach-ana", *args, *extra]) == 0


def not_yet_twice(repo: git.Repo) -> None:
    """Two earlier attempts at observation, each 'not yet' and withdrawn."""
    for attempt in (1, 2):
        number = open_submission(repo, "lea", "observation", observation_files("lea"))
        review(number, SHORT_OBSERVATION)
        LocalForge(repo, "lea").close(number)
        repo.git.branch("-m", "lea/observation", f"lea/observation-{attempt}")


def bot_comment(repo: git.Repo, number: int) -> str:
    assert main(["pr", "check", str(number), "--as", "microcred-bot", "-q"]) == 0
    return next(c.body for c in LocalForge(repo, "x").list_comments(number)
                if c.body.startswith(BOT_MARKER))


def test_after_two_not_yets_an_approval_without_coaching_does_not_promise_completion(
        repo: git.Repo, course: Path) -> None:
    # Regression: the comment said "If merged now: module complete" here, ignoring the rule.
    not_yet_twice(repo)
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    review(number, PASS_OBSERVATION)
    body = bot_comment(repo, number)
    assert "**If merged now:** module complete." not in body
    assert ("If merged now: no result — after 2 'not yet' decisions on observation, this "
            "attempt needs a coaching conversation") in shown(body)
    forge = LocalForge(repo, "x")
    head = forge.get_pull_request(number).head_sha
    status = forge.get_status(head, CONTEXT)
    assert status is not None and status.state == FAILURE
    assert status.description.startswith("merging now would not complete the module: after 2")

    review(number, PASS_OBSERVATION, "--coaching-conversation", "2026-11-20")
    assert "**If merged now:** module complete." in bot_comment(repo, number)
    status = forge.get_status(head, CONTEXT)
    assert status is not None and (status.state, status.description) == (
        SUCCESS, "merging now completes observation")


def test_the_forecast_counts_attempts_as_issuance_does(repo: git.Repo, course: Path) -> None:
    not_yet_twice(repo)
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    review(number, PASS_OBSERVATION, "--coaching-conversation", "2026-11-20")
    course_now, editions = assessment_courses(course)
    forge = LocalForge(repo, "x")
    gate = forecast(forge, course_now, editions, forge.get_pull_request(number))
    assert gate.decision is not None and gate.decision.not_yet_before == 2
    assert not gate.blocks


def test_a_course_change_is_not_held(repo: git.Repo, course: Path) -> None:
    repo.git.checkout("-b", "designer/typo")
    (course / "README.md").write_text("# Course\n\nFixed a typo.\n", encoding="utf-8")
    repo.git.add("--all")
    repo.index.commit("typo")
    repo.git.checkout("main")
    forge = LocalForge(repo, "designer-dee")
    number = forge.open_pull_request("designer/typo", "main", "Typo", "").number
    course_now, editions = assessment_courses(course)
    gate = forecast(forge, course_now, editions, forge.get_pull_request(number))
    assert (gate.state, gate.description) == (SUCCESS, "no submission: merging decides nothing for a learner")
