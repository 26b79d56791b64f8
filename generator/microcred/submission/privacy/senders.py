"""The adults a document names as its own correspondents: the senders and recipients of an
email chain at a staff address, the writer a quoted reply is attributed to, and the authors of
a chat export's messages. Elsewhere in the same document their names and @mentions name
them, not a student.

A sender at an address the email rule flags (a family's) is no such adult, and neither is a
name after a time alone ('10:42 Destiny: ...' is a student's turn in a transcript): a chat
author is known by a date-and-time stamp, or by an @username right after a time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from microcred.submission.privacy.hits import Hit

_NAMES = ("student-name", "parent-name")
_HEADER = re.compile(r"^[>\s]*(?:from|to|cc|bcc|sender|reply-to)\s*:\s*", re.IGNORECASE)
_ADDRESSED = re.compile(r"([^\W\d_][^<>,;:\"]{0,60}?)\s*<([^<>\s@]+@[^<>\s]+)>")
_ATTRIBUTION = re.compile(r"^[>\s]*on\s[^\n]{4,60}?,\s*([^,<>@\d][^,<>@]{1,60}?)\s*"
                          r"(?:<[^>]*>\s*)?wrote:\s*$", re.IGNORECASE)
_DAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
# '[2026-11-18 07:51] @m.ferreira: ...', '09:12  @dean.k  fyi', 'Mon 11/30/2026 3:14 PM  Name:'
_CHAT_HANDLE = re.compile(rf"^\s*\[?{_DAY}(?:{_DATE}[\sT,]+)?{_TIME}\]?\s+(@[\w.-]+)",
                          re.IGNORECASE)
_CHAT_NAME = re.compile(rf"^\s*\[?{_DAY}{_DATE}[\sT,]+{_TIME}\]?\s+"
                        r"([^\W\d_][\w.'’ -]{1,50}?)\s*:\s", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


def maybe_senders(text: str) -> bool:
    """Whether `text` may name correspondents (cheap; most evidence does not)."""
    return "@" in text or "wrote:" in text or (":" in text and (
        "AM" in text or "PM" in text or "] " in text))


def adults(lines: Sequence[str], hits: Sequence[list[Hit]]) -> tuple[frozenset[str], frozenset[str]]:
    """The case-folded name words and @handles of the document's adult correspondents."""
    staff: set[str] = set()
    family: set[str] = set()
    handles: set[str] = set()
    for line, found in zip(lines, hits, strict=True):
        if _HEADER.match(line):
            for m in _ADDRESSED.finditer(line):
                flagged = any(h.rule == "email" and h.start < m.end(2) and m.start(2) < h.end
                              for h in found)
                (family if flagged else staff).update(_words(m.group(1)))
        elif (said := _ATTRIBUTION.match(line)) is not None:
            staff.update(_words(said.group(1)))
        if (handle := _CHAT_HANDLE.match(line)) is not None:
            handles.add(handle.group(1).casefold())
        elif (author := _CHAT_NAME.match(line)) is not None:
            staff.update(_words(author.group(1)))
    return frozenset(staff - family), frozenset(handles)


def without_adults(lines: Sequence[str], hits: Sequence[list[Hit]]) -> list[list[Hit]]:
    """`hits` less the names and @handles of the document's adult correspondents."""
    staff, handles = adults(lines, hits)
    if not staff and not handles:
        return list(hits)
    return [[h for h in found if not _adult(line[h.start:h.end], h.rule, staff, handles)]
            for line, found in zip(lines, hits, strict=True)]


def _adult(text: str, rule: str, staff: frozenset[str], handles: frozenset[str]) -> bool:
    words = _words(text)
    if rule == "social-handle":
        return text.casefold() in handles or (bool(words) and words <= staff)
    return rule in _NAMES and bool(words) and words <= staff


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if len(w) > 1}
