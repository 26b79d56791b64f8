"""Run the detectors over a text and report what they find, masked.

Findings carry only masked excerpts: no detected value, and no capitalised word near one (it
may be a name no detector knew), reaches logs, annotations or pull-request comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from microcred.submission.findings import NOTICE, CheckFinding, printable
from microcred.submission.manifest import PrivacyException
from microcred.submission.privacy.document import refine
from microcred.submission.privacy.gazetteer import lexicon
from microcred.submission.privacy.hits import Detector, Gated, Hit
from microcred.submission.privacy.rules import RULE_TEXT

MAX_FINDINGS_PER_FILE = 20
MAX_LINE_CHARS = 200_000  # longer lines are scanned in pieces of this size
REMEMBERED_LINE_CHARS = 500  # longer lines are a learner's own prose, and rarely come back
_CAPITALISED = re.compile(r"\b[A-Z][^\W\d_]*(?:['’][^\W\d_]+)*\b")
_NAMES = ("student-name", "parent-name")


@dataclass(frozen=True)
class Span:
    """One likely identifying detail: its line (from 1), columns in that line, and rule."""
    line: int
    start: int
    end: int
    rule: str


def find_spans(text: str, found_by: Sequence[Detector]) -> list[Span]:
    """Every detail the detectors find in `text`, in order; for evaluation and tools."""
    return [Span(number, hit.start, hit.end, hit.rule)
            for number, (_, hits) in enumerate(document_hits(text, found_by), start=1)
            for hit in hits]


def document_hits(text: str, found_by: Sequence[Detector]) -> list[tuple[str, list[Hit]]]:
    """Each line of `text` with its hits: read line by line, then as a whole (document.py)."""
    detectors = for_text(found_by, text)
    lines = text.splitlines()
    return list(zip(lines, refine(text, lines, [line_hits(line, detectors) for line in lines]),
                    strict=True))


def mask(value: str) -> str:
    """Keep the shape, hide the substance: at most the last two characters stay visible."""
    keep = 2 if len(value) > 6 else 0
    hidden = "".join("•" if ch.isalnum() else ch for ch in value[: len(value) - keep])
    return hidden + value[len(value) - keep:]


def _hide(value: str) -> str:
    """Hide every letter and digit (for names, where two letters say too much)."""
    return "".join("•" if ch.isalnum() else ch for ch in value)


def scan(text: str, shown: str, file: str, found_by: list[Detector],
         exceptions: Sequence[PrivacyException]) -> list[CheckFinding]:
    """Findings for each line of `text` holding a likely identifying detail, at most
    MAX_FINDINGS_PER_FILE of them and then one that counts the rest."""
    out: list[CheckFinding] = []
    unlisted: list[bool] = []  # beyond the limit: whether each further detail is an exception
    # A reason is the learner's own text, echoed in the notice: mask it like the evidence.
    exceptions = [replace(e, reason=_masked(e.reason, found_by)) for e in exceptions]
    for number, (line, hits) in enumerate(document_hits(text, found_by), start=1):
        listed = hits[:max(0, MAX_FINDINGS_PER_FILE - len(out))]
        rest = hits[len(listed):]
        if listed:  # every hit masked: an excerpt may reach into one that is not listed
            masked = _mask_hits(line, hits)
            out += [_finding(masked, hit, number, shown, file, exceptions) for hit in listed]
        unlisted += [_claimed(exceptions, file, number, hit) is not None for hit in rest]
    if unlisted:
        out.append(_more(shown, unlisted))
    return out


def _more(shown: str, unlisted: list[bool]) -> CheckFinding:
    if all(unlisted):
        return CheckFinding(shown, 0, "privacy/more", f"{len(unlisted)} more detail(s) listed as "
                            "exceptions in this file", "coach: confirm the exceptions before "
                            "approving", severity=NOTICE)
    return CheckFinding(shown, 0, "privacy/more", f"{len(unlisted)} more likely identifying "
                        "detail(s) in this file, not listed", "remove them too; the check lists "
                        f"only the first {MAX_FINDINGS_PER_FILE}")


def _masked(text: str, found_by: list[Detector]) -> str:
    return printable(_capitals_hidden(_mask_hits(text, line_hits(text, found_by))))


def _mask_hits(line: str, hits: list[Hit]) -> str:
    """The line with every hit masked; masking keeps lengths, so positions stay valid."""
    parts: list[str] = []
    at = 0
    for hit in hits:  # sorted and disjoint
        value = line[hit.start:hit.end]
        parts += [line[at:hit.start], _hide(value) if hit.rule in _NAMES else mask(value)]
        at = hit.end
    parts.append(line[at:])
    return "".join(parts)


def _capitals_hidden(text: str) -> str:
    """Capitalised words that can be names hidden but their first letter, so that a name no
    rule caught stays unread; ordinary words ('Write', 'The') stay readable."""
    return _CAPITALISED.sub(_hide_if_name, text)


def _hide_if_name(m: re.Match[str]) -> str:
    word = m.group(0)
    key = word.casefold().removesuffix("'s").removesuffix("’s")
    lex = lexicon()
    known_word = key in lex.words and (key in lex.common or key not in lex.surnames)
    acronym = word.isupper() and key not in lex.surnames  # 'DOB', 'IEP'
    if key not in lex.first and (known_word or acronym):
        return word
    return word[0] + _hide(word[1:])


def line_hits(line: str, found_by: list[Detector]) -> list[Hit]:
    """Disjoint hits by start; where two overlap, the earlier detector's wins.

    A very long line is read in pieces (a detail cut at a seam may be missed; such a line is
    no prose anyone wrote by hand).
    """
    if len(line) > MAX_LINE_CHARS:
        return [Hit(h.rule, h.start + at, h.end + at)
                for at in range(0, len(line), MAX_LINE_CHARS)
                for h in line_hits(line[at:at + MAX_LINE_CHARS], found_by)]
    taken: list[Hit] = []
    claimed = bytearray(len(line))
    for detect in found_by:
        for hit in detect(line):
            if hit.end > hit.start and not any(claimed[hit.start:hit.end]):
                claimed[hit.start:hit.end] = b"\1" * (hit.end - hit.start)
                taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


class Remembering:
    """Detectors that keep the hits of the short lines they have read (at most `lines` of
    them; then they start again).

    What they find is what `line_hits` finds with the same detectors: the hits of a line
    depend on the line alone. Across a cohort most short lines come back (the manifest's keys,
    the template's headings and prompts, a tally's rows): each is read once per process.
    """

    def __init__(self, found_by: Sequence[Detector], lines: int = 1 << 15) -> None:
        self.detectors = list(found_by)
        self.lines = lines
        self.known: dict[str, tuple[Hit, ...]] = {}

    def __call__(self, line: str) -> Iterator[Hit]:
        return self.hits(line, self.detectors)

    def within(self, text: str) -> Detector:
        """These detectors for the lines of `text`: those it cannot hold are left out, once
        a line of it is not known already."""
        active: list[Detector] = []

        def detect(line: str) -> Iterator[Hit]:
            if len(line) <= REMEMBERED_LINE_CHARS and line in self.known:
                return iter(self.known[line])
            active[:] = active or for_text(self.detectors, text)
            return self.hits(line, active)
        return detect

    def hits(self, line: str, found_by: list[Detector]) -> Iterator[Hit]:
        """The hits of `line`; `found_by` must find in it what `self.detectors` find."""
        if len(line) > REMEMBERED_LINE_CHARS:
            return iter(line_hits(line, found_by))
        found = self.known.get(line)
        if found is None:
            if len(self.known) >= self.lines:
                self.known.clear()
            found = self.known[line] = tuple(line_hits(line, found_by))
        return iter(found)


def remembering(found_by: Sequence[Detector], lines: int = 1 << 15) -> list[Detector]:
    """`found_by` as one detector that keeps the hits of the short lines it has read."""
    return [Remembering(found_by, lines)]


def for_text(found_by: Sequence[Detector], text: str) -> list[Detector]:
    """The detectors that can find anything in `text`: each finds in a line of it what it
    finds anywhere, but a text without what a gated detector needs skips that detector."""
    out: list[Detector] = []
    for detect in found_by:
        if isinstance(detect, Remembering):
            out.append(detect.within(text))
        elif not isinstance(detect, Gated) or detect.needs(text):
            out.append(detect)
    return out


def _claimed(exceptions: Sequence[PrivacyException], file: str, number: int,
             hit: Hit) -> PrivacyException | None:
    return next((e for e in exceptions if e.file == file and e.line == number
                 and e.rule == hit.rule), None)


def _finding(line: str, hit: Hit, number: int, shown: str, file: str,
             exceptions: Sequence[PrivacyException]) -> CheckFinding:
    what, fix = RULE_TEXT[hit.rule]
    excerpt = _excerpt(line, hit)
    claimed = _claimed(exceptions, file, number, hit)
    if claimed:
        return CheckFinding(shown, number, f"privacy/{hit.rule}", f"{what} ({excerpt}) is listed "
                            f"as an exception: “{_clip(claimed.reason)}”",
                            "coach: confirm the exception before approving", severity=NOTICE)
    return CheckFinding(shown, number, f"privacy/{hit.rule}", f"{what}: {excerpt}", fix)


def _excerpt(masked: str, hit: Hit) -> str:
    """Up to 24 characters either side of the (already masked) match, capitals hidden."""
    around = (_capitals_hidden(masked[max(0, hit.start - 24): hit.start]) + "«"
              + masked[hit.start:hit.end] + "»" + _capitals_hidden(masked[hit.end: hit.end + 24]))
    return "“" + printable(" ".join(around.split())) + "”"


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 120 else flat[:117] + "..."
