"""What a whole document says about its lines, after each line has been read alone: the
columns of its tables (columns.py) and the adults it corresponds with (senders.py)."""

from __future__ import annotations

from collections.abc import Sequence

from microcred.submission.privacy.columns import maybe_table, table_hits
from microcred.submission.privacy.hits import Hit
from microcred.submission.privacy.senders import maybe_senders, without_adults


def refine(text: str, lines: Sequence[str], hits: list[list[Hit]]) -> list[list[Hit]]:
    """The hits of each line of `text`, with the cells of identifying table columns added and
    the names of the document's adult correspondents removed."""
    if maybe_table(text):
        hits = _with_columns(lines, hits)
    if maybe_senders(text):
        hits = without_adults(lines, hits)
    return hits


def _with_columns(lines: Sequence[str], hits: list[list[Hit]]) -> list[list[Hit]]:
    """`hits` and each table cell of an identifying column that no hit overlaps yet."""
    out = [list(found) for found in hits]
    for index, cell in table_hits(lines):
        if not any(h.start < cell.end and cell.start < h.end for h in out[index]):
            out[index] = sorted([*out[index], cell], key=lambda h: h.start)
    return out
