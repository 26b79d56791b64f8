"""A small programme year with known times, on a real repository and the local forge.

The test course (tests/data/course): net-a is coach-ana's (lea, leo, lia, lou), net-b is
coach-ben's (mae, max, mia, moe, mu). Day 0 is 2026-09-01 09:00 UTC; every event below is at
09:00 on its day. Progress is measured on day 12 (2026-09-13 09:00 UTC).

    #1 lea  first-module  opened day 0, approved by coach-ana day 2, merged, decided day 3
    #2 leo  first-module  opened day 1, 'not yet' (reflection-depth) by coach-ana day 5
    #3 mae  first-module  opened day 2, no review yet
    #4 max  observation   opened day 3, 'not yet' (evidence) by coach-ben day 4, revised day 6
    #5 zed  first-module  opened day 4: zed is in no roster (a learner who left)
    #6 mia  first-module  opened day 4, approved by coach-old day 6 (a coach since removed)
    ledger/decisions/pr-99.json is not JSON (a corrupt record)

The figures the test expects are worked out by hand in test_progress.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import git
import pytest

from microcred.content.lint import lint_course
from microcred.forge.base import APPROVED, CHANGES_REQUESTED
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.issuance import Issuer
from microcred.ledger.settings import load_settings
from microcred.ledger.store import LedgerStore
from microcred.review.format import ReviewBlock, render_review
from tests.conftest import DATA
from tests.ledger.cohort import first_module_files, make_course, observation_files

DAY0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
AS_OF = DAY0 + timedelta(days=12)


def day(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


@contextmanager
def at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> Iterator[None]:
    """Commits made inside carry `when` as their time."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S+0000")
    with monkeypatch.context() as m:
        m.setenv("GIT_AUTHOR_DATE", stamp)
        m.setenv("GIT_COMMITTER_DATE", stamp)
        yield


class Year:
    """Acts on the repository at chosen times."""

    def __init__(self, repo: git.Repo, monkeypatch: pytest.MonkeyPatch) -> None:
        self.repo, self.monkeypatch = repo, monkeypatch
        self.root = Path(repo.working_dir)

    def forge(self, actor: str, when: datetime) -> LocalForge:
        return LocalForge(self.repo, actor, clock=lambda: when)

    def open(self, learner: str, module: str, files: dict[str, str], when: datetime) -> int:
        branch = f"{learner}/{module}"
        with at(self.monkeypatch, when - timedelta(hours=1)):
            self.repo.git.checkout("-b", branch, "main")
            folder = self.root / "submissions" / learner / "my-credential" / module
            folder.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (folder / name).write_text(text, encoding="utf-8")
            self.repo.git.add("--all")
            self.repo.index.commit(f"{learner}: {module}")
            self.repo.git.checkout("main")
        return self.forge(learner, when).open_pull_request(branch, "main", module, "").number

    def review(self, number: int, coach: str, state: str, module: str, levels: dict[str, str],
               when: datetime) -> None:
        forge = self.forge(coach, when)
        body = render_review(ReviewBlock(module, levels))
        forge.submit_review(number, state, body, forge.get_pull_request(number).head_sha)

    def revise(self, branch: str, path: str, when: datetime) -> None:
        with at(self.monkeypatch, when):
            self.repo.git.checkout(branch)
            target = self.root / path
            target.write_text(target.read_text("utf-8") + "\nRevised.\n", encoding="utf-8")
            self.repo.git.add("--all")
            self.repo.index.commit("revise")
            self.repo.git.checkout("main")

    def merge_and_decide(self, number: int, when: datetime) -> None:
        forge = self.forge("coach-ana", when)
        pull = forge.merge(number)
        course = lint_course(self.root, releases=False)[0].course
        settings = load_settings(self.root)
        store = LedgerStore(forge, settings.ledger_branch, settings.default_branch)
        # The evidence is the test course's good submission; its check is not what is studied here.
        issuer = Issuer(forge, store, course, {}, settings, _no_key, recheck=lambda _pull: (),
                        now=lambda: when)
        assert issuer.process(pull).status == "recorded"

    def corrupt(self, path: str) -> None:
        forge = self.forge("someone", DAY0)
        forge.commit_file(path, b"{not json", layout.DEFAULT_BRANCH, "a bad write", None)


def _no_key() -> object:
    raise AssertionError("no badge is due in this year")


def build_year(course: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The year above, in the repository at `course`; returns its root."""
    monkeypatch.chdir(course)
    with at(monkeypatch, DAY0 - timedelta(days=30)):
        repo = make_course(course)
    year = Year(repo, monkeypatch)
    first = year.open("lea", "first-module", first_module_files("lea"), day(0))
    year.review(first, "coach-ana", APPROVED, "first-module", {"reflection-depth": "proficient"}, day(2))
    year.merge_and_decide(first, day(3))
    second = year.open("leo", "first-module", first_module_files("leo"), day(1))
    year.review(second, "coach-ana", CHANGES_REQUESTED, "first-module",
                {"reflection-depth": "developing"}, day(5))
    year.open("mae", "first-module", first_module_files("mae"), day(2))
    fourth = year.open("max", "observation", observation_files("max"), day(3))
    year.review(fourth, "coach-ben", CHANGES_REQUESTED, "observation",
                {"evidence": "developing", "patterns": "developing"}, day(4))
    year.revise("max/observation", "submissions/max/my-credential/observation/notes.md", day(6))
    year.open("zed", "first-module", first_module_files("zed"), day(4))
    sixth = year.open("mia", "first-module", first_module_files("mia"), day(4))
    year.review(sixth, "coach-old", APPROVED, "first-module", {"reflection-depth": "proficient"}, day(6))
    year.corrupt("ledger/decisions/pr-99.json")
    return course


def year_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy of the sample course with the year above built in it (for module fixtures)."""
    target = tmp_path_factory.mktemp("year") / "course"
    shutil.copytree(DATA / "course", target)
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build_year(target, monkeypatch)
