"""The JSON Schemas as the site publishes them: each under a versioned address that is its `$id`.

A schema's address carries the format version its files declare (`format: 1`), not microcred's
version: files of one format version keep validating against one address, and a new format
version is published beside the old one (`schemas/2/...`), so editors and CI pinned to the old
address keep working.
"""

from __future__ import annotations

import json
from typing import Any

from microcred.content.schema import KINDS, REPORTS, schema_of

SCHEMAS_DIR = "schemas"
# Where a course's files of each kind live, relative to its root: the globs an editor maps to
# the kind's schema. Reports are written by microcred, never edited, so they have no files here.
FILE_GLOBS: dict[str, tuple[str, ...]] = {
    "module": ("modules/*/module.yml",),
    "rubric": ("rubrics/*.yml",),
    "credential": ("content/credentials/*.yml",),
    "programme": ("content/programmes/*.yml",),
    "submission": ("submissions/**/submission.yml",),
    "consent": ("submissions/*/consent.yml",),
    "calendar": ("content/calendars/*.yml",),
    "exchange": ("content/exchanges/*.yml",),
    "coaching-log": ("coaching/logs/**/*.yml",),
    "community": ("coaching/communities/*/*.yml",),
}


def format_version(kind: str) -> int:
    """The format version the schema of `kind` accepts (its `format` constant)."""
    version = schema_of(kind)["properties"]["format"]["const"]
    return int(version)


def schema_uri(kind: str) -> str:
    """The schema's path on the site, relative to the site's root."""
    return f"{SCHEMAS_DIR}/{format_version(kind)}/{kind}.schema.json"


def schema_id(kind: str, site_url: str) -> str:
    """The schema's `$id`: its address on the site, or its URN when the site has no address."""
    if not site_url:
        return str(schema_of(kind)["$id"])
    return site_url.rstrip("/") + "/" + schema_uri(kind)


def published(kind: str, site_url: str) -> dict[str, Any]:
    """The schema of `kind` with the `$id` it is published under."""
    return {**schema_of(kind), "$id": schema_id(kind, site_url)}


def schema_text(kind: str, site_url: str) -> str:
    """The published schema as the file the site serves."""
    return json.dumps(published(kind, site_url), indent=2, ensure_ascii=False) + "\n"


def schema_files(site_url: str) -> dict[str, str]:
    """Every published schema by its path on the site."""
    return {schema_uri(kind): schema_text(kind, site_url) for kind in KINDS + REPORTS}
