"""The issuer's Ed25519 key: where it comes from, and the DID (did:key or did:web) it signs as."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from microcred.badge import BadgeError
from microcred.badge.multibase import decode_base58btc, encode_base58btc

ENV_VAR = "MICROCRED_SIGNING_KEY"
# Multicodec prefixes (varint): ed25519-pub 0xed, ed25519-priv 0x1300.
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"
_HEX_SEED = re.compile(r"^[0-9a-fA-F]{64}$")
_HOST = re.compile(r"^[a-z0-9.-]+(%3A[0-9]+)?$")


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 private key and the verification method a proof names for it."""

    private: Ed25519PrivateKey
    controller: str  # the issuer DID
    verification_method: str

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_multibase(self) -> str:
        return public_key_multibase(self.public)


def public_key_multibase(public: Ed25519PublicKey) -> str:
    """Return the Multikey form of a public key: base58btc of 0xed01 + 32 bytes, `z6Mk...`."""
    return encode_base58btc(ED25519_PUB + public.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """Read a `z6Mk...` Multikey; raise BadgeError if it is not an Ed25519 public key."""
    raw = decode_base58btc(value)
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise BadgeError(f"{value!r} is not an Ed25519 public key (multicodec 0xed01, 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def seed_of(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def secret_multibase(private: Ed25519PrivateKey) -> str:
    """Return the Multikey secret form (0x1300 + seed, base58btc) to store in MICROCRED_SIGNING_KEY."""
    return encode_base58btc(ED25519_PRIV + seed_of(private))


def parse_secret(text: str) -> Ed25519PrivateKey:
    """Read a private key given as a 64-hex-digit seed or a multibase `z...` Ed25519 secret key."""
    value = text.strip()
    if _HEX_SEED.match(value):
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(value))
    if value.startswith("z"):
        raw = decode_base58btc(value)
        seed = raw[2:] if raw.startswith(ED25519_PRIV) else raw
        if len(seed) == 32:
            return Ed25519PrivateKey.from_private_bytes(seed)
    raise BadgeError(
        "signing key is neither a 64-hex-digit Ed25519 seed nor a multibase 'z...' Ed25519 secret key"
    )


def did_key(public: Ed25519PublicKey) -> str:
    return f"did:key:{public_key_multibase(public)}"


def did_key_signer(private: Ed25519PrivateKey) -> SigningKey:
    """Sign as did:key; the verification method is `did:key:z...#z...`."""
    multibase = public_key_multibase(private.public_key())
    did = f"did:key:{multibase}"
    return SigningKey(private, did, f"{did}#{multibase}")


def did_web(host: str, *path: str) -> str:
    """Return `did:web:host[:path...]` for a site that will serve /.well-known/did.json (or path/did.json)."""
    host = host.lower().replace(":", "%3A")
    if not _HOST.match(host):
        raise BadgeError(f"did:web host {host!r} must be a bare host name such as leadership.example.edu")
    return ":".join(["did:web", host, *path])


def did_web_signer(private: Ed25519PrivateKey, did: str) -> SigningKey:
    """Sign as a did:web whose DID document (see did_web_document) lists this key as `#key-1`."""
    if not did.startswith("did:web:"):
        raise BadgeError(f"{did!r} is not a did:web identifier")
    return SigningKey(private, did, f"{did}#key-1")


def did_web_document(key: SigningKey) -> dict[str, Any]:
    """Return the DID document to publish for a did:web signer (at /.well-known/did.json)."""
    method = {
        "id": key.verification_method,
        "type": "Multikey",
        "controller": key.controller,
        "publicKeyMultibase": key.public_multibase,
    }
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": key.controller,
        "verificationMethod": [method],
        "assertionMethod": [key.verification_method],
        "authentication": [key.verification_method],
    }


def resolve_public_key(
    verification_method: str, did_documents: Mapping[str, Mapping[str, Any]] | None = None
) -> tuple[str, Ed25519PublicKey]:
    """Return (controller DID, public key) for a verification method, without the network.

    did:key is decoded from the identifier itself; did:web needs its DID document in `did_documents`.
    """
    did, _, fragment = verification_method.partition("#")
    if did.startswith("did:key:"):
        multibase = did.removeprefix("did:key:")
        if fragment and fragment != multibase:
            raise BadgeError(f"{verification_method}: fragment does not match the did:key")
        return did, public_key_from_multibase(multibase)
    document = (did_documents or {}).get(did)
    if document is None:
        raise BadgeError(f"{verification_method}: no DID document for {did} (did:web is never fetched)")
    methods = document.get("verificationMethod")
    for method in methods if isinstance(methods, list) else []:
        if isinstance(method, dict) and method.get("id") in (verification_method, f"#{fragment}"):
            assertion = document.get("assertionMethod")
            if not isinstance(assertion, list) or verification_method not in assertion:
                raise BadgeError(f"{verification_method} is not an assertionMethod of {did}")
            public = method.get("publicKeyMultibase")
            if not isinstance(public, str):
                raise BadgeError(f"{verification_method}: no publicKeyMultibase in the DID document")
            return str(method.get("controller", did)), public_key_from_multibase(public)
    raise BadgeError(f"{verification_method}: not found in the DID document of {did}")


def load_signing_key(
    environ: Mapping[str, str] | None = None,
    key_file: Path | None = None,
    repo_root: Path | None = None,
    did: str = "",
) -> SigningKey:
    """Find the issuer key: MICROCRED_SIGNING_KEY first, then `key_file`; never a file in the repo.

    With `did` (a did:web) the key signs as that DID, otherwise as its did:key.
    """
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR, "").strip():
        private = _parsed(env[ENV_VAR], ENV_VAR)
    elif key_file is not None:
        private = _parsed(_read_key_file(key_file, repo_root), str(key_file))
    else:
        raise BadgeError(
            f"no signing key: set {ENV_VAR} (a 64-hex-digit seed or multibase 'z...' secret) "
            "or give a key file outside the repository"
        )
    return did_web_signer(private, did) if did else did_key_signer(private)


def _parsed(secret: str, source: str) -> Ed25519PrivateKey:
    """The key in `secret`; a refusal names where it came from (the file or the variable)."""
    try:
        return parse_secret(secret)
    except BadgeError as err:
        raise BadgeError(f"{source}: {err}") from None


def _read_key_file(key_file: Path, repo_root: Path | None) -> str:
    path = key_file.expanduser().resolve()
    if repo_root is not None and path.is_relative_to(repo_root.resolve()):
        raise BadgeError(
            f"{key_file}: signing keys must not live inside the repository {repo_root}; "
            f"move it elsewhere or use {ENV_VAR}"
        )
    try:
        return path.read_text("utf-8")
    except OSError as err:
        raise BadgeError(f"{key_file}: cannot read signing key: {err.strerror}") from err


def development_key() -> tuple[SigningKey, str]:
    """Make a throwaway did:key for local trials; return it with a warning the caller must print."""
    key = did_key_signer(Ed25519PrivateKey.generate())
    warning = (
        f"using a throwaway development key ({key.controller}): badges signed with it cannot be "
        f"trusted or re-verified against a published issuer; set {ENV_VAR} to issue real badges"
    )
    return key, warning
