"""Verify a signed Open Badges 3.0 credential offline: proof, signature, schema, dates, status."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from cryptography.exceptions import InvalidSignature

from microcred.badge import BadgeError
from microcred.badge.bounds import json_kind, readable_document
from microcred.badge.keys import resolve_public_key
from microcred.badge.multibase import decode_base58btc
from microcred.badge.sign import CRYPTOSUITE, PROOF_PURPOSE, PROOF_TYPE, hash_data
from microcred.badge.status import bit_is_set, read_bits

DidDocuments = Mapping[str, Mapping[str, Any]]
# XML Schema dateTime with a time zone, the form VC dates take; fromisoformat alone takes more.
_DATE_TIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.ASCII)
_INDEX = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    message: str = ""


@dataclass(frozen=True)
class Verification:
    """Every check that ran, in order; verified only if all passed."""

    checks: tuple[Check, ...]

    @property
    def verified(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    @property
    def errors(self) -> list[str]:
        return [f"{check.name}: {check.message}" for check in self.checks if not check.passed]


@dataclass(frozen=True)
class Context:
    """What a verifier knows besides the credential: the time, and documents it holds locally."""

    now: datetime
    status_lists: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    did_documents: DidDocuments = field(default_factory=dict)
    issuer: str = ""  # the only issuer whose signature counts; '' for the badge's own


def verify_credential(
    credential: dict[str, Any],
    *,
    now: datetime,
    status_lists: Mapping[str, dict[str, Any]] | None = None,
    did_documents: DidDocuments | None = None,
    schema: bool = True,
    issuer: str = "",
) -> Verification:
    """Check a badge; status lists are looked up by URL in `status_lists`, never fetched.

    With `issuer`, only a badge that issuer signed passes the signature check.
    """
    context = Context(now, status_lists or {}, did_documents or {}, issuer)
    readable = check_document(credential)
    if not readable.passed:  # nothing else can be read safely, or means anything
        return Verification((readable,))
    # Signature first: the other checks read fields only a valid proof vouches for.
    steps: list[Callable[[dict[str, Any], Context], Check]] = [check_signature, check_validity]
    if schema:
        steps.append(check_schema)
    steps.append(check_status)
    return Verification(tuple(step(credential, context) for step in steps))


def check_document(credential: Any) -> Check:
    """Check the badge is a JSON object of valid Unicode, within the bounds verification works to."""
    try:
        readable_document(credential)
    except BadgeError as err:
        return Check("document", False, str(err))
    return Check("document", True)


def issuer_id(credential: dict[str, Any]) -> str:
    issuer = credential.get("issuer")
    return str(issuer.get("id", "") if isinstance(issuer, dict) else issuer or "")


def check_signature(credential: dict[str, Any], context: Context) -> Check:
    """Recompute the eddsa-rdfc-2022 hash and check the Ed25519 signature against the issuer's key."""
    try:
        proof = _the_proof(credential)
        controller, public = resolve_public_key(proof["verificationMethod"], context.did_documents)
        if controller != issuer_id(credential):
            raise BadgeError(f"signed by {controller}, but the issuer is {issuer_id(credential)!r}")
        if context.issuer and controller != context.issuer:
            raise BadgeError(f"issued by {controller}, not by {context.issuer}, the issuer expected")
        public.verify(decode_base58btc(proof["proofValue"]), hash_data(credential, proof))
    except BadgeError as err:
        return Check("signature", False, str(err))
    except InvalidSignature:
        return Check("signature", False, "the signature does not match the content (altered, or another key)")
    return Check("signature", True)


def _the_proof(credential: dict[str, Any]) -> dict[str, Any]:
    proofs = credential.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if isinstance(proofs, dict) else []
    if len(proofs) != 1:
        raise BadgeError(f"expected exactly one proof, found {len(proofs)}")
    proof = proofs[0]
    if not isinstance(proof, dict):
        raise BadgeError(f"the proof is a JSON {json_kind(proof)}, not an object")
    return proof_with(proof, {"proofPurpose": PROOF_PURPOSE})


