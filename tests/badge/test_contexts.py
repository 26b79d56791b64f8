from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from microcred.badge import BadgeError
from microcred.badge.contexts import (
    BUNDLED,
    OB_V3,
    VC_V2,
    defined_terms,
    document_loader,
    keyword_aliases,
    load_context,
)

# The hashes in contexts/SOURCES.md: an edited context would silently change every signature.
EXPECTED = {
    "credentials-v2.jsonld": "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
    "ob-v3p0-context-3.0.3.json": "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    "ob-v3p0-extensions.json": "2d013f981d1f4516081a6a04e55468ba2b071d4153b794f19a79715c45a89a5e",
    "data-integrity-v2.jsonld": "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363",
}


def test_bundled_contexts_are_the_published_bytes() -> None:
    folder = resources.files("microcred.badge") / "contexts"
    assert sorted(BUNDLED.values()) == sorted(EXPECTED)
    for name, digest in EXPECTED.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    assert "sha256" in (folder / "SOURCES.md").read_text("utf-8")


def test_loader_serves_bundled_contexts() -> None:
    remote = document_loader(OB_V3, {})
    assert remote["documentUrl"] == OB_V3
    assert "OpenBadgeCredential" in remote["document"]["@context"]
    assert "VerifiableCredential" in load_context(VC_V2)["@context"]


def test_loader_refuses_anything_else() -> None:
    with pytest.raises(BadgeError, match="is not bundled with microcred and is never fetched"):
        document_loader("https://example.org/evil-context.json", {})


def test_defined_terms_reach_into_scoped_contexts() -> None:
    terms = defined_terms()
    assert {"name", "OpenBadgeCredential", "rubricCriterionLevel", "id", "type"} <= terms
    assert not {"https", "urn", "did", "mailto"} & terms  # schemes the fast path keeps as IRIs


def test_keyword_aliases_are_id_and_type() -> None:
    assert keyword_aliases() == {"id": "@id", "type": "@type"}
