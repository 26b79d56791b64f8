"""The GitHub networks benchmark's counts on a tiny cohort: what its recorded figures rest on."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.networks_github_benchmark import measure


def test_three_syncs_count_creation_then_full_reads_then_304s(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = measure(networks=2, size=5)
    first, second, steady = result["runs"]
    assert first["by_operation"]["POST /orgs/{}/repos"] == 2
    assert first["writes"] > 0 and first["registry_writes"] == 3  # its branch, one per network
    assert (second["writes"], steady["writes"]) == (0, 0)
    assert steady["answered_304"] == steady["network_requests"] == 13  # 6 a network, 1 the pin
    assert result["against_github_limits"]["steady_resync_quota_spent"] == 2  # the registry
