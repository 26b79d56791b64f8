"""`microcred submit`: scaffolding, and `--open` on real git repositories with the local forge."""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.local import LocalForge
from tests.conftest import DATA
from tests.helpers import commit_all

FOLDER = "submissions/lea/my-credential/observation"
BRANCH = "submit/lea/observation-1"


@pytest.fixture
def repo(course: Path) -> git.Repo:
    return commit_all(course)


def _submit(course: Path, *args: str) -> int:
    return main(["submit", *args, "--root", str(course), "--login", "lea"])


def _opened(repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Lea fills in the observation and opens its pull request (#1)."""
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert _submit(course, "observation", "--open") == 0
    assert capsys.readouterr().out == f"opened pull request #1 from {BRANCH}\n"


def test_open_says_where_you_are_and_starts_from_main(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.git.checkout("-b", "elsewhere")
    (course / "stray.txt").write_text("not part of the submission")
    repo.git.add("stray.txt")
    repo.index.commit("a commit the submission must not carry")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert _submit(course, "observation", "--open") == 0
    captured = capsys.readouterr()
    assert captured.out == f"opened pull request #1 from {BRANCH}\n"
    assert f"started branch {BRANCH} from main" in captured.err
    assert f"you are on branch {BRANCH}" in captured.err and "`git switch main`" in captured.err
    assert repo.active_branch.name == BRANCH
    assert repo.commit(BRANCH).parents == (repo.commit("main"),)
    assert all(p.startswith(FOLDER) for p in LocalForge(repo, "lea").changed_files(1))


def test_open_again_from_main_refuses_and_keeps_the_work(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _opened(repo, course, capsys)
    tip = repo.commit(BRANCH).hexsha
    repo.git.switch("main")
    assert not (course / FOLDER).exists()
    assert _submit(course, "observation", "--open") == 2
    err = capsys.readouterr().err
    assert f"your observation submission is on pull request #1, not here; switch to it with " \
           f"`git switch {BRANCH}`" in err and "nothing was changed" in err
    assert repo.commit(BRANCH).hexsha == tip
    assert not (course / FOLDER).exists()  # no fresh templates either
    assert len(LocalForge(repo, "lea").list_pull_requests("all")) == 1


def test_open_again_with_the_folder_elsewhere_refuses(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _opened(repo, course, capsys)
    tip = repo.commit(BRANCH).hexsha
    repo.git.switch("main")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert _submit(course, "observation", "--open") == 2
    assert f"pull request #1 is already open from {BRANCH}" in capsys.readouterr().err
    assert repo.commit(BRANCH).hexsha == tip and repo.active_branch.name == "main"


def test_open_again_on_the_branch_updates_the_pull_request(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _opened(repo, course, capsys)
    notes = course / FOLDER / "notes.md"
    notes.write_text(notes.read_text() + "\nA further thought.\n")
    assert _submit(course, "observation", "--open") == 0
    captured = capsys.readouterr()
    assert captured.out == f"updated pull request #1 from {BRANCH}\n"
    assert "check: 1 submission(s), passed\n" in captured.err
    notes.write_text("## Context\nToo short.\n")
    assert _submit(course, "observation", "--open") == 0  # the pull request is updated anyway
    captured = capsys.readouterr()
    assert captured.out == f"updated pull request #1 from {BRANCH}\n"
    assert f"{FOLDER}/notes.md: headings: missing heading(s)" in captured.err
    assert _submit(course, "observation", "--open") == 0
    assert "nothing new to commit" in capsys.readouterr().out
    assert len(list(repo.iter_commits(f"main..{BRANCH}"))) == 3
    assert len(LocalForge(repo, "lea").list_pull_requests("all")) == 1


def test_open_resumes_after_an_interruption_between_commit_and_pull_request(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # What an interrupted run leaves: the branch made and the folder committed, no pull request.
    repo.git.switch("-c", BRANCH)
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    repo.git.add("--all")
    repo.git.commit("-qm", "Submit")
    assert _submit(course, "observation", "--open") == 0
    assert capsys.readouterr().out == f"opened pull request #1 from {BRANCH}\n"
    assert len(list(repo.iter_commits(f"main..{BRANCH}"))) == 1


def test_open_after_an_interruption_before_the_commit_starts_again(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.git.branch(BRANCH)  # made, then interrupted before anything was committed on it
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert _submit(course, "observation", "--open") == 0
    assert capsys.readouterr().out == f"opened pull request #1 from {BRANCH}\n"


def test_a_branch_with_commits_is_never_reset(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.git.switch("-c", BRANCH)
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    repo.git.add("--all")
    repo.git.commit("-qm", "Submit")
    tip = repo.head.commit.hexsha
    repo.git.switch("main")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert _submit(course, "observation", "--open") == 2
    assert f"branch {BRANCH} already holds commits" in capsys.readouterr().err
    assert repo.commit(BRANCH).hexsha == tip


def test_a_second_module_gets_its_own_pull_request(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _opened(repo, course, capsys)
    assert _submit(course, "first-module", "-q") == 0  # scaffolded while still on #1's branch
    assert _submit(course, "first-module", "--open", "--anyway") == 0
    assert capsys.readouterr().out.endswith("opened pull request #2 from "
                                            "submit/lea/first-module-1\n")
    forge = LocalForge(repo, "lea")
    assert {p.split("/")[3] for p in forge.changed_files(2)} == {"first-module"}
    assert {p.split("/")[3] for p in forge.changed_files(1)} == {"observation"}


def test_pr_close(repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _opened(repo, course, capsys)
    assert main(["pr", "close", "1", "--root", str(course), "--as", "lea"]) == 0
    assert capsys.readouterr().out == (
        f"closed #1 without merging; its branch {BRANCH} keeps the commits (delete it with "
        f"`git branch -D {BRANCH}` once you no longer need them)\n")
    assert LocalForge(repo, "lea").get_pull_request(1).state == "closed"
    assert main(["pr", "close", "1", "--root", str(course), "--as", "lea"]) == 2
    assert "pull request #1 is closed" in capsys.readouterr().err


def test_a_login_of_the_wrong_shape_is_refused(course: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["submit", "observation", "--root", str(course), "--login", "Lea Smith"]) == 2
    assert capsys.readouterr().err == (
        "error: 'Lea Smith' is not a GitHub login: a login has only letters, digits and single "
        "hyphens, at most 39 characters, no hyphen first or last; pass your GitHub login as your "
        "profile shows it, e.g. --login amaya-ortiz\n")
    assert not (course / "submissions/Lea Smith").exists()


def test_a_login_off_the_roster_is_refused(course: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["submit", "observation", "--root", str(course), "--login", "nobody"]) == 2
    assert capsys.readouterr().err == (
        "error: nobody is not enrolled in the programme 'my-programme', which awards "
        "my-credential; check the spelling, submit for a credential of your own programme, or ask "
        "a designer to add you to content/programmes/my-programme.yml\n")
    assert main(["submit", "observation", "--root", str(course), "--login", "1ea"]) == 2
    assert "(did you mean 'lea'?)" in capsys.readouterr().err
    assert not (course / "submissions/nobody").exists()
    assert not (course / "submissions/1ea").exists()


def test_the_roster_spelling_of_a_login_is_used(course: Path) -> None:
    assert main(["submit", "observation", "--root", str(course), "--login", "LEA", "-q"]) == 0
    assert (course / FOLDER / "submission.yml").is_file()


def _merged(repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Lea's first attempt is merged (without an approval: the ledger will say not awarded)."""
    _opened(repo, course, capsys)
    LocalForge(repo, "coach-ana").merge(1)
    repo.git.switch("main")
    capsys.readouterr()


def test_new_attempt_is_refused_before_anything_was_submitted(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _submit(course, "observation", "--new-attempt") == 2
    assert capsys.readouterr().err == (
        f"error: {FOLDER}: not submitted yet (it is not on main), so there is no attempt to "
        "follow; after a 'not yet' on an open pull request, revise the files in that same pull "
        "request\n")
    _opened(repo, course, capsys)  # open, not merged: still the same attempt
    assert _submit(course, "observation", "--new-attempt") == 2
    assert "not submitted yet" in capsys.readouterr().err
    assert "attempt: 1" in (course / FOLDER / "submission.yml").read_text()


def test_new_attempt_after_a_merge_opens_its_own_pull_request(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _merged(repo, course, capsys)
    assert _submit(course, "observation", "--new-attempt") == 0
    assert capsys.readouterr().err == (
        f"{FOLDER}/submission.yml: attempt 2; earlier attempts stay in the git history. Revise "
        "the evidence, set privacy.deidentified: true again once you have checked it, then "
        "`microcred submit observation --login lea --open` opens the new attempt's pull request\n")
    manifest = (course / FOLDER / "submission.yml").read_text()
    assert "attempt: 2" in manifest and "deidentified: false" in manifest
    (course / FOLDER / "submission.yml").write_text(
        manifest.replace("deidentified: false", "deidentified: true"))
    assert _submit(course, "observation", "--open") == 0
    assert capsys.readouterr().out == "opened pull request #2 from submit/lea/observation-2\n"


def test_new_attempt_is_refused_once_the_module_is_complete(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _merged(repo, course, capsys)
    forge = LocalForge(repo, "microcred-bot")
    forge.create_branch("microcred-ledger", repo.commit("main").hexsha)
    done = "ledger/completions/lea/my-credential/v0.1.0/observation.json"
    forge.commit_file(done, b"{}\n", "microcred-ledger", "complete", None)
    assert _submit(course, "observation", "--new-attempt") == 2
    assert capsys.readouterr().err == (
        "error: observation is already complete for lea (my-credential v0.1.0, recorded in "
        f"{done} on microcred-ledger); nothing to resubmit\n")
    assert "attempt: 1" in (course / FOLDER / "submission.yml").read_text()


def test_open_says_when_the_check_fails_and_opens_only_when_asked(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _submit(course, "observation", "--open") == 1  # fresh templates: not ready
    captured = capsys.readouterr()
    assert f"{FOLDER}/submission.yml:14: privacy/attestation: the submission is not marked as " \
           "de-identified" in captured.out
    assert "not opened: the check found problems. Fix them and run this again; or add --anyway " \
           "to open it as it is (`microcred submit observation --login lea --open --anyway`)" in captured.err
    assert repo.active_branch.name == "main" and BRANCH not in repo.heads
    assert LocalForge(repo, "lea").list_pull_requests("all") == []
    assert _submit(course, "observation", "--open", "--anyway") == 0
    assert capsys.readouterr().out.endswith(f"opened pull request #1 from {BRANCH}\n")
    assert main(["pr", "check", "1", "--root", str(course), "--as", "microcred-bot", "-q"]) == 1
    assert LocalForge(repo, "lea").requested_reviewers(1) == []


def test_open_needs_the_base_branch_here(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = commit_all(course, branch="trunk")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert _submit(course, "observation", "--open") == 2
    assert capsys.readouterr().err == (
        "error: no branch 'main' here for the pull request to go into (`git switch main` makes "
        "it from origin/main; or pass --base BRANCH)\n")
    assert [h.name for h in repo.heads] == ["trunk"]
    assert _submit(course, "observation", "--open", "--base", "trunk") == 0


def test_a_commit_git_refuses_is_explained_and_the_next_run_finishes(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")  # only this repository's settings count
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    with repo.config_writer() as config:
        config.remove_section("user")
        config.set_value("user", "useConfigOnly", "true")  # no identity guessed from the host
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    assert _submit(course, "observation", "--open") == 2
    err = capsys.readouterr().err
    assert f"error: git could not commit {FOLDER}:" in err and "git config user.email" in err
    assert repo.active_branch.name == BRANCH and LocalForge(repo, "lea").list_pull_requests() == []
    with repo.config_writer() as config:
        config.set_value("user", "name", "Lea").set_value("user", "email", "lea@example.org")
    assert _submit(course, "observation", "--open") == 0
    assert capsys.readouterr().out == f"opened pull request #1 from {BRANCH}\n"
