"""An independent verifier (the Digital Credentials Consortium libraries, in Node) accepts our badges.

Needs `npm ci --prefix tests/badge/verifier`; without it the tests skip, unless
MICROCRED_REQUIRE_BROWSER=1 (set in CI), where they fail.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from microcred.badge.keys import SigningKey
from microcred.badge.presentation import build_presentation, sign_presentation
from microcred.badge.sign import sign_credential
from microcred.badge.status import update_status_list
from microcred.badge.verify import verify_credential
from tests.badge.conftest import INDEX, ISSUED, LATER, LIST_URL

VERIFIER = Path(__file__).parent / "verifier"
SCHEMA = resources.files("microcred.badge") / "schemas" / "achievementcredential.json"


def _missing() -> str:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (VERIFIER / "node_modules" / "@digitalcredentials" / "vc").is_dir():
        return "interop verifier not installed: run `npm ci --prefix tests/badge/verifier`"
    return ""


@pytest.fixture(autouse=True)
def _verifier_installed() -> None:
    reason = _missing()
    if reason and os.environ.get("MICROCRED_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (required because MICROCRED_REQUIRE_BROWSER=1)")
    if reason:
        pytest.skip(reason)


def run_verifier(
    tmp_path: Path, badge: dict[str, Any], status_list: dict[str, Any], now: datetime = LATER
) -> dict[str, Any]:
    """Write the badge and its status list to files, verify with node, return the JSON report."""
    badge_file, list_file = tmp_path / "badge.json", tmp_path / "status-list.json"
    badge_file.write_text(json.dumps(badge), encoding="utf-8")
    list_file.write_text(json.dumps(status_list), encoding="utf-8")
    completed = subprocess.run(
        ["node", str(VERIFIER / "verify.mjs"), str(badge_file),
         "--status-list", f"{LIST_URL}={list_file}",
         "--now", now.isoformat(), "--schema", str(SCHEMA)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    report: dict[str, Any] = json.loads(completed.stdout)
    assert completed.returncode == (0 if report["verified"] else 1), completed.stderr
    return report


def test_dcc_verifier_accepts_our_badge(
    tmp_path: Path, badge: dict[str, Any], status_list: dict[str, Any]
) -> None:
    report = run_verifier(tmp_path, badge, status_list)
    assert report == {"verified": True, "signature": True, "status": True, "errors": []}


def test_dcc_verifier_rejects_a_tampered_badge(
    tmp_path: Path, badge: dict[str, Any], status_list: dict[str, Any]
) -> None:
    tampered = copy.deepcopy(badge)
    tampered["credentialSubject"]["achievement"]["name"] = "Something grander"
    report = run_verifier(tmp_path, tampered, status_list)
    assert not report["verified"] and not report["signature"]


def test_dcc_verifier_rejects_a_revoked_badge(
    tmp_path: Path, badge: dict[str, Any], status_list: dict[str, Any], key: SigningKey
) -> None:
    revoked = update_status_list(status_list, INDEX, True, key, LATER)
    report = run_verifier(tmp_path, badge, revoked)
    assert report["signature"] and report["status"] is False
    assert report["errors"] == [f"status: revocation bit {INDEX} is set"]


def test_dcc_verifier_rejects_an_expired_badge(
    tmp_path: Path, badge: dict[str, Any], status_list: dict[str, Any]
) -> None:
    report = run_verifier(tmp_path, badge, status_list, now=datetime(2027, 2, 1, tzinfo=UTC))
    assert not report["verified"]
    assert any("validUntil" in error for error in report["errors"])


CONTROLS = "".join(chr(code) for code in [*range(0x20), 0x7F])


def with_control_characters(unsigned: dict[str, Any]) -> dict[str, Any]:
    """The badge with every control character in its names, descriptions and narrative."""
    changed = copy.deepcopy(unsigned)
    achievement = changed["credentialSubject"]["achievement"]
    changed["name"] = f"Badge {CONTROLS} end"
    achievement["description"] = f"{CONTROLS}{achievement['description']}\f\b\x01\x7f"
    achievement["criteria"]["narrative"] = f"Criteria: {CONTROLS}"
    return changed


def test_a_badge_with_every_control_character_verifies_in_both(
    tmp_path: Path, unsigned: dict[str, Any], key: SigningKey, status_list: dict[str, Any]
) -> None:
    badge = sign_credential(with_control_characters(unsigned), key, ISSUED)
    ours = verify_credential(badge, now=LATER, status_lists={LIST_URL: status_list})
    assert ours.verified, ours.errors
    assert run_verifier(tmp_path, badge, status_list) == {
        "verified": True, "signature": True, "status": True, "errors": []}


def evidence_clique(badge: dict[str, Any], size: int) -> dict[str, Any]:
    """The badge with `size` evidence nodes, blank and alike, each linked to every other."""
    crafted = copy.deepcopy(badge)
    nodes = [f"_:e{i}" for i in range(size)]
    crafted["evidence"] = [{"id": node, "type": ["Evidence"], "narrative": "linked",
                            "audience": [{"id": other} for other in nodes if other != node]}
                           for node in nodes]
    return crafted


def test_a_crafted_evidence_clique_is_refused_by_both(
    tmp_path: Path, badge: dict[str, Any], status_list: dict[str, Any]
) -> None:
    crafted = evidence_clique(badge, 8)
    ours = verify_credential(crafted, now=LATER, status_lists={LIST_URL: status_list}, schema=False)
    assert ours.errors[0].startswith("signature: blank nodes too alike to tell apart"), ours.errors
    report = run_verifier(tmp_path, crafted, status_list)
    assert not report["signature"]
    assert any("Maximum deep iterations exceeded" in error for error in report["errors"]), report


# The learner record: a presentation bundling badges, signed by the issuer as holder.


def run_presentation_verifier(tmp_path: Path, record: dict[str, Any], status_list: dict[str, Any],
                              challenge: str, domain: str) -> dict[str, Any]:
    record_file, list_file = tmp_path / "record.json", tmp_path / "status-list.json"
    record_file.write_text(json.dumps(record), encoding="utf-8")
    list_file.write_text(json.dumps(status_list), encoding="utf-8")
    completed = subprocess.run(
        ["node", str(VERIFIER / "verify-presentation.mjs"), str(record_file),
         "--challenge", challenge, "--domain", domain,
         "--status-list", f"{LIST_URL}={list_file}", "--now", LATER.isoformat()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    report: dict[str, Any] = json.loads(completed.stdout)
    assert completed.returncode == (0 if report["verified"] else 1), completed.stderr
    return report


RECORD = "https://courses.example.org/learners/0123456789abcdef/record.json"


def test_dcc_verifier_accepts_our_learner_record(
    tmp_path: Path, key: SigningKey, badge: dict[str, Any], unsigned: dict[str, Any],
    status_list: dict[str, Any]
) -> None:
    second = sign_credential({**unsigned, "id": "urn:uuid:7e57ab1e-0000-4000-8000-000000000002",
                              "name": "A second badge"}, key, ISSUED)
    record = sign_presentation(build_presentation(RECORD, key.controller, [badge, second]), key,
                               ISSUED, "courses.example.org")
    report = run_presentation_verifier(tmp_path, record, status_list, RECORD, "courses.example.org")
    assert report == {"verified": True, "presentation": True, "credentials": [True, True],
                      "errors": []}


def test_dcc_verifier_rejects_a_record_for_another_challenge_or_with_a_revoked_badge(
    tmp_path: Path, key: SigningKey, badge: dict[str, Any], status_list: dict[str, Any]
) -> None:
    record = sign_presentation(build_presentation(RECORD, key.controller, [badge]), key, ISSUED,
                               "courses.example.org")
    wrong = run_presentation_verifier(tmp_path, record, status_list, RECORD + "?x", "courses.example.org")
    assert not wrong["verified"] and not wrong["presentation"]
    revoked = update_status_list(status_list, INDEX, True, key, ISSUED)
    report = run_presentation_verifier(tmp_path, record, revoked, RECORD, "courses.example.org")
    assert report["presentation"] and report["credentials"] == [False]
