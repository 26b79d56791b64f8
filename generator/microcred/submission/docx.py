"""Read the text of a Word document (.docx) a learner hands in, safely.

A .docx is a zip of XML parts (ECMA-376 Part 1, WordprocessingML). Only the standard library
reads it: paragraphs are `w:p`, their visible text `w:t`, text deleted with tracked changes
`w:delText` (still in the file, so still scanned for names), and a paragraph is a heading by its
style (`heading N`, `Title`) or its outline level. The file is untrusted: every read is bounded
(entries, bytes per part, bytes in all), XML with a document type declaration is refused (Word
never writes one; entity expansion is how XML bombs work), the walk over elements keeps its own
stack (no recursion to exhaust), and every way a damaged file can fail becomes a DocxError whose
message a learner can act on.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

MAX_DOCX_BYTES = 10_000_000  # the file itself (pictures make Word files large)
MAX_ENTRIES = 2_000  # members of the zip
MAX_PART_BYTES = 8_000_000  # uncompressed bytes of any one XML part read
MAX_XML_BYTES = 16_000_000  # uncompressed bytes of all XML parts read together
DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
# Parts beside the body whose text a reader of the document also sees, in this order.
_OTHER_PARTS = (("comments", re.compile(r"word/comments\.xml")),
                ("footnotes", re.compile(r"word/footnotes\.xml")),
                ("endnotes", re.compile(r"word/endnotes\.xml")),
                ("header", re.compile(r"word/header\d*\.xml")),
                ("footer", re.compile(r"word/footer\d*\.xml")))
_MEDIA = "word/media/"
_HEADING_STYLE = re.compile(r"heading ([1-9])")
_HEADING_ID = re.compile(r"(?i)heading([1-9])")
_SKIPPED = {"pPr", "rPr", "instrText", "delInstrText"}  # properties and field codes: no text
_SPACES = re.compile(r"\s+")
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
# The compound file a .doc, or a .docx saved with a password, is (MS-CFB 2.2).
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def looks_like_word(data: bytes) -> bool:
    """Whether `data` is a zip or a compound file: what a Word document is on disk."""
    return data.startswith((*_ZIP, _COMPOUND_FILE))


class DocxError(Exception):
    """A .docx that cannot be read; the message says why, in words a learner can act on."""


@dataclass(frozen=True)
class Paragraph:
    """One non-empty paragraph: its visible text, text deleted with tracked changes, and its
    heading level (0 for body text)."""

    text: str
    deleted: str = ""
    level: int = 0


@dataclass(frozen=True)
class Part:
    """The paragraphs of one part of the document, under the name a reader knows it by."""

    label: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Document:
    """What the check reads of a .docx: the body, the other parts with text, and how many
    pictures it holds (which the check cannot read)."""

    body: tuple[Paragraph, ...]
    others: tuple[Part, ...] = ()
    pictures: int = 0

    def as_markdown(self) -> str:
        """The body as Markdown, one line per paragraph (line N is paragraph N)."""
        return "".join(("#" * p.level + " " if p.level else "") + p.text + "\n" for p in self.body)

    def scanned_lines(self) -> list[tuple[str, str]]:
        """Every paragraph's text with its deleted text, and where it is, for the privacy scan:
        the body first ("paragraph 3"), then the other parts ("comments, paragraph 1")."""
        lines = [(f"paragraph {n}", _joined(p)) for n, p in enumerate(self.body, 1)]
        for part in self.others:
            lines += [(f"{part.label}, paragraph {n}", _joined(p))
                      for n, p in enumerate(part.paragraphs, 1)]
        return lines


def _joined(p: Paragraph) -> str:
    return f"{p.text} {p.deleted}".strip() if p.deleted else p.text


def read_docx(data: bytes) -> Document:
    """The text of the .docx in `data`; raises DocxError when it cannot be read."""
    if len(data) > MAX_DOCX_BYTES:
        raise DocxError(f"the document is {len(data) / 1_000_000:.1f} MB, over the limit of "
                        f"{MAX_DOCX_BYTES / 1_000_000:g} MB")
    if data.startswith(_COMPOUND_FILE):
        raise DocxError("this is an older Word document (.doc) or one saved with a password, "
                        "which the check cannot read")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _read(archive)
    except DocxError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, KeyError, OSError, ET.ParseError):
        # RuntimeError: a password; NotImplementedError: a compression Word never uses.
        raise DocxError("the document is damaged or protected and cannot be read") from None


def _read(archive: zipfile.ZipFile) -> Document:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise DocxError(f"the file holds {len(entries)} parts, more than a Word document has")
    names = {e.filename: e for e in entries}
    if DOCUMENT not in names:
        raise DocxError("this is a zip archive or another kind of document, not a Word document")
    budget = _Budget()
    styles = _heading_styles(budget.parse(archive, names[STYLES])) if STYLES in names else {}
    body = tuple(_paragraphs(budget.parse(archive, names[DOCUMENT]), styles))
    others = tuple(Part(label, paragraphs) for label, pattern in _OTHER_PARTS
                   for name in sorted(n for n in names if pattern.fullmatch(n))
                   if (paragraphs := tuple(_paragraphs(budget.parse(archive, names[name]), {}))))
    pictures = sum(n.startswith(_MEDIA) and not n.endswith("/") for n in names)
    return Document(body, others, pictures)


class _Budget:
    """Uncompressed bytes left to read: a zip bomb stops here, not in memory."""

    def __init__(self) -> None:
        self.left = MAX_XML_BYTES

    def parse(self, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> ET.Element:
        limit = min(MAX_PART_BYTES, self.left)
        with archive.open(entry) as stream:
            xml = stream.read(limit + 1)  # decompresses no more than this
        if len(xml) > limit:
            raise DocxError(f"the document's text ({entry.filename}) is larger than the check "
                            "reads; split it into smaller documents")
        self.left -= len(xml)
        if any(marker in xml for marker in _FORBIDDEN):
            raise DocxError(f"{entry.filename} holds XML declarations Word never writes; save the "
                            "document again from your word processor")
        return ET.fromstring(xml)


def _local(tag: object) -> str:
    # Transitional and Strict OOXML use different namespaces for the same names.
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _attribute(element: ET.Element, name: str) -> str:
    return next((v for k, v in element.attrib.items() if _local(k) == name), "")


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _heading_styles(root: ET.Element) -> dict[str, int]:
    """Heading level by paragraph style id, from the built-in style names (which stay English
    when the ids are translated) or the style's outline level."""
    out: dict[str, int] = {}
    for style in (s for s in root if _local(s.tag) == "style"):
        if _attribute(style, "type") != "paragraph":
            continue
        name_element = _child(style, "name")
        name = _attribute(name_element, "val").lower() if name_element is not None else ""
        level = _level_of(name, _child(_child(style, "pPr"), "outlineLvl"))
        if level:
            out[_attribute(style, "styleId")] = level
    return out


