"""Badges, status lists and DID documents read from local files, all or nothing.

A badge may come as its JSON file or baked into a PNG or SVG image. Every reader is bounded
(`MAX_FILE`) and raises BadgeError naming the file and what to give instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from microcred.badge import BadgeError
from microcred.badge.bake import PNG_SIGNATURE, extract

MAX_FILE = 16 * 1024 * 1024  # far above any badge, status list or DID document


def _bytes(path: Path, what: str) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE:
            raise BadgeError(f"{path}: over {MAX_FILE // (1024 * 1024)} MB; not {what}")
        return path.read_bytes()
    except OSError as exc:
        raise BadgeError(f"{path}: cannot read it ({exc.strerror}); check the path") from None


def _json_object(path: Path, data: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadgeError(f"{path}: not JSON ({exc}); give {what}") from None
    except RecursionError:
        raise BadgeError(f"{path}: JSON nested too deeply to be {what}") from None
    if not isinstance(value, dict):
        raise BadgeError(f"{path}: a JSON {type(value).__name__}, not an object; give {what}")
    return value


def read_badge(path: Path) -> dict[str, Any]:
    """A badge from its JSON file, or from a PNG or SVG image it is baked into."""
    what = "a badge's .json file, or a .png or .svg image with a badge baked in"
    data = _bytes(path, what)
    if data.startswith(PNG_SIGNATURE) or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        try:
            badge = extract(data)
        except BadgeError as exc:
            raise BadgeError(f"{path}: {exc}; give {what}") from None
        if badge is None:
            raise BadgeError(f"{path}: an image with no badge baked in; give the badge's .json "
                             "file or its baked image from the badge page")
        return badge
    return _json_object(path, data, what)


def read_status_list(path: Path) -> dict[str, Any]:
    """A status list credential from a local file (what the issuer's site publishes)."""
    what = "a BitstringStatusListCredential, such as status/revocation.json from the issuer's site"
    data = _json_object(path, _bytes(path, what), what)
    types = data.get("type")
    if not isinstance(data.get("id"), str) or "BitstringStatusListCredential" not in (
            types if isinstance(types, list) else [types]):
        raise BadgeError(f"{path}: not a status list credential (no \"id\", or its \"type\" lacks "
                         f"BitstringStatusListCredential); give {what}")
    return data


def read_did_document(path: Path) -> dict[str, Any]:
    """A did:web issuer's DID document from a local file (never fetched)."""
    what = "the issuer's did.json (its DID document)"
    data = _json_object(path, _bytes(path, what), what)
    if not str(data.get("id", "")).startswith("did:"):
        raise BadgeError(f"{path}: no \"id\" naming a DID; give {what}")
    return data
