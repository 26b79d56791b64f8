"""A Word document handed in where the module accepts one: checked like Markdown (words,
headings), scanned for names paragraph by paragraph, and named in every finding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from microcred.content.loader import load_course
from microcred.submission.check import Context, check_folder
from microcred.submission.source import FsSource
from tests.conftest import DATA
from tests.submission.docx_files import deleted, docx, heading, paragraph, table

FOLDER = "submissions/lea/my-credential/observation/"
CONTEXT = ("Grade 7 science, a lesson on density with twenty-six students at six tables. The "
           "teacher asked me to watch how often students at the back tables were invited to "
           "explain their thinking, and I scripted the first twenty minutes of the lesson.")
EVIDENCE = ("At minute 2 the teacher asked what students noticed about the two blocks and called "
            "on S04, who described their size. At minute 5 S11 asked why the small block sank; "
            "the teacher gave the question back to the class and S03 explained it with mass. "
            "Between minutes 6 and 14 nine questions were asked; seven were recall questions.")


def _course(tmp_path: Path, formats: str = "[md, docx]") -> Path:
    root = tmp_path / "course"
    shutil.copytree(DATA / "course", root)
    module = root / "modules/observation/module.yml"
    module.write_text(module.read_text().replace(
        "    headings: [Context, Evidence]\n",
        f"    headings: [Context, Evidence]\n    formats: {formats}\n"))
    folder = root / FOLDER
    shutil.copytree(DATA / "good-submission", folder)
    (folder / "notes.md").unlink()  # the manifest still names notes.md, as the template does
    return root


def _notes(*extra: str) -> bytes:
    return docx(heading("Context") + paragraph(CONTEXT) + heading("Evidence")
                + paragraph(EVIDENCE) + "".join(extra))


def _check(root: Path, names: tuple[str, ...] = ()) -> list[tuple[str, int, str, str]]:
    ctx = Context.of(load_course(root).course, names)
    report = check_folder(FsSource(root), FOLDER, ctx)
    return [(f.path.rsplit("/", 1)[1], f.line, f.rule, f.message) for f in report.findings]


def test_a_complete_word_document_passes_and_is_ticked(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(_notes())
    ctx = Context.of(load_course(root).course)
    report = check_folder(FsSource(root), FOLDER, ctx)
    assert report.findings == [] and report.passed
    notes = next(r for r in report.requirements if r.id == "notes")
    assert (notes.file, notes.ok) == ("notes.docx", True)


def test_a_student_name_is_caught_with_no_roster_and_its_paragraph_named(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(
        _notes(paragraph("Then the teacher asked Maya to explain her table's idea.")))
    found = _check(root)
    assert [(name, line, rule) for name, line, rule, _ in found] == [
        ("notes.docx", 5, "privacy/student-name")]
    message = found[0][3]
    assert message.startswith("paragraph 5: ") and "Maya" not in message


def test_names_in_tables_deleted_text_and_comments_are_caught(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(docx(
        heading("Context") + paragraph(CONTEXT) + heading("Evidence") + paragraph(EVIDENCE)
        + table(["seat", "note"], ["S04", "The teacher asked Maya to revoice."])
        + paragraph("Kept text.", inner=deleted(" The teacher asked Jordana to read.")),
        comments=["Ask about Austin and Maya at the back table."]))
    places = [message.split(":")[0] for _, _, rule, message in _check(root)
              if rule == "privacy/student-name"]
    assert places == ["paragraph 8", "paragraph 9", "comments, paragraph 1",
                      "comments, paragraph 1"]


def test_a_listed_exception_uses_the_paragraph_number(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(
        _notes(paragraph("Then the teacher asked Maya to explain her table's idea.")))
    manifest = root / FOLDER / "submission.yml"
    manifest.write_text(manifest.read_text().replace("  deidentified: true\n", (
        "  deidentified: true\n  exceptions:\n    - {file: notes.docx, line: 5, rule: "
        "student-name, reason: a character in the class novel}\n")))
    ctx = Context.of(load_course(root).course)
    report = check_folder(FsSource(root), FOLDER, ctx)
    assert report.passed and [f.severity for f in report.findings] == ["notice"]


def test_missing_headings_are_told_in_word_terms(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(docx(
        paragraph("Context") + paragraph(CONTEXT) + heading("Evidence") + paragraph(EVIDENCE)))
    ctx = Context.of(load_course(root).course)
    [finding] = check_folder(FsSource(root), FOLDER, ctx).findings
    assert (finding.rule, finding.message) == ("headings", "missing heading(s): 'Context'")
    assert "heading style" in finding.fix and "Heading 2" in finding.fix


def test_too_few_words_count_the_body_only(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(docx(
        heading("Context") + paragraph("Short.") + heading("Evidence") + paragraph("Brief."),
        comments=[EVIDENCE + " " + CONTEXT]))
    assert [(rule, message) for _, _, rule, message in _check(root)] == [
        ("word-count", "2 words, fewer than the 100 required")]


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04 a broken upload", "the document is damaged or protected and cannot be read"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "this is an older Word document (.doc) "
     "or one saved with a password, which the check cannot read"),
])
def test_an_unreadable_document_is_a_finding(tmp_path: Path, data: bytes, message: str) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(data)
    assert _check(root) == [("notes.docx", 0, "docx", message)]


def test_pictures_get_a_notice_to_look_at_them(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(docx(
        heading("Context") + paragraph(CONTEXT) + heading("Evidence") + paragraph(EVIDENCE),
        pictures=3))
    ctx = Context.of(load_course(root).course)
    report = check_folder(FsSource(root), FOLDER, ctx)
    assert report.passed
    assert [(f.rule, f.severity, f.message) for f in report.findings] == [
        ("docx-pictures", "notice", "the document holds 3 picture(s), which the check cannot read")]


def test_both_forms_at_once_say_which_is_read(tmp_path: Path) -> None:
    root = _course(tmp_path)
    shutil.copy(DATA / "good-submission/notes.md", root / FOLDER / "notes.md")
    (root / FOLDER / "notes.docx").write_bytes(_notes())
    assert _check(root) == [("notes.docx", 0, "two-forms", "both notes.md and notes.docx are "
                             "here for 'Observation notes'; the check reads notes.md")]


def test_a_module_that_does_not_accept_word_says_so(tmp_path: Path) -> None:
    root = _course(tmp_path, formats="[md]")
    (root / FOLDER / "notes.docx").write_bytes(_notes())
    manifest = root / FOLDER / "submission.yml"
    manifest.write_text(manifest.read_text().replace("notes: notes.md", "notes: notes.docx"))
    assert _check(root) == [("notes.docx", 0, "not-text",
                             "this evidence is not accepted as a Word document")]


def test_a_roster_name_is_caught_too(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "notes.docx").write_bytes(_notes(paragraph("Jordana's group went last.")))
    assert [rule for _, _, rule, _ in _check(root, ("Jordana",))] == ["privacy/student-name"]


def test_a_word_document_under_its_own_name_is_told_its_name(tmp_path: Path) -> None:
    root = _course(tmp_path)
    (root / FOLDER / "Notes-final.docx").write_bytes(_notes())
    ctx = Context.of(load_course(root).course)
    report = check_folder(FsSource(root), FOLDER, ctx)
    missing = next(f for f in report.findings if f.rule == "missing")
    assert missing.fix == ("if 'Notes-final.docx' is it, rename it to notes.docx, or name it in "
                           "submission.yml (evidence: notes: 'Notes-final.docx'); otherwise add "
                           "notes.docx to the folder")