def _level_of(name: str, outline: ET.Element | None) -> int:
    if name == "title":
        return 1
    if match := _HEADING_STYLE.fullmatch(name):
        return min(int(match[1]), 6)
    value = _attribute(outline, "val") if outline is not None else ""
    return int(value) + 1 if value.isdigit() and int(value) < 6 else 0


def _paragraphs(root: ET.Element, styles: dict[str, int]) -> Iterator[Paragraph]:
    """Every non-empty paragraph in document order, those in tables and text boxes included."""
    stack = [root]
    while stack:
        element = stack.pop()
        if _local(element.tag) == "p":
            paragraph, nested = _paragraph(element, styles)
            if paragraph.text or paragraph.deleted:
                yield paragraph
            stack += reversed(nested)
        else:
            stack += reversed(list(element))


def _paragraph(p: ET.Element, styles: dict[str, int]) -> tuple[Paragraph, list[ET.Element]]:
    """One paragraph's text, and the paragraphs nested in it (in text boxes), read after it."""
    text: list[str] = []
    deleted: list[str] = []
    nested: list[ET.Element] = []
    stack = list(reversed(list(p)))
    while stack:
        element = stack.pop()
        name = _local(element.tag)
        if name == "p":
            nested.append(element)
        elif name == "t":
            text.append(element.text or "")
        elif name == "delText":
            deleted.append(element.text or "")
        elif name in ("tab", "br", "cr"):
            text.append(" ")
        elif name == "noBreakHyphen":
            text.append("-")
        elif name not in _SKIPPED:
            stack += reversed(list(element))
    level = _paragraph_level(_child(p, "pPr"), styles)
    return Paragraph(_flat(text), _flat(deleted), level), nested


def _paragraph_level(properties: ET.Element | None, styles: dict[str, int]) -> int:
    style = _child(properties, "pStyle")
    style_id = _attribute(style, "val") if style is not None else ""
    if style_id in styles:
        return styles[style_id]
    if match := _HEADING_ID.fullmatch(style_id):  # no styles part: the ids Word gives in English
        return min(int(match[1]), 6)
    if style_id.lower() == "title":
        return 1
    return _level_of("", _child(properties, "outlineLvl"))


def _flat(parts: list[str]) -> str:
    return _SPACES.sub(" ", "".join(parts)).strip()
