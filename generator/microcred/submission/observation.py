"""Summarise structured observation data: how questions and calls divide, at a glance."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from microcred.model import EvidenceRequirement


def summarise(req: EvidenceRequirement, text: str) -> dict[str, Any] | None:
    """A summary of the declared columns, or None when there is nothing to summarise."""
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""), strict=True)
                if any(cell.strip() for cell in row)]
    except csv.Error:
        return None
    if len(rows) < 2:
        return None
    header = [cell.strip() for cell in rows[0]]
    columns = [_column(c.name, c.summary, c.allowed, header, rows[1:])
               for c in req.columns if c.summary and c.name in header]
    kept = [c for c in columns if c]
    if not kept:
        return None
    return {"requirement": req.id, "title": req.title, "rows": len(rows) - 1, "columns": kept}


def _column(name: str, how: str, allowed: tuple[str, ...], header: list[str],
            rows: list[list[str]]) -> dict[str, Any] | None:
    index = header.index(name)
    values = [row[index].strip() for row in rows if index < len(row) and row[index].strip()]
    if not values:
        return None
    counts = Counter(values)
    if how == "distinct":
        top = counts.most_common(1)[0][1]
        return {"name": name, "summary": "distinct", "total": len(values),
                "distinct": len(counts), "most": top, "never": _never(allowed, counts)}
    # Values outside the allowed list are counted but never echoed: they are untrusted text.
    other = sum(n for value, n in counts.items() if value not in allowed)
    shares = [[value, counts.get(value, 0)] for value in allowed]
    return {"name": name, "summary": "share", "total": len(values),
            "counts": shares + ([["(other)", other]] if other else [])}


def _never(allowed: tuple[str, ...], counts: Counter[str]) -> int:
    return sum(1 for value in allowed if value not in counts)


def bar(share: float, width: int = 20) -> str:
    """A bar of block characters for a share between 0 and 1."""
    filled = round(max(0.0, min(1.0, share)) * width)
    return "█" * filled + "░" * (width - filled)
