from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest
from pyld import jsonld

from microcred.badge import BadgeError
from microcred.badge.canon import Quad, canonical_nquads
from microcred.badge.contexts import document_loader
from microcred.badge.keys import SigningKey, did_key_signer, parse_secret, resolve_public_key
from microcred.badge.multibase import decode_base58btc, encode_base58btc
from microcred.badge.sign import canonicalize, dataset_quads, sign_credential, undefined_terms
from tests.badge.conftest import ISSUED
from tests.conftest import DATA

# What the reference JS issuer (@digitalcredentials/vc + eddsa-rdfc-2022, same seed and `created`)
# produces for this unsigned badge: Ed25519 is deterministic, so equal bytes mean equal canonical forms.
# Regenerate with a reference issuer on the DCC libraries (created 2025-01-15T12:00:00Z)
# if the sample changes.
REFERENCE_PROOF_VALUE = (
    "z4p5m8ZCzNUcWzMiU9EiMqiAf77V5s2X35BcPkGm1gTHeVaM33MHT5v8wSCZH1ePiWX16vSxVg84g3xt6eiX9R5pE"
)


def test_signature_equals_the_reference_implementation(badge: dict[str, Any]) -> None:
    assert badge["proof"][0]["proofValue"] == REFERENCE_PROOF_VALUE


def test_proof_is_an_eddsa_rdfc_2022_data_integrity_array(badge: dict[str, Any], key: SigningKey) -> None:
    (proof,) = badge["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == key.verification_method
    assert proof["created"] == "2025-01-15T12:00:00Z"
    assert proof["proofValue"].startswith("z")


def test_signing_is_deterministic_and_leaves_the_input(unsigned: dict[str, Any], key: SigningKey) -> None:
    before = copy.deepcopy(unsigned)
    first = sign_credential(unsigned, key, ISSUED)
    assert unsigned == before
    assert sign_credential(unsigned, key, ISSUED) == first


def test_refuses_undefined_terms(unsigned: dict[str, Any], key: SigningKey) -> None:
    unsigned["credentialSubject"]["achievement"]["colour"] = "teal"
    unsigned["nickname"] = "x"
    with pytest.raises(BadgeError, match="term 'colour' is not defined by the @context") as caught:
        sign_credential(unsigned, key, ISSUED)
    assert "term 'nickname'" in str(caught.value)
    assert "they would not be signed" in str(caught.value)


def test_refuses_relative_iris(unsigned: dict[str, Any], key: SigningKey) -> None:
    unsigned["evidence"][0]["id"] = "pull/42"
    unsigned["credentialSubject"]["type"].append("GoldStar")
    problems = undefined_terms(unsigned)
    assert "id 'pull/42' is not an absolute IRI" in problems
    assert "type 'GoldStar' is not an absolute IRI" in problems
    with pytest.raises(BadgeError, match="refusing to canonicalize"):
        sign_credential(unsigned, key, ISSUED)


def test_refuses_contexts_that_are_not_bundled(unsigned: dict[str, Any], key: SigningKey) -> None:
    unsigned["@context"].append("https://example.org/my-context.json")
    with pytest.raises(BadgeError, match="is not bundled with microcred and is never fetched"):
        sign_credential(unsigned, key, ISSUED)


def test_refuses_a_key_that_is_not_the_issuer(
    unsigned: dict[str, Any], other_key: SigningKey
) -> None:
    with pytest.raises(BadgeError, match="is not the signing key's DID"):
        sign_credential(unsigned, other_key, ISSUED)


def test_refuses_to_sign_twice(badge: dict[str, Any], key: SigningKey) -> None:
    with pytest.raises(BadgeError, match="already has a proof"):
        sign_credential(badge, key, ISSUED)


def test_canonical_form_is_sorted_n_quads(unsigned: dict[str, Any]) -> None:
    lines = canonicalize(unsigned).splitlines()
    assert lines == sorted(lines)
    assert '<https://schema.org/name> "My credential" .' in "\n".join(lines)


def test_input_pyld_fails_on_is_refused_with_a_badge_error(unsigned: dict[str, Any]) -> None:
    unsigned["evidence"][0]["id"] = "@A"  # keyword-like: pyld 3.3 raises a TypeError on it
    with pytest.raises(BadgeError, match="JSON-LD processing failed"):
        canonicalize(unsigned)


# The eddsa-rdfc-2022 test vectors of the specification (tests/data/vc-di-eddsa/SOURCE.md).
VECTORS = DATA / "vc-di-eddsa"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"


def vector(name: str) -> str:
    return (VECTORS / name).read_text("utf-8")


def vector_rdf(document: dict[str, Any]) -> list[Quad]:
    """pyld's RDF for a vector document, with the examples context served as it is published."""
    def loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
        if url == EXAMPLES_CONTEXT:
            context = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
            return {"contextUrl": None, "documentUrl": url, "document": context}
        return document_loader(url, options)
    dataset = jsonld.JsonLdProcessor().to_rdf(document, {"documentLoader": loader})
    return list(dataset_quads(dataset))


def test_the_specification_s_test_vectors() -> None:
    unsigned = json.loads(vector("unsigned.json"))
    config = json.loads(vector("proofConfigDataInt.json"))
    canonical_document = canonical_nquads(vector_rdf(unsigned))
    canonical_config = canonical_nquads(vector_rdf(config))
    assert canonical_document == vector("canonDocDataInt.txt")
    assert canonical_config == vector("proofCanonDataInt.txt")
    document_hash = hashlib.sha256(canonical_document.encode()).digest()
    config_hash = hashlib.sha256(canonical_config.encode()).digest()
    assert document_hash.hex() == vector("docHashDataInt.txt").strip()
    assert config_hash.hex() == vector("proofHashDataInt.txt").strip()
    assert (config_hash + document_hash).hex() == vector("combinedHashDataInt.txt").strip()
    pair = json.loads(vector("keyPair.json"))
    key = did_key_signer(parse_secret(pair["privateKeyMultibase"]))
    assert key.public_multibase == pair["publicKeyMultibase"]
    assert key.verification_method == config["verificationMethod"]
    signature = key.sign(config_hash + document_hash)
    assert encode_base58btc(signature) == vector("sigBTC58DataInt.txt").strip()
    signed = json.loads(vector("signedDataInt.json"))
    assert signed["proof"]["proofValue"] == encode_base58btc(signature)
    _, public = resolve_public_key(config["verificationMethod"])
    public.verify(decode_base58btc(signed["proof"]["proofValue"]), config_hash + document_hash)
