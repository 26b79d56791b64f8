"""`microcred demo`, end to end on the example course: the badge it commits passes the independent
(DCC) verifier; a tampered copy and, after `microcred revoke`, the revoked badge do not."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from microcred.cli import main
from microcred.content.loader import load_course
from microcred.ledger import layout
from microcred.ledger.snapshot import read_ledger
from tests.badge.test_interop import SCHEMA, VERIFIER, _verifier_installed  # noqa: F401 - fixture
from tests.conftest import REPO


def dcc_verify(badge: Path, status_list: Path, list_url: str) -> dict[str, Any]:
    done = subprocess.run(["node", str(VERIFIER / "verify.mjs"), str(badge), "--status-list",
                           f"{list_url}={status_list}", "--schema", str(SCHEMA)],
                          capture_output=True, text=True, timeout=120, check=False)
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_the_demo_runs_the_whole_cycle_and_its_badge_verifies_independently(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for step in ("not yet", "is held by the merge gate (microcred/decision)",
                 "  │ ### ✅ Module complete: Evidence-Based Classroom Observation",
                 "issued ledger/badges/", "  │ **Your badge: Equity-Driven Instructional Leadership**",
                 "  verified\n",
                 "not verified: 1 of 4 checks failed", "] build the site", "done: repository"):
        assert step in printed, step

    repo = out / "repo"
    ledger = read_ledger(repo)
    badges = [p for p in ledger if layout.parse_badge_path(p)]
    assert len(badges) == 6  # one badge for the first learner; four areas and their stack
    badge_file = next((out / "badges").glob("*-equity-instructional-leadership.json"))
    badge = json.loads(badge_file.read_text())
    list_url = badge["credentialStatus"]["statusListCredential"]
    status = tmp_path / "status.json"
    status.write_bytes(ledger[layout.STATUS_LIST])

    assert dcc_verify(badge_file, status, list_url)["verified"] is True
    tampered = dcc_verify(next((out / "badges").glob("*-tampered.json")), status, list_url)
    assert (tampered["verified"], tampered["signature"]) == (False, False)

    # the site: a verification page for the consenting learner, the status list, the issuer
    uuid = badge["id"].removeprefix("urn:uuid:")
    assert (out / "site" / "badges" / uuid / "index.html").is_file()
    assert json.loads((out / "site" / "status" / "revocation.json").read_text())["id"] == list_url
    assert (out / "site" / "issuer" / "index.html").is_file()

    assert main(["revoke", badge["id"], "--reason", "issued in error", "--root", str(repo),
                 "--key-file", str(out / "issuer-key.txt"), "--as", "design-mthembu"]) == 0
    status.write_bytes(read_ledger(repo)[layout.STATUS_LIST])
    revoked = dcc_verify(badge_file, status, list_url)
    assert (revoked["verified"], revoked["signature"], revoked["status"]) == (False, True, False)
    assert main(["verify", str(badge_file), "--root", str(repo)]) == 1


def test_the_demo_stacks_four_area_badges_into_the_programme_badge_and_the_record_verifies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    # The fourth area's issue run issues the programme badge too, with nothing more to do.
    last = printed[printed.index("issue Strategic Leadership: Change Management"):]
    assert "issued ledger/badges/kmarchetti/strategic-change/v1.0.0.json" in last
    version = load_course(REPO).course.credentials["strategic-leadership"].version  # as released
    assert f"issued ledger/badges/kmarchetti/strategic-leadership/v{version}.json" in last
    assert "@kmarchetti's learner record" in printed and ": 5 badges" in printed
    assert "6 badges: 6 verified, 0 not verified" in printed

    ledger = read_ledger(out / "repo")
    programme = json.loads(ledger[layout.badge_path("kmarchetti", "strategic-leadership", version)])
    kinds = [i["identityType"] for i in programme["credentialSubject"]["identifier"]]
    assert kinds == ["ext:GitHubLogin", "emailAddress"]  # an identity an institution can match
    status = tmp_path / "status.json"
    status.write_bytes(ledger[layout.STATUS_LIST])
    badge = tmp_path / "programme.json"
    badge.write_text(json.dumps(programme), encoding="utf-8")
    list_url = programme["credentialStatus"]["statusListCredential"]
    assert dcc_verify(badge, status, list_url)["verified"] is True

    record = out / "site" / "learners" / layout.record_token("kmarchetti") / "record.json"
    challenge = json.loads(record.read_text())["id"]
    done = subprocess.run(["node", str(VERIFIER / "verify-presentation.mjs"), str(record),
                           "--challenge", challenge, "--domain", "demo.example.org",
                           "--status-list", f"{list_url}={status}"],
                          capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(done.stdout)
    assert (report["verified"], report["credentials"]) == (True, [True] * 5), report
