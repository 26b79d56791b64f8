"""A learner's standing on each module, through `microcred status`, on a real repository."""

from __future__ import annotations

import git
import pytest

from microcred.cli import main
from microcred.forge.base import APPROVED, CHANGES_REQUESTED
from microcred.forge.local import LocalForge
from microcred.review.progress import NOT_STARTED, NOT_YET, SUBMITTED, Attempt, standing
from tests.ledger.cohort import (
    PASS_FIRST,
    SHORT_OBSERVATION,
    first_module_files,
    observation_files,
    open_submission,
)


def test_status_follows_a_learner_from_nothing_to_complete_and_not_yet(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--learner", "lea"]) == 0
    assert capsys.readouterr().out == (
        "lea · My credential\n"
        "  First module           not started  not started\n"
        "  Classroom observation  not started  not started\n"
        "next: First module: microcred submit first-module --open\n")

    first = open_submission(repo, "lea", "first-module", first_module_files("lea"))
    second = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert main(["review", str(first), "--as", "coach-ana", "--level", PASS_FIRST[0]]) == 0
    assert main(["pr", "merge", str(first), "--as", "coach-ana"]) == 0
    assert main(["issue", "--pr", str(first)]) == 0
    levels = [a for v in SHORT_OBSERVATION for a in ("--level", v)]
    assert main(["review", str(second), "--as", "coach-ana", *levels]) == 0
    capsys.readouterr()
    assert main(["status", "--as", "lea"]) == 0
    assert capsys.readouterr().out == (
        "lea · My credential\n"
        f"  First module           complete     complete (#{first})\n"
        f"  Classroom observation  not yet      #{second}: not yet — changes requested\n"
        f"next: Classroom observation: revise the evidence and push to #{second}'s branch\n")

    LocalForge(repo, "lea").close(second)
    assert main(["status", "--learner", "lea", "--format", "json"]) == 0
    assert '"next": "microcred submit observation --new-attempt --open"' in capsys.readouterr().out


def test_status_of_someone_not_on_the_roster_is_a_clear_error(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--learner", "nobody-here"]) == 2
    assert "nobody-here is not a learner in any programme of this course" in capsys.readouterr().err


def test_standing_of_one_module() -> None:
    def of(*attempts: Attempt) -> tuple[str, str]:
        found = standing("c", "m", "M", False, attempts)
        return found.state, found.next

    assert of() == (NOT_STARTED, "microcred submit m --open")
    assert of(Attempt(1, "open")) == (SUBMITTED, "wait for the review (the bot comment on the "
                                                 "pull request says what is checked)")
    assert of(Attempt(1, "open", APPROVED)) == (SUBMITTED, "a coach merges #1")
    assert of(Attempt(1, "merged", CHANGES_REQUESTED, "not-awarded")) == (
        NOT_YET, "microcred submit m --new-attempt --open")
    assert of(Attempt(1, "merged", "", "not-awarded"), Attempt(2, "open", CHANGES_REQUESTED)) == (
        NOT_YET, "revise the evidence and push to #2's branch")
