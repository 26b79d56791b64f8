"""Benchmark reading Word evidence: the cost of a .docx against the same text as Markdown.

Run: python benchmarks/docx_benchmark.py [--paragraphs 100,1000,3000] [--out FILE]

  read      `read_docx` on a document of N paragraphs (a heading every 10, about 40 words each)
  docx      `check_docx`: reading, words and headings, and the privacy scan with no roster
  markdown  the same text as Markdown through the same checks (`check_text` and the scan)
  bomb      `read_docx` on 100 MB of XML compressed to about 100 KB: refused at the read limit

Each figure is the best of --repeat runs in this process (CPU time, `time.process_time`).
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import best_cpu, machine, publish
from microcred.model import EvidenceRequirement
from microcred.submission import privacy
from microcred.submission.docx import DocxError, read_docx
from microcred.submission.docx_evidence import check_docx
from microcred.submission.evidence import check_text

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SENTENCE = ("At minute {n} the teacher asked the back tables what they noticed, waited four "
             "seconds, and S{s:02} explained the idea of density in their own words. ")
REQUIREMENT = EvidenceRequirement(id="notes", kind="text", title="Notes", file="notes.md",
                                  min_words=100, headings=("Section 1",), formats=("md", "docx"))


def _paragraph(text: str, style: str = "") -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def texts(paragraphs: int) -> list[tuple[str, bool]]:
    """(text, is heading) for each paragraph."""
    return [(f"Section {n // 10 + 1}", True) if n % 10 == 0 else
            (_SENTENCE.format(n=n, s=n % 30) * 2, False) for n in range(paragraphs)]


def document(paragraphs: int) -> bytes:
    body = "".join(_paragraph(text, "Heading2" if heading else "")
                   for text, heading in texts(paragraphs))
    return _zip(f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'.encode())


def markdown(paragraphs: int) -> str:
    return "".join(("## " if heading else "") + text + "\n\n" for text, heading in texts(paragraphs))


def bomb() -> bytes:
    return _zip(f'<w:document xmlns:w="{_W}"><w:body>'.encode() + b" " * 100_000_000)


def _zip(document_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document_xml)
    return out.getvalue()


def best(work: Callable[[], object], repeat: int) -> float:
    """The least CPU milliseconds `work` took in `repeat` runs."""
    return round(best_cpu(work, repeat) * 1000, 1)


def figures(paragraphs: int, repeat: int, found_by: list[privacy.Detector]) -> dict[str, Any]:
    data, text = document(paragraphs), markdown(paragraphs)
    return {"docx_kb": round(len(data) / 1000, 1), "markdown_kb": round(len(text) / 1000, 1),
            "read_ms": best(lambda: read_docx(data), repeat),
            "docx_ms": best(lambda: check_docx(REQUIREMENT, data, "notes.docx", found_by, ()),
                            repeat),
            "markdown_ms": best(lambda: (check_text(REQUIREMENT, text, "notes.md"),
                                         privacy.scan(text, "notes.md", "notes.md", found_by, ())),
                                repeat)}


def bomb_ms(repeat: int) -> dict[str, Any]:
    data = bomb()

    def refuse() -> None:
        try:
            read_docx(data)
        except DocxError:
            return
        raise AssertionError("the bomb was read")

    return {"compressed_kb": round(len(data) / 1000, 1), "refused_ms": best(refuse, repeat)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", default="100,1000,3000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    found_by = privacy.detectors(private_video=True)
    sizes = [int(n) for n in args.paragraphs.split(",")]
    publish({"machine": machine(),
             "paragraphs": {str(n): figures(n, args.repeat, found_by) for n in sizes},
             "bomb": bomb_ms(args.repeat)}, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
