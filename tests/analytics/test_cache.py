"""The cache of pull request records: a warm run reads from git only what changed, and a damaged
cache is set aside with a note, never trusted and never a traceback."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from microcred.analytics import cache
from microcred.analytics.gather import Sources, read_sources
from microcred.analytics.pulls import fetch_records
from microcred.cli import main
from microcred.forge.base import APPROVED
from microcred.forge.local import PULLS, LocalForge
from tests.analytics.history import DAY0, year_copy


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return year_copy(tmp_path_factory)


@pytest.fixture
def year(built: Path, tmp_path: Path) -> Path:
    """A copy of the year for one test, without a cache."""
    target = tmp_path / "course"
    shutil.copytree(built, target, symlinks=True)
    shutil.rmtree(_folder(target), ignore_errors=True)
    return target


def _folder(root: Path) -> Path:
    folder = cache.location(root)
    assert folder is not None
    return folder


def _pulls(root: Path) -> Path:
    return _folder(root) / cache.PULLS


def _read(root: Path, use_cache: bool = True) -> Sources:
    return read_sources(root, LocalForge(git.Repo(root), "staff"), "local", None, use_cache)


def _facts(sources: Sources) -> tuple[object, ...]:
    """What progress and the export use: the ledger's facts, the pulls and the badges' bytes (a
    decision the cache kept is only the fields progress reads)."""
    badges = {p: c for p, c in sources.files.items() if p.startswith("ledger/badges/")}
    return sources.ledger, sources.pulls, sources.branch, badges, sorted(sources.files)


def _asked(root: Path) -> list[str]:
    return fetch_records(root, _pulls(root)).asked


def test_the_cache_lives_in_the_git_folder_and_a_warm_run_reads_no_record(year: Path) -> None:
    uncached = _read(year, use_cache=False)
    assert not _pulls(year).exists()
    cold, warm = _read(year), _read(year)
    assert _pulls(year) == year / ".git" / "microcred" / "progress-cache" / "pulls"
    assert (_folder(year) / cache.DECISIONS).is_file()
    assert _facts(cold) == _facts(warm) == _facts(uncached)
    assert cold.notes == () and _asked(year) == []
    assert subprocess.run(["git", "-C", str(year), "status", "--porcelain"], capture_output=True,
                          text=True, check=True).stdout == ""  # nothing to commit


def test_a_new_review_is_read_again_and_a_deleted_record_leaves_the_cache(year: Path) -> None:
    _read(year)
    forge = LocalForge(git.Repo(year), "coach-ana", clock=lambda: DAY0)
    forge.submit_review(2, APPROVED, "Now it is there.", forge.get_pull_request(2).head_sha)
    commit = subprocess.run(["git", "-C", str(year), "rev-parse", f"{PULLS}2"], capture_output=True,
                            text=True, check=True).stdout.strip()
    assert _asked(year) == [commit]
    after = _read(year)
    assert _facts(after) == _facts(_read(year, use_cache=False))
    assert [r.state for r in next(p for p in after.pulls if p.number == 2).reviews][-1] == APPROVED
    subprocess.run(["git", "-C", str(year), "update-ref", "-d", f"{PULLS}3"], check=True)
    assert _facts(_read(year)) == _facts(_read(year, use_cache=False))
    assert len(cache.load(_pulls(year)).lines) == 5
    assert _asked(year) == []


@pytest.mark.parametrize(("damage", "why"), [
    (lambda data: data[: len(data) // 2], "does not match its checksum"),
    (lambda data: b"\x00\xff garbage", "does not start with its header"),
    (lambda data: data.replace(b"format 1 ", b"format 999 ", 1), "is of another format"),
    (lambda data: data.replace(b'"author":"leo"', b'"author":"lea"'), "does not match its checksum"),
    (lambda data: b"", "does not start with its header"),
])
def test_a_damaged_cache_is_set_aside_with_a_note_and_written_again(
        year: Path, damage: Callable[[bytes], bytes], why: str) -> None:
    truth = _read(year, use_cache=False)
    _read(year)
    path = _pulls(year)
    path.write_bytes(damage(path.read_bytes()))
    damaged = _read(year)
    assert _facts(damaged) == _facts(truth)
    assert damaged.notes == (f"the progress cache {path} {why}: set aside; what it kept is "
                             "read from git and the file written again",)
    assert _read(year).notes == () and _asked(year) == []


def test_an_entry_of_the_wrong_shape_under_a_good_checksum_is_read_from_git(year: Path) -> None:
    truth = _read(year, use_cache=False)
    _read(year)
    path = _pulls(year)
    lines = cache.load(path).lines
    first = next(iter(lines))
    writer = cache.Writer(path)
    for commit, text in lines.items():
        writer.add(commit, b'{"number": "one"}' if commit == first else text)
    assert writer.finish() is None
    damaged = _read(year)
    assert _facts(damaged) == _facts(truth)
    assert damaged.notes == ("1 entry of the progress cache were damaged: read from git, and the "
                             "cache set aside",)
    assert not path.exists()
    assert _read(year).pulls == truth.pulls and _asked(year) == []


def test_a_cache_that_cannot_be_written_is_a_note(year: Path) -> None:
    truth = _read(year, use_cache=False)
    (year / ".git" / "microcred").write_text("not a folder", encoding="utf-8")
    sources = _read(year)
    assert _facts(sources) == _facts(truth)
    folder = _folder(year)
    assert sorted(sources.notes) == sorted(
        f"the progress cache {folder / kind} {what} (Not a directory){rest}"
        for kind in (cache.DECISIONS, cache.PULLS)
        for what, rest in (("cannot be read", ": set aside; what it kept is read from git and the "
                                               "file written again"),
                           ("could not be written", "; the next run reads those records from "
                                                    "git again")))
    assert [p.name for p in (year / ".git").glob(".progress-cache.*")] == []


def test_the_command_shows_the_note_and_its_output_does_not_change(
        year: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["progress", "--root", str(year), "--as-of", "2026-09-13T09:00:00Z", "--format", "csv"]
    assert main(args) == 0
    cold = capsys.readouterr().out
    _pulls(year).write_bytes(b"microcred-progress-cache format 1 0\nnonsense\n")
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert out == cold
    assert "set aside; what it kept is read from git" in err
    assert "Traceback" not in err
    assert main(args) == 0
    assert capsys.readouterr().out == cold


def test_decisions_are_kept_by_blob_and_a_damaged_file_of_them_is_set_aside(year: Path) -> None:
    truth = _read(year, use_cache=False)
    _read(year)
    path = _folder(year) / cache.DECISIONS
    [(blob, line)] = cache.load(path).lines.items()  # pr-1; pr-99 is not JSON: reported each run
    assert blob == subprocess.run(["git", "-C", str(year), "rev-parse",
                                   "microcred-ledger:ledger/decisions/pr-1.json"],
                                  capture_output=True, text=True, check=True).stdout.strip()
    assert line.startswith(b'{"learner":"lea"')
    assert _facts(_read(year)) == _facts(truth)
    path.write_bytes(path.read_bytes() + b"extra")
    damaged = _read(year)
    assert _facts(damaged) == _facts(truth)
    assert damaged.notes == (f"the progress cache {path} does not match its checksum: set aside; "
                             "what it kept is read from git and the file written again",)
    assert _read(year).notes == ()


def test_a_folder_outside_git_has_no_cache(tmp_path: Path) -> None:
    assert cache.location(tmp_path) is None
