"""Recipient identity: a salted email hash from a private file outside the repository, and the
learner's own DID from their consent file, in a badge issued from a real pull request."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import git
import pytest

from microcred.badge.credential import email_identity
from microcred.badge.verify import verify_credential
from microcred.cli import main
from microcred.errors import ConfigError
from microcred.ledger import layout
from microcred.ledger.identities import (
    IDENTITIES_ENV,
    IDENTITIES_TEXT_ENV,
    load_identities,
    read_identities,
)
from microcred.ledger.snapshot import read_ledger
from tests.ledger.cohort import SEED, make_course
from tests.ledger.stacking_helpers import earn
from tests.stacks import add_stack

DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


def test_the_spec_example_hashes_as_the_spec_says() -> None:
    # OB 3.0's IdentityHash example: 'a@example.com' salted with 'Kosher'.
    assert email_identity(" A@Example.com ", "Kosher").identity_hash == (
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")


def test_a_mapping_file_inside_the_repository_is_refused(
        course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = course / "identities.yml"
    inside.write_text("lea: lea@example.org\n", encoding="utf-8")
    monkeypatch.setenv(IDENTITIES_ENV, str(inside))
    assert main(["issue", "--all", "--root", str(course)]) == 2


def test_bad_entries_name_the_file_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "ids.yml"
    path.write_text("lea: not-an-address\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(
            "lea: the value is not an email address; write 'lea: name@example.org'")) as caught:
        read_identities(path)
    assert "not-an-address" not in str(caught.value)  # a CI log must not show the value
    path.write_text("Lea: Lea@Example.org\n", encoding="utf-8")
    assert read_identities(path) == {"lea": "Lea@Example.org"}


def test_no_file_named_means_no_email(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(IDENTITIES_ENV, raising=False)
    monkeypatch.delenv(IDENTITIES_TEXT_ENV, raising=False)
    assert load_identities(course) == {}


def test_the_mapping_can_come_from_a_secret_in_the_environment(
        course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(IDENTITIES_ENV, raising=False)
    monkeypatch.setenv(IDENTITIES_TEXT_ENV, "lea: lea@example.org\nTom-2: tom@example.org\n")
    assert load_identities(course) == {"lea": "lea@example.org", "tom-2": "tom@example.org"}
    monkeypatch.setenv(IDENTITIES_TEXT_ENV, "lea: [unclosed\n")
    with pytest.raises(ConfigError, match=r"\$MICROCRED_IDENTITIES_YAML: not YAML \(line \d+\)"):
        load_identities(course)


def test_the_badge_carries_the_email_hash_and_the_learners_did(
        course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    private = tmp_path / "private" / "identities.yml"
    private.parent.mkdir()
    private.write_text("lea: lea.martin@school.example.org\n", encoding="utf-8")
    monkeypatch.setenv(IDENTITIES_ENV, str(private))
    add_stack(course)
    (course / "submissions/lea").mkdir(parents=True)
    (course / "submissions/lea/consent.yml").write_text(
        f"format: 1\nkind: consent\npublic_page: false\ndid: {DID}\n", encoding="utf-8")
    make_course(course)
    repo = git.Repo(course)
    assert main(["issue", "--pr", str(earn(repo, "first-module", "part-first"))]) == 0
    badge = json.loads(read_ledger(course)[layout.badge_path("lea", "part-first", "0.1.0")])
    subject = badge["credentialSubject"]
    assert subject["id"] == DID
    login, email = subject["identifier"]
    assert login["identityType"] == "ext:GitHubLogin"
    assert email["identityType"] == "emailAddress" and email["hashed"] is True
    # An institution holding the address matches it with the salt the badge carries.
    expected = hashlib.sha256(("lea.martin@school.example.org" + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    assert "lea.martin" not in json.dumps(badge)
    status = json.loads(read_ledger(course)[layout.STATUS_LIST])
    assert verify_credential(badge, now=datetime.now(UTC),
                             status_lists={status["id"]: status}).verified
