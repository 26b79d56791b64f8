"""What a whole document says about its lines, after each line has been read alone: the
columns of its tables (columns.py), the adults it corresponds with (senders.py), and the
family of a student it names: an adult named by a title and the surname of a student or parent
of the same document ('Ari Kovacs' ... 'Ms. Kovacs asked') is that child's relative."""

from __future__ import annotations

import re
from collections.abc import Sequence

from microcred.submission.privacy.columns import maybe_table, table_hits
from microcred.submission.privacy.gazetteer import fold
from microcred.submission.privacy.hits import Hit
from microcred.submission.privacy.senders import maybe_senders, without_adults


def refine(text: str, lines: Sequence[str], hits: list[list[Hit]]) -> list[list[Hit]]:
    """The hits of each line of `text`, with the cells of identifying table columns added and
    the names of the document's adult correspondents removed."""
    if maybe_table(text):
        hits = _with_columns(lines, hits)
    if maybe_senders(text):
        hits = without_adults(lines, hits)
    titled = {_key(surname) for surname in _TITLED.findall(text)}
    if titled:
        hits = _with_relatives(lines, hits, titled)
    return hits


_NAMES = ("student-name", "parent-name")
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Sr|Sra|Señor|Señora)\.?\s+([^\W\d_][\w'’-]*)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _with_relatives(lines: Sequence[str], hits: list[list[Hit]],
                    titled: set[str]) -> list[list[Hit]]:
    """`hits` and each titled adult who shares a surname with a student or parent named in
    the document by a given name and a surname, or two ('Joaquín Ibarra Soto'); not after an
    initial: '— K. Brandt' signs as staff."""
    surnames = {key for line, found in zip(lines, hits, strict=True)
                for h in found if h.rule in _NAMES and " " in (name := line[h.start:h.end])
                and len(words := _WORD.findall(name)) > 1 and len(words[0]) > 1
                for word in words[1:] if (key := _key(word)) in titled}
    if not surnames:
        return hits
    out = [list(found) for found in hits]
    for index, line in enumerate(lines):
        for m in _TITLED.finditer(line):
            if _key(m.group(1)) in surnames and not any(
                    h.start < m.end() and m.start() < h.end for h in out[index]):
                out[index] = sorted([*out[index], Hit("parent-name", m.start(1), m.end(1))],
                                    key=lambda h: h.start)
    return out


def _key(word: str) -> str:
    return fold(word.casefold().removesuffix("'s").removesuffix("’s"))


def _with_columns(lines: Sequence[str], hits: list[list[Hit]]) -> list[list[Hit]]:
    """`hits` and each table cell of an identifying column that no hit overlaps yet."""
    out = [list(found) for found in hits]
    for index, cell in table_hits(lines):
        if not any(h.start < cell.end and cell.start < h.end for h in out[index]):
            out[index] = sorted([*out[index], cell], key=lambda h: h.start)
    return out
