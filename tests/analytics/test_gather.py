"""Reading the ledger and the pull requests in bulk gives what reading them one at a time gives."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import git
import pytest

from microcred.analytics.cache import slim
from microcred.analytics.gather import ledger_facts, ledger_files, pull_histories, read_sources
from microcred.analytics.ledger import slim_decision
from microcred.analytics.pulls import _entries, fetch_records
from microcred.forge.local import PULLS, LocalForge
from tests.analytics.history import year_copy


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return year_copy(tmp_path_factory)


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True).stdout


def test_ledger_files_are_the_branch_files_read_one_at_a_time(year: Path) -> None:
    files, branch = ledger_files(year, None)
    paths = _git(year, "ls-tree", "-r", "--name-only", branch, "--", "ledger/").decode().split()
    assert sorted(files) == sorted(paths)
    for path in paths:
        listed_only = path.startswith(("ledger/completions/", "ledger/revocations/"))
        assert files[path] == (None if listed_only else _git(year, "show", f"{branch}:{path}"))
    assert any(p.startswith("ledger/completions/") for p in paths)


def test_the_records_read_in_one_batch_are_each_ref_s_record(year: Path) -> None:
    refs = _git(year, "for-each-ref", "--format=%(refname)", PULLS).decode().split()
    one_by_one = [json.loads(_git(year, "show", f"{ref}:record.json")) for ref in refs]
    assert [entry for _, entry in _entries(fetch_records(year), None, [])] == [
        slim(record) for record in one_by_one]
    assert len(one_by_one) == 6


def test_read_sources_reads_in_two_threads_what_the_steps_read_one_after_another(year: Path) -> None:
    forge = LocalForge(git.Repo(year), "staff")
    together = read_sources(year, forge, "local", None)
    ledger = ledger_facts(year, None)
    assert together.ledger == ledger
    assert together.branch == "microcred-ledger"
    # The same files; a decision (cached or not) is cut to the fields progress reads.
    whole = ledger_files(year, None)[0]
    assert together.files.keys() == whole.keys()
    for path, content in together.files.items():
        if path.startswith("ledger/decisions/") and (cut := slim_decision(whole[path])):
            assert content == cut and len(content) < len(whole[path] or b"")
        else:
            assert content == whole[path]
    assert together.pulls == pull_histories(year, forge, "local", ledger)
    # Through the forge protocol (GitHub's path) the same ledger, and no thread for records.
    assert read_sources(year, forge, "github", None).ledger == ledger


def test_merged_before_its_decision_and_closed_pull_requests_take_their_module_from_their_changes(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    root = year_copy(tmp_path_factory)
    forge = LocalForge(git.Repo(root), "coach-ana")
    forge.merge(6)  # merged; `microcred issue` has not decided it yet
    forge.close(3)
    sources = read_sources(root, forge, "local", None)
    placed = {p.number: (p.state, p.credential, p.module) for p in sources.pulls}
    assert placed[6] == ("merged", "my-credential", "first-module") and 6 not in sources.ledger.decisions
    assert placed[3] == ("closed", "my-credential", "first-module")
    # The protocol reader (GitHub's path) asks the forge for the changes: the same places.
    assert {p.number: (p.state, p.credential, p.module)
            for p in pull_histories(root, forge, "github", sources.ledger)} == placed
