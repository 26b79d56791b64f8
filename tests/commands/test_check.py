"""`microcred check` and `microcred submit` through `main(argv)`, on real folders and git repos."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.commands.check import emit
from microcred.submission.findings import CheckFinding
from microcred.submission.report import CheckResult, to_markdown
from tests.conftest import DATA
from tests.helpers import commit_all
from tests.submission.docx_files import docx, heading, paragraph

FOLDER = "submissions/lea/my-credential/observation"


@pytest.fixture
def submitted(course: Path) -> Path:
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    return course


def test_check_a_good_submission_by_path(submitted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(submitted), str(submitted / FOLDER)]) == 0
    assert capsys.readouterr().out == "check: 1 submission(s), passed\n"


def test_check_all_reports_misplaced_files(submitted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (submitted / "submissions/lea/stray.md").write_text("hello")
    assert main(["check", "--root", str(submitted), "--all"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "submissions/lea/stray.md: misplaced: this file is not inside a submission folder "
        "(put evidence in submissions/<login>/<credential>/<module>/)",
        "check: 1 submission(s), 1 problem(s) to fix"]


def test_check_json_markdown_and_github(submitted: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (submitted / FOLDER / "notes.md").write_text("## Context\nshort\n")
    assert main(["check", "--root", str(submitted), "--all", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in report["submissions"][0]["findings"]] == ["headings", "word-count"]
    assert main(["check", "--root", str(submitted), "--all", "--format", "markdown"]) == 1
    assert "- [ ] Observation notes (`notes.md`)" in capsys.readouterr().out
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["check", "--root", str(submitted), "--all"]) == 1
    out = capsys.readouterr().out
    assert f"::error file={FOLDER}/notes.md,title=microcred headings::missing heading(s)" in out
    assert "### microcred check" in summary.read_text()


def test_the_step_summary_stays_under_githubs_limit(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    stray = [CheckFinding(f"notes/{i:04}.md", 0, "outside-submissions", "x" * 1900)
             for i in range(600)]
    emit(CheckResult("range", general=stray), "github")
    assert len(capsys.readouterr().out.splitlines()) == 2 * 600 + 1  # text and annotations: all
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode()) <= 1024 * 1024 < len(to_markdown(CheckResult("range", general=stray)))
    listed = text.count("- ❌")
    assert f"- … and {600 - listed} more: run `microcred check` to list them all" in text


def test_range_check_reads_rules_from_the_base(course: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    repo = commit_all(course)
    repo.git.checkout("-b", "pr")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    # The pull request also tries to relax the rubric and the word limits it is judged by.
    module = course / "modules/observation/module.yml"
    module.write_text(module.read_text().replace("words: {min: 100", "words: {min: 1"))
    (course / FOLDER / "notes.md").write_text("## Context\n## Evidence\nToo short.\n")
    repo.git.add("--all")
    repo.index.commit("submission")
    code = main(["check", "--root", str(course), "--base", "main", "--head", "pr",
                 "--author", "LEA"])
    assert capsys.readouterr().out.splitlines() == [
        "modules/observation/module.yml: protected-path: a learner's pull request may not change "
        "modules (change only files under submissions/lea/)",
        f"{FOLDER}/notes.md: word-count: 2 words, fewer than the 100 required "
        "(develop your writing under each heading)",
        "check: 1 submission(s), 2 problem(s) to fix"]
    assert code == 1


def test_range_check_with_an_unknown_ref(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commit_all(course)
    assert main(["check", "--root", str(course), "--base", "nope"]) == 2
    assert capsys.readouterr().err.startswith("error: --base nope: no such commit")


def test_check_needs_a_mode(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(course)]) == 2
    assert "say what to check" in capsys.readouterr().err


def test_student_names_file_is_used_and_values_masked(submitted: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Jordana\n")
    notes = submitted / FOLDER / "notes.md"
    notes.write_text(notes.read_text().replace("called on S04", "called on Jordana"))
    assert main(["check", "--root", str(submitted), "--all", "--names", str(names)]) == 1
    out = capsys.readouterr().out
    assert "privacy/student-name" in out and "Jordana" not in out


def test_submit_scaffolds_once(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["submit", "observation", "--root", str(course), "--login", "lea", "-q"]) == 0
    folder = course / FOLDER
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.md", "submission.yml", "tally.csv", "video-link.txt"]
    assert (folder / "tally.csv").read_text() == (
        course / "modules/observation/templates/tally.csv").read_text()
    assert "## Context" in (folder / "notes.md").read_text()
    assert main(["submit", "observation", "--root", str(course), "--login", "lea"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_submit_needs_a_login(course: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROCRED_LOGIN", raising=False)
    assert main(["submit", "observation", "--root", str(course)]) == 2
    assert "pass --login" in capsys.readouterr().err
    assert not (course / "submissions/YOUR-LOGIN").exists()


def test_range_check_caches_the_trusted_course_by_tree(course: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    repo = commit_all(course)
    repo.git.checkout("-b", "pr")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    repo.git.add("--all")
    repo.index.commit("submission")
    args = ["check", "--root", str(course), "--base", "main", "--head", "pr", "--author", "lea"]
    assert main(args) == 0
    [entry] = (Path(repo.git_dir) / "microcred-cache").glob("*.pickle")
    assert main(args) == 0  # served from the cache
    entry.write_bytes(b"not a pickle")  # a damaged entry is rebuilt, never trusted
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "check: 1 submission(s), passed"
    assert entry.read_bytes() != b"not a pickle"


def test_the_checklist_leaves_an_optional_file_that_is_not_there_unticked(
        submitted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(submitted), str(submitted / FOLDER), "--format",
                 "markdown"]) == 0
    out = capsys.readouterr().out
    assert "- [x] Observation notes (`notes.md`)" in out
    assert "- [ ] Planning sheet *(optional)* (`plan.pdf`)" in out


def test_a_range_with_nothing_committed_says_so(submitted: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    commit_all(submitted)
    shutil.copytree(DATA / "good-submission", submitted / "submissions/leo/my-credential/observation")
    assert main(["check", "--root", str(submitted), "--base", "main", "--head", "HEAD"]) == 2
    assert capsys.readouterr().err == (
        "error: nothing to check: HEAD changes nothing since main; a range check reads commits, "
        "not files you have not committed (commit them first, or check the folder itself: "
        "microcred check PATH)\n")


def test_a_learners_pull_request_carries_one_submission(course: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    repo = commit_all(course)
    repo.git.checkout("-b", "two")
    for module in ("observation", "first-module"):
        shutil.copytree(DATA / "good-submission", course / f"submissions/lea/my-credential/{module}")
    repo.git.add("--all")
    repo.index.commit("two modules at once")
    args = ["check", "--root", str(course), "--base", "main", "--head", "two", "--author"]
    assert main([*args, "lea"]) == 1
    out = capsys.readouterr().out
    assert ("submissions/lea/my-credential/observation/: one-submission-per-pull-request: this "
            "pull request carries 2 submission folders (submissions/lea/my-credential/first-module/"
            ", submissions/lea/my-credential/observation/); each module needs a pull request of "
            "its own (close this pull request (GitHub's 'Close pull request', or `microcred pr "
            "close NUMBER`) and open one per module (`microcred submit MODULE --open`))") in out
    main([*args, "designer-dee"])
    assert "one-submission-per-pull-request" not in capsys.readouterr().out


def test_a_required_file_under_another_name_is_pointed_out(
        submitted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = submitted / FOLDER
    (folder / "notes.md").rename(folder / "My notes (final).md")
    assert main(["check", "--root", str(submitted), str(folder)]) == 1
    out = capsys.readouterr().out
    assert (f"{FOLDER}/notes.md: missing: 'Observation notes' is missing (if 'My notes (final).md' "
            "is it, rename it to notes.md, or name it in submission.yml (evidence: notes: "
            "'My notes (final).md'); otherwise add notes.md to the folder)") in out


def test_a_word_document_in_a_pull_request_is_read_from_git_and_its_paragraph_shown(
        course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = course / "modules/observation/module.yml"
    module.write_text(module.read_text().replace(
        "    headings: [Context, Evidence]\n",
        "    headings: [Context, Evidence]\n    formats: [md, docx]\n"))
    repo = commit_all(course)
    repo.git.checkout("-b", "pr")
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    (course / FOLDER / "notes.md").unlink()
    words = "Grade 7 science, a lesson on density at six tables with seat codes. " * 12
    (course / FOLDER / "notes.docx").write_bytes(docx(
        heading("Context") + paragraph(words) + heading("Evidence")
        + paragraph("At minute 16 the teacher asked Maya to explain density.")))
    repo.git.add("--all")
    repo.index.commit("submission")
    args = ["check", "--root", str(course), "--base", "main", "--head", "pr", "--author", "lea"]
    assert main(args) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{FOLDER}/notes.docx:4: privacy/student-name: paragraph 4: what looks like a student's "
        "name: “te 16 the teacher asked «••••» to explain density.” (replace it by a seat "
        "code such as S07, or by a role ('a student'))",
        "check: 1 submission(s), 1 problem(s) to fix"]
    assert main([*args, "--format", "markdown"]) == 1
    comment = capsys.readouterr().out
    assert "- [ ] Observation notes (`notes.docx`)" in comment
    assert "- ❌ `submissions/lea/my-credential/observation/notes.docx`: paragraph 4\\: " in comment
    assert "Maya" not in comment
