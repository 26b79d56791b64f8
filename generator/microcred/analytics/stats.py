"""Summary statistics, computed as a spreadsheet would (PERCENTILE.INC), so staff can check them."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between closest ranks; None if empty.

    The same as a spreadsheet's PERCENTILE.INC and numpy's default: with values sorted
    v[0..n-1], the rank is (n-1)*q/100 and the result interpolates between its neighbours.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)


def rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)
