"""Releases, released-rubric lint, diff and versioned pages, on a real repository with tags."""

from __future__ import annotations

import shutil
from pathlib import Path

import git
import pytest

from microcred.cli import main
from tests.conftest import DATA
from tests.helpers import commit_all, lint_lines, replace

CRED = "content/credentials/my-credential.yml"


@pytest.fixture
def repo(course: Path) -> git.Repo:
    return commit_all(course)


def _tighten(course: Path, repo: git.Repo) -> None:
    replace(course / "modules/observation/module.yml", "words: {min: 100,", "words: {min: 300,")
    replace(course / "rubrics/observation.yml", "required: developing", "required: proficient")
    repo.git.commit("-qam", "tighten")


def test_release_tags_and_writes_the_changelog(repo: git.Repo, course: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "my-credential", "--root", str(course), "--notes", "First."]) == 0
    assert capsys.readouterr().out == "released my-credential 0.1.0 (tag my-credential/v0.1.0)\n"
    assert [t.name for t in repo.tags] == ["my-credential/v0.1.0"]
    assert repo.tags[0].tag is not None  # annotated
    text = (course / CRED).read_text()
    assert "changelog:\n  - version: 0.1.0\n    date: " in text and "      First.\n" in text
    assert not repo.is_dirty()
    assert main(["release", "my-credential", "--root", str(course)]) == 2
    assert "already released; choose --major, --minor or --patch" in capsys.readouterr().err


