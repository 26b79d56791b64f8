from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.badge import BadgeError
from microcred.badge.credential import (
    Recipient,
    build_credential,
    recipient_from_login,
    valid_until,
)
from microcred.badge.verify import schema_errors
from microcred.model import Credential, Rubric
from tests.badge.conftest import BASE_URL, EVIDENCE_URL, ISSUED, LIST_URL, required_levels

PAGE = f"{BASE_URL}/my-credential/v0.1.0/credentials/my-credential/"


def build(sample: tuple[Credential, list[Rubric]], **changes: Any) -> dict[str, Any]:
    credential, rubrics = sample
    arguments: dict[str, Any] = {
        "badge_id": "urn:uuid:00000000-0000-4000-8000-000000000000",
        "issuer_id": "did:key:z6MkhmRLt4B8XxspzBpAfxMZAfYLwZ7TXLK9tgSs4xHyvDpr",
        "recipient": Recipient(id="did:example:learner"),
        "achieved": required_levels(rubrics),
        "issued": ISSUED,
        "base_url": BASE_URL,
        "evidence_url": EVIDENCE_URL,
    }
    return build_credential(credential, rubrics, **{**arguments, **changes})


def test_the_badge_describes_the_credential_version(unsigned: dict[str, Any]) -> None:
    assert unsigned["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert unsigned["issuer"]["name"] == "Your organisation"
    assert unsigned["validFrom"] == unsigned["awardedDate"] == "2025-01-15T12:00:00Z"
    assert unsigned["validUntil"] == "2027-01-15T12:00:00Z"  # valid_for: P2Y
    achievement = unsigned["credentialSubject"]["achievement"]
    assert achievement["id"] == PAGE
    assert achievement["version"] == "0.1.0"
    assert achievement["criteria"] == {
        "id": f"{PAGE}#criteria",
        "narrative": "Complete every module; a coach confirms each rubric criterion at its required level.",
    }
    assert achievement["image"] == {"id": f"{BASE_URL}/images/my-credential.svg", "type": "Image"}
    assert achievement["alignment"][0]["targetCode"] == "S-1"
    assert unsigned["evidence"][0]["id"] == EVIDENCE_URL
    assert unsigned["credentialStatus"]["statusListCredential"] == LIST_URL
    assert unsigned["credentialStatus"]["statusListIndex"] == "7"


def test_results_reference_the_rubric_levels(unsigned: dict[str, Any]) -> None:
    subject = unsigned["credentialSubject"]
    descriptions = {d["id"]: d for d in subject["achievement"]["resultDescription"]}
    observation = descriptions[f"{PAGE}#rubric-observation-evidence"]
    assert observation["allowedValue"] == ["Not yet", "Developing", "Proficient", "Exemplary"]
    assert observation["requiredLevel"] == f"{PAGE}#rubric-observation-evidence-proficient"
    assert observation["rubricCriterionLevel"][2]["description"] == "Notes are verbatim and time-stamped."
    for result in subject["result"]:
        levels = {lv["id"] for lv in descriptions[result["resultDescription"]]["rubricCriterionLevel"]}
        assert result["achievedLevel"] in levels
    assert len(subject["result"]) == len(descriptions)


def test_login_is_hashed_with_its_salt(unsigned: dict[str, Any]) -> None:
    identity = unsigned["credentialSubject"]["identifier"][0]
    digest = hashlib.sha256(b"ada-lovelace" + b"s4lt").hexdigest()
    assert identity == {
        "type": "IdentityObject", "identityHash": f"sha256${digest}",
        "identityType": "ext:GitHubLogin", "hashed": True, "salt": "s4lt",
    }
    assert "id" not in unsigned["credentialSubject"]
    assert "Ada" not in str(unsigned)


def test_subject_id_without_identity(sample: tuple[Credential, list[Rubric]]) -> None:
    document = build(sample)
    assert document["credentialSubject"]["id"] == "did:example:learner"
    assert "identifier" not in document["credentialSubject"]
    assert "credentialStatus" not in document
    with pytest.raises(BadgeError, match="recipient needs an id"):
        build(sample, recipient=Recipient())


def test_unsigned_badge_meets_the_1edtech_schema_apart_from_proof(unsigned: dict[str, Any]) -> None:
    assert schema_errors(unsigned) == []


def test_every_level_problem_is_reported_at_once(sample: tuple[Credential, list[Rubric]]) -> None:
    achieved = {"observation": {"evidence": "developing", "patterns": "stellar"}, "nope": {}}
    with pytest.raises(BadgeError) as caught:
        build(sample, achieved=achieved)
    message = str(caught.value)
    assert "rubric 'first-module', criterion" in message and "no achieved level" in message
    assert "criterion 'evidence': 'developing' is below the required 'proficient'" in message
    assert "criterion 'patterns': unknown level 'stellar'" in message
    assert "rubric 'nope': not a rubric of this credential" in message


def test_no_valid_for_means_no_valid_until(sample: tuple[Credential, list[Rubric]]) -> None:
    credential, rubrics = sample
    assert "validUntil" not in build((replace(credential, valid_for=""), rubrics))


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        ("P3Y", datetime(2027, 2, 28, tzinfo=UTC)),
        ("P1M", datetime(2024, 3, 29, tzinfo=UTC)),
        ("P18M", datetime(2025, 8, 29, tzinfo=UTC)),
        ("P2W", datetime(2024, 3, 14, tzinfo=UTC)),
        ("P1Y10D", datetime(2025, 3, 10, tzinfo=UTC)),
    ],
)
def test_valid_until_adds_calendar_durations(duration: str, expected: datetime) -> None:
    assert valid_until(datetime(2024, 2, 29, tzinfo=UTC), duration) == expected


@pytest.mark.parametrize("duration", ["P", "3Y", "PT5H", "P1.5Y"])
def test_bad_durations_are_refused(duration: str) -> None:
    with pytest.raises(BadgeError, match="is not an ISO 8601 duration"):
        valid_until(ISSUED, duration)


def test_recipient_from_login_is_case_insensitive() -> None:
    assert recipient_from_login("Ada", "x") == recipient_from_login("ada", "x")
    assert recipient_from_login("ada", "x") != recipient_from_login("ada", "y")


def test_naive_times_are_refused(sample: tuple[Credential, list[Rubric]]) -> None:
    with pytest.raises(BadgeError, match="with a time zone"):
        build(sample, issued=datetime(2025, 1, 1))
