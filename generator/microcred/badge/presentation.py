"""A learner record as a signed Verifiable Presentation that bundles the learner's badges.

    build_presentation -> sign_presentation -> verify_presentation

The presentation (W3C VC Data Model 2.0) holds each badge exactly as issued, with its own proof,
in `verifiableCredential`. The issuer, as the presentation's holder, signs the bundle with a
Data Integrity proof (eddsa-rdfc-2022) whose purpose is `authentication`, bound by `challenge`
to the record's address and by `domain` to the site: a verifier checks the bundle's signature,
then every badge inside as it would check it alone. (A 1EdTech CLR 2.0 ClrCredential is the
other form the standard offers; its JSON-LD context is not one a verifier can hold offline
today, so the record is a presentation: docs/badges.md.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature

from microcred.badge import BadgeError
from microcred.badge.contexts import VC_V2
from microcred.badge.keys import SigningKey, resolve_public_key
from microcred.badge.multibase import decode_base58btc, encode_base58btc
from microcred.badge.sign import hash_data, proof_options
from microcred.badge.verify import (
    Check,
    DidDocuments,
    Verification,
    proof_with,
    verify_credential,
)

PRESENTATION = "VerifiablePresentation"
AUTHENTICATION = "authentication"


def build_presentation(record_id: str, holder: str, badges: Sequence[Mapping[str, Any]]
                       ) -> dict[str, Any]:
    """The unsigned presentation of `badges` (signed badges, kept byte for byte in meaning)."""
    return {
        "@context": [VC_V2],
        "id": record_id,
        "type": [PRESENTATION],
        "holder": holder,
        "verifiableCredential": [dict(badge) for badge in badges],
    }


def sign_presentation(presentation: dict[str, Any], key: SigningKey, created: datetime,
                      domain: str) -> dict[str, Any]:
    """A signed copy: proof purpose `authentication`, challenge the record's id, `domain` the site."""
    if presentation.get("holder") != key.controller:
        raise BadgeError(f"holder {presentation.get('holder')!r} is not the signing key's DID "
                         f"{key.controller!r}")
    proof = {**proof_options(key, created), "proofPurpose": AUTHENTICATION,
             "challenge": presentation["id"], "domain": domain}
    proof["proofValue"] = encode_base58btc(key.sign(hash_data(presentation, proof)))
    return {**presentation, "proof": proof}


def verify_presentation(presentation: dict[str, Any], *, now: datetime,
                        status_lists: Mapping[str, dict[str, Any]] | None = None,
                        did_documents: DidDocuments | None = None, issuer: str = "",
                        domain: str = "") -> list[tuple[str, Verification]]:
    """The check of the bundle (named "presentation") and of each badge inside (by its id)."""
    checks = [("presentation", Verification((_bundle(presentation, did_documents or {},
                                                     issuer, domain),)))]
    badges = presentation.get("verifiableCredential")
    for badge in badges if isinstance(badges, list) else []:
        if not isinstance(badge, dict):
            checks.append(("?", Verification((Check("document", False, "not a credential"),))))
            continue
        checks.append((str(badge.get("id", "?")), verify_credential(
            badge, now=now, status_lists=status_lists, did_documents=did_documents,
            issuer=issuer)))
    return checks


def _bundle(presentation: dict[str, Any], did_documents: DidDocuments, issuer: str,
            domain: str) -> Check:
    try:
        proof = _proof(presentation, domain)
        controller, public = resolve_public_key(proof["verificationMethod"], did_documents)
        if controller != presentation.get("holder"):
            raise BadgeError(f"signed by {controller}, but the holder is "
                             f"{presentation.get('holder')!r}")
        if issuer and controller != issuer:
            raise BadgeError(f"signed by {controller}, not by {issuer}, the issuer expected")
        public.verify(decode_base58btc(proof["proofValue"]), hash_data(presentation, proof))
    except BadgeError as err:
        return Check("signature", False, str(err))
    except InvalidSignature:
        return Check("signature", False, "the signature does not match the content (altered, "
                     "or another key)")
    return Check("signature", True, f"eddsa-rdfc-2022 proof (authentication, challenge "
                 f"{proof['challenge']}) by the holder {controller}")


def is_presentation(document: Mapping[str, Any]) -> bool:
    types = document.get("type")
    return PRESENTATION in (types if isinstance(types, list) else [types])


def _proof(presentation: dict[str, Any], domain: str) -> dict[str, Any]:
    if PRESENTATION not in (presentation.get("type") or []):
        raise BadgeError("not a VerifiablePresentation")
    proof = presentation.get("proof")
    if not isinstance(proof, dict):
        raise BadgeError("expected exactly one proof object")
    expected = {"proofPurpose": AUTHENTICATION, "challenge": presentation.get("id")}
    if domain:
        expected["domain"] = domain
    return proof_with(proof, expected)
