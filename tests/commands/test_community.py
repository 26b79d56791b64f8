"""`microcred community`: a leader records their improvement community's meetings by pull request."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.coaching.load import load_records
from microcred.forge.select import open_forge
from tests.helpers import commit_all

PATH = "coaching/communities/lea/cycle-1.yml"
MEETING = ["community", "--cohort", "cohort-one", "--date", "2026-10-20", "--staff",
           "grade 3 teacher", "--summary", "Planned the first lesson.", "--as", "lea"]


@pytest.fixture
def repo(coached: Path) -> git.Repo:
    return commit_all(coached)


def test_a_meeting_is_added_to_the_record_by_pull_request(
        repo: git.Repo, coached: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = repo.git.show(f"main:{PATH}")
    assert main([*MEETING, "--cycle", "cycle-1", "--one-to-one", "--root", str(coached)]) == 0
    branch = "community/lea/cycle-1-2026-10-20-one-to-one"
    assert capsys.readouterr().out == f"updated {PATH} on branch {branch}: pull request #1\n"
    after = repo.git.show(f"{branch}:{PATH}")
    assert after.startswith(before + "\n  - date: 2026-10-20\n    kind: one-to-one\n")
    [pull] = open_forge("local", coached, "lea").list_pull_requests()
    assert (pull.head, pull.base, pull.author) == (branch, "main", "lea")
    repo.git.switch(branch)
    [record] = [c for c in load_records(coached).records.communities if c.leader == "lea"]
    assert [(m.date, m.kind) for m in record.meetings] == [("2026-10-06", "group"),
                                                             ("2026-10-20", "one-to-one")]


def test_a_new_cycle_starts_a_record(repo: git.Repo, coached: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*MEETING, "--cycle", "cycle-2", "--root", str(coached)]
    assert main(argv) == 2
    assert "give --focus and --change-idea to start it" in capsys.readouterr().err
    assert repo.active_branch.name == "main" and not repo.is_dirty(untracked_files=True)
    assert main([*argv, "--focus", "Partner talk", "--change-idea", "Partners before hands",
                 "--member", "grade 3 teacher"]) == 0
    branch = "community/lea/cycle-2-2026-10-20-group"
    assert capsys.readouterr().out.startswith(
        f"started coaching/communities/lea/cycle-2.yml on branch {branch}")
    assert repo.active_branch.name == "main" and not repo.is_dirty(untracked_files=True)
    repo.git.switch(branch)
    records = load_records(coached)
    assert records.findings == []
    [record] = [c for c in records.records.communities if c.id == "cycle-2"]
    assert (record.focus, record.staff) == ("Partner talk", ("grade 3 teacher",))


def test_only_a_learner_of_the_cohort_keeps_a_record(repo: git.Repo, coached: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*MEETING, "--cycle", "cycle-1", "--root", str(coached)]
    argv[argv.index("lea")] = "coach-ana"
    assert main(argv) == 2
    assert capsys.readouterr().err == ("error: coach-ana is a learner of no cohort 'cohort-one' "
                                       "(check --cohort and --as against content/programmes/)\n")
    assert open_forge("local", coached, "lea").list_pull_requests() == []


def test_a_students_name_is_refused_and_nothing_is_written(
        repo: git.Repo, coached: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*MEETING, "--cycle", "cycle-1", "--root", str(coached)]
    argv[argv.index("Planned the first lesson.")] = "Watched Jaylen Brooks answer twice."
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the record is not changed:\n  privacy/student-name:")
    assert "Jaylen" not in err
    assert [h.name for h in repo.heads] == ["main"] and not repo.is_dirty(untracked_files=True)


def test_uncommitted_work_in_the_record_is_never_overwritten(
        repo: git.Repo, coached: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = coached / PATH
    mine.write_text(mine.read_text() + "# my own draft, not committed\n")
    draft = mine.read_text()
    head = repo.head.commit.hexsha
    assert main([*MEETING, "--cycle", "cycle-1", "--root", str(coached)]) == 0
    capsys.readouterr()
    # The proposal is built from the base branch beside the working tree, which keeps the draft.
    assert mine.read_text() == draft and repo.head.commit.hexsha == head
    assert repo.active_branch.name == "main" and repo.git.status("--porcelain") == f" M {PATH}"
    proposed = repo.git.show(f"community/lea/cycle-1-2026-10-20-group:{PATH}")
    assert "# my own draft" not in proposed and "Planned the first lesson." in proposed


def test_a_proposal_already_made_is_not_made_again(repo: git.Repo, coached: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*MEETING, "--cycle", "cycle-1", "--root", str(coached)]
    assert main(argv) == 0
    sha = repo.rev_parse("community/lea/cycle-1-2026-10-20-group").hexsha
    assert main(argv) == 2
    assert "already exists: this change is proposed there" in capsys.readouterr().err
    assert repo.rev_parse("community/lea/cycle-1-2026-10-20-group").hexsha == sha
    assert len(open_forge("local", coached, "lea").list_pull_requests()) == 1
