"""The issuer the site trusts: did:web addresses, where its DID document goes, and its shape."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microcred.badge.keys import did_web_document, did_web_signer, parse_secret
from microcred.site import issuer
from tests.site.ledger import SEED, SITE

DURING = datetime(2025, 6, 1, tzinfo=UTC)  # the day the site is built


def test_did_web_addresses() -> None:
    assert issuer.did_web_url("did:web:example.org") == "https://example.org/.well-known/did.json"
    assert issuer.did_web_url("did:web:example.org%3A8443:a:b") == "https://example.org:8443/a/b/did.json"
    with pytest.raises(issuer.BadgeSiteError):
        issuer.did_web_url("did:web:example.org:..:x")
    assert issuer.site_path("https://example.org/a/b/did.json", "https://example.org/a/") == "b/did.json"
    assert issuer.site_path("https://example.org/.well-known/did.json", "https://example.org/") == (
        ".well-known/did.json")
    assert issuer.site_path("https://other.org/did.json", "https://example.org/") == ""


def test_a_did_web_outside_the_site_gets_its_document_offered_on_the_issuer_page() -> None:
    options = issuer.BadgeSiteOptions(SITE, DURING, "did:web:example.edu", "z6MkKey")
    found = issuer.identity("did:web:example.edu", options)
    assert (found.document_uri, found.document_url) == (
        issuer.OUTSIDE_DOCUMENT, "https://example.edu/.well-known/did.json")


def test_the_did_document_is_the_one_the_signer_describes() -> None:
    key = did_web_signer(parse_secret(SEED), "did:web:example.org")
    assert issuer.did_document(key.controller, key.public_multibase) == did_web_document(key)
