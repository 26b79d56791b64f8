"""`issue --networks --forge github`: merged pull requests of network repositories on GitHub are
decided and recorded in the course's ledger (on the course repository), across two networks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import git
import pytest

from microcred.badge.verify import verify_credential
from microcred.cli import main
from microcred.forge.base import APPROVED, SUCCESS
from microcred.forge.setup_checks import CHECK_NAME
from microcred.ledger import layout
from microcred.networks.registry import SPAN
from microcred.review.format import ReviewBlock, render_review
from tests.github.org_routes import accept
from tests.ledger.cohort import first_module_files, observation_files
from tests.networks.github_setup import GitHubCourse, start

ISSUE = ["issue", "--networks", "--all", "--forge", "github"]
NET = {"net-a": "course-org/course-net-a", "net-b": "course-org/course-net-b"}
FIRST = {"reflection-depth": "proficient"}
OBSERVATION = {"evidence": "proficient", "patterns": "developing"}
LEDGER = "microcred-ledger"


@pytest.fixture
def gh(course_repo: git.Repo, course: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubCourse]:
    monkeypatch.delenv("MICROCRED_LEDGER_BRANCH", raising=False)
    yield from start(course, monkeypatch)


def synced(gh: GitHubCourse) -> None:
    assert main(["networks", "sync", "--forge", "github"]) == 0
    for network, people in (("net-a", ("lea", "coach-ana", "designer-dee")),
                            ("net-b", ("mae", "coach-ben"))):
        for login in people:
            accept(gh.server.org, NET[network], login)


def submit(gh: GitHubCourse, network: str, learner: str, module: str,
           files: dict[str, str]) -> int:
    """`learner` pushes a branch with the module's evidence and opens a pull request."""
    world = gh.server.repo(NET[network])
    folder = f"submissions/{learner}/my-credential/{module}"
    world.commit({f"{folder}/{name}": text.encode() for name, text in files.items()},
                 branch=f"{learner}/{module}", author=learner, start="main")
    return gh.forge(NET[network], learner).open_pull_request(
        f"{learner}/{module}", "main", f"{module} ({learner})", "").number


def approve(gh: GitHubCourse, network: str, coach: str, number: int, module: str,
            levels: dict[str, str]) -> None:
    """The network's check passes (its workflow, here set by the bot); `coach` approves with a
    review block and merges, which main's protection allows only then."""
    forge = gh.forge(NET[network], coach)
    pull = forge.get_pull_request(number)
    gh.forge(NET[network]).set_status(pull.head_sha, CHECK_NAME, SUCCESS, "passed")
    forge.submit_review(number, APPROVED, render_review(ReviewBlock(module, levels)), pull.head_sha)
    forge.merge(number)


def earn(gh: GitHubCourse, network: str, learner: str, coach: str) -> None:
    first = submit(gh, network, learner, "first-module", first_module_files(learner))
    approve(gh, network, coach, first, "first-module", FIRST)
    second = submit(gh, network, learner, "observation", observation_files(learner))
    approve(gh, network, coach, second, "observation", OBSERVATION)


def ledger(gh: GitHubCourse) -> dict[str, bytes]:
    world = gh.server.world
    tree = world.tree(world.repo.branches[LEDGER])
    return {path: world.blobs[blob] for path, blob in tree.items()}


def test_two_networks_on_github_issue_badges_into_the_course_ledger(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    synced(gh)
    earn(gh, "net-a", "lea", "coach-ana")
    earn(gh, "net-b", "mae", "coach-ben")
    capsys.readouterr()
    assert main(ISSUE) == 0
    out = capsys.readouterr().out
    assert f"#{SPAN + 2} lea · my-credential v0.1.0 · observation: complete" in out
    assert f"#{2 * SPAN + 2} mae · my-credential v0.1.0 · observation: complete" in out
    files = ledger(gh)
    status = json.loads(files[layout.STATUS_LIST])
    for learner in ("lea", "mae"):
        badge = json.loads(files[layout.badge_path(learner, "my-credential", "0.1.0")])
        assert verify_credential(badge, now=datetime.now(UTC),
                                 status_lists={status["id"]: status}).verified
    decision = json.loads(files[layout.decision_path(SPAN + 2)])
    assert decision["evidence"] == "https://github.com/course-org/course-net-a/pull/2"
    for repo in NET.values():  # nothing of the ledger in a network repository
        assert LEDGER not in gh.server.repo(repo).repo.branches


def test_evidence_that_fails_the_trusted_recheck_is_not_awarded(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    synced(gh)
    files = {**first_module_files("lea"), "reflection.md": "too short\n"}
    number = submit(gh, "net-a", "lea", "first-module", files)
    approve(gh, "net-a", "coach-ana", number, "first-module", FIRST)  # the status lied
    capsys.readouterr()
    assert main(ISSUE) == 0
    out = capsys.readouterr().out
    assert "run again with trusted code" in out and "not awarded" in out


def test_a_coach_of_no_network_of_the_learner_cannot_approve(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    synced(gh)
    number = submit(gh, "net-a", "lea", "first-module", first_module_files("lea"))
    approve(gh, "net-a", "designer-dee", number, "first-module", FIRST)
    capsys.readouterr()
    assert main(ISSUE) == 0
    assert "not awarded" in capsys.readouterr().out
