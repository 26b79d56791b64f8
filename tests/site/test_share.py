"""The share links of a badge: LinkedIn's add-to-profile pattern, prefilled; nothing fetched."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from microcred.site.share import profile_url, share_links

BADGE = {"name": "Strategic Leadership: Equity", "issuer": {"name": "Our district"},
         "id": "urn:uuid:bf3270a6-a31d-45fa-a8c2-3788015a8879",
         "awardedDate": "2026-12-04T08:39:25Z", "validUntil": "2029-03-01T00:00:00Z"}
PAGE = "https://demo.example.org/microcred/badges/bf3270a6-a31d-45fa-a8c2-3788015a8879/"


def test_the_links_of_a_published_badge() -> None:
    share = share_links(BADGE, PAGE, "badge.svg", "1337")
    assert (share.verify_url, share.badge_url, share.image_url) == (
        PAGE, PAGE + "badge.json", PAGE + "badge.svg")
    query = parse_qs(urlsplit(share.profile_url).query)
    assert query == {"startTask": ["CERTIFICATION_NAME"], "name": [BADGE["name"]],
                     "organizationId": ["1337"], "issueYear": ["2026"], "issueMonth": ["12"],
                     "expirationYear": ["2029"], "expirationMonth": ["3"], "certUrl": [PAGE],
                     "certId": ["bf3270a6-a31d-45fa-a8c2-3788015a8879"]}
    assert share_links(BADGE, PAGE, "").image_url == ""


def test_without_an_organisation_id_the_issuer_is_named() -> None:
    badge = {"name": "X", "issuer": {"name": "Our district"}, "id": "urn:uuid:1",
             "validFrom": "2026-03-01T00:00:00Z"}
    query = parse_qs(urlsplit(profile_url(badge, "https://s/b/")).query)
    assert query["organizationName"] == ["Our district"] and "organizationId" not in query