def proof_with(proof: dict[str, Any], expected: Mapping[str, Any]) -> dict[str, Any]:
    """`proof` if it is an eddsa-rdfc-2022 Data Integrity proof with the `expected` values (its
    purpose, and a presentation's challenge and domain) and the fields a check needs; else
    BadgeError naming the first field that is not."""
    wanted = {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, **expected}
    for name, value in wanted.items():
        if proof.get(name) != value:
            raise BadgeError(f"proof.{name} is {proof.get(name)!r}, expected {value!r}")
    for name in ("verificationMethod", "proofValue", "created"):
        if not isinstance(proof.get(name), str):
            raise BadgeError(f"proof.{name} is missing")
    return proof


def check_validity(credential: dict[str, Any], context: Context) -> Check:
    """Check validFrom <= now < validUntil."""
    try:
        start = _time(credential, "validFrom")
        end = _time(credential, "validUntil") if "validUntil" in credential else None
    except BadgeError as err:
        return Check("validity", False, str(err))
    if start is None:
        return Check("validity", False, "validFrom is missing: a credential says when it starts to hold")
    if context.now < start:
        return Check("validity", False, f"not valid before validFrom {credential['validFrom']}")
    if end is not None and context.now >= end:
        return Check("validity", False, f"expired at validUntil {credential['validUntil']}")
    return Check("validity", True)


def _time(credential: dict[str, Any], name: str) -> datetime | None:
    value = credential.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        raise BadgeError(f"{name} {value!r} is not a date-time such as 2025-01-15T12:00:00Z")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise BadgeError(f"{name} {value!r} is not a date-time") from err
    if moment.tzinfo is None:
        raise BadgeError(f"{name} {value!r} has no time zone")
    return moment


@cache
def _validator() -> jsonschema.protocols.Validator:
    text = (resources.files("microcred.badge") / "schemas" / "achievementcredential.json").read_text("utf-8")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_errors(credential: dict[str, Any]) -> list[str]:
    """Return the 1EdTech OB 3.0 JSON Schema errors, each with its JSON path."""
    errors = sorted(_validator().iter_errors(credential), key=lambda e: list(e.absolute_path))
    return [f"{e.json_path}: {e.message}" for e in errors]


def check_schema(credential: dict[str, Any], context: Context) -> Check:
    errors = schema_errors(credential)
    return Check("schema", not errors, "; ".join(errors[:10]))


def check_status(credential: dict[str, Any], context: Context) -> Check:
    """Check every credentialStatus entry against a local, signed status list; fail closed."""
    entries = credential.get("credentialStatus")
    if entries is None:
        return Check("status", True, "no credentialStatus")
    problems: list[str] = []
    for entry in entries if isinstance(entries, list) else [entries]:
        try:
            _check_entry(entry, issuer_id(credential), context)
        except BadgeError as err:
            problems.append(str(err))
    return Check("status", not problems, "; ".join(problems))


def _check_entry(entry: Any, issuer: str, context: Context) -> None:
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        kind = entry.get("type") if isinstance(entry, dict) else entry
        raise BadgeError(f"unsupported credentialStatus type {kind!r}")
    if entry.get("statusSize", 1) not in (1, "1"):
        raise BadgeError(f"statusSize {entry.get('statusSize')!r} is not supported (only 1)")
    url = str(entry.get("statusListCredential", ""))
    list_credential = context.status_lists.get(url)
    if list_credential is None:
        raise BadgeError(f"status list {url!r} is not available locally")
    signature = check_signature(list_credential, context)
    if not signature.passed:
        raise BadgeError(f"status list {url}: {signature.message}")
    if issuer_id(list_credential) != issuer:
        raise BadgeError(f"status list {url} is issued by {issuer_id(list_credential)!r}, not {issuer!r}")
    validity = check_validity(list_credential, context)
    if not validity.passed:
        raise BadgeError(f"status list {url}: {validity.message}")
    purpose = entry.get("statusPurpose")
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != purpose:
        raise BadgeError(f"status list {url} is not a {purpose!r} list")
    index = entry.get("statusListIndex")
    if not isinstance(index, str) or not _INDEX.fullmatch(index):
        raise BadgeError(f"statusListIndex {index!r} is not a number (a string of digits 0-9)")
    if bit_is_set(read_bits(list_credential), int(index)):
        raise BadgeError(f"{purpose} bit {index} is set: the credential is {_state(str(purpose))}")


def _state(purpose: str) -> str:
    return {"revocation": "revoked", "suspension": "suspended"}.get(purpose, purpose)
