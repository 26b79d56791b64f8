"""Reading a Word document's text: paragraphs, headings by style, tables, tracked deletions,
comments; and every damaged or hostile file refused with a message, never a traceback."""

from __future__ import annotations

import contextlib
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.submission.docx import (
    MAX_DOCX_BYTES,
    MAX_ENTRIES,
    DocxError,
    looks_like_word,
    read_docx,
)
from tests.submission.docx_files import (
    W,
    deleted,
    document_xml,
    docx,
    heading,
    paragraph,
    table,
)


def test_headings_come_from_styles_whatever_their_ids() -> None:
    doc = read_docx(docx(paragraph("Notes", "Titel") + heading("Context") + paragraph("Grade 7.")
                         + paragraph("Evidence", "Heading3") + paragraph("", "berschrift1")))
    assert doc.as_markdown() == "# Notes\n## Context\nGrade 7.\n### Evidence\n"


def test_a_heading_by_outline_level_alone() -> None:
    inner = '<w:pPr><w:outlineLvl w:val="1"/></w:pPr>'
    body = f"<w:p>{inner}<w:r><w:t>Context</w:t></w:r></w:p>"
    assert read_docx(docx(body)).as_markdown() == "## Context\n"


def test_runs_tabs_and_breaks_make_one_line_per_paragraph() -> None:
    inner = "<w:r><w:t>Grade</w:t><w:tab/><w:t>7</w:t><w:br/><w:t>science</w:t></w:r>"
    doc = read_docx(docx(paragraph(inner=inner) + paragraph("  spaced   out  ")))
    assert [p.text for p in doc.body] == ["Grade 7 science", "spaced out"]


def test_tables_and_text_boxes_are_read_in_order() -> None:
    box = (f"<w:r><w:pict><w:txbxContent>{paragraph('in a box')}</w:txbxContent></w:pict></w:r>")
    doc = read_docx(docx(paragraph("before") + table(["a", "b"], ["c", "d"])
                         + paragraph("anchor", inner=box) + paragraph("after")))
    assert [p.text for p in doc.body] == ["before", "a", "b", "c", "d", "anchor", "in a box",
                                          "after"]


def test_deleted_text_and_comments_are_kept_for_the_scan() -> None:
    doc = read_docx(docx(paragraph("Kept", inner=deleted("Jordana Bell")),
                         comments=["ask Ms Okafor"], pictures=2))
    assert doc.as_markdown() == "Kept\n"
    assert doc.scanned_lines() == [("paragraph 1", "Kept Jordana Bell"),
                                   ("comments, paragraph 1", "ask Ms Okafor")]
    assert doc.pictures == 2


def test_strict_ooxml_namespaces_read_alike() -> None:
    strict = docx(paragraph("Strict"), parts={}).replace(
        W.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    assert [p.text for p in read_docx(strict).body] == ["Strict"]


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _refused(data: bytes) -> str:
    with pytest.raises(DocxError) as info:
        read_docx(data)
    return str(info.value)


def test_a_zip_bomb_stops_at_the_limit() -> None:
    # 100 MB of text compresses to about 100 KB: the read stops after 8 MB.
    body = document_xml(paragraph("x")).replace("<w:sectPr/>", " " * 100_000_000).encode()
    bomb = _zip({"word/document.xml": body})
    assert len(bomb) < 200_000
    assert "larger than the check reads" in _refused(bomb)


def test_entity_declarations_are_refused() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;">]>'
              b'<w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:r><w:t>&b;</w:t>'
              b"</w:r></w:p></w:body></w:document>")
    assert "XML declarations Word never writes" in _refused(_zip({"word/document.xml": laughs}))


def test_deep_nesting_reads_without_recursion() -> None:
    deep = ("<w:sdt>" * 50_000) + paragraph("deep") + ("</w:sdt>" * 50_000)
    assert [p.text for p in read_docx(docx(deep)).body] == ["deep"]


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04 not really a zip", "damaged or protected"),
    (_zip({"word/document.xml": b"<w:document><unclosed>"}), "damaged or protected"),
    (_zip({"xl/workbook.xml": b"<workbook/>"}), "not a Word document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "older Word document (.doc)"),
    (b"PK\x03\x04" + b"\0" * (MAX_DOCX_BYTES + 1), "over the limit of 10 MB"),
], ids=["not-a-zip", "bad-xml", "a-spreadsheet", "doc-or-password", "too-large"])
def test_damaged_files_are_refused_in_words(data: bytes, message: str) -> None:
    assert message in _refused(data)


def test_a_truncated_document_is_refused() -> None:
    whole = docx(paragraph("text " * 2000))
    assert "damaged or protected" in _refused(whole[: len(whole) // 2])


def test_a_corrupted_stream_is_refused() -> None:
    whole = bytearray(docx(paragraph("text " * 2000)))
    start = whole.find(b"word/document.xml") + len("word/document.xml")
    whole[start + 20:start + 60] = b"\xff" * 40  # inside the compressed XML
    assert "damaged or protected" in _refused(bytes(whole))


def test_too_many_entries_are_refused() -> None:
    many = _zip({f"word/media/{n}.png": b"" for n in range(MAX_ENTRIES + 1)}
                | {"word/document.xml": document_xml("").encode()}, zipfile.ZIP_STORED)
    assert "parts, more than a Word document has" in _refused(many)


def test_what_looks_like_word() -> None:
    assert looks_like_word(docx(paragraph("x")))
    assert looks_like_word(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert not looks_like_word(b"## Context\n")


_SAMPLE = docx(heading("Context") + paragraph("Grade 7 science. " * 40) + table(["a", "b"])
               + paragraph("kept", inner=deleted("gone")), comments=["a note"], pictures=1)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_SAMPLE) - 1), st.integers(0, 255),
                          st.sampled_from(["set", "cut", "add"])), min_size=1, max_size=8))
def test_any_damage_to_a_document_is_a_docx_error_or_a_reading(
        edits: list[tuple[int, int, str]]) -> None:
    data = bytearray(_SAMPLE)
    for at, value, how in edits:
        at %= max(1, len(data))
        if how == "set":
            data[at:at + 1] = bytes([value])
        elif how == "cut":
            del data[at:at + value % 40 + 1]
        else:
            data[at:at] = bytes([value]) * (value % 16 + 1)
    with contextlib.suppress(DocxError):  # anything else fails the test
        read_docx(bytes(data))
