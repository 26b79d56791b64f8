"""`microcred verify` through `main(argv)` on real badge files: what passes, what fails, and why."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.badge.bake import bake_png, bake_svg, placeholder_png
from microcred.badge.credential import StatusEntry, build_credential, recipient_from_login
from microcred.badge.keys import (
    SigningKey,
    did_key_signer,
    did_web,
    did_web_document,
    did_web_signer,
    parse_secret,
)
from microcred.badge.sign import sign_credential, xsd_datetime
from microcred.badge.status import create_status_list, update_status_list
from microcred.cli import main
from microcred.content.loader import load_course
from tests.badge.conftest import (
    BADGE_ID,
    BASE_URL,
    EVIDENCE_URL,
    INDEX,
    LIST_URL,
    OTHER_SEED,
    TEST_SEED,
    required_levels,
)
from tests.badge.documents import mutated
from tests.conftest import DATA, REPO

KEY = did_key_signer(parse_secret(TEST_SEED))
OTHER = did_key_signer(parse_secret(OTHER_SEED))
# `verify` checks dates against the clock: issue the test badges yesterday.
ISSUED = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)


def make_unsigned(key: SigningKey, issued: datetime = ISSUED) -> dict[str, Any]:
    course = load_course(Path(DATA / "course")).course
    credential = course.credentials["my-credential"]
    rubrics = [course.rubrics[course.modules[m].rubric] for m in credential.modules]
    return build_credential(
        credential, rubrics, badge_id=BADGE_ID, issuer_id=key.controller,
        recipient=recipient_from_login("lea", "s4lt"), achieved=required_levels(rubrics),
        issued=issued, base_url=BASE_URL, evidence_url=EVIDENCE_URL,
        status=StatusEntry(LIST_URL, INDEX))


@pytest.fixture(scope="module")
def signed() -> dict[str, Any]:
    return sign_credential(make_unsigned(KEY), KEY, ISSUED)


@pytest.fixture(scope="module")
def empty_list() -> dict[str, Any]:
    return create_status_list(LIST_URL, KEY, ISSUED)


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path, signed: dict[str, Any], empty_list: dict[str, Any]) -> dict[str, Path]:
    """A good badge, its status list, and a revoked copy of the list, as files."""
    revoked = update_status_list(empty_list, INDEX, True, KEY, ISSUED)
    return {"badge": write(tmp_path / "badge.json", signed),
            "list": write(tmp_path / "status.json", empty_list),
            "revoked-list": write(tmp_path / "revoked.json", revoked)}


def run(*argv: str | Path) -> int:
    return main(["verify", *map(str, argv)])


def test_a_good_badge_verifies(files: dict[str, Path], signed: dict[str, Any],
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run(files["badge"], "--status-list", files["list"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{files['badge']}: {BADGE_ID} · My credential",
        f"  ✓ signature: eddsa-rdfc-2022 proof by the issuer {KEY.controller}",
        f"  ✓ validity: valid from {xsd_datetime(ISSUED)} until {signed['validUntil']}",
        "  ✓ schema: matches the 1EdTech Open Badges 3.0 JSON Schema",
        f"  ✓ status: not revoked (bit {INDEX} of {LIST_URL})",
        "  verified",
    ]


def test_a_tampered_badge_fails_its_signature(files: dict[str, Path], tmp_path: Path,
                                              signed: dict[str, Any],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["result"][0]["value"] = "Exemplary"
    path = write(tmp_path / "tampered.json", tampered)
    assert run(path, "--status-list", files["list"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == ("  ✗ signature: the signature does not match the content (altered, or "
                      "another key)")
    assert out[-1] == "  not verified: 1 of 4 checks failed"


def test_a_revoked_badge_fails_its_status(files: dict[str, Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert run(files["badge"], "--status-list", files["revoked-list"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"  ✗ status: revocation bit {INDEX} is set: the credential is revoked" in out


def test_an_expired_badge_fails_its_dates(files: dict[str, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    issued = datetime(2020, 1, 15, 12, 0, tzinfo=UTC)
    path = write(tmp_path / "expired.json", sign_credential(make_unsigned(KEY, issued), KEY, issued))
    assert run(path, "--status-list", files["list"]) == 1
    # The course's credential is valid for two years (valid_for: P2Y).
    assert "  ✗ validity: expired at validUntil 2022-01-15T12:00:00Z" in capsys.readouterr().out.splitlines()


def test_a_badge_signed_with_another_key_fails(files: dict[str, Path], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # Signed by another key, then made to claim the issuer's key: the signature cannot match.
    forged = sign_credential(make_unsigned(OTHER), OTHER, ISSUED)
    forged["issuer"]["id"] = KEY.controller
    forged["proof"][0]["verificationMethod"] = KEY.verification_method
    path = write(tmp_path / "forged.json", forged)
    assert run(path, "--status-list", files["list"]) == 1
    assert ("  ✗ signature: the signature does not match the content (altered, or another key)"
            in capsys.readouterr().out.splitlines())


def test_a_baked_svg_and_png_verify(files: dict[str, Path], tmp_path: Path, signed: dict[str, Any],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    image = (REPO / "content/images/equity-instructional-leadership.svg").read_text("utf-8")
    svg = tmp_path / "badge.svg"
    svg.write_text(bake_svg(image, signed), encoding="utf-8")
    png = tmp_path / "badge.png"
    png.write_bytes(bake_png(placeholder_png(), signed))
    assert run(svg, png, "--status-list", files["list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{svg}: {BADGE_ID} · My credential"
    assert out[-1] == "2 badges: 2 verified, 0 not verified"


def test_without_the_status_list_the_status_check_fails_and_says_what_to_give(
        files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # not a course: no ledger to read the list from
    assert run(files["badge"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"  ✗ status: status list '{LIST_URL}' is not available locally" in out
    assert out[-1] == ("  hint: give the status list with --status-list FILE, a copy of it from the "
                       "issuer's site, or run inside the course repository whose ledger holds it")


def test_a_did_web_issuer_needs_its_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    web = did_web_signer(KEY.private, did_web("school.example.org"))
    badge = write(tmp_path / "web.json", sign_credential(make_unsigned(web), web, ISSUED))
    status = write(tmp_path / "list.json", create_status_list(LIST_URL, web, ISSUED))
    document = write(tmp_path / "did.json", did_web_document(web))
    assert run(badge, "--status-list", status) == 1
    assert "(did:web is never fetched)" in capsys.readouterr().out
    assert run(badge, "--status-list", status, "--did-document", document) == 0


def test_json_report(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(files["badge"], "--status-list", files["revoked-list"], "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == 1 and report["verified"] is False
    [badge] = report["badges"]
    assert (badge["file"], badge["id"], badge["verified"]) == (str(files["badge"]), BADGE_ID, False)
    assert [(c["name"], c["passed"]) for c in badge["checks"]] == [
        ("signature", True), ("validity", True), ("schema", True), ("status", False)]


def test_unreadable_inputs_exit_2_naming_each_file(files: dict[str, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "plain.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    code = run(tmp_path / "missing.json", tmp_path / "notes.txt", tmp_path / "plain.svg",
               files["badge"], "--status-list", tmp_path / "list.json")
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"error: {tmp_path / 'missing.json'}: cannot read it (No such file or directory); check the path",
        f"{tmp_path / 'notes.txt'}: not JSON (Expecting value: line 1 column 1 (char 0)); give a "
        "badge's .json file, or a .png or .svg image with a badge baked in",
        f"{tmp_path / 'plain.svg'}: an image with no badge baked in; give the badge's .json file "
        "or its baked image from the badge page",
        f"{tmp_path / 'list.json'}: a JSON list, not an object; give a BitstringStatusListCredential, "
        "such as status/revocation.json from the issuer's site",
    ]


def test_a_hostile_svg_is_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = tmp_path / "laughs.svg"
    svg.write_text('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
                   encoding="utf-8")
    assert run(svg) == 2
    assert "not accepted in a badge image" in capsys.readouterr().err


@pytest.mark.parametrize(("place", "value", "finding"), [
    ("proof", [None], "  ✗ signature: the proof is a JSON null, not an object"),
    ("proof", ["x"], "  ✗ signature: the proof is a JSON string, not an object"),
    ("statusSize", "x", "  ✗ status: statusSize 'x' is not supported (only 1)"),
    ("statusListIndex", "²", "  ✗ status: statusListIndex '²' is not a number (a string of digits 0-9)"),
    ("validFrom", "2025-01-15T12:00:00Z\ud800",
     "  ✗ document: $.validFrom: text that is not valid Unicode (surrogates not allowed: \\ud800)"),
])
def test_crafted_badges_are_not_verified_never_a_traceback(
        files: dict[str, Path], tmp_path: Path, signed: dict[str, Any], place: str, value: Any,
        finding: str, capsys: pytest.CaptureFixture[str]) -> None:
    crafted = copy.deepcopy(signed)
    (crafted["credentialStatus"] if place.startswith("status") else crafted)[place] = value
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(crafted), encoding="utf-8")  # a lone surrogate as a \ud800 escape
    assert run(path, "--status-list", files["list"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert finding in out
    assert out[-1].startswith("  not verified: ")


def test_an_empty_object_is_not_verified(files: dict[str, Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run(write(tmp_path / "empty.json", {}), "--status-list", files["list"]) == 1
    out = capsys.readouterr().out
    assert "  ✗ validity: validFrom is missing: a credential says when it starts to hold" in out
    assert "None" not in out


def test_badge_text_is_printed_escaped(files: dict[str, Path], tmp_path: Path, signed: dict[str, Any],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    crafted = {**signed, "name": "Badge\x1b[2J\ud800"}
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(crafted), encoding="utf-8")
    assert run(path, "--status-list", files["list"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == f"{path}: {BADGE_ID} · Badge\\x1b[2J\\ud800"


def test_only_the_expected_issuer_s_badges_verify(tmp_path: Path, course: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # A badge and status list someone signed with a key of their own: consistent in themselves.
    forged = write(tmp_path / "forged.json", sign_credential(make_unsigned(OTHER), OTHER, ISSUED))
    its_list = write(tmp_path / "its-list.json", create_status_list(LIST_URL, OTHER, ISSUED))
    assert run(forged, "--status-list", its_list) == 0
    capsys.readouterr()
    assert run(forged, "--status-list", its_list, "--issuer", KEY.controller) == 1
    assert (f"  ✗ signature: issued by {OTHER.controller}, not by {KEY.controller}, the issuer "
            "expected") in capsys.readouterr().out.splitlines()
    # Inside a course whose mkdocs.yml names its issuer, that issuer is expected.
    mkdocs = course / "mkdocs.yml"
    option = f"  - microcred:\n      issuer_key: {KEY.public_multibase}\n"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("site_name:", f"site_url: {BASE_URL}/\nsite_name:")
                      .replace("  - microcred\n", option), encoding="utf-8")
    monkeypatch.chdir(course)
    assert run(forged, "--status-list", its_list) == 1
    assert f"issued by {OTHER.controller}, not by {KEY.controller}" in capsys.readouterr().out


@pytest.mark.parametrize("kind", [5, None, {"a": 1}, "BitstringStatusListCredential"])
def test_a_status_list_file_of_any_type_is_read_or_named(files: dict[str, Path], tmp_path: Path,
                                                         empty_list: dict[str, Any], kind: Any,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "odd-list.json", {**empty_list, "type": kind})
    code = run(files["badge"], "--status-list", path)
    if kind == "BitstringStatusListCredential":
        assert code == 1  # read; its signature no longer matches
    else:
        assert code == 2
        assert "not a status list credential" in capsys.readouterr().err


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_command_never_raises_on_mutated_badges(files: dict[str, Path], signed: dict[str, Any],
                                                    data: st.DataObject) -> None:
    crafted = data.draw(mutated(signed))
    files["badge"].write_text(json.dumps(crafted), encoding="utf-8")
    assert run(files["badge"], "--status-list", files["list"]) in (0, 1, 2)
    assert run(files["badge"], "--status-list", files["list"], "--format", "json") in (0, 1, 2)
