"""Badge fixtures: the sample course's credential and rubrics, a fixed test key, a signed badge."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcred.badge.credential import StatusEntry, build_credential, recipient_from_login
from microcred.badge.keys import SigningKey, did_key_signer, parse_secret
from microcred.badge.sign import sign_credential
from microcred.badge.status import create_status_list
from microcred.content.loader import load_course
from microcred.model import Credential, Rubric
from tests.conftest import DATA

# TEST KEY ONLY: the seed the shared reference verifier uses, so signatures can be compared.
TEST_SEED = "9b1c1d3f5e7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c"
OTHER_SEED = "00" * 31 + "01"
ISSUED = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 1, 1, tzinfo=UTC)
BASE_URL = "https://courses.example.org"
LIST_URL = "https://courses.example.org/status/1"
EVIDENCE_URL = "https://github.com/example/course/pull/42"
BADGE_ID = "urn:uuid:2f0d5f5c-5d1e-4c55-9b8e-4f3f6d1b7a10"
INDEX = 7


@pytest.fixture(scope="session")
def sample() -> tuple[Credential, list[Rubric]]:
    course = load_course(Path(DATA / "course")).course
    credential = course.credentials["my-credential"]
    return credential, [course.rubrics[course.modules[m].rubric] for m in credential.modules]


@pytest.fixture(scope="session")
def key() -> SigningKey:
    return did_key_signer(parse_secret(TEST_SEED))


@pytest.fixture(scope="session")
def other_key() -> SigningKey:
    return did_key_signer(parse_secret(OTHER_SEED))


def required_levels(rubrics: list[Rubric]) -> dict[str, dict[str, str]]:
    return {r.id: {c.id: c.required for c in r.criteria} for r in rubrics}


def make_unsigned(sample: tuple[Credential, list[Rubric]], key: SigningKey) -> dict[str, Any]:
    credential, rubrics = sample
    return build_credential(
        credential, rubrics,
        badge_id=BADGE_ID,
        issuer_id=key.controller,
        recipient=recipient_from_login("Ada-Lovelace", "s4lt"),
        achieved=required_levels(rubrics),
        issued=ISSUED,
        base_url=BASE_URL,
        evidence_url=EVIDENCE_URL,
        status=StatusEntry(LIST_URL, INDEX),
    )


@pytest.fixture
def unsigned(sample: tuple[Credential, list[Rubric]], key: SigningKey) -> dict[str, Any]:
    return make_unsigned(sample, key)


@pytest.fixture(scope="session")
def _signed_once(sample: tuple[Credential, list[Rubric]], key: SigningKey) -> dict[str, Any]:
    return sign_credential(make_unsigned(sample, key), key, ISSUED)


@pytest.fixture
def badge(_signed_once: dict[str, Any]) -> dict[str, Any]:
    """A signed badge a test may change."""
    return copy.deepcopy(_signed_once)


@pytest.fixture(scope="session")
def _status_list_once(key: SigningKey) -> dict[str, Any]:
    return create_status_list(LIST_URL, key, ISSUED)


@pytest.fixture
def status_list(_status_list_once: dict[str, Any]) -> dict[str, Any]:
    """A signed, empty revocation list at LIST_URL."""
    return copy.deepcopy(_status_list_once)
