"""Awards left pending: a credential version the ledger's records unlock, and no badge for it.

A pure reading of the ledger's file names, so the issue run (through the forge) and `doctor`
(from a local clone) find the same ones. An award is pending after a run without the signing
key, a run stopped between the last completion and the badge, or a refusal to sign. What a
record unlocks, shared modules and stacked credentials included, is ledger/stacking.py's rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from microcred.ledger.stacking import Award, holdings, unlocked
from microcred.model import Course

__all__ = ["Award", "pending_awards"]


def pending_awards(paths: Iterable[str], course: Course,
                   editions: Mapping[tuple[str, str], Course]) -> list[Award]:
    """The awards the completions and badges among `paths` unlock but no badge does."""
    return sorted(award for held in holdings(paths).values()
                  for award in unlocked(held, course, editions))
