"""Build the unsigned OpenBadgeCredential (VC Data Model 2.0 + Open Badges 3.0) for one award. Pure."""

from __future__ import annotations

import calendar
import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from microcred.badge import BadgeError
from microcred.badge.contexts import OB_EXTENSIONS, OB_V3, VC_V2
from microcred.badge.sign import xsd_datetime
from microcred.model import Alignment, Credential, Rubric

OB_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
GITHUB_LOGIN = "ext:GitHubLogin"
EMAIL = "emailAddress"  # an IdentifierTypeEnum value of OB 3.0
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass(frozen=True)
class Identity:
    """One more hashed identifier of the recipient (an OB 3.0 IdentityObject)."""

    identity_hash: str  # "sha256$<hex>"
    identity_type: str
    salt: str


@dataclass(frozen=True)
class Recipient:
    """Who earned the badge: a subject `id` (a DID or URN) and/or a hashed identity."""

    id: str = ""
    identity_hash: str = ""  # "sha256$<hex>"
    identity_type: str = GITHUB_LOGIN
    salt: str = ""
    also: tuple[Identity, ...] = ()  # e.g. a hashed email address an institution can match


@dataclass(frozen=True)
class Part:
    """A badge a stacked credential is built from: its achievement, and the badge itself."""

    name: str
    achievement_id: str
    badge_id: str
    valid_until: datetime | None = None


def part_of(badge: Mapping[str, Any]) -> Part:
    """The part a signed badge stands for in a stacked credential."""
    achievement = badge["credentialSubject"]["achievement"]
    until = badge.get("validUntil")
    return Part(str(achievement["name"]), str(achievement["id"]), str(badge["id"]),
                datetime.fromisoformat(until) if isinstance(until, str) else None)


def stacked_until(parts: Sequence[Part], at_least: int) -> datetime | None:
    """When fewer than `at_least` of `parts` remain in date: the `at_least`-th latest expiry
    (None: never, when that many parts never expire)."""
    ends = sorted((p.valid_until for p in parts if p.valid_until is not None), reverse=True)
    never = len(parts) - len(ends)
    if at_least <= never or not parts:
        return None
    return ends[min(at_least - never, len(ends)) - 1]


@dataclass(frozen=True)
class StatusEntry:
    """Where the badge's revocation bit lives in a Bitstring Status List."""

    list_url: str
    index: int


def new_badge_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def new_salt() -> str:
    return secrets.token_hex(16)


def recipient_from_login(login: str, salt: str) -> Recipient:
    """Identify a learner by their GitHub login, hashed with a salt as OB 3.0 IdentityObject asks.

    GitHub logins are case-insensitive, so the lower-cased login is hashed.
    """
    digest = hashlib.sha256((login.lower() + salt).encode("utf-8")).hexdigest()
    return Recipient(identity_hash=f"sha256${digest}", salt=salt)


def hashed_identity(value: str, salt: str) -> str:
    """OB 3.0 IdentityHash: 'sha256$' and the hex SHA-256 of the value followed by the salt."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def email_identity(email: str, salt: str) -> Identity:
    """An email address as an IdentityObject, hashed with a salt; trimmed and lower-cased first,
    so the institution's own copy of the address hashes the same."""
    return Identity(hashed_identity(email.strip().lower(), salt), EMAIL, salt)


def achievement_url(base_url: str, credential: Credential) -> str:
    """Return the page of this version of the credential (the site's `<id>/v<version>/` edition)."""
    return f"{base_url.rstrip('/')}/{credential.id}/v{credential.version}/credentials/{credential.id}/"


def valid_until(issued: datetime, duration: str) -> datetime | None:
    """Add an ISO 8601 duration of years, months, weeks and days; None when there is none."""
    if not duration:
        return None
    match = _DURATION.match(duration)
    if not match or not any(match.groups()):
        raise BadgeError(f"valid_for: {duration!r} is not an ISO 8601 duration such as P3Y or P18M")
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    month_index = issued.month - 1 + months + 12 * years
    year, month = issued.year + month_index // 12, month_index % 12 + 1
    day = min(issued.day, calendar.monthrange(year, month)[1])
    return issued.replace(year=year, month=month, day=day) + timedelta(weeks=weeks, days=days)


