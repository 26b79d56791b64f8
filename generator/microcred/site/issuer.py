"""Whose badges the site publishes: the configured issuer, its DIDs, and what it signed.

Anyone who can push to the ledger branch could add a badge or a status list signed with a key of
their own, so only the issuer that mkdocs.yml names counts (`issuer_key`, and `issuer_did` for a
did:web). Here: that issuer's identity and DID document, whether a document is signed by it, and
the newest status list in the ledger branch's history it signed (an older one put back cannot
un-revoke a badge). Pure: no mkdocs, no git, no file system.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from microcred.badge.verify import Context as VerifyContext
from microcred.badge.verify import check_signature, issuer_id
from microcred.ledger import layout
from microcred.ledger.statuslist import newest_list, parsed_versions

OUTSIDE_DOCUMENT = "issuer/did.json"
_SEGMENT = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$")  # a did:web path segment, never . or ..


class BadgeSiteError(Exception):
    """The ledger or the issuer settings cannot be published as they are; says which and how."""


@dataclass(frozen=True)
class BadgeSiteOptions:
    site_url: str
    built: datetime
    issuer_did: str = ""  # the did:web the issuer signs as, if any
    issuer_key: str = ""  # its public key (Multikey z6Mk...): the did:key, or the did:web's key
    linkedin_organization_id: str = ""  # the issuer's LinkedIn page id, for "add to profile"

    @property
    def issuer(self) -> str:
        """The DID whose badges this site publishes: the did:web, else the key's did:key."""
        return self.issuer_did or (f"did:key:{self.issuer_key}" if self.issuer_key else "")

    def did_documents(self) -> dict[str, dict[str, Any]]:
        """The configured did:web's DID document, to check signatures with (never fetched)."""
        if not self.issuer.startswith("did:web:") or not self.issuer_key:
            return {}
        return {self.issuer: did_document(self.issuer, self.issuer_key)}


@dataclass(frozen=True)
class Identity:
    """One DID the ledger's badges or status list are signed by, and where its key is."""

    did: str
    public_key: str = ""  # Multikey z6Mk..., when known
    document_uri: str = ""  # where this site publishes its DID document, if it does
    document_url: str = ""  # where a did:web resolves



def identity(did: str, options: BadgeSiteOptions) -> Identity:
    if did.startswith("did:key:"):
        return Identity(did, did.removeprefix("did:key:"))
    if not did.startswith("did:web:"):
        return Identity(did)
    url = did_web_url(did)
    uri = site_path(url, options.site_url)
    key = options.issuer_key if did == options.issuer_did else ""
    if uri and not key:
        raise BadgeSiteError(
            f"the ledger is signed by {did}, whose DID document this site must publish at {url}, "
            "but mkdocs.yml names no key for it: set plugins.microcred.issuer_did to this DID and "
            "issuer_key to the issuer's public key (Multikey z6Mk...)")
    # A did:web resolved outside the site: its document is offered for the issuer to serve there.
    return Identity(did, key, (uri or OUTSIDE_DOCUMENT) if key else "", url)


def did_web_url(did: str) -> str:
    """Where a did:web's DID document is (did:web:host:a:b -> https://host/a/b/did.json)."""
    host, *path = did.removeprefix("did:web:").split(":")
    if not host or not all(_SEGMENT.match(p) for p in path):
        raise BadgeSiteError(f"{did} is not a did:web this site can resolve; use "
                             "did:web:<host>[:<path>...] with plain path segments")
    return f"https://{unquote(host)}/" + ("/".join(path) if path else ".well-known") + "/did.json"


def site_path(url: str, site_url: str) -> str:
    """`url` as a path under the site, or '' when it lies outside."""
    base = site_url.rstrip("/") + "/"
    return url[len(base):] if url.startswith(base) else ""


def did_document(did: str, public_key: str) -> dict[str, Any]:
    """The DID document of a did:web with one Ed25519 key, `#key-1` (as badge.keys signs)."""
    method = f"{did}#key-1"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": method, "type": "Multikey", "controller": did,
                                "publicKeyMultibase": public_key}],
        "assertionMethod": [method],
        "authentication": [method],
    }


def trusted_issuer(options: BadgeSiteOptions) -> str:
    """The configured issuer; BadgeSiteError when mkdocs.yml names none."""
    if not options.issuer:
        raise BadgeSiteError(
            "the ledger holds badges, but mkdocs.yml names no issuer, so the site cannot tell "
            "the issuer's badges from any others pushed to the ledger branch: set "
            "plugins.microcred.issuer_key to the issuer's public key (Multikey z6Mk...; "
            "docs/badges.md says how to print it), and issuer_did too for a did:web")
    if options.issuer.startswith("did:web:") and not options.issuer_key:
        raise BadgeSiteError(
            f"the issuer is {options.issuer}, but mkdocs.yml names no key for it: set "
            "plugins.microcred.issuer_key to the issuer's public key (Multikey z6Mk...), which "
            "its DID document lists and every badge's signature is checked against")
    return options.issuer


def signed_by_issuer(document: dict[str, Any], options: BadgeSiteOptions) -> str:
    """Why `document` is not signed by the configured issuer; '' when it is."""
    if issuer_id(document) != options.issuer:
        return f"issued by {issuer_id(document) or 'no one'}, not {options.issuer}"
    check = check_signature(document, VerifyContext(options.built,
                                                    did_documents=options.did_documents()))
    return "" if check.passed else check.message


def newest_status_list(ledger: Mapping[str, bytes], history: Sequence[bytes],
                       options: BadgeSiteOptions,
                       warn: Callable[[str], None]) -> tuple[bytes, dict[str, Any]] | None:
    """The newest version of the status list (the ledger's, or one in its history) that the
    issuer signed, as its bytes and its data; None when there is no such list."""
    raw = ledger.get(layout.STATUS_LIST)
    if raw is None and not history:
        return None
    versions = [] if raw is None else [raw]
    versions += [version for version in history if version != raw]
    parsed = parsed_versions(versions)
    newest = newest_list([data for _, data in parsed], options.issuer,
                         options.did_documents(), options.built)
    if newest is None:
        warn(f"{layout.STATUS_LIST} on the ledger branch is not published: no version of it is "
             f"signed by {options.issuer}")
        return None
    chosen = next(version for version, data in parsed if data is newest)
    if chosen != raw:
        warn(f"{layout.STATUS_LIST} on the ledger branch is older than a version its history "
             f"holds (valid from {newest.get('validFrom')}); that newer version is published")
    return chosen, newest
