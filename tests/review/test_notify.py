"""Every decision reaches the learner, once, on the local forge: the outcome notice end to end.

Real repositories and the CLI, as a programme would run it: submit, review, merge (through the
merge gate), `microcred issue`, and read what the pull request now says.
"""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.local import LocalForge
from microcred.ledger.issuance import Editions
from microcred.review.notice import notice_marker
from microcred.review.notify import gather
from tests.helpers import replace, shown, shown_html
from tests.ledger.cohort import (
    PASS_OBSERVATION,
    SEED,
    SHORT_OBSERVATION,
    SITE,
    make_course,
    observation_files,
    open_submission,
    revise,
)

NOTES = "submissions/lea/my-credential/observation/notes.md"


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    """The test course with a one-module credential (one merge completes it) and lea's consent."""
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    replace(course / "content/credentials/my-credential.yml",
            "modules: [first-module, observation]", "modules: [observation]")
    (course / "submissions/lea").mkdir(parents=True)
    (course / "submissions/lea/consent.yml").write_text(
        "format: 1\nkind: consent\npublic_page: true\nshow_as: Lea (pilot)\n", encoding="utf-8")
    return make_course(course)


def attempt_files(attempt: int) -> dict[str, str]:
    """Lea's observation files, revised for each attempt (each pull request changes something)."""
    files = observation_files("lea")
    files["notes.md"] += f"\n10:0{attempt} A note added for attempt {attempt}.\n"
    return files


def review(number: int, values: list[str], *extra: str) -> None:
    args = [arg for value in values for arg in ("--level", value)]
    assert main(["review", str(number), "--as", "coach-ana", *args, *extra]) == 0


def merge(number: int, *extra: str) -> int:
    return main(["pr", "merge", str(number), "--as", "coach-ana", *extra])


def notices(repo: git.Repo, number: int) -> list[str]:
    return [c.body for c in LocalForge(repo, "x").list_comments(number)
            if c.body.startswith(notice_marker(number))]


