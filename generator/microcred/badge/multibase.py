"""Multibase text encodings used by did:key, proofs and status lists (base58btc `z`, base64url `u`)."""

from __future__ import annotations

import base64

from microcred.badge import BadgeError
from microcred.badge.bounds import MAX_MULTIBASE_CHARS

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: i for i, char in enumerate(_ALPHABET)}


def base58_encode(data: bytes) -> str:
    """Encode bytes as Bitcoin base58 (leading zero bytes become `1`s)."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, rest = divmod(number, 58)
        digits = _ALPHABET[rest] + digits
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + digits


def base58_decode(text: str) -> bytes:
    """Decode Bitcoin base58; raise BadgeError on a character outside the alphabet, or too many.

    Base58 is a change of base, quadratic in the length; the values decoded here are keys and
    signatures (at most 90 characters), so anything far longer is refused before any arithmetic.
    """
    if len(text) > MAX_MULTIBASE_CHARS:
        raise BadgeError(f"not a key or signature: {len(text)} base58 characters, over the "
                         f"{MAX_MULTIBASE_CHARS} any of them takes")
    number = 0
    for char in text:
        if char not in _INDEX:
            raise BadgeError(f"not base58: unexpected character {char!r}")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    """Return the multibase base58btc form, `z...`."""
    return "z" + base58_encode(data)


def decode_base58btc(text: str) -> bytes:
    if not text.startswith("z"):
        raise BadgeError(f"expected a multibase base58btc value starting with 'z', got {text[:12]!r}")
    return base58_decode(text[1:])


def encode_base64url(data: bytes) -> str:
    """Return the multibase base64url (no padding) form, `u...`."""
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_base64url(text: str) -> bytes:
    if not text.startswith("u"):
        raise BadgeError(f"expected a multibase base64url value starting with 'u', got {text[:12]!r}")
    body = text[1:]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as err:
        raise BadgeError(f"not base64url: {err}") from err
