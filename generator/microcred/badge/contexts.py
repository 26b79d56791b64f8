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
