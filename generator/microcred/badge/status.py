"""Bitstring Status Lists: the signed credential a verifier reads to see whether a badge is revoked.

https://www.w3.org/TR/vc-bitstring-status-list/: the list is a bitstring, GZIP-compressed and
encoded as multibase base64url (`u...`); index 0 is the most significant bit of the first byte.

A list's `validFrom` is its sequence: every list signed to replace another is valid from a
later second than the one it replaces, so of two lists signed by one issuer the later
`validFrom` is the newer, and an older signed list put back (to un-revoke a badge) can be told
from the newest and refused (`newer`, and the ledger's `statuslist.newest_list`).
"""

from __future__ import annotations

import gzip
import zlib
from datetime import datetime, timedelta
from typing import Any

from microcred.badge import BadgeError
from microcred.badge.bounds import MAX_STATUS_LIST_BYTES
from microcred.badge.contexts import VC_V2
from microcred.badge.keys import SigningKey
from microcred.badge.multibase import decode_base64url, encode_base64url
from microcred.badge.sign import sign_credential, xsd_datetime

Bits = bytes | bytearray

# 16 KiB of bits, the spec's minimum, so one set bit does not single out a learner.
DEFAULT_LENGTH = 131072


def new_bits(length: int = DEFAULT_LENGTH) -> bytearray:
    if length <= 0 or length % 8:
        raise BadgeError(f"status list length {length} must be a positive multiple of 8")
    return bytearray(length // 8)


def encode_list(bits: Bits) -> str:
    # mtime=0 keeps the encoding, and so the signed list, reproducible.
    return encode_base64url(gzip.compress(bytes(bits), mtime=0))


def decode_list(encoded: str) -> bytearray:
    """The bits of an encodedList; refuse one that would decompress past MAX_STATUS_LIST_BYTES."""
    if len(encoded) > MAX_STATUS_LIST_BYTES:
        raise BadgeError(f"encodedList is {len(encoded)} characters, over any status list's size")
    inflater = zlib.decompressobj(wbits=31)  # GZIP framing
    try:
        bits = inflater.decompress(decode_base64url(encoded), MAX_STATUS_LIST_BYTES + 1)
    except zlib.error as err:
        raise BadgeError(f"encodedList is not GZIP data: {err}") from err
    if len(bits) > MAX_STATUS_LIST_BYTES:
        raise BadgeError(f"encodedList decompresses to over {MAX_STATUS_LIST_BYTES // (1024 * 1024)} MB, "
                         "more than any status list holds")
    if not inflater.eof or inflater.unused_data:
        raise BadgeError("encodedList is not one GZIP stream: it ends early, or more follows")
    return bytearray(bits)


def _locate(bits: Bits, index: int) -> tuple[int, int]:
    if not 0 <= index < len(bits) * 8:
        raise BadgeError(f"status index {index} is outside the list (0..{len(bits) * 8 - 1})")
    return index // 8, 0x80 >> (index % 8)


def bit_is_set(bits: Bits, index: int) -> bool:
    byte, mask = _locate(bits, index)
    return bool(bits[byte] & mask)


def with_bit(bits: Bits, index: int, value: bool) -> bytearray:
    """Return a copy of `bits` with one bit set or cleared."""
    copy = bytearray(bits)
    byte, mask = _locate(copy, index)
    copy[byte] = copy[byte] | mask if value else copy[byte] & ~mask
    return copy


def build_status_list(
    list_url: str, issuer_id: str, bits: Bits, valid_from: datetime, purpose: str = "revocation"
) -> dict[str, Any]:
    """Return an unsigned BitstringStatusListCredential published at `list_url`."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(bits),
        },
    }


def read_bits(list_credential: dict[str, Any]) -> bytearray:
    subject = list_credential.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("encodedList"), str):
        raise BadgeError(f"{list_credential.get('id', 'status list')}: credentialSubject.encodedList missing")
    return decode_list(subject["encodedList"])


def create_status_list(
    list_url: str, key: SigningKey, now: datetime, length: int = DEFAULT_LENGTH, purpose: str = "revocation"
) -> dict[str, Any]:
    """Return a new signed status list with every bit clear."""
    unsigned = build_status_list(list_url, key.controller, new_bits(length), now, purpose)
    return sign_credential(unsigned, key, now)


def update_status_list(
    list_credential: dict[str, Any], index: int, value: bool, key: SigningKey, now: datetime
) -> dict[str, Any]:
    """Return the list re-signed with bit `index` set (revoked) or cleared, valid from `now`
    (or a second after the list it replaces, whichever is later)."""
    bits = with_bit(read_bits(list_credential), index, value)
    return resign_status_list(list_credential, bits, key, now)


def resign_status_list(list_credential: dict[str, Any], bits: Bits, key: SigningKey,
                       now: datetime) -> dict[str, Any]:
    """The list with these bits, signed to replace `list_credential`: valid from a later second."""
    start = max(now, sequence(list_credential) + timedelta(seconds=1))
    purpose = list_credential["credentialSubject"]["statusPurpose"]
    unsigned = build_status_list(list_credential["id"], key.controller, bits, start, purpose)
    return sign_credential(unsigned, key, start)


def sequence(list_credential: dict[str, Any]) -> datetime:
    """Where the list stands among the issuer's lists: its validFrom (raise BadgeError if none)."""
    value = list_credential.get("validFrom")
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise BadgeError(f"status list {list_credential.get('id')}: validFrom {value!r} is not a "
                         "date-time with a time zone")
    return moment


def newer(candidate: dict[str, Any], than: dict[str, Any]) -> bool:
    """Whether `candidate` was signed after `than` (both lists verified, of one issuer)."""
    return sequence(candidate) > sequence(than)


def union(first: dict[str, Any], second: dict[str, Any]) -> bytearray:
    """The bits set in either list: what both say is revoked."""
    a, b = read_bits(first), read_bits(second)
    if len(a) != len(b):
        raise BadgeError(f"status list {first.get('id')}: versions of {len(a) * 8} and "
                         f"{len(b) * 8} entries cannot be merged")
    return bytearray(x | y for x, y in zip(a, b, strict=True))


def is_set(list_credential: dict[str, Any], index: int) -> bool:
    return bit_is_set(read_bits(list_credential), index)
