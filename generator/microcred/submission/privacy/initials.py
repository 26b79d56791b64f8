"""A student named by initials alone ('J.M. reads at a 3rd-grade level', 'Student: A.K.'):
in a case-conference summary initials single out one child to everyone at the school.

Dotted initials are flagged only where a person is meant: after 'student' (or 'child',
'pupil') as a label, before a possessive or a verb a person takes. Abbreviations ('A.M.',
'U.S.', 'P.E.') and an author's initials before a surname ('J.K. Rowling') are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from microcred.submission.privacy import cues
from microcred.submission.privacy.hits import Gated, Hit

_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3}(?![\w.])")
_ABBREVIATIONS = frozenset((
    "A.M.", "P.M.", "U.S.", "U.K.", "D.C.", "P.E.", "B.C.", "A.D.", "E.G.", "I.E.", "N.B.",
    "P.S.", "R.N.", "M.D.", "B.A.", "M.A.", "M.S.", "B.S.", "T.A.", "O.T.", "P.T.", "U.N.",
    "E.U.", "L.A.", "N.Y.", "A.P.", "I.D.", "J.D.", "Q.A.", "R.I.P.", "U.S.A.", "B.C.E.",
    "C.E.", "A.K.A.", "E.S.L.", "E.L.L.", "E.L.", "S.E.L.", "P.T.A.", "P.T.O.", "G.P.A.",
    "S.A.T.", "A.C.T."))
_LABEL_BEFORE = re.compile(r"\b(?:student|child|pupil|learner|kid)\s*(?:[:#-]\s*)?$",
                           re.IGNORECASE)
_SURNAME_AFTER = re.compile(r" ?[A-Z][a-z]")
_VERB_AFTER = re.compile(r"(?:'s|’s)\b| ([a-z']+)")


def _initials(line: str) -> Iterator[Hit]:
    if "." not in line:
        return
    for m in _INITIALS.finditer(line):
        if m.group(0) in _ABBREVIATIONS or _SURNAME_AFTER.match(line, m.end()):
            continue
        if _LABEL_BEFORE.search(line, max(0, m.start() - 16), m.start()) or _acts(line, m.end()):
            yield Hit("student-name", m.start(), m.end())


def _acts(line: str, end: int) -> bool:
    m = _VERB_AFTER.match(line, end)
    return m is not None and (m.group(1) is None or m.group(1) in cues.ACTS_AFTER)


initials = Gated(_initials, lambda text: "." in text)
