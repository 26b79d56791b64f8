"""Deciding a merge from the forge: authorisation per (learner, programme), the coaching rule
over every other attempt, and the trusted re-check of the merged head. Real repositories."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.content.assessment import assessment_courses
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.derive import Derived, Deriver
from microcred.ledger.snapshot import read_ledger
from microcred.submission.trusted import trusted_recheck
from tests.helpers import commit_all
from tests.ledger.cohort import (
    PASS_FIRST,
    PASS_OBSERVATION,
    SEED,
    SHORT_OBSERVATION,
    add_self_paced_programme,
    first_module_files,
    make_course,
    observation_files,
    open_submission,
)


@pytest.fixture
def two_programmes(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    add_self_paced_programme(course)
    make_course(course)
    return commit_all(course)


def levels(values: list[str]) -> list[str]:
    return [arg for value in values for arg in ("--level", value)]


def approve_directly(repo: git.Repo, number: int, coach: str, values: list[str]) -> None:
    """A review given on the forge (as on GitHub), not through `microcred review`'s own check."""
    from microcred.review.format import ReviewBlock, render_review
    forge = LocalForge(repo, coach)
    pull = forge.get_pull_request(number)
    module = "first-module" if values == PASS_FIRST else "observation"
    block = ReviewBlock(module, dict(v.split("=") for v in values))
    forge.submit_review(number, "APPROVED", render_review(block), pull.head_sha)


def decision(course: Path, number: int) -> dict[str, object]:
    return json.loads(read_ledger(course)[layout.decision_path(number)])


# the coaching rule counts every other attempt, whatever its number


