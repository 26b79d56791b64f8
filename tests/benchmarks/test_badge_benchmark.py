"""The badge benchmark runs end to end on a handful of badges and records what it measured."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.badge_benchmark import main, profile


def test_a_tiny_run_signs_verifies_and_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "badge-results.json"
    assert main(["--count", "3", "--out", str(out)]) == 0
    figures = json.loads(out.read_text("utf-8"))
    assert figures["count"] == 3 and figures["credential_bytes"] > 30_000  # three modules' rubrics
    for name in ("sign_1", "sign_2", "verify_1", "verify_2"):
        assert figures[name]["per_second"] > 0 and figures[name]["cpu_ms_per_badge"] > 0
    assert set(figures["target_met"]) == {"sign", "verify"}
    assert figures["machine"]["cpus"] >= 1
    assert figures["crafted"]["evidence_clique_8"]["finding"].startswith(
        "signature: blank nodes too alike to tell apart")
    assert figures["crafted"]["proof_value_200k"]["finding"].startswith(
        "signature: not a key or signature: 200000 base58 characters")


def test_the_profile_names_both_phases() -> None:
    report = profile(1, top=5)
    assert "== sign 1 badges ==" in report and "== verify 1 badges ==" in report
    assert "sign_credential" in report
