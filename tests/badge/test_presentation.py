"""The learner record as a signed presentation: it verifies, and so does every badge inside."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from microcred.badge import BadgeError
from microcred.badge.keys import SigningKey
from microcred.badge.presentation import build_presentation, sign_presentation, verify_presentation
from tests.badge.conftest import ISSUED, LATER, LIST_URL

RECORD = "https://courses.example.org/learners/0123456789abcdef/record.json"
SITE = "courses.example.org"


def signed(key: SigningKey, badge: dict[str, Any]) -> dict[str, Any]:
    return sign_presentation(build_presentation(RECORD, key.controller, [badge]), key, ISSUED, SITE)


def outcome(presentation: dict[str, Any], status_list: dict[str, Any],
            **extra: Any) -> dict[str, bool]:
    return {name: check.verified for name, check in verify_presentation(
        presentation, now=LATER, status_lists={LIST_URL: status_list}, **extra)}


def test_the_record_and_its_badge_verify(key: SigningKey, badge: dict[str, Any],
                                         status_list: dict[str, Any]) -> None:
    record = signed(key, badge)
    assert record["proof"]["proofPurpose"] == "authentication"
    assert record["proof"]["challenge"] == RECORD and record["proof"]["domain"] == SITE
    assert outcome(record, status_list, issuer=key.controller, domain=SITE) == {
        "presentation": True, badge["id"]: True}


def test_a_badge_altered_inside_the_record_fails_both(key: SigningKey, badge: dict[str, Any],
                                                      status_list: dict[str, Any]) -> None:
    record = copy.deepcopy(signed(key, badge))
    record["verifiableCredential"][0]["name"] = "Something grander"
    assert outcome(record, status_list) == {"presentation": False, badge["id"]: False}


def test_another_domain_or_issuer_is_refused(key: SigningKey, other_key: SigningKey,
                                             badge: dict[str, Any],
                                             status_list: dict[str, Any]) -> None:
    record = signed(key, badge)
    assert not outcome(record, status_list, domain="elsewhere.example")["presentation"]
    assert not outcome(record, status_list, issuer=other_key.controller)["presentation"]
    with pytest.raises(BadgeError, match="is not the signing key's DID"):
        sign_presentation(build_presentation(RECORD, key.controller, [badge]), other_key,
                          ISSUED, SITE)
