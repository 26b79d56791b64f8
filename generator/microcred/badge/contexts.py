"""The JSON-LD contexts microcred signs against, bundled in the package; nothing is fetched."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from microcred.badge import BadgeError

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
# pyld resolves relative IRIs against a made-up base where jsonld.js drops them, so the two would
# sign different data; expanding against this base (reserved .invalid TLD) makes them visible.
RELATIVE_BASE = "https://relative-iri.invalid/"

# URL -> file under contexts/ (provenance and hashes: contexts/SOURCES.md).
BUNDLED: dict[str, str] = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    OB_EXTENSIONS: "ob-v3p0-extensions.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
}


@cache
def _text(url: str) -> str:
    return (resources.files("microcred.badge") / "contexts" / BUNDLED[url]).read_text("utf-8")


def load_context(url: str) -> dict[str, Any]:
    """Return a fresh copy of a bundled context; raise BadgeError for any other URL."""
    if url not in BUNDLED:
        known = ", ".join(sorted(BUNDLED))
        raise BadgeError(
            f"JSON-LD context {url!r} is not bundled with microcred and is never fetched "
            f"(use one of: {known})"
        )
    document: dict[str, Any] = json.loads(_text(url))
    return document


@cache
def defined_terms() -> frozenset[str]:
    """Return every key of every bundled context, at any depth: each term they can define."""
    keys: set[str] = set()
    pending: list[Any] = [load_context(url) for url in BUNDLED]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            keys.update(node)
            pending += node.values()
        elif isinstance(node, list):
            pending += node
    return frozenset(keys)


@cache
def keyword_aliases() -> dict[str, str]:
    """Return the terms the bundled contexts define as a keyword, such as `type` for `@type`."""
    aliases: dict[str, str] = {}
    pending: list[Any] = [load_context(url)["@context"] for url in BUNDLED]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending += node
            continue
        for term, definition in node.items() if isinstance(node, dict) else ():
            target = definition.get("@id") if isinstance(definition, dict) else definition
            if not term.startswith("@") and isinstance(target, str) and target.startswith("@"):
                aliases[term] = target
            if isinstance(definition, dict) and "@context" in definition:
                pending.append(definition["@context"])
    return aliases


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Serve bundled contexts to pyld in its RemoteDocument shape; refuse everything else."""
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": load_context(url),
        # pyld keeps only "static" contexts in its shared cache, with what it derived from them;
        # untagged, every call would parse and process the bundled contexts again.
        "tag": "static",
    }
