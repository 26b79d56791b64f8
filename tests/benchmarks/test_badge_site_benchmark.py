"""The badge-site benchmark's ledger is real: every badge gets its page and the nav stays put."""

from __future__ import annotations

from pathlib import Path

from benchmarks.badge_site_benchmark import measure


def test_every_consenting_badge_gets_a_page_and_the_home_page_does_not_grow(tmp_path: Path) -> None:
    empty, three = measure([0, 3], tmp_path)
    assert (empty.badge_pages, three.badge_pages) == (0, 3)
    assert three.home_kb == empty.home_kb
