"""The revoked-part rule on a real ledger: which stacked badges fall, up a stack of stacks."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.content.loader import load_course
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.cascade import falling_with, parts_counted
from microcred.ledger.snapshot import read_ledger
from microcred.ledger.statuslist import is_revoked
from microcred.ledger.store import LedgerStore
from tests.ledger.cohort import SEED, make_course
from tests.ledger.stacking_helpers import earn
from tests.stacks import add_stack, credential_yaml

TOP = "top"  # built from the stacked credential: a stack of stacks


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> git.Repo:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    add_stack(course)
    (course / "content/credentials/top.yml").write_text(credential_yaml(
        TOP, "Top", "requires:\n  credentials: [stacked]\n"), encoding="utf-8")
    programme = course / "content/programmes/my-programme.yml"
    programme.write_text(programme.read_text("utf-8").replace(", stacked]", ", stacked, top]"),
                         encoding="utf-8")
    return make_course(course)


def test_a_part_takes_the_stack_and_the_stack_above_it(repo: git.Repo, course: Path) -> None:
    for module, credential in (("first-module", "part-first"), ("observation", "part-observation")):
        assert main(["issue", "--pr", str(earn(repo, module, credential))]) == 0
    files = read_ledger(course)
    assert layout.badge_path("lea", TOP, "0.1.0") in files  # stacked twice over, in one run
    store = LedgerStore(LocalForge(repo, "director"), layout.DEFAULT_BRANCH, "main")
    part = store.read_json(layout.badge_path("lea", "part-first", "0.1.0"))
    stacked = store.read_json(layout.badge_path("lea", "stacked", "0.1.0"))
    top = store.read_json(layout.badge_path("lea", TOP, "0.1.0"))
    assert part and stacked and top
    assert parts_counted(top) == [stacked["id"]]
    credentials = load_course(course).course.credentials
    assert falling_with(store, credentials, part["id"], lambda badge: is_revoked(store, badge)) \
        == [stacked["id"], top["id"]]
    # The module-only credential sharing the module counted no badge: it never falls.
    shared = store.read_json(layout.badge_path("lea", "my-credential", "0.1.0"))
    assert shared and parts_counted(shared) == []
