"""`microcred revoke` on a real course repository with a ledger, then `microcred verify` from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import git
import pytest

from microcred.badge.credential import StatusEntry, build_credential, recipient_from_login
from microcred.badge.keys import did_key_signer, parse_secret
from microcred.badge.sign import sign_credential
from microcred.badge.status import is_set
from microcred.cli import main
from microcred.content.loader import load_course
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.settings import load_settings
from microcred.ledger.statuslist import allocate_index, ensure_status_list
from microcred.ledger.store import LedgerStore, blob_sha
from tests.badge.conftest import required_levels
from tests.ledger.cohort import SEED, make_course

KEY = did_key_signer(parse_secret(SEED))
BADGE_ID = "urn:uuid:6c1f2a4e-8d3b-4f5a-9e7c-1b2d3e4f5a6b"
BADGE_PATH = layout.badge_path("lea", "my-credential", "0.1.0")


def issue_one(course: Path) -> dict[str, Any]:
    """Put one signed badge for lea, its status index and the status list on the ledger branch."""
    settings = load_settings(course)
    store = LedgerStore(LocalForge(git.Repo(course), "microcred-bot"), settings.ledger_branch, "main")
    store.ensure()
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    ensure_status_list(store, KEY, settings.status_list_url, now)
    index = allocate_index(store, BADGE_ID, BADGE_PATH)
    loaded = load_course(course).course
    credential = loaded.credentials["my-credential"]
    rubrics = [loaded.rubrics[loaded.modules[m].rubric] for m in credential.modules]
    badge = sign_credential(build_credential(
        credential, rubrics, badge_id=BADGE_ID, issuer_id=KEY.controller,
        recipient=recipient_from_login("lea", "s4lt"), achieved=required_levels(rubrics),
        issued=now, base_url=settings.site_url, evidence_url=settings.pull_request_url(1),
        status=StatusEntry(settings.status_list_url, index)), KEY, now)
    store.create(BADGE_PATH, badge, "Issue my-credential v0.1.0 to lea")
    return badge


@pytest.fixture
def repo(course: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    for name in ("MICROCRED_LOGIN", "GITHUB_ACTOR", "MICROCRED_LEDGER_BRANCH", "MICROCRED_ISSUER_DID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(course)
    make_course(course)
    return course


@pytest.fixture
def badge_file(repo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "lea-badge.json"
    path.write_text(json.dumps(issue_one(repo)), encoding="utf-8")
    return path


def test_revoke_then_verify_from_the_ledger(repo: Path, badge_file: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(badge_file)]) == 0  # the ledger's status list, read from the clone
    capsys.readouterr()
    assert main(["revoke", BADGE_ID, "--reason", "awarded in error", "--as", "director"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"revoked {BADGE_ID} (status index 0, {BADGE_PATH}) on microcred-ledger\n"
    assert captured.err.splitlines() == [
        "the re-signed status list is https://school.example.org/course/status/revocation.json "
        "once the site is built and published again (microcred build)",
        f"why, and by whom: ledger/revocations/{BADGE_ID.removeprefix('urn:uuid:')}.json on "
        "microcred-ledger",
    ]
    record = git.Repo(repo).git.show(f"microcred-ledger:{layout.revocation_path(BADGE_ID)}")
    assert json.loads(record)["reason"] == "awarded in error"
    assert json.loads(record)["revoked_by"] == "director"

    assert main(["verify", str(badge_file)]) == 1
    assert "  ✗ status: revocation bit 0 is set: the credential is revoked" in \
        capsys.readouterr().out.splitlines()


def test_revoking_twice_says_so_and_changes_nothing(repo: Path, badge_file: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["revoke", str(badge_file), "--reason", "awarded in error", "--as", "director"]) == 0
    head = git.Repo(repo).rev_parse("microcred-ledger").hexsha
    capsys.readouterr()
    assert main(["revoke", BADGE_ID.upper().replace("URN:UUID:", ""), "--reason", "again",
                 "--as", "director"]) == 0
    assert capsys.readouterr().out == (f"{BADGE_ID} was already revoked (status index 0, "
                                       f"{BADGE_PATH}); the status list is unchanged\n")
    assert git.Repo(repo).rev_parse("microcred-ledger").hexsha == head


def test_an_unknown_badge_is_named(repo: Path, badge_file: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    unknown = "urn:uuid:00000000-0000-4000-8000-000000000000"
    assert main(["revoke", unknown, "--reason", "x", "--as", "director"]) == 2
    assert capsys.readouterr().err == (
        f"error: {unknown}: no badge with this id in the ledger on 'microcred-ledger'; copy the id "
        "from the badge's \"id\" field\n")


def test_another_key_is_refused(repo: Path, badge_file: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", "5e" * 32)
    other = did_key_signer(parse_secret("5e" * 32)).controller
    assert main(["revoke", BADGE_ID, "--reason", "x", "--as", "director"]) == 2
    assert capsys.readouterr().err == (
        f"error: the status list is issued by {KEY.controller}, but the key given is {other}; "
        "revoke with the issuer's key\n")


def test_a_development_key_warns_and_cannot_revoke_a_real_issuers_badge(
        repo: Path, badge_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["revoke", BADGE_ID, "--reason", "x", "--as", "director", "--dev-key"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("warning: using a throwaway development key (did:key:")
    assert err[1].endswith("revoke with the issuer's key")


@pytest.mark.parametrize(("argv", "message"), [
    (["revoke", "nothing-here.json", "--reason", "x", "--as", "director"],
     "error: nothing-here.json: neither a badge id (urn:uuid:...) nor an existing badge file; give "
     "the \"id\" of the badge or the path of its .json file"),
    (["revoke", BADGE_ID, "--reason", "  ", "--as", "director"],
     "error: --reason: say why the badge is revoked (kept in the ledger, not published)"),
    (["revoke", BADGE_ID, "--reason", "x"],
     "error: say who revokes the badge: --as LOGIN (or set MICROCRED_LOGIN); the ledger records it"),
    (["revoke", "mkdocs.yml", "--reason", "x", "--as", "director"],
     "error: mkdocs.yml: not JSON (Expecting value: line 1 column 1 (char 0)); give a badge's .json "
     "file, or a .png or .svg image with a badge baked in"),
])
def test_usage_errors_exit_2(repo: Path, argv: list[str], message: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [message]


def test_revoking_before_anything_was_issued(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["revoke", BADGE_ID, "--reason", "x", "--as", "director"]) == 2
    assert "there is no ledger branch 'microcred-ledger'" in capsys.readouterr().err


def test_an_older_list_put_back_on_the_ledger_un_revokes_nothing(
        repo: Path, badge_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clone = git.Repo(repo)
    before = clone.git.show(f"microcred-ledger:{layout.STATUS_LIST}").encode() + b"\n"
    assert main(["revoke", BADGE_ID, "--reason", "awarded in error", "--as", "director"]) == 0
    revoked = json.loads(clone.git.show(f"microcred-ledger:{layout.STATUS_LIST}"))
    # Someone with push access to the ledger branch restores the list signed before it.
    coach = LedgerStore(LocalForge(clone, "a-coach"), "microcred-ledger", "main")
    current = coach.read(layout.STATUS_LIST) or b""
    coach.forge.commit_file(layout.STATUS_LIST, before, coach.branch, "Put the old list back",
                            blob_sha(current))
    stale = tmp_path / "revocation.json"
    stale.write_bytes(before)
    capsys.readouterr()
    # verify holds to the newest list the issuer signed: from the ledger, or given a stale copy.
    for argv in ([], ["--status-list", str(stale)]):
        assert main(["verify", str(badge_file), *argv]) == 1
        captured = capsys.readouterr()
        assert "  ✗ status: revocation bit 0 is set: the credential is revoked" in captured.out
        assert (f"signed later (valid from {revoked['validFrom']}); checked against that newer "
                "one") in captured.err
    # The next revocation restores the newest list, re-signed, rather than signing on the old one.
    assert main(["revoke", BADGE_ID, "--reason", "again", "--as", "director"]) == 0
    assert (f"warning: the status list on microcred-ledger was older than one signed before (valid "
            f"from {revoked['validFrom']}): restored that one") in capsys.readouterr().err
    restored = json.loads(clone.git.show(f"microcred-ledger:{layout.STATUS_LIST}"))
    assert is_set(restored, 0) and restored["validFrom"] > revoked["validFrom"]
    assert main(["verify", str(badge_file)]) == 1
    assert "warning" not in capsys.readouterr().err
