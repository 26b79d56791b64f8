from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred.badge import BadgeError
from microcred.badge.multibase import (
    base58_decode,
    base58_encode,
    decode_base58btc,
    decode_base64url,
    encode_base58btc,
    encode_base64url,
)


@given(st.binary(max_size=80))
def test_base58_round_trips(data: bytes) -> None:
    assert base58_decode(base58_encode(data)) == data


@given(st.binary(max_size=80))
def test_base64url_round_trips(data: bytes) -> None:
    encoded = encode_base64url(data)
    assert encoded.startswith("u") and "=" not in encoded
    assert decode_base64url(encoded) == data


def test_base58_known_vector() -> None:
    assert base58_encode(b"\0\0hello world") == "11StV1DL6CwTryKyV"
    assert encode_base58btc(b"hello world") == "zStV1DL6CwTryKyV"


def test_wrong_prefix_or_alphabet_is_refused() -> None:
    with pytest.raises(BadgeError, match="starting with 'z'"):
        decode_base58btc("uabc")
    with pytest.raises(BadgeError, match="unexpected character '0'"):
        decode_base58btc("z0OIl")
    with pytest.raises(BadgeError, match="starting with 'u'"):
        decode_base64url("zabc")


def test_base58_longer_than_any_key_or_signature_is_refused_before_decoding() -> None:
    signature = encode_base58btc(b"\xff" * 64)
    assert decode_base58btc(signature) == b"\xff" * 64
    with pytest.raises(BadgeError, match="200000 base58 characters, over the 256"):
        decode_base58btc("z" + "2" * 200_000)
