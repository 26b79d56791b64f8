"""Sign a credential with a DataIntegrityProof using the eddsa-rdfc-2022 cryptosuite.

https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022: canonicalize the proof options and the document
with RDFC-1.0, hash each with SHA-256, sign the two hashes (proof options first) with Ed25519, and
store the signature as multibase base58btc.

JSON-LD becomes RDF in one of two ways: a fast path where it can (`shapes` fills the document into
RDF that pyld made for its shape) and pyld's `to_rdf` on the whole document everywhere else; the
two give the same quads, which `tests/badge/test_canonical_paths.py` checks on many generated
documents. Either way `canon` canonicalizes them (RDFC-1.0 with its escaping, within bounds).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pyld import jsonld

from microcred.badge import BadgeError
from microcred.badge.bounds import readable_document
from microcred.badge.canon import Quad, canonical_nquads, literal
from microcred.badge.contexts import RELATIVE_BASE, document_loader
from microcred.badge.keys import SigningKey
from microcred.badge.multibase import encode_base58btc
from microcred.badge.shapes import document_quads

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"


def xsd_datetime(moment: datetime) -> str:
    """Format as `2025-01-15T12:00:00Z` (UTC, whole seconds), the form VC dates use."""
    if moment.tzinfo is None:
        raise BadgeError(f"{moment.isoformat()}: give times with a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def undefined_terms(document: dict[str, Any]) -> list[str]:
    """Return what JSON-LD would silently drop: undefined terms, and relative type or id IRIs.

    A processor drops these before canonicalization, so they would not be signed (the safe mode of
    jsonld.js refuses them; pyld has none, so we compare the expansion ourselves).
    """
    dropped: list[str] = []
    options = {"base": RELATIVE_BASE}
    expanded = _run(jsonld.expand, document, options, on_property_dropped=lambda t: dropped.append(str(t)))
    problems = [f"term {term!r} is not defined by the @context" for term in sorted(set(dropped))]
    problems += [f"{kind} {value!r} is not an absolute IRI" for kind, value in _relative_iris(expanded)]
    return problems


def _relative_iris(node: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, list):
        for item in node:
            found += _relative_iris(item)
    elif isinstance(node, dict):
        ids = [("id", node["@id"])] if isinstance(node.get("@id"), str) else []
        types = node.get("@type", [])
        types = [("type", t) for t in (types if isinstance(types, list) else [types])]
        found += [(kind, v.removeprefix(RELATIVE_BASE)) for kind, v in ids + types
                  if v.startswith(RELATIVE_BASE)]
        for key, value in node.items():
            if key not in ("@id", "@type", "@value"):
                found += _relative_iris(value)
    return found


def canonicalize(document: dict[str, Any]) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD document; refuse undefined terms."""
    # The fast path fills the document's strings into RDF pyld made once for its shape; where
    # it cannot vouch for the quads it says None, and pyld turns the whole document into RDF.
    quads = document_quads(document)
    if quads is None or any(term.startswith(f"<{RELATIVE_BASE}") for quad in quads for term in quad):
        return full_canonicalize(document)
    return canonical_nquads(quads)


def full_canonicalize(document: dict[str, Any]) -> str:
    """Canonicalize with pyld's JSON-LD to RDF on the whole document: the reference for `canonicalize`."""
    # Cached by content: a verifier checks the same status list, and an issuer the same proof
    # options, once per badge. Key order does not change the canonical form.
    return _canonical(json.dumps(document, sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=64)
def _canonical(text: str) -> str:
    return canonical_nquads(document_rdf(json.loads(text)))


def document_rdf(document: dict[str, Any]) -> list[Quad]:
    """The document's RDF quads from pyld; refuse terms it drops and relative IRIs."""
    # One pass: `to_rdf` reports dropped terms, and with a base that cannot occur in real IRIs
    # a relative IRI shows up in a quad; the slower `undefined_terms` then says what is wrong.
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda term: dropped.append(str(term)))
    dataset = _run(processor.to_rdf, document, {"base": RELATIVE_BASE})
    quads = list(dict.fromkeys(dataset_quads(dataset)))  # a dataset is a set
    if dropped or any(term.startswith(f"<{RELATIVE_BASE}") for quad in quads for term in quad):
        problems = undefined_terms(document) or [f"term {t!r} is not defined by the @context"
                                                 for t in sorted(set(dropped))]
        raise BadgeError(
            "refusing to canonicalize: " + "; ".join(problems)
            + " (define them in a bundled context or remove them; they would not be signed)"
        )
    return quads


def dataset_quads(dataset: dict[str, list[dict[str, Any]]]) -> Iterator[Quad]:
    """pyld's RDF dataset as quads of N-Quads terms, literals escaped canonically."""
    for name, triples in dataset.items():
        graph = "" if name == "@default" else _node(name)
        for triple in triples:
            yield (_term(triple["subject"]), f"<{triple['predicate']['value']}>",
                   _term(triple["object"]), graph)


def _term(term: dict[str, Any]) -> str:
    if term["type"] == "literal":
        return literal(term["value"], term["datatype"], term.get("language"))
    return _node(term["value"])


def _node(value: str) -> str:
    return value if value.startswith("_:") else f"<{value}>"


def _run(function: Any, document: Any, options: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """Call a pyld function with the bundled-only loader, turning its errors into BadgeError."""
    opts = {**(options or {}), "documentLoader": document_loader}
    try:
        return function(document, opts, **kwargs)
    except jsonld.JsonLdError as err:
        raise BadgeError(f"JSON-LD processing failed: {_root_message(err)}") from err
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as err:
        # pyld fails this way on some malformed input, such as an `id` of "@A"; a badge from
        # outside must get a finding, not a traceback.
        raise BadgeError(f"JSON-LD processing failed: pyld could not read the document ({err})") from err


def _root_message(err: BaseException) -> str:
    while err.__cause__ is not None or getattr(err, "cause", None) is not None:
        err = err.__cause__ or err.cause  # type: ignore[attr-defined]
    return str(err).splitlines()[0]


def proof_options(key: SigningKey, created: datetime) -> dict[str, Any]:
    return {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": key.verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }


def hash_data(unsecured: dict[str, Any], options: dict[str, Any]) -> bytes:
    """Return SHA-256(canonical proof options) || SHA-256(canonical document), as the spec orders them."""
    readable_document(unsecured)
    if "@context" not in unsecured:
        raise BadgeError("the credential has no @context, so nothing in it can be signed or checked")
    config = {k: v for k, v in options.items() if k != "proofValue"}
    config["@context"] = unsecured["@context"]
    document = {k: v for k, v in unsecured.items() if k != "proof"}
    config_hash = hashlib.sha256(canonicalize(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(document).encode("utf-8")).digest()
    return config_hash + document_hash


def sign_credential(credential: dict[str, Any], key: SigningKey, created: datetime) -> dict[str, Any]:
    """Return a signed copy with `proof` as a one-item array (the strict OB 3.0 schema needs an array)."""
    if "proof" in credential:
        raise BadgeError("credential already has a proof; sign the unsigned credential")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != key.controller:
        raise BadgeError(f"issuer {issuer_id!r} is not the signing key's DID {key.controller!r}")
    proof = proof_options(key, created)
    proof["proofValue"] = encode_base58btc(key.sign(hash_data(credential, proof)))
    return {**credential, "proof": [proof]}
