"""`microcred log`: checked like lint, recorded by pull request or on the ledger, private
notes outside git."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.coaching.load import parse_log_entry
from microcred.forge.select import open_forge
from tests.helpers import commit_all, replace

ARGS = ["log", "lea", "--cohort", "cohort-one", "--date", "2026-10-13", "--module",
        "first-module", "--agreement", "Quote every question", "--as", "coach-ana"]
PATH = "coaching/logs/coach-ana/2026-10-13-one-to-one-lea.yml"


@pytest.fixture
def repo(coached: Path) -> git.Repo:
    return commit_all(coached)


def test_an_entry_becomes_a_pull_request(repo: git.Repo, coached: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS, "--root", str(coached)]) == 0
    branch = "log/coach-ana/2026-10-13-one-to-one-lea"
    assert capsys.readouterr().out == f"logged {PATH} on branch {branch}: pull request #1\n"
    assert repo.active_branch.name == "main" and not repo.is_dirty(untracked_files=True)
    text = repo.git.show(f"{branch}:{PATH}")
    assert text.splitlines()[:8] == [
        "format: 1", "kind: coaching-log", "programme: my-programme", "cohort: cohort-one",
        "date: '2026-10-13'", "meeting: one-to-one", "coach: coach-ana", "participants:"]
    entry, problems = parse_log_entry(text, PATH)
    assert problems == [] and entry is not None and entry.agreements == ("Quote every question",)
    [pull] = open_forge("local", coached, "coach-ana").list_pull_requests()
    assert (pull.head, pull.author) == (branch, "coach-ana")


def test_a_learner_outside_the_coachs_networks_is_refused(
        repo: git.Repo, coached: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*ARGS, "--root", str(coached)]
    argv[1] = "mae"
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: the entry is not recorded:",
        "  participants[0]: 'mae' is not in coach-ana's networks in cohort 'cohort-one' (use a "
        "learner's login: lea, leo, lia, lou)"]
    assert repo.active_branch.name == "main" and not repo.is_dirty(untracked_files=True)


def test_private_notes_go_outside_the_repository(repo: git.Repo, coached: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "private"
    assert main([*ARGS, "--root", str(coached), "--notes", "Seemed tired", "--notes-dir",
                 str(notes)]) == 0
    kept = notes / "2026-10-13-one-to-one-lea.md"
    assert kept.read_text() == "Seemed tired\n" and kept.stat().st_mode & 0o777 == 0o600
    assert "Seemed tired" not in repo.git.log("--all", "-p")


def test_notes_inside_the_repository_are_refused(repo: git.Repo, coached: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS, "--root", str(coached), "--notes", "x", "--notes-dir",
                 str(coached / "notes")]) == 2
    assert "inside the repository, where private notes would reach git" in capsys.readouterr().err
    assert not (coached / "notes").exists() and repo.active_branch.name == "main"
    assert open_forge("local", coached, "coach-ana").list_pull_requests() == []


def test_the_programme_can_send_logs_to_the_ledger(coached: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    replace(coached / "content/programmes/my-programme.yml", "credentials: [my-credential]",
            "credentials: [my-credential]\ncoaching_logs: ledger")
    repo = commit_all(coached)
    assert main([*ARGS, "--root", str(coached)]) == 0
    path = "ledger/coaching/coach-ana/2026-10-13-one-to-one-lea.json"
    assert capsys.readouterr().out == f"logged {path} on the ledger branch microcred-ledger\n"
    entry, _ = parse_log_entry(repo.git.show(f"microcred-ledger:{path}"), path)
    assert entry is not None and entry.participants == ("lea",)
    assert repo.active_branch.name == "main"


def test_a_network_meeting_names_the_network(repo: git.Repo, coached: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["log", "lea", "leo", "lia", "lou", "--root", str(coached), "--cohort", "cohort-one",
            "--date", "2026-10-27", "--meeting", "network", "--network", "net-a", "--problem",
            "Who answers", "--agreement", "Tally a whole lesson", "--as", "coach-ana"]
    assert main(argv) == 0
    path = "coaching/logs/coach-ana/2026-10-27-network-net-a.yml"
    assert capsys.readouterr().out.startswith(f"logged {path} on branch log/coach-ana/")
    entry, _ = parse_log_entry(repo.git.show(f"log/coach-ana/2026-10-27-network-net-a:{path}"), path)
    assert entry is not None and (entry.network, entry.problem_of_practice) == ("net-a", "Who answers")


def test_a_meeting_already_logged_is_not_logged_again(coached: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    repo = commit_all(coached)
    argv = [*ARGS, "--root", str(coached)]
    argv[argv.index("2026-10-13")] = "2026-09-15"  # the sample course's logged one-to-one
    assert main(argv) == 2
    assert capsys.readouterr().err.strip() == (
        "error: coaching/logs/coach-ana/2026-09-15-one-to-one-lea.yml is already on main: this "
        "meeting is logged (edit that file in a pull request to correct it; nothing was recorded)")
    assert repo.active_branch.name == "main" and [h.name for h in repo.heads] == ["main"]