def test_not_yet_on_a_later_numbered_pull_request_counts_towards_the_coaching_rule(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = open_submission(repo, "lea", "observation", observation_files("lea"), branch="lea/a")
    second = open_submission(repo, "lea", "observation", observation_files("lea"), branch="lea/b")
    for _ in range(2):  # two 'not yet' decisions on the later one
        assert main(["review", str(second), "--as", "coach-ana", *levels(SHORT_OBSERVATION)]) == 0
    LocalForge(repo, "lea").close(second)
    assert main(["review", str(first), "--as", "coach-ana", *levels(PASS_OBSERVATION)]) == 0
    LocalForge(repo, "coach-ana").merge(first)
    capsys.readouterr()
    assert main(["issue", "--pr", str(first)]) == 0
    assert ("after 2 'not yet' decisions on observation, this attempt needs a coaching "
            "conversation") in capsys.readouterr().out
    assert decision(course, first)["outcome"] == "not-awarded"


# authorisation per (learner, the credential's programme)


def test_a_learner_outside_the_credentials_programme_earns_nothing_whoever_approves(
        two_programmes: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = two_programmes
    # leo is in the cohort programme only; other-credential belongs to the self-paced one.
    number = open_submission(repo, "leo", "first-module",
                             first_module_files("leo", credential="other-credential"),
                             credential="other-credential")
    assert main(["review", str(number), "--as", "coach-ana", *levels(PASS_FIRST)]) == 2
    assert ("@coach-ana is not a coach authorised for leo in the programme awarding "
            "other-credential") in capsys.readouterr().err
    approve_directly(repo, number, "coach-ana", PASS_FIRST)  # a cohort coach approves on the forge
    LocalForge(repo, "coach-ana").merge(number)
    assert main(["issue", "--pr", str(number)]) == 0
    out = capsys.readouterr().out
    assert "not awarded — leo is not enrolled in the programme 'self-paced', which awards " \
           "other-credential" in out
    assert not any(p.startswith(layout.COMPLETIONS) for p in read_ledger(course))


def test_a_learner_in_two_programmes_is_assessed_by_each_programmes_coaches(
        two_programmes: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = two_programmes
    other = open_submission(repo, "lea", "first-module",
                            first_module_files("lea", credential="other-credential"),
                            credential="other-credential", branch="lea/other")
    assert main(["review", str(other), "--as", "coach-sol", *levels(PASS_FIRST)]) == 0
    LocalForge(repo, "coach-sol").merge(other)
    mine = open_submission(repo, "lea", "first-module", first_module_files("lea"), branch="lea/mine")
    approve_directly(repo, mine, "coach-sol", PASS_FIRST)  # not lea's coach in the cohort
    LocalForge(repo, "coach-ana").merge(mine)
    capsys.readouterr()
    assert main(["issue", "--pr", str(other), "--pr", str(mine)]) == 0
    out = capsys.readouterr().out
    assert f"#{other} lea · other-credential v0.1.0 · first-module: complete (approved by @coach-sol)" in out
    assert "@coach-sol approved but is not a coach authorised for lea; not counted" in out
    assert decision(course, mine)["outcome"] == "not-awarded"


def test_the_check_and_submit_refuse_a_credential_outside_the_learners_programmes(
        two_programmes: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["submit", "first-module", "--credential", "other-credential", "--login", "leo"]) == 2
    assert "leo is not enrolled in the programme 'self-paced', which awards other-credential" \
        in capsys.readouterr().err
    folder = course / "submissions/leo/other-credential/first-module"
    folder.mkdir(parents=True)
    for name, text in first_module_files("leo", credential="other-credential").items():
        (folder / name).write_text(text, encoding="utf-8")
    assert main(["check", str(folder)]) == 1
    assert ("not-enrolled: leo is not enrolled in the programme 'self-paced', which awards "
            "other-credential, so this submission cannot earn it") in capsys.readouterr().out


def test_review_requests_and_codeowners_name_the_credentials_programmes_coaches(
        two_programmes: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = two_programmes
    number = open_submission(repo, "lea", "first-module",
                             first_module_files("lea", credential="other-credential"),
                             credential="other-credential")
    assert main(["pr", "check", str(number), "--as", "microcred-bot", "-q"]) == 0
    assert LocalForge(repo, "x").requested_reviewers(number) == ["coach-sol"]
    assert main(["roster", "--write", "-q"]) == 0
    text = (course / ".github/CODEOWNERS").read_text()
    assert "/submissions/lea/my-credential/ @coach-ana @coach-ben\n" in text
    assert "/submissions/lea/other-credential/ @coach-sol\n" in text
    assert "/submissions/sam/other-credential/ @coach-sol\n" in text
    assert "/submissions/sam/my-credential/" not in text


# the forecast: the same rules on an open pull request, as if merged now


def test_the_forecast_applies_issuance_rules_to_an_open_pull_request(
        repo: git.Repo, course: Path) -> None:
    course_now, editions = assessment_courses(course)
    forge = LocalForge(repo, "microcred-bot")
    deriver = Deriver(forge, course_now, editions, trusted_recheck(course))
    for branch in ("lea/a", "lea/b"):  # two attempts closed after a 'not yet' each
        number = open_submission(repo, "lea", "observation", observation_files("lea"), branch=branch)
        assert main(["review", str(number), "--as", "coach-ana", *levels(SHORT_OBSERVATION)]) == 0
        LocalForge(repo, "lea").close(number)
    third = open_submission(repo, "lea", "observation", observation_files("lea"), branch="lea/c")
    assert main(["review", str(third), "--as", "coach-ana", *levels(PASS_OBSERVATION)]) == 0
    forecast = deriver.forecast(forge.get_pull_request(third))
    assert isinstance(forecast, Derived) and not forecast.decision.complete
    assert "this attempt needs a coaching conversation" in forecast.decision.reasons[-1]
    assert main(["review", str(third), "--as", "coach-ana", *levels(PASS_OBSERVATION),
                 "--coaching-conversation", "2026-11-20"]) == 0
    forecast = deriver.forecast(forge.get_pull_request(third))
    assert isinstance(forecast, Derived) and forecast.decision.complete
    assert forge.get_pull_request(third).state == "open"  # looking changed nothing


# the programme's minimum of logged coaching before the assessment


def test_a_decision_short_of_logged_coaching_names_it_and_passes_once_logged(
        coached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from microcred.content.loader import load_course
    from tests.helpers import replace

    monkeypatch.chdir(coached)
    replace(coached / "content/programmes/my-programme.yml", "credentials: [my-credential]",
            "credentials: [my-credential]\nmin_coaching:\n  first-module: {one-to-one: 2}")
    repo = make_course(coached)
    number = open_submission(repo, "lea", "first-module", first_module_files("lea"))
    assert main(["review", str(number), "--as", "coach-ana", *levels(PASS_FIRST)]) == 0
    forge = LocalForge(repo, "coach-ana")

    def forecast() -> Derived | str:
        course = load_course(coached).course
        return Deriver(forge, course, {}, lambda pull: []).forecast(forge.get_pull_request(number))

    before = forecast()
    assert isinstance(before, Derived) and not before.decision.complete
    [reason] = before.decision.reasons
    assert reason.startswith("1 more one-to-one coaching meeting(s) to log with lea for "
                             "first-module: it needs 2 before the assessment (")
    assert "1 logged (2026-09-15); coach-ana or coach-ben records it with `microcred log" in reason
    log = coached / "coaching/logs/coach-ana/2026-10-13-one-to-one-lea.yml"
    log.write_text((coached / "coaching/logs/coach-ana/2026-09-15-one-to-one-lea.yml")
                   .read_text().replace("2026-09-15", "2026-10-13"))
    commit_all(coached, "log the second one-to-one")
    after = forecast()
    assert isinstance(after, Derived) and after.decision.complete


def test_coaching_logged_on_the_ledger_counts_when_the_programme_keeps_logs_there(
        coached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from microcred.content.loader import load_course
    from tests.helpers import replace

    monkeypatch.chdir(coached)
    replace(coached / "content/programmes/my-programme.yml", "credentials: [my-credential]",
            "credentials: [my-credential]\ncoaching_logs: ledger\nmin_coaching:\n"
            "  first-module: {one-to-one: 2}")
    repo = make_course(coached)
    assert main(["log", "lea", "--cohort", "cohort-one", "--date", "2026-10-13", "--module",
                 "first-module", "--agreement", "Quote every question", "--as", "coach-ana"]) == 0
    number = open_submission(repo, "lea", "first-module", first_module_files("lea"))
    assert main(["review", str(number), "--as", "coach-ana", *levels(PASS_FIRST)]) == 0
    forge = LocalForge(repo, "coach-ana")
    course = load_course(coached).course
    derived = Deriver(forge, course, {}, lambda pull: []).forecast(forge.get_pull_request(number))
    assert isinstance(derived, Derived) and derived.decision.complete
