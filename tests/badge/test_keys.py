from __future__ import annotations

from pathlib import Path

import pytest

from microcred.badge import BadgeError
from microcred.badge.keys import (
    ENV_VAR,
    development_key,
    did_key_signer,
    did_web,
    did_web_document,
    did_web_signer,
    load_signing_key,
    parse_secret,
    resolve_public_key,
    secret_multibase,
    seed_of,
)
from tests.badge.conftest import TEST_SEED

# What @digitalcredentials/ed25519-multikey derives from TEST_SEED.
TEST_DID = "did:key:z6MkhmRLt4B8XxspzBpAfxMZAfYLwZ7TXLK9tgSs4xHyvDpr"


def test_did_key_from_seed_matches_the_dcc_libraries() -> None:
    key = did_key_signer(parse_secret(TEST_SEED))
    assert key.controller == TEST_DID
    assert key.verification_method == f"{TEST_DID}#{TEST_DID.removeprefix('did:key:')}"
    assert key.public_multibase.startswith("z6Mk")


def test_secret_round_trips_as_hex_and_multibase() -> None:
    private = parse_secret(TEST_SEED)
    assert seed_of(parse_secret(secret_multibase(private))) == bytes.fromhex(TEST_SEED)
    assert secret_multibase(private).startswith("z3u2")  # 0x1300 prefix, as Multikey writes it


@pytest.mark.parametrize("text", ["", "abc", "zz", "g" * 64, "z" + "1" * 10])
def test_bad_secrets_are_refused(text: str) -> None:
    with pytest.raises(BadgeError, match="neither a 64-hex-digit Ed25519 seed"):
        parse_secret(text)


def test_key_from_environment_first() -> None:
    key = load_signing_key({ENV_VAR: f"  {TEST_SEED}\n"}, key_file=Path("/nonexistent"))
    assert key.controller == TEST_DID


def test_key_from_a_file_outside_the_repo(tmp_path: Path) -> None:
    repo, secret = tmp_path / "course", tmp_path / "keys" / "issuer.key"
    repo.mkdir()
    secret.parent.mkdir()
    secret.write_text(secret_multibase(parse_secret(TEST_SEED)))
    assert load_signing_key({}, secret, repo).controller == TEST_DID


def test_key_file_inside_the_repo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "issuer.key").write_text(TEST_SEED)
    with pytest.raises(BadgeError, match="must not live inside the repository"):
        load_signing_key({}, tmp_path / "issuer.key", tmp_path)


def test_missing_key_says_how_to_provide_one(tmp_path: Path) -> None:
    with pytest.raises(BadgeError, match=f"no signing key: set {ENV_VAR}"):
        load_signing_key({})
    with pytest.raises(BadgeError, match="cannot read signing key"):
        load_signing_key({}, tmp_path / "absent.key")


def test_did_web_signer_and_document_resolve() -> None:
    did = did_web("Leadership.Example.edu", "issuers", "main")
    assert did == "did:web:leadership.example.edu:issuers:main"
    key = did_web_signer(parse_secret(TEST_SEED), did)
    document = did_web_document(key)
    assert document["assertionMethod"] == [f"{did}#key-1"]
    controller, public = resolve_public_key(key.verification_method, {did: document})
    assert controller == did and public == key.public
    with pytest.raises(BadgeError, match="did:web is never fetched"):
        resolve_public_key(key.verification_method)
    assert load_signing_key({ENV_VAR: TEST_SEED}, did=did).controller == did


def test_did_web_host_must_be_bare() -> None:
    with pytest.raises(BadgeError, match="bare host name"):
        did_web("https://example.org/x")


def test_did_key_fragment_must_match() -> None:
    with pytest.raises(BadgeError, match="fragment does not match"):
        resolve_public_key(f"{TEST_DID}#z6MkOther")


def test_development_key_comes_with_a_warning() -> None:
    key, warning = development_key()
    other, _ = development_key()
    assert key.controller != other.controller
    assert key.controller in warning and ENV_VAR in warning and "cannot be trusted" in warning


def test_a_bad_key_names_where_it_came_from(tmp_path: Path) -> None:
    secret = tmp_path / "keys" / "issuer.key"
    secret.parent.mkdir()
    secret.write_text("not a key\n")
    with pytest.raises(BadgeError, match=f"^{secret}: signing key is neither a 64-hex-digit"):
        load_signing_key({}, secret, tmp_path / "course")
    with pytest.raises(BadgeError, match=rf"^{ENV_VAR}: not base58"):
        load_signing_key({ENV_VAR: "zO0"})
