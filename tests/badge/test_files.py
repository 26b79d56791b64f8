"""Reading badges, status lists and DID documents from files: bounded, and clear when wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.badge import BadgeError
from microcred.badge.bake import PNG_SIGNATURE
from microcred.badge.files import MAX_FILE, read_badge, read_did_document, read_status_list


def test_a_json_badge_reads_as_its_object(tmp_path: Path) -> None:
    path = tmp_path / "badge.json"
    path.write_text(json.dumps({"id": "urn:uuid:1", "type": ["VerifiableCredential"]}))
    assert read_badge(path)["id"] == "urn:uuid:1"


@pytest.mark.parametrize(("data", "words"), [
    (b"[1, 2]", "a JSON list, not an object"),
    (b"{not json", "not JSON"),
    (b"[" * 100_000, "nested too deeply"),
    (PNG_SIGNATURE + b"\0" * 40, "PNG: chunk at byte 8 has an invalid type"),
])
def test_what_is_not_a_badge_is_named(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "thing"
    path.write_bytes(data)
    with pytest.raises(BadgeError, match=words) as caught:
        read_badge(path)
    assert str(path) in str(caught.value)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.truncate(MAX_FILE + 1)
    with pytest.raises(BadgeError, match="over 16 MB"):
        read_badge(path)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(BadgeError, match="cannot read it"):
        read_status_list(tmp_path / "nowhere.json")


def test_a_status_list_needs_its_type(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps({"id": "https://x/status", "type": ["VerifiableCredential"]}))
    with pytest.raises(BadgeError, match="not a status list credential"):
        read_status_list(path)
    path.write_text(json.dumps({"id": "https://x/status",
                                "type": ["VerifiableCredential", "BitstringStatusListCredential"]}))
    assert read_status_list(path)["id"] == "https://x/status"


def test_a_did_document_needs_a_did(tmp_path: Path) -> None:
    path = tmp_path / "did.json"
    path.write_text(json.dumps({"id": "https://example.org"}))
    with pytest.raises(BadgeError, match="no \"id\" naming a DID"):
        read_did_document(path)
    path.write_text(json.dumps({"id": "did:web:example.org"}))
    assert read_did_document(path)["id"] == "did:web:example.org"
