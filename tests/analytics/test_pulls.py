"""Reading submissions' histories through the forge protocol, against the contract-checked fake
GitHub (the local forge's bulk reader is compared with this path in test_progress.py)."""

from __future__ import annotations

from microcred.analytics.pulls import from_forge, module_of
from microcred.analytics.records import DecisionRecord
from microcred.forge.base import CHANGES_REQUESTED
from microcred.forge.github import GitHubForge
from tests.forge.conftest import COACH_TOKEN, LEARNER_TOKEN, forge_for
from tests.github.server import FakeGitHub

NOTES = "submissions/lea/my-credential/observation/notes.md"


def test_module_of_needs_exactly_one_folder_of_the_author() -> None:
    assert module_of([NOTES], "Lea") == ("my-credential", "observation")
    assert module_of([NOTES], "max") == ("", "")
    assert module_of([NOTES, "submissions/lea/my-credential/first-module/a.md"], "lea") == ("", "")
    assert module_of(["README.md"], "lea") == ("", "")


def test_pull_requests_reviews_and_their_times_come_through_the_protocol(
        github_server: FakeGitHub, github_forge: GitHubForge) -> None:
    github_server.world.commit({NOTES: b"## Context\n"}, branch="lea/observation", start="main",
                               author="lea", message="submission")
    number = forge_for(github_server, LEARNER_TOKEN).open_pull_request(
        "lea/observation", "main", "Observation", "").number
    coach = forge_for(github_server, COACH_TOKEN)
    coach.submit_review(number, CHANGES_REQUESTED, "not yet", github_forge.get_pull_request(number).head_sha)
    [history] = from_forge(github_forge, {})
    assert (history.number, history.author, history.credential, history.module) == (
        number, "lea", "my-credential", "observation")
    assert history.created is not None and history.head_time is None
    [review] = history.reviews
    assert (review.reviewer, review.state) == ("coach-a", CHANGES_REQUESTED)
    assert review.at is not None and review.at >= history.created
    # A decided pull request's module comes from the ledger, without asking for its files.
    decided = DecisionRecord(number, "lea", "my-credential", "0.1.0", "first-module", "complete", None)
    before = len(github_server.bodies("pulls/list-files"))
    assert from_forge(github_forge, {number: decided})[0].module == "first-module"
    assert len(github_server.bodies("pulls/list-files")) == before