def test_a_pass_tells_the_learner_their_levels_feedback_and_badge_once(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    review(number, PASS_OBSERVATION, "--feedback", "patterns=Name the <b>counts</b> @coach-ben",
           "--summary", "Careful notes.")
    assert merge(number) == 0
    assert main(["issue", "--pr", str(number)]) == 0
    assert f"  told the learner on #{number} (decision notice)" in capsys.readouterr().out
    [notice] = notices(repo, number)
    assert "### ✅ Module complete: Classroom observation (My credential v0.1.0)" in notice
    assert "Attempt 1, approved by @coach-ana." in notice
    assert "| Low-inference evidence | Proficient | Proficient | ✅ |" in notice
    # the coach's words are shown as written, nothing in them live
    assert "Patterns in the data: Name the <b>counts</b> @coach-ben" in shown(notice)
    assert "<b>" not in shown_html(notice)
    assert "Feedback from @coach-ana: Careful notes." in shown(notice)
    assert f"- Verification page: {SITE}badges/" in notice
    assert "/badge.json" in notice and "/badge.svg" in notice
    assert "To share it: import the JSON file" in notice
    # A re-run (a re-delivered event, --all) decides nothing new and tells nothing twice.
    assert main(["issue", "--all"]) == 0
    assert "told the learner" not in capsys.readouterr().out
    assert len(notices(repo, number)) == 1


def test_not_yet_then_pass_on_the_same_pull_request(repo: git.Repo) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    review(number, SHORT_OBSERVATION, "--feedback", "evidence=Time-stamp each note.")
    assert merge(number) == 2  # held: changes requested still stand
    revise(repo, "lea/observation", NOTES, observation_files("lea")["notes.md"] + "\n10:02 More.\n")
    review(number, PASS_OBSERVATION)
    assert merge(number) == 0
    assert main(["issue", "--pr", str(number)]) == 0
    [notice] = notices(repo, number)
    assert "Module complete" in notice and "Attempt 2, approved by @coach-ana." in notice


def test_a_premature_merge_is_held_and_if_forced_is_told_what_to_do_next(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    review(number, SHORT_OBSERVATION, "--feedback", "evidence=Time-stamp each note.",
           "--summary", "A good start.")
    assert merge(number) == 2
    assert "held by the merge gate" in capsys.readouterr().err
    assert merge(number, "--force") == 0
    assert main(["issue", "--pr", str(number)]) == 0
    [notice] = notices(repo, number)
    assert "### Not awarded yet: Classroom observation (My credential v0.1.0)" in notice
    assert "changes requested by @coach-ana (review 1) still stand" in shown(notice)
    assert "| Low-inference evidence | Developing | Proficient | not yet |" in notice
    assert "Low-inference evidence: Time-stamp each note." in shown(notice)
    assert "Feedback from @coach-ana: A good start." in shown(notice)
    assert ("**What to do next:** Work on Low-inference evidence, with your coach's feedback "
            "above. Then start your next attempt, on a new branch: "
            "`microcred submit observation --new-attempt --open`.") in notice
    assert "Your badge" not in notice


def test_after_two_not_yets_the_coaching_rule_holds_the_merge_and_the_notice_says_why(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    for attempt in (1, 2):
        number = open_submission(repo, "lea", "observation", attempt_files(attempt))
        review(number, SHORT_OBSERVATION)
        assert merge(number, "--force") == 0
        assert main(["issue", "--pr", str(number)]) == 0
        [notice] = notices(repo, number)
        assert "### Not awarded yet" in notice
        repo.git.branch("-D", "lea/observation")
    assert "After 2 'not yet' decisions on a module, the next attempt completes only once" in notice
    third = open_submission(repo, "lea", "observation", attempt_files(3))
    review(third, PASS_OBSERVATION)
    assert merge(third) == 2
    assert "after 2 'not yet' decisions on observation, this attempt needs a coaching " \
        "conversation" in capsys.readouterr().err
    review(third, PASS_OBSERVATION, "--coaching-conversation", "2026-11-20")
    assert merge(third) == 0
    assert main(["issue", "--pr", str(third)]) == 0
    [notice] = notices(repo, third)
    assert "Module complete" in notice and "Attempt 3, approved by @coach-ana." in notice
    assert "Verification page" in notice


def test_without_consent_the_badge_is_pointed_to_in_the_ledger(
        repo: git.Repo, course: Path) -> None:
    repo.index.remove(["submissions/lea/consent.yml"], working_tree=True)
    repo.index.commit("lea withdraws consent")
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    review(number, PASS_OBSERVATION)
    assert merge(number) == 0
    assert main(["issue", "--pr", str(number)]) == 0
    [notice] = notices(repo, number)
    assert ("- The signed badge (Open Badges 3.0 JSON): https://github.com/YOUR-ORG/YOUR-COURSE/"
            "blob/microcred-ledger/ledger/badges/lea/my-credential/v0.1.0.json") in notice
    assert "add `submissions/lea/consent.yml` with `public_page: true`" in notice
    assert "Verification page" not in notice


def test_a_run_without_the_key_tells_nothing_yet_and_the_next_run_tells_it_all(
        repo: git.Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    review(number, PASS_OBSERVATION)
    assert merge(number) == 0
    monkeypatch.delenv("MICROCRED_SIGNING_KEY")
    assert main(["issue", "--pr", str(number)]) == 2  # recorded, but the badge cannot be signed
    assert notices(repo, number) == []
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    assert main(["issue", "--pr", str(number)]) == 0
    [notice] = notices(repo, number)
    assert "Module complete" in notice and "Verification page" in notice


def test_a_badge_issued_after_the_notice_gets_a_comment_of_its_own_once(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    review(number, PASS_OBSERVATION)
    assert merge(number) == 0
    # the decision's notice was told before the badge existed (by an earlier run)
    LocalForge(repo, "microcred-bot").comment_once(number, notice_marker(number), "Module complete.")
    assert main(["issue", "--pr", str(number)]) == 0
    assert f"  told the learner on #{number} (badge notice)" in capsys.readouterr().out
    badge = [c.body for c in LocalForge(repo, "x").list_comments(number)
             if c.body.startswith("<!-- microcred:badge urn:uuid:")]
    assert len(badge) == 1 and "**Your badge: My credential**" in badge[0]
    assert main(["issue", "--pr", str(number)]) == 0
    assert len(LocalForge(repo, "x").list_comments(number)) == 2


def test_a_decision_record_microcred_did_not_write_gets_no_notice(repo: git.Repo) -> None:
    editions: Editions = {}
    for record in ({}, {"learner": 1}, {"learner": "lea", "credential": "my-credential",
                                        "credential_version": "0.1.0", "module": "observation",
                                        "outcome": "complete", "pull_request": "1"}):
        assert gather(LocalForge(repo, "x"), None, None, editions, None, record) is None  # type: ignore[arg-type]
