from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.badge.keys import SigningKey, did_web, did_web_document, did_web_signer
from microcred.badge.sign import sign_credential
from microcred.badge.status import create_status_list, encode_list, read_bits, update_status_list, with_bit
from microcred.badge.verify import verify_credential
from tests.badge.conftest import INDEX, ISSUED, LATER, LIST_URL
from tests.badge.documents import mutated

Path = tuple[str | int, ...]


def verify(badge: dict[str, Any], status_list: dict[str, Any], **kwargs: Any) -> Any:
    now = kwargs.pop("now", LATER)
    return verify_credential(badge, now=now, status_lists={LIST_URL: status_list}, **kwargs)


def test_a_fresh_badge_passes_every_check(badge: dict[str, Any], status_list: dict[str, Any]) -> None:
    result = verify(badge, status_list)
    assert [c.name for c in result.checks] == ["signature", "validity", "schema", "status"]
    assert result.verified and result.errors == []


def leaves(node: Any, path: Path = ()) -> Iterator[Path]:
    """Every string and boolean leaf of a document, by path."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    elif isinstance(node, str | bool):
        yield path


def tamper(document: dict[str, Any], path: Path) -> None:
    *parents, last = path
    node: Any = document
    for step in parents:
        node = node[step]
    value = node[last]
    node[last] = (not value) if isinstance(value, bool) else value + "x"


def test_tampering_with_any_signed_field_fails(badge: dict[str, Any], status_list: dict[str, Any]) -> None:
    # The proof covers the whole document and the proof options: every leaf but proofValue itself.
    paths = [p for p in leaves(badge) if p != ("proof", 0, "proofValue")]
    assert len(paths) > 60
    survivors = []
    for path in paths:
        changed = copy.deepcopy(badge)
        tamper(changed, path)
        result = verify_credential(changed, now=LATER, status_lists={LIST_URL: status_list}, schema=False)
        if result.checks[0].passed:
            survivors.append(path)
    assert survivors == []


def test_tampering_names_the_signature(badge: dict[str, Any], status_list: dict[str, Any]) -> None:
    result = badge["credentialSubject"]["result"][0]
    result["achievedLevel"] = result["achievedLevel"].replace("proficient", "exemplary")
    assert verify(badge, status_list).errors == [
        "signature: the signature does not match the content (altered, or another key)"
    ]


def test_removing_a_field_fails(badge: dict[str, Any], status_list: dict[str, Any]) -> None:
    del badge["validUntil"]
    assert not verify(badge, status_list).checks[0].passed


def test_wrong_key_fails(
    unsigned: dict[str, Any], other_key: SigningKey, status_list: dict[str, Any]
) -> None:
    unsigned["issuer"]["id"] = other_key.controller
    forged = sign_credential(unsigned, other_key, ISSUED)
    forged["issuer"]["id"] = status_list["issuer"]  # claim the real issuer, keep the other signature
    message = verify(forged, status_list).errors[0]
    assert message.startswith("signature: signed by did:key:") and "but the issuer is" in message


def test_signature_from_another_key_fails(
    unsigned: dict[str, Any], badge: dict[str, Any], other_key: SigningKey, status_list: dict[str, Any]
) -> None:
    unsigned["issuer"]["id"] = other_key.controller
    badge["proof"][0]["proofValue"] = sign_credential(unsigned, other_key, ISSUED)["proof"][0]["proofValue"]
    assert "does not match the content" in verify(badge, status_list).errors[0]


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (datetime(2027, 1, 15, 12, tzinfo=UTC), "expired at validUntil 2027-01-15T12:00:00Z"),
        (datetime(2025, 1, 15, 11, 59, tzinfo=UTC), "not valid before validFrom 2025-01-15T12:00:00Z"),
    ],
)
def test_outside_the_validity_period_fails(
    badge: dict[str, Any], status_list: dict[str, Any], now: datetime, message: str
) -> None:
    # The status list is not yet valid before it was issued either; only the badge's dates matter here.
    assert f"validity: {message}" in verify(badge, status_list, now=now).errors


def test_revoked_fails(badge: dict[str, Any], status_list: dict[str, Any], key: SigningKey) -> None:
    revoked = update_status_list(status_list, INDEX, True, key, LATER)
    assert verify(badge, revoked).errors == [
        "status: revocation bit 7 is set: the credential is revoked"
    ]
    other_bit = update_status_list(status_list, INDEX + 1, True, key, LATER)
    assert verify(badge, other_bit).verified


def test_status_fails_closed(badge: dict[str, Any], status_list: dict[str, Any]) -> None:
    assert verify_credential(badge, now=LATER).errors == [
        f"status: status list {LIST_URL!r} is not available locally"
    ]
    forged = copy.deepcopy(status_list)  # a list edited without the issuer's key
    forged["credentialSubject"]["encodedList"] = encode_list(with_bit(read_bits(status_list), 0, True))
    assert verify(badge, forged).errors == [
        f"status: status list {LIST_URL}: the signature does not match the content (altered, or another key)"
    ]
    badge_other_type = copy.deepcopy(badge)
    badge_other_type["credentialStatus"]["type"] = "StatusList2021Entry"
    errors = verify_credential(badge_other_type, now=LATER, schema=False).errors
    assert "status: unsupported credentialStatus type 'StatusList2021Entry'" in errors


def test_status_list_from_another_issuer_fails(badge: dict[str, Any], other_key: SigningKey) -> None:
    foreign = create_status_list(LIST_URL, other_key, ISSUED)
    assert "is issued by" in verify(badge, foreign).errors[0]


def test_schema_errors_name_the_path(badge: dict[str, Any], status_list: dict[str, Any]) -> None:
    badge["proof"] = badge["proof"][0]  # an object: valid VC, but the strict OB 3.0 schema wants an array
    result = verify(badge, status_list)
    assert result.checks[0].passed
    assert len(result.errors) == 1
    assert result.errors[0].startswith("schema: $.proof: {")
    assert result.errors[0].endswith("is not of type 'array'")


def test_did_web_badges_verify_with_their_did_document(unsigned: dict[str, Any], key: SigningKey) -> None:
    did = did_web("courses.example.org")
    web_key = did_web_signer(key.private, did)
    unsigned["issuer"]["id"] = did
    del unsigned["credentialStatus"]
    signed = sign_credential(unsigned, web_key, ISSUED)
    result = verify_credential(signed, now=LATER, did_documents={did: did_web_document(web_key)})
    assert result.verified, result.errors
    assert "never fetched" in verify_credential(signed, now=LATER).errors[0]


def test_undefined_terms_in_a_received_badge_fail(badge: dict[str, Any], status_list: dict[str, Any]) -> None:
    badge["credentialSubject"]["colour"] = "teal"  # an unsigned term a verifier would otherwise ignore
    assert "term 'colour' is not defined" in verify(badge, status_list).errors[0]



@pytest.mark.parametrize("change", ["no-context", "keyword-id"])
def test_malformed_json_ld_is_a_finding_not_a_crash(
    badge: dict[str, Any], status_list: dict[str, Any], change: str
) -> None:
    if change == "no-context":
        del badge["@context"]
    else:
        badge["evidence"][0]["id"] = "@A"
    result = verify_credential(badge, now=LATER, status_lists={LIST_URL: status_list})
    assert not result.verified
    assert result.errors[0].startswith("signature: ")


# Crafted and broken input: a finding each, never an exception (issue 17, case 12)

CRAFTED: dict[str, tuple[Path, Any, str]] = {
    "null proof": (("proof",), [None], "signature: the proof is a JSON null, not an object"),
    "string proof": (("proof",), ["x"], "signature: the proof is a JSON string, not an object"),
    "statusSize": (("credentialStatus", "statusSize"), "x",
                   "status: statusSize 'x' is not supported (only 1)"),
    "superscript index": (("credentialStatus", "statusListIndex"), "²",
                          "status: statusListIndex '²' is not a number (a string of digits 0-9)"),
    "lone surrogate": (("validFrom",), "2025-01-15T12:00:00Z\ud800",
                       "document: $.validFrom: text that is not valid Unicode (surrogates not "
                       "allowed: \\ud800)"),
    "date-like": (("validFrom",), "2025-01-15", "validity: validFrom '2025-01-15' is not a date-time "
                  "such as 2025-01-15T12:00:00Z"),
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_crafted_fields_are_findings(badge: dict[str, Any], status_list: dict[str, Any], case: str) -> None:
    path, value, error = CRAFTED[case]
    set_at(badge, path, value)
    result = verify(badge, status_list)
    assert not result.verified
    assert error in result.errors


def test_an_empty_object_says_what_is_missing(status_list: dict[str, Any]) -> None:
    errors = verify({}, status_list).errors
    assert "validity: validFrom is missing: a credential says when it starts to hold" in errors
    assert not any("None" in error for error in errors)


@pytest.mark.parametrize("document", [[], "badge", None, {"a": [[[[]]]] * 2}])
def test_anything_but_an_object_is_a_document_finding(document: Any, status_list: dict[str, Any]) -> None:
    result = verify_credential(document, now=LATER, status_lists={LIST_URL: status_list})
    assert not result.verified
    assert [c.name for c in result.checks] in (["document"], ["signature", "validity", "schema", "status"])


def test_deep_nesting_is_refused_before_any_processing(badge: dict[str, Any],
                                                       status_list: dict[str, Any]) -> None:
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    badge["evidence"] = deep
    assert verify(badge, status_list).errors == ["document: $.evidence" + "[0]" * 47
                                                 + ": nested deeper than 48 levels"]


def set_at(document: Any, path: Path, value: Any) -> None:
    *parents, last = path
    node = document
    for step in parents:
        node = node[step]
    node[last] = value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_verify_never_raises_on_mutated_badges(badge: dict[str, Any], status_list: dict[str, Any],
                                               data: st.DataObject) -> None:
    changed = data.draw(mutated(badge))
    result = verify_credential(changed, now=LATER, status_lists={LIST_URL: status_list})
    assert all(check.passed or check.message for check in result.checks)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_verify_never_raises_on_mutated_status_lists(badge: dict[str, Any], status_list: dict[str, Any],
                                                     data: st.DataObject) -> None:
    changed = data.draw(mutated(status_list))
    result = verify_credential(badge, now=LATER, status_lists={LIST_URL: changed})
    assert result.checks[-1].name == "status"
