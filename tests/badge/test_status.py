from __future__ import annotations

import base64
import gzip
from typing import Any

import pytest

from microcred.badge import BadgeError
from microcred.badge.keys import SigningKey
from microcred.badge.multibase import encode_base64url
from microcred.badge.status import (
    DEFAULT_LENGTH,
    bit_is_set,
    decode_list,
    encode_list,
    is_set,
    new_bits,
    update_status_list,
    with_bit,
)
from microcred.badge.verify import verify_credential
from tests.badge.conftest import LATER, LIST_URL


def test_index_zero_is_the_leftmost_bit() -> None:
    bits = with_bit(with_bit(new_bits(16), 0, True), 9, True)
    assert bits == bytearray([0b1000_0000, 0b0100_0000])
    assert bit_is_set(bits, 0) and bit_is_set(bits, 9) and not bit_is_set(bits, 1)
    assert with_bit(bits, 0, False) == bytearray([0, 0b0100_0000])


def test_encoding_is_multibase_base64url_of_gzip() -> None:
    bits = with_bit(new_bits(), 3, True)
    encoded = encode_list(bits)
    assert encoded.startswith("uH4sI")  # 'u' + base64url of the GZIP magic bytes
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw == bits and len(raw) * 8 == DEFAULT_LENGTH
    assert decode_list(encoded) == bits
    assert encode_list(bits) == encoded  # reproducible


def test_decodes_a_list_made_by_the_dcc_library() -> None:
    # encodedList written by a reference status-list tool on the DCC libraries.
    assert decode_list("uH4sIAAAAAAAAAxNgAACuABsLAgAAAA") == bytearray([0b0001_0000, 0])
    bits = decode_list("uH4sIAAAAAAAAA-3BMQEAAAwCoNlg_dMawwf4AwAAAAAAAAAAAAAAAAAAAMZS7FINswBAAAA")
    assert [i for i in range(DEFAULT_LENGTH) if bit_is_set(bits, i)] == [3, DEFAULT_LENGTH - 1]


def test_out_of_range_and_bad_lengths_are_refused() -> None:
    with pytest.raises(BadgeError, match="outside the list"):
        bit_is_set(new_bits(8), 8)
    with pytest.raises(BadgeError, match="multiple of 8"):
        new_bits(12)
    with pytest.raises(BadgeError, match="not GZIP data"):
        decode_list("uAAAA")


def test_status_list_credential_is_signed_and_verifies(
    status_list: dict[str, Any], key: SigningKey
) -> None:
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    assert status_list["issuer"] == key.controller
    result = verify_credential(status_list, now=LATER, schema=False)
    assert result.verified, result.errors


def test_revoke_and_reinstate(status_list: dict[str, Any], key: SigningKey) -> None:
    revoked = update_status_list(status_list, 7, True, key, LATER)
    assert is_set(revoked, 7) and not is_set(status_list, 7)
    assert revoked["validFrom"] == "2026-01-01T00:00:00Z" and revoked["id"] == LIST_URL
    assert verify_credential(revoked, now=LATER, schema=False).verified
    assert not is_set(update_status_list(revoked, 7, False, key, LATER), 7)


def test_an_encoded_list_that_inflates_past_16_mb_is_refused() -> None:
    bomb = encode_base64url(gzip.compress(bytes(64 * 1024 * 1024)))
    assert len(bomb) < 100_000
    with pytest.raises(BadgeError, match="decompresses to over 16 MB"):
        decode_list(bomb)


@pytest.mark.parametrize("data", [gzip.compress(b"\0" * 16)[:-4], gzip.compress(b"\0") * 2])
def test_an_encoded_list_must_be_one_whole_gzip_stream(data: bytes) -> None:
    with pytest.raises(BadgeError, match="not one GZIP stream"):
        decode_list(encode_base64url(data))
