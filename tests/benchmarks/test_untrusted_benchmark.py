"""The untrusted-input benchmark runs end to end on small sizes and records what it measured."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.untrusted_benchmark import BODIES, main


def test_a_small_run_measures_every_body_and_keeps_comments_under_the_limit(tmp_path: Path) -> None:
    out = tmp_path / "untrusted-results.json"
    assert main(["--sizes", "100,200", "--comments", "10,600", "--report-bytes", "20000",
                 "--repeat", "1", "--out", str(out)]) == 0
    figures = json.loads(out.read_text("utf-8"))
    assert set(figures["review_ms"]) == set(BODIES)
    assert all(set(sizes) == {"100", "200"} for sizes in figures["review_ms"].values())
    assert 19_000 < figures["report"]["valid_bytes"] <= 20_000
    assert figures["comment"]["10"]["listed"] == 10
    assert figures["comment"]["600"]["body_chars"] <= 65_536 < figures["comment"]["600"]["full_chars"]
