"""Stacked credentials and shared modules, issued from real pull requests on a real repository."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import git
import pytest

from microcred.badge.keys import load_signing_key
from microcred.badge.verify import verify_credential
from microcred.cli import main
from microcred.commands.issue import decide_all, issuer_for
from microcred.content.loader import load_course
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.settings import load_settings
from microcred.ledger.snapshot import read_ledger
from microcred.ledger.stacking import Holdings, holdings, unlocked
from tests.helpers import commit_all
from tests.ledger.cohort import (
    SEED,
    make_course,
)
from tests.ledger.stacking_helpers import earn
from tests.stacks import STACKED, add_stack

PART_FIRST = layout.badge_path("lea", "part-first", "0.1.0")
PART_OBS = layout.badge_path("lea", "part-observation", "0.1.0")
SHARED = layout.badge_path("lea", "my-credential", "0.1.0")
STACK = layout.badge_path("lea", STACKED, "0.1.0")


def stacked_course(course: Path, requires: str = "", part_valid_for: str = "") -> git.Repo:
    add_stack(course, requires)
    if part_valid_for:
        part = course / "content/credentials/part-first.yml"
        part.write_text(part.read_text("utf-8") + f"valid_for: {part_valid_for}\n", "utf-8")
    return make_course(course)


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    return stacked_course(course)


def badge(course: Path, path: str) -> dict[str, Any]:
    return json.loads(read_ledger(course)[path])


def verifies(course: Path, data: dict[str, Any], now: datetime | None = None) -> bool:
    status = badge(course, layout.STATUS_LIST)
    # A few seconds on: each re-signed status list is dated a second after the one before.
    return verify_credential(data, now=now or datetime.now(UTC) + timedelta(seconds=5),
                             status_lists={status["id"]: status}).verified


def test_the_last_part_awards_the_shared_and_the_stacked_badge_once(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = earn(repo, "first-module", "part-first")
    assert main(["issue", "--pr", str(first)]) == 0
    assert [p for p in read_ledger(course) if layout.parse_badge_path(p)] == [PART_FIRST]
    capsys.readouterr()

    second = earn(repo, "observation", "part-observation")
    assert main(["issue", "--pr", str(second)]) == 0
    out = capsys.readouterr().out
    # Its own badge, the credential sharing both modules, then the stack (parts first).
    assert [line.split()[1] for line in out.splitlines() if line.startswith("  issued")] == [
        PART_OBS, SHARED, STACK]
    assert "2 pull request(s)" not in out
    # The learner hears of each further badge on the pull request that unlocked it, once.
    assert f"told the learner on #{second} (badge notice: {STACKED})" in out
    comments = [c.body for c in LocalForge(repo, "lea").list_comments(second)]
    assert sum("**Your badge: Stacked**" in body for body in comments) == 1

    shared = badge(course, SHARED)
    assert [e["id"].rsplit("/", 1)[1] for e in shared["evidence"]] == [str(first), str(second)]
    stacked = badge(course, STACK)
    parts = {badge(course, p)["id"]: badge(course, p) for p in (PART_FIRST, PART_OBS)}
    assert [e["id"] for e in stacked["evidence"]] == list(parts)
    links = [a for a in stacked["credentialSubject"]["achievement"]["alignment"]
             if a["targetType"] == "ceterms:Credential"]
    assert [a["targetUrl"] for a in links] == [
        p["credentialSubject"]["achievement"]["id"] for p in parts.values()]
    assert stacked["credentialSubject"]["result"] == []
    assert verifies(course, stacked)  # signature, the 1EdTech schema, dates, status

    head = repo.rev_parse(layout.DEFAULT_BRANCH).hexsha
    assert main(["issue", "--all"]) == 0  # idempotent: every award once
    assert repo.rev_parse(layout.DEFAULT_BRANCH).hexsha == head


def test_a_stack_left_pending_is_finished_by_the_next_run(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["issue", "--pr", str(earn(repo, "first-module", "part-first"))]) == 0
    second = earn(repo, "observation", "part-observation")
    # A run that stops after the part's own badge: issue only the decision and the part.
    forge = LocalForge(repo, "microcred-bot")
    settings = load_settings(course)
    issuer = issuer_for(course, forge, settings, lambda: load_signing_key(repo_root=course))
    issuer.award_unlocked = lambda login: ()  # type: ignore[method-assign]  # the stop
    issuer.process(forge.get_pull_request(second))
    assert STACK not in read_ledger(course)
    capsys.readouterr()
    assert main(["issue", "--all"]) == 0
    out = capsys.readouterr().out
    assert f"issued {STACK}" in out and f"issued {SHARED}" in out


def test_a_revoked_part_revokes_the_badge_built_on_it(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for module, credential in (("first-module", "part-first"), ("observation", "part-observation")):
        assert main(["issue", "--pr", str(earn(repo, module, credential))]) == 0
    part, stacked = badge(course, PART_FIRST)["id"], badge(course, STACK)["id"]
    capsys.readouterr()
    assert main(["revoke", part, "--reason", "awarded in error", "--as", "director"]) == 0
    assert f"also revoked {stacked} ({STACK}): it counted {part} and too few of its other " \
           "parts remain" in capsys.readouterr().out
    assert not verifies(course, badge(course, STACK))
    assert verifies(course, badge(course, SHARED))  # not built from the part badge
    record = json.loads(read_ledger(course)[layout.revocation_path(stacked)])
    assert record["reason"] == f"built from {part}, revoked: awarded in error"


def test_one_of_two_survives_a_revoked_part(course: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    repo = stacked_course(course, "requires:\n  credentials: [part-first, part-observation]\n"
                                  "  at_least: 1\n")
    assert main(["issue", "--pr", str(earn(repo, "first-module", "part-first"))]) == 0
    assert STACK in read_ledger(course)  # one part is enough
    assert main(["issue", "--pr", str(earn(repo, "observation", "part-observation"))]) == 0
    capsys.readouterr()
    assert main(["revoke", badge(course, PART_OBS)["id"], "--reason", "x", "--as", "director"]) == 0
    assert "also revoked" not in capsys.readouterr().out  # it counted part-first only
    assert verifies(course, badge(course, STACK))


def test_an_expired_part_does_not_count_and_a_stack_expires_with_its_parts(
        course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    repo = stacked_course(course, part_valid_for="P1D")
    start = datetime.now(UTC).replace(microsecond=0)

    def run(now: datetime) -> None:
        forge = LocalForge(repo, "microcred-bot")
        issuer = issuer_for(course, forge, load_settings(course),
                            lambda: load_signing_key(repo_root=course))
        issuer.now = lambda: now
        decide_all(issuer, forge.list_pull_requests("merged"), dry_run=False)

    earn(repo, "first-module", "part-first")
    run(start)
    earn(repo, "observation", "part-observation")
    run(start + timedelta(days=2))  # part-first expired a day ago
    files = read_ledger(course)
    assert SHARED in files and PART_OBS in files and STACK not in files

    # Before it expires, the part counts, and the stacked badge ends when the part does.
    repo.git.update_ref("-d", f"refs/heads/{layout.DEFAULT_BRANCH}")
    run(start)
    run(start + timedelta(hours=1))
    stacked, part = badge(course, STACK), badge(course, PART_FIRST)
    assert stacked["validUntil"] == part["validUntil"]


def test_holdings_and_unlocked_read_file_names_alone(course: Path) -> None:
    add_stack(course)
    commit_all(course)
    loaded = load_course(course)
    paths = [layout.completion_path("lea", "part-first", "0.1.0", "first-module"),
             layout.completion_path("lea", "part-observation", "0.1.0", "observation"),
             PART_FIRST]
    held = holdings(paths)["lea"]
    awards = [a.credential for a in unlocked(held, loaded.course, {})]
    # part-observation (own), my-credential (shared modules); the stack waits for its parts.
    assert awards == ["my-credential", "part-observation"]
    with_both = Holdings("lea", held.completions, held.badges | {("part-observation", "0.1.0")},
                         frozenset({"part-first", "part-observation"}))
    assert STACKED in [a.credential for a in unlocked(with_both, loaded.course, {})]
