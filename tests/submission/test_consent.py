"""`microcred check` takes a learner's consent.yml as in place and checks it, by path and by range."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from microcred.cli import main
from tests.conftest import DATA
from tests.helpers import commit_all

FOLDER = "submissions/lea/my-credential/observation"
CONSENT = "submissions/lea/consent.yml"
GOOD = "format: 1\nkind: consent\npublic_page: true\nshow_as: Léa M.\n"


@pytest.fixture
def submitted(course: Path) -> Path:
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    return course


def _check(root: Path, *args: str) -> int:
    return main(["check", "--root", str(root), *args])


def test_a_good_consent_is_not_a_misplaced_file(submitted: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (submitted / CONSENT).write_text(GOOD, encoding="utf-8")
    assert _check(submitted, "--all") == 0
    assert _check(submitted, str(submitted / "submissions/lea")) == 0
    assert capsys.readouterr().out.splitlines() == ["check: 1 submission(s), passed"] * 2


def test_a_bad_consent_is_reported_by_path_and_with_all(submitted: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (submitted / CONSENT).write_text("format: 1\nkind: consent\npublic_page: maybe\n")
    expected = ("submissions/lea/consent.yml:3: consent: public_page: expected true or false, got "
                "'maybe' (write 'public_page: true' or 'public_page: false')")
    for args in (["--all"], [str(submitted / "submissions/lea")], [str(submitted / "submissions")]):
        assert _check(submitted, *args) == 1
        assert capsys.readouterr().out.splitlines()[0] == expected
    # A submission folder alone does not take in the consent beside it.
    assert _check(submitted, str(submitted / FOLDER)) == 0
    capsys.readouterr()


def test_a_consent_that_is_a_link_is_refused(submitted: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("/etc/passwd", submitted / CONSENT)
    assert _check(submitted, "--all") == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "submissions/lea/consent.yml: consent: the consent file must be a regular file "
        "(replace it by the file itself)")


def test_a_consent_elsewhere_is_still_misplaced(submitted: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (submitted / "submissions/consent.yml").write_text(GOOD)
    (submitted / "submissions/lea/my-credential/consent.yml").write_text(GOOD)
    assert _check(submitted, "--all") == 1
    out = capsys.readouterr().out
    assert "submissions/consent.yml: misplaced" in out
    assert "submissions/lea/my-credential/consent.yml: misplaced" in out


def test_a_range_check_checks_the_consent_the_pull_request_changes(
        course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = commit_all(course)
    repo.git.checkout("-b", "consent")
    (course / "submissions/lea").mkdir()
    (course / CONSENT).write_text("format: 1\nkind: consent\npublic_page: true\nshow: Lea\n")
    repo.git.add("--all")
    repo.index.commit("consent")
    assert _check(course, "--base", "main", "--head", "consent", "--author", "lea") == 1
    assert capsys.readouterr().out.splitlines() == [
        "submissions/lea/consent.yml:4: consent: show: unknown key 'show' (did you mean "
        "'show_as'?)", "check: 0 submission(s), 1 problem(s) to fix"]
    (course / CONSENT).write_text(GOOD)
    repo.git.add("--all")
    repo.index.commit("fix the consent")
    assert _check(course, "--base", "main", "--head", "consent", "--author", "lea") == 0
    assert capsys.readouterr().out == "check: 0 submission(s), passed\n"


def test_another_learners_consent_is_not_theirs_to_change(
        course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = commit_all(course)
    repo.git.checkout("-b", "consent")
    (course / "submissions/leo").mkdir()
    (course / "submissions/leo/consent.yml").write_text(GOOD)
    repo.git.add("--all")
    repo.index.commit("consent for someone else")
    assert _check(course, "--base", "main", "--head", "consent", "--author", "lea") == 1
    assert "submissions/leo/consent.yml: other-learner" in capsys.readouterr().out
