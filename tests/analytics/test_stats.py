"""Percentiles as a spreadsheet's PERCENTILE.INC computes them."""

from __future__ import annotations

import pytest

from microcred.analytics.stats import median, percentile


def test_percentiles_interpolate_between_closest_ranks() -> None:
    values = [4.0, 1.0, 2.0, 2.0]
    assert median(values) == 2.0
    assert percentile(values, 90) == pytest.approx(3.4)  # rank 2.7: 2 + 0.7 x (4 - 2)
    assert percentile([1.0, 2.0], 90) == pytest.approx(1.9)
    assert percentile([5.0], 90) == 5.0
    assert percentile([], 50) is None
    assert median([1.0, 2.0, 3.0, 10.0]) == 2.5
