"""A coach's review is read back in the bot comment: malformed ones get a clear reply."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.base import APPROVED, BOT_MARKER
from microcred.forge.local import LocalForge
from tests.helpers import shown
from tests.ledger.cohort import make_course, observation_files, open_submission


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.chdir(course)
    return make_course(course)


def comment_after(repo: git.Repo, number: int, body: str, who: str = "coach-ana") -> str:
    pull = LocalForge(repo, who).get_pull_request(number)
    LocalForge(repo, who).submit_review(number, APPROVED, body, pull.head_sha)
    assert main(["pr", "check", str(number), "--as", "microcred-bot", "-q"]) == 0
    comments = LocalForge(repo, "x").list_comments(number)
    bot = [c.body for c in comments if c.body.startswith(BOT_MARKER)]
    assert len(bot) == 1
    return bot[0]


def test_a_misspelt_level_gets_a_reply_naming_the_fix(repo: git.Repo) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    body = comment_after(repo, number, "Great!\n\n```yaml\nmicrocred-review: 1\nmodule: observation\n"
                         "criteria:\n  evidence: {level: profficient}\n  patterns: {level: developing}\n```")
    assert "the review block cannot be read:\n  - " in body
    assert ("criteria.evidence.level 'profficient' is not a level of rubric 'observation'; choose "
            "one of not-yet, developing, proficient, exemplary") in shown(body)
    assert "**If merged now:** no result — the approving review cannot be read (above)." in body


def test_an_approval_without_a_block_is_not_a_silent_pass(repo: git.Repo) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    body = comment_after(repo, number, "LGTM")
    assert "this review has no review block; paste the template" in shown(body)


def test_a_valid_approval_reads_back_and_says_what_merging_decides(repo: git.Repo) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    body = comment_after(repo, number, "```yaml\nmicrocred-review: 1\nmodule: observation\n"
                         "criteria: {evidence: proficient, patterns: developing}\n```")
    assert "every criterion at its required level." in body
    assert "**If merged now:** module complete." in body


def test_an_approval_by_someone_off_the_roster_is_flagged(repo: git.Repo) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    body = comment_after(repo, number, "ok", who="designer-dee")
    assert "@designer-dee approved, but is not a coach for lea: not counted." in body
