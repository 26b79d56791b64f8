"""Check a Word document handed in for text evidence, as a Markdown file is checked.

The body's paragraphs become Markdown (headings by their Word style), so word counts and
required headings follow the same rules; every paragraph, with text deleted under tracked
changes and the comments, notes, headers and footers, goes through the same privacy scan.
Findings name the paragraph ("paragraph 4: ..."); their line is the paragraph's number, which is
also what a privacy exception in submission.yml gives as its `line`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from microcred.model import EvidenceRequirement
from microcred.submission import privacy
from microcred.submission.docx import DocxError, read_docx
from microcred.submission.evidence import MAX_TEXT_BYTES, check_text
from microcred.submission.findings import NOTICE, CheckFinding
from microcred.submission.manifest import PrivacyException

_RESAVE = ("open it in your word processor and save it again as a Word document (.docx), "
           "without a password; or hand in the Markdown template instead")
_HEADING_FIX = ("type each heading as a paragraph of its own and give it a heading style (in "
                "Word: Home, Styles, Heading 2)")


def check_docx(req: EvidenceRequirement, data: bytes, shown: str,
               found_by: list[privacy.Detector],
               exceptions: Sequence[PrivacyException]) -> list[CheckFinding]:
    """Findings for the .docx in `data` that answers `req`."""
    try:
        document = read_docx(data)
    except DocxError as exc:
        return [CheckFinding(shown, 0, "docx", str(exc), _RESAVE)]
    markdown = document.as_markdown()
    located = document.scanned_lines()
    scanned = "\n".join(text for _, text in located)
    if max(len(markdown), len(scanned)) > MAX_TEXT_BYTES:
        return [CheckFinding(shown, 0, "too-large", "the document holds more than "
                             f"{MAX_TEXT_BYTES // 1_000_000} million characters of text",
                             "hand in only the evidence asked for")]
    found = [_worded(f) for f in check_text(req, markdown, shown)]
    places = [where for where, _ in located]
    name = shown.rsplit("/", 1)[-1]
    found += [_placed(f, places) for f in privacy.scan(scanned, shown, name, found_by, exceptions)]
    if document.pictures:
        found.append(CheckFinding(shown, 0, "docx-pictures", f"the document holds "
                                  f"{document.pictures} picture(s), which the check cannot read",
                                  "make sure no picture shows a student, a name or a document "
                                  "about a student", severity=NOTICE))
    return found


def _worded(finding: CheckFinding) -> CheckFinding:
    """A completeness finding in a Word user's terms."""
    return replace(finding, fix=_HEADING_FIX) if finding.rule == "headings" else finding


def _placed(finding: CheckFinding, places: list[str]) -> CheckFinding:
    """A privacy finding that names its paragraph, which a Word user can find."""
    if not 0 < finding.line <= len(places):
        return finding
    return replace(finding, message=f"{places[finding.line - 1]}: {finding.message}")
