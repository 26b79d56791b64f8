"""A coach's review is read back in the bot comment: malformed ones get a clear reply."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import git
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.cli import main
from microcred.forge.base import APPROVED, BOT_MARKER, CHANGES_REQUESTED, COMMENTED, MERGED, Review
from microcred.forge.local import LocalForge
from microcred.review.decide import decide
from microcred.review.summary import review_lines
from tests.helpers import shown, shown_html
from tests.ledger.cohort import make_course, observation_files, open_submission
from tests.review.test_decide import HEAD, PULL
from tests.review.test_format import MODULE, RUBRIC


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


@pytest.mark.parametrize(("lines", "problem"), [
    ("coaching_conversation: 2026-11-31\n", "coaching_conversation: '2026-11-31' is not a date"),
    ("true: 1\nother: 2\n", "unknown key(s) other, true")])
def test_a_typo_that_crashed_the_parser_gets_a_reply(repo: git.Repo, lines: str, problem: str) -> None:
    # Both raised inside the parser (ValueError, TypeError): no comment, and `issue --all` stopped.
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    body = comment_after(repo, number, "```yaml\nmicrocred-review: 1\nmodule: observation\n" + lines +
                         "criteria: {evidence: proficient, patterns: developing}\n```")
    assert problem in shown(body)
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


# -- whatever a review says, the lines read back are inert ----------------------------------------

BODY_PIECES = ["```yaml\nmicrocred-review: 1\nmodule: observe\n", "criteria:\n",
               "  evidence: {level: proficient, feedback: ", "}\n", "  patterns: developing\n",
               "  '<img src=x>': developing\n", "  '@team': x\n", "  '[a](https://e.x)': x\n",
               "module: '<b>@all</b>'\n", "coaching_conversation: '@team <!--'\n", "```\n",
               "@team ", "<details>", "https://e.x ", "#12 ", "\r\n", "`", "\x00", "\u202e"]


@settings(max_examples=200, deadline=None)
@given(bodies=st.lists(st.lists(st.sampled_from(BODY_PIECES) | st.text(max_size=10), max_size=15)
                       .map("".join), min_size=1, max_size=3),
       states=st.lists(st.sampled_from([APPROVED, CHANGES_REQUESTED, COMMENTED]), min_size=3,
                       max_size=3))
def test_review_lines_never_raise_and_render_nothing_live(bodies: list[str], states: list[str]) -> None:
    reviews = [Review(i, "coach-lee", states[i], body, HEAD) for i, body in enumerate(bodies)]
    # the outlook as the merge gate forms it: issuance's decision, reasons and all
    outlook = decide(replace(PULL, state=MERGED, merge_sha=HEAD), "ana", reviews, MODULE, RUBRIC,
                     ["coach-lee"], 0, 2)
    lines = review_lines(PULL, "ana", reviews, MODULE, RUBRIC, ["coach-lee"], outlook)
    rendered = shown_html("\n".join(lines))
    assert not re.search(r"<(?!/?(p|ul|li|strong|em|code)\b)", rendered), rendered
    text = html.unescape(re.sub(r"<code>.*?</code>|<[^>]*>", "", rendered)).replace("@coach-lee", "")
    assert not re.search(r"(?<!\w)[@#][A-Za-z0-9]|://", text), text