def test_release_refuses_a_dirty_tree(repo: git.Repo, course: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    (course / "modules/observation/practice.md").write_text("## Changed\n\nNot committed.\n")
    assert main(["release", "my-credential", "--root", str(course)]) == 2
    assert "uncommitted changes" in capsys.readouterr().err
    assert list(repo.tags) == []


def test_changing_a_released_rubric_needs_a_new_version(repo: git.Repo, course: Path) -> None:
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    _tighten(course, repo)
    assert lint_lines(course) == [
        "rubrics/observation.yml:10: criteria: the criteria, levels or required levels changed "
        "since my-credential 0.1.0 was released (release a new version with `microcred release "
        "my-credential --minor`, or undo the change)"]
    assert main(["release", "my-credential", "--root", str(course), "--minor", "-q"]) == 0
    assert lint_lines(course) == []


def test_diff_explains_what_changed(repo: git.Repo, course: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    _tighten(course, repo)
    assert main(["release", "my-credential", "--root", str(course), "--major", "-q"]) == 0
    capsys.readouterr()
    assert main(["diff", "my-credential", "0.1.0", "1.0.0", "--root", str(course)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "credential: version 0.1.0 → 1.0.0",
        "module observation: evidence notes: min words 100 → 300",
        "module observation rubric: Patterns in the data: required level developing → proficient"]
    assert main(["diff", "my-credential", "0.1.0", "1.0.0", "--root", str(course),
                 "--format", "markdown"]) == 0
    assert "### Module observation rubric" in capsys.readouterr().out


def test_earlier_versions_keep_their_pages(repo: git.Repo, course: Path, tmp_path: Path) -> None:
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    _tighten(course, repo)
    assert main(["release", "my-credential", "--root", str(course), "--minor", "-q"]) == 0
    site = tmp_path / "site"
    assert main(["build", "--root", str(course), "--site-dir", str(site), "-q"]) == 0
    old = (site / "my-credential/v0.1.0/modules/observation/index.html").read_text()
    assert "Version 0.1.0: not the current version" in old
    assert "100–1000 words" in old
    assert (site / "my-credential/v0.1.0/modules/observation/templates/tally.csv").is_file()
    current = (site / "credentials/my-credential/index.html").read_text()
    assert "300–1000 words" not in current  # requirements live on module pages
    assert 'href="../../my-credential/v0.1.0/credentials/my-credential/"' in current
    assert "0.2.0 (current)" in current
    # Earlier versions stay out of the navigation.
    assert "v0.1.0" not in (site / "index.html").read_text()


def test_a_pinned_submission_is_assessed_against_its_version(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    _tighten(course, repo)  # notes now need 300 words; the sample notes have fewer
    assert main(["release", "my-credential", "--root", str(course), "--minor", "-q"]) == 0
    for login, version in (("lea", "0.1.0"), ("leo", "0.2.0")):
        folder = course / f"submissions/{login}/my-credential/observation"
        shutil.copytree(DATA / "good-submission", folder)
        manifest = folder / "submission.yml"
        manifest.write_text(manifest.read_text().replace("learner: lea", f"learner: {login}")
                            .replace("credential_version: 0.1.0", f"credential_version: {version}"))
    capsys.readouterr()
    assert main(["check", "--root", str(course), str(course / "submissions/lea")]) == 0
    assert "[notice] assessed against version 0.1.0, as pinned; the current version is 0.2.0" \
        in capsys.readouterr().out
    assert main(["check", "--root", str(course), str(course / "submissions/leo")]) == 1
    assert "fewer than the 300 required" in capsys.readouterr().out


def test_a_version_never_released_is_refused(repo: git.Repo, course: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = course / "submissions/lea/my-credential/observation"
    shutil.copytree(DATA / "good-submission", folder)
    manifest = folder / "submission.yml"
    manifest.write_text(manifest.read_text().replace("credential_version: 0.1.0",
                                                     "credential_version: 0.0.9"))
    assert main(["check", "--root", str(course), str(folder)]) == 1
    assert ("version: version 0.0.9 of my-credential was never released (use the current "
            "version, 0.1.0, shown on the credential page)") in capsys.readouterr().out


def test_a_release_stopped_before_its_tag_finishes_on_the_next_run(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    assert main(["release", "my-credential", "--root", str(course), "--minor", "--notes",
                 "Tighter.", "-q"]) == 0
    repo.git.tag("-d", "my-credential/v0.2.0")  # what a run stopped after its commit leaves
    commits = len(list(repo.iter_commits()))
    capsys.readouterr()
    # Bumping again would strand 0.2.0: the message says how to finish it.
    assert main(["release", "my-credential", "--root", str(course), "--minor"]) == 2
    assert capsys.readouterr().err == (
        "error: my-credential 0.2.0 has a changelog entry but no tag: an earlier release stopped "
        "before tagging it; run `microcred release my-credential` to finish it, then bump\n")
    assert main(["release", "my-credential", "--root", str(course)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "released my-credential 0.2.0 (tag my-credential/v0.2.0)\n"
    assert "is in the changelog but not tagged: tagging it" in captured.err
    assert len(list(repo.iter_commits())) == commits  # no second commit
    assert (course / CRED).read_text().count("- version: 0.2.0") == 1
    assert sorted(t.name for t in repo.tags) == ["my-credential/v0.1.0", "my-credential/v0.2.0"]
    assert lint_lines(course) == []


def test_a_changelog_entry_written_twice_is_a_lint_error(repo: git.Repo, course: Path) -> None:
    assert main(["release", "my-credential", "--root", str(course), "--notes", "First.", "-q"]) == 0
    text = (course / CRED).read_text()
    entry = text[text.index("  - version: 0.1.0"):]
    (course / CRED).write_text(text + entry)
    assert [line.split(": ", 2)[2] for line in lint_lines(course)] == [
        "version 0.1.0 is listed twice (keep one entry per version)"]


def _pin(course: Path, login: str, version: str) -> None:
    folder = course / f"submissions/{login}/my-credential/observation"
    shutil.copytree(DATA / "good-submission", folder)
    manifest = folder / "submission.yml"
    manifest.write_text(manifest.read_text().replace("learner: lea", f"learner: {login}")
                        .replace("credential_version: 0.1.0", f"credential_version: {version}"))


def test_a_bump_over_a_version_in_use_without_a_tag_is_refused(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _pin(course, "lea", "0.1.0")
    repo.git.add("--all")
    repo.git.commit("-qm", "a submission on the untagged 0.1.0")
    assert main(["release", "my-credential", "--root", str(course), "--minor"]) == 2
    assert capsys.readouterr().err == (
        "error: my-credential 0.1.0 was never released, and 1 submission(s) pin it (first: "
        "submissions/lea/my-credential/observation/submission.yml); run `microcred release "
        "my-credential` to release the version in use first, so they are still assessed "
        "against it\n")
    assert list(repo.tags) == []
    # Releasing the version in use, then the new one, keeps the submission assessable.
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    _tighten(course, repo)
    assert main(["release", "my-credential", "--root", str(course), "--minor", "-q"]) == 0
    capsys.readouterr()
    assert main(["check", "--root", str(course), str(course / "submissions/lea")]) == 0
    assert "assessed against version 0.1.0, as pinned" in capsys.readouterr().out


def test_an_earlier_version_in_use_is_tagged_where_it_last_was(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    at_010 = repo.head.commit.hexsha
    # The version was raised by hand, never released; learners had started on 0.1.0.
    replace(course / CRED, "version: 0.1.0", "version: 0.2.0")
    repo.git.commit("-qam", "0.2.0 by hand")
    assert main(["release", "my-credential", "--root", str(course), "--tag-version", "0.1.0"]) == 0
    assert capsys.readouterr().out == (
        f"released my-credential 0.1.0 (tag my-credential/v0.1.0 on {at_010[:12]})\n")
    assert repo.tags["my-credential/v0.1.0"].commit.hexsha == at_010
    assert main(["release", "my-credential", "--root", str(course), "--tag-version", "0.1.0"]) == 2
    assert "my-credential 0.1.0 is already released" in capsys.readouterr().err
    assert main(["release", "my-credential", "--root", str(course), "--tag-version", "0.0.7"]) == 2
    assert ("content/credentials/my-credential.yml never said 'version: 0.0.7' on this branch"
            in capsys.readouterr().err)
    assert main(["release", "my-credential", "--root", str(course), "--tag-version", "x"]) == 2
    assert "--tag-version x: not a version such as 1.0.0" in capsys.readouterr().err


def test_a_first_release_may_skip_an_untagged_version_nobody_pins(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "my-credential", "--root", str(course), "--major"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "released my-credential 1.0.0 (tag my-credential/v1.0.0)\n"
    assert ("warning: my-credential 0.1.0 was never released and is skipped; a learner who "
            "started on it in an open pull request will be asked to move to 1.0.0") in captured.err
    assert [t.name for t in repo.tags] == ["my-credential/v1.0.0"]


def test_a_release_stopped_before_its_commit_finishes_on_the_next_run(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    assert main(["release", "my-credential", "--root", str(course), "--patch", "-q"]) == 0
    # What a run stopped after writing the credential file, before committing it, leaves.
    repo.git.tag("-d", "my-credential/v0.1.1")
    repo.git.reset("--soft", "HEAD~1")
    assert repo.is_dirty()
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    assert not repo.is_dirty()
    assert repo.head.commit.message.strip() == "Release my-credential 0.1.1"
    assert repo.tags["my-credential/v0.1.1"].commit == repo.head.commit
    assert (course / CRED).read_text().count("- version: 0.1.1") == 1
    # Any other uncommitted change is still refused.
    (course / "modules/observation/practice.md").write_text("## Changed\n")
    replace(course / CRED, "version: 0.1.1", "version: 0.1.2")
    capsys.readouterr()
    assert main(["release", "my-credential", "--root", str(course)]) == 2
    assert "uncommitted changes" in capsys.readouterr().err
