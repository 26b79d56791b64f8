"""Plausible, fictional evidence that meets a module's requirements (for the demo only).

Nothing here is about a real classroom: the text describes a made-up school in general terms,
names no one, and uses no number that looks like a phone number or a student ID.
"""

from __future__ import annotations

from microcred.badge.bake import placeholder_png
from microcred.model import CsvColumn, EvidenceRequirement

_SENTENCES = (
    "The department agreed to try one change for three weeks and to look at the results together.",
    "I planned the visit with the teacher beforehand and agreed what I would look for.",
    "Most questions in the first ten minutes asked for recall rather than reasoning.",
    "After the visit we compared my notes with the lesson plan and found one clear pattern.",
    "The teacher chose the next step herself, which made it far more likely to happen.",
    "Next time I will leave more silence after a question before I speak.",
)
# The smallest document a PDF reader opens: one empty page.
_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")
_SHORT_VALUES = {"integer": "3", "number": "2.5", "string": "noted"}


def demo_evidence(req: EvidenceRequirement, revision: int = 1) -> bytes:
    """A file answering `req`; a later `revision` adds a paragraph (the learner's second try)."""
    if req.kind == "csv":
        return _csv(req).encode()
    if req.kind == "link":
        host = req.hosts[0] if req.hosts else "vimeo.com"
        return f"https://{host}/video/demo-conversation-{revision}\n".encode()
    if req.kind == "file":
        if req.file.endswith(".pdf"):
            return _PDF
        if "png" in req.types or not req.types:
            return placeholder_png()
        return b"Fictional evidence for the microcred demo.\n"  # txt, csv, md and the like
    return _text(req, revision).encode()


def _text(req: EvidenceRequirement, revision: int) -> str:
    headings = req.headings or ("Evidence",)
    target = max(req.min_words or 60, 60) + 10 * revision
    if req.max_words is not None:
        target = min(target, req.max_words - 5)
    per_heading = max(target // len(headings) + 1, 12)
    parts = []
    for heading in headings:
        words: list[str] = []
        index = 0
        while len(words) < per_heading:
            words += _SENTENCES[index % len(_SENTENCES)].split()
            index += 1
        parts.append(f"## {heading}\n\n{' '.join(words[:per_heading]).rstrip('.,')}.\n")
    return "\n".join(parts)


def _csv(req: EvidenceRequirement) -> str:
    columns = req.columns
    rows = max(req.min_rows or 3, 3)
    if req.max_rows is not None:
        rows = min(rows, req.max_rows)
    lines = [",".join(c.name for c in columns)]
    lines += [",".join(_value(c, row) for c in columns) for row in range(rows)]
    return "\n".join(lines) + "\n"


def _value(column: CsvColumn, row: int) -> str:
    if column.allowed:
        return str(column.allowed[row % len(column.allowed)])
    if column.type == "integer":
        return str(row + 1)
    return _SHORT_VALUES.get(column.type, "noted")
