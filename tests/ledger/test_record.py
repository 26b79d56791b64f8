"""The learner record on the ledger branch: signed after each badge, caught up when stale."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import git
import pytest

from microcred.badge.keys import load_signing_key
from microcred.badge.presentation import verify_presentation
from microcred.cli import main
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.record import ensure_record, is_stale, learner_badges, record_domain
from microcred.ledger.store import LedgerStore
from tests.ledger.cohort import SEED, SITE, make_course
from tests.ledger.stacking_helpers import earn
from tests.stacks import add_stack


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    add_stack(course)
    return make_course(course)


def test_the_record_bundles_every_badge_and_verifies(repo: git.Repo, course: Path) -> None:
    for module, credential in (("first-module", "part-first"), ("observation", "part-observation")):
        assert main(["issue", "--pr", str(earn(repo, module, credential))]) == 0
    store = LedgerStore(LocalForge(repo, "bot"), layout.DEFAULT_BRANCH, "main")
    record = store.read_json(layout.record_path("lea"))
    assert record is not None and record["id"] == layout.record_url(SITE, "lea")
    assert [b["id"] for b in record["verifiableCredential"]] == [
        b["id"] for b in learner_badges(store, "lea")]
    assert len(record["verifiableCredential"]) == 4  # two parts, the shared one, the stack
    status = store.read_json(layout.STATUS_LIST)
    assert status is not None
    checks = verify_presentation(record, now=datetime.now(UTC), status_lists={status["id"]: status},
                                 domain=record_domain(SITE))
    assert all(check.verified for _, check in checks), checks
    assert not is_stale(store, "lea")


def test_a_record_missing_a_badge_is_signed_again_once(repo: git.Repo, course: Path) -> None:
    assert main(["issue", "--pr", str(earn(repo, "first-module", "part-first"))]) == 0
    store = LedgerStore(LocalForge(repo, "bot"), layout.DEFAULT_BRANCH, "main")
    store.update(layout.record_path("lea"), lambda old: {**(old or {}), "verifiableCredential": []},
                 "a run stopped before the record")
    assert is_stale(store, "lea")
    key = lambda: load_signing_key(repo_root=course)  # noqa: E731
    now = datetime.now(UTC).replace(microsecond=0)
    assert ensure_record(store, key, SITE, "lea", now) is True
    assert ensure_record(store, key, SITE, "lea", now) is False  # up to date: nothing signed
    assert not is_stale(store, "nobody")  # no badge, no record
