"""How a badge is shared: its verification page, its baked image, and an "add to profile" link.

Pure: links are built from the badge and the site's address; nothing is fetched or sent. The
profile link follows LinkedIn's documented "Add to profile" URL pattern for certifications
(https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&...): the learner opens it
signed in, checks the fields and saves. `organizationId` (the issuer's numeric LinkedIn page id,
an mkdocs.yml option) links the certification to the issuer's page; without it the issuer's
name is sent as `organizationName`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True)
class Share:
    verify_url: str  # the badge's verification page, absolute
    badge_url: str  # the signed badge.json, absolute
    image_url: str  # the baked image, absolute ('' when there is none)
    profile_url: str  # LinkedIn "add to profile", prefilled


def share_links(badge: Mapping[str, Any], page_url: str, image: str,
                organization_id: str = "") -> Share:
    """The links of one published badge whose page is at `page_url` (ending in '/')."""
    return Share(page_url, page_url + "badge.json", page_url + image if image else "",
                 profile_url(badge, page_url, organization_id))


def profile_url(badge: Mapping[str, Any], page_url: str, organization_id: str = "") -> str:
    """LinkedIn's add-a-certification link, prefilled from the badge."""
    issuer = badge.get("issuer")
    params = {"startTask": "CERTIFICATION_NAME", "name": str(badge.get("name", ""))}
    if organization_id:
        params["organizationId"] = organization_id
    else:
        params["organizationName"] = str(issuer.get("name", "")) if isinstance(issuer, dict) else ""
    params |= _month("issue", badge.get("awardedDate") or badge.get("validFrom"))
    params |= _month("expiration", badge.get("validUntil"))
    params["certUrl"] = page_url
    params["certId"] = str(badge.get("id", "")).removeprefix("urn:uuid:")
    return f"{LINKEDIN_ADD}?{urlencode(params, quote_via=quote)}"


def _month(prefix: str, value: Any) -> dict[str, str]:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return {}
    return {f"{prefix}Year": str(moment.year), f"{prefix}Month": str(moment.month)}