def build_credential(
    credential: Credential,
    rubrics: Sequence[Rubric],
    *,
    badge_id: str,
    issuer_id: str,
    recipient: Recipient,
    achieved: Mapping[str, Mapping[str, str]],
    issued: datetime,
    base_url: str,
    evidence_url: str,
    status: StatusEntry | None = None,
    page_url: str = "",
    evidence: Sequence[tuple[str, str]] = (),
    parts: Sequence[Part] = (),
    at_least: int = 0,
) -> dict[str, Any]:
    """Return the unsigned OpenBadgeCredential for one learner's award of `credential`.

    `achieved` maps rubric id → criterion id → level id, for every criterion of every rubric.
    `page_url` overrides the credential page (achievement id) derived from `base_url`.
    `evidence` lists (url, name) of each reviewed submission; without it, `evidence_url` alone.
    `parts` are the badges a stacked credential counts (`at_least` of them needed): each is
    linked from the achievement (an `alignment` to its achievement, typed ceterms:Credential)
    and from the evidence (the part badge's id), and the badge expires when too few remain.
    """
    _check_achieved(rubrics, achieved)
    achievement_id = page_url or achievement_url(base_url, credential)
    document: dict[str, Any] = {
        "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
        "id": badge_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": credential.title,
        "issuer": _issuer(credential, issuer_id),
        "validFrom": xsd_datetime(issued),
        "awardedDate": xsd_datetime(issued),
        "credentialSubject": {
            **({"id": recipient.id} if recipient.id else {}),
            "type": ["AchievementSubject"],
            **_identifier(recipient),
            "achievement": _achievement(credential, rubrics, achievement_id, base_url, parts),
            "result": _results(rubrics, achieved, achievement_id),
        },
        "evidence": [{
            "id": url,
            "type": ["Evidence"],
            "name": name,
            "narrative": "The learner's merged submission, reviewed by a coach against the rubrics.",
        } for url, name in (evidence or ([] if parts else [(evidence_url, "Reviewed submission")]))]
        + [_part_evidence(part) for part in parts],
        "credentialSchema": [{"id": OB_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    until = _earliest(valid_until(issued, credential.valid_for), stacked_until(parts, at_least))
    if until is not None:
        document["validUntil"] = xsd_datetime(until)
    if status is not None:
        document["credentialStatus"] = status_entry(status)
    return document


def status_entry(status: StatusEntry, purpose: str = "revocation") -> dict[str, Any]:
    return {
        "id": f"{status.list_url}#{status.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(status.index),
        "statusListCredential": status.list_url,
    }


def _check_achieved(rubrics: Sequence[Rubric], achieved: Mapping[str, Mapping[str, str]]) -> None:
    problems: list[str] = []
    for rubric in rubrics:
        levels = achieved.get(rubric.id, {})
        for criterion in rubric.criteria:
            level = levels.get(criterion.id)
            where = f"rubric {rubric.id!r}, criterion {criterion.id!r}"
            if level is None:
                problems.append(f"{where}: no achieved level")
            elif rubric.level_rank(level) < 0:
                problems.append(f"{where}: unknown level {level!r}")
            elif rubric.level_rank(level) < rubric.level_rank(criterion.required):
                problems.append(f"{where}: {level!r} is below the required {criterion.required!r}")
    unknown = sorted(set(achieved) - {rubric.id for rubric in rubrics})
    problems += [f"rubric {rid!r}: not a rubric of this credential" for rid in unknown]
    if problems:
        raise BadgeError("cannot award the badge: " + "; ".join(problems))


def _issuer(credential: Credential, issuer_id: str) -> dict[str, Any]:
    issuer: dict[str, Any] = {
        "id": issuer_id,
        "type": ["Profile"],
        "name": credential.issuer.name,
        "url": credential.issuer.url,
    }
    if credential.issuer.email:
        issuer["email"] = credential.issuer.email
    return issuer


def _identifier(recipient: Recipient) -> dict[str, Any]:
    if not recipient.identity_hash:
        if not recipient.id:
            raise BadgeError("recipient needs an id (a DID or URN) or a hashed identity")
        return {}
    identity: dict[str, Any] = {
        "type": "IdentityObject",
        "identityHash": recipient.identity_hash,
        "identityType": recipient.identity_type,
        "hashed": True,
    }
    if recipient.salt:
        identity["salt"] = recipient.salt
    return {"identifier": [identity] + [{
        "type": "IdentityObject", "identityHash": other.identity_hash,
        "identityType": other.identity_type, "hashed": True, "salt": other.salt,
    } for other in recipient.also]}


def _earliest(*ends: datetime | None) -> datetime | None:
    return min((end for end in ends if end is not None), default=None)


def _part_evidence(part: Part) -> dict[str, Any]:
    return {
        "id": part.badge_id,
        "type": ["Evidence"],
        "name": f"Badge held: {part.name}",
        "narrative": "A badge this credential is built from, verified when this one was issued.",
    }


def _part_alignment(part: Part) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetName": part.name,
        "targetUrl": part.achievement_id,
        "targetType": "ceterms:Credential",
        "targetDescription": "A credential this one is built from.",
    }


def _achievement(
    credential: Credential, rubrics: Sequence[Rubric], achievement_id: str, base_url: str,
    parts: Sequence[Part] = (),
) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": credential.description.strip() or credential.title,
        "version": credential.version,
        "criteria": {"id": f"{achievement_id}#criteria", "narrative": credential.criteria.strip()},
        "resultDescription": [
            _result_description(rubric, index, achievement_id)
            for rubric in rubrics for index in range(len(rubric.criteria))
        ],
    }
    if credential.image:
        achievement["image"] = {"id": f"{base_url.rstrip('/')}/{credential.image}", "type": "Image"}
    aligned = [_alignment(a) for a in credential.alignments] + [_part_alignment(p) for p in parts]
    if aligned:
        achievement["alignment"] = aligned
    return achievement


def _criterion_id(achievement_id: str, rubric: Rubric, criterion_id: str) -> str:
    return f"{achievement_id}#rubric-{rubric.id}-{criterion_id}"


def _level_id(achievement_id: str, rubric: Rubric, criterion_id: str, level_id: str) -> str:
    return f"{_criterion_id(achievement_id, rubric, criterion_id)}-{level_id}"


def _result_description(rubric: Rubric, index: int, achievement_id: str) -> dict[str, Any]:
    criterion = rubric.criteria[index]
    levels = [
        {
            "id": _level_id(achievement_id, rubric, criterion.id, level.id),
            "type": ["RubricCriterionLevel"],
            "name": level.name,
            **({"description": d} if (d := criterion.descriptors.get(level.id, "").strip()) else {}),
        }
        for level in rubric.levels
    ]
    return {
        "id": _criterion_id(achievement_id, rubric, criterion.id),
        "type": ["ResultDescription"],
        "name": f"{rubric.title}: {criterion.name}",
        "resultType": "RubricCriterionLevel",
        "allowedValue": [level.name for level in rubric.levels],
        "requiredLevel": _level_id(achievement_id, rubric, criterion.id, criterion.required),
        "requiredValue": rubric.level_name(criterion.required),
        "rubricCriterionLevel": levels,
    }


def _results(
    rubrics: Sequence[Rubric], achieved: Mapping[str, Mapping[str, str]], achievement_id: str
) -> list[dict[str, Any]]:
    return [
        {
            "type": ["Result"],
            "resultDescription": _criterion_id(achievement_id, rubric, criterion.id),
            "achievedLevel": _level_id(achievement_id, rubric, criterion.id, level),
            "value": rubric.level_name(level),
        }
        for rubric in rubrics for criterion in rubric.criteria
        if (level := achieved[rubric.id][criterion.id])
    ]


def _alignment(alignment: Alignment) -> dict[str, Any]:
    optional = {
        "targetFramework": alignment.target_framework,
        "targetCode": alignment.target_code,
        "targetDescription": alignment.target_description,
        "targetType": alignment.target_type,
    }
    return {
        "type": ["Alignment"],
        "targetName": alignment.target_name,
        "targetUrl": alignment.target_url,
        **{key: value for key, value in optional.items() if value},
    }
