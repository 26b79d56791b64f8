"""Ledger -> what the site publishes about badges. Pure: no mkdocs, no git, no file system.

Published, when the ledger has them:

    status/revocation.json       the signed status list, byte for byte (names no one)
    issuer.md                    the issuer page: organisation, DID, public key, how to verify
    <did:web path>/did.json      the DID document, when the issuer is a did:web under this site
    badges/<uuid>/index.md       one verification page per badge, for consenting learners only
    badges/<uuid>/badge.json     the signed badge, byte for byte
    badges/<uuid>/badge.svg|png  the credential's image with the badge baked in

Everything about a badge is derived from the badge itself and the consent of its learner; a
learner without consent contributes nothing here but their bit in the status list.

Only the issuer configured in mkdocs.yml counts (site/issuer.py): a badge is published only if
its signature verifies as that issuer's, the issuer page names that issuer alone, and the status
list published is the newest version in the ledger branch's history that the issuer signed.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any

from microcred.badge import BadgeError
from microcred.badge.bake import bake_png, bake_svg
from microcred.badge.presentation import verify_presentation
from microcred.badge.status import is_set
from microcred.content.consent import NO_CONSENT, Consent
from microcred.ledger import layout
from microcred.ledger.record import record_domain
from microcred.model import Course
from microcred.site.issuer import (
    OUTSIDE_DOCUMENT,
    BadgeSiteError,
    BadgeSiteOptions,
    Identity,
    did_document,
    identity,
    newest_status_list,
    signed_by_issuer,
    trusted_issuer,
)
from microcred.site.pages import PageSpec, _env, _rel, credential_uri, version_prefix
from microcred.site.record import RecordRow, record_page, record_uri
from microcred.site.share import Share, share_links

ISSUER_PAGE = "issuer.md"
STATUS_URI = layout.STATUS_LIST_URL_PATH
_UUID = re.compile(r"^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
# Markdown's backslash escapes; <, > and & are left to HTML escaping.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
ImageReader = Callable[[str], bytes | None]


@dataclass(frozen=True)
class LedgerBadge:
    """A signed badge as the ledger holds it: where, whose, and its exact bytes."""

    path: str
    login: str
    credential: str
    version: str
    raw: bytes
    data: dict[str, Any]

    @property
    def uuid(self) -> str:
        return _UUID.match(self.data["id"])[1]  # type: ignore[index]  # checked on reading

    @property
    def issuer(self) -> dict[str, Any]:
        issuer = self.data.get("issuer")
        return issuer if isinstance(issuer, dict) else {"id": str(issuer or "")}


@dataclass(frozen=True)
class Standing:
    """A badge's status on the day the site was built."""

    state: str  # "valid", "revoked", "expired" or "unknown"
    sentence: str


@dataclass(frozen=True)
class Output:
    """A file the site publishes; `page` Markdown is rendered, out of the navigation."""

    uri: str
    content: str | bytes
    page: bool = False


def ledger_badges(ledger: Mapping[str, bytes]) -> list[LedgerBadge]:
    """Every signed badge in the ledger, in path order; raise BadgeSiteError on one unreadable."""
    out = []
    for path in sorted(ledger):
        where = layout.parse_badge_path(path)
        if where is None:
            continue
        try:
            data = json.loads(ledger[path])
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadgeSiteError(f"{path} on the ledger branch is not JSON ({exc}); restore it "
                                 "from the branch's history") from None
        if not isinstance(data, dict) or not _UUID.match(str(data.get("id", ""))):
            raise BadgeSiteError(f"{path} on the ledger branch has no id of the form "
                                 "urn:uuid:<uuid>; restore it from the branch's history")
        out.append(LedgerBadge(path, *where, ledger[path], data))
    return out


def publish(ledger: Mapping[str, bytes], consents: Mapping[str, Consent], course: Course,
            released: Mapping[str, tuple[str, ...]], options: BadgeSiteOptions,
            read_image: ImageReader, status_history: Sequence[bytes] = (),
            warn: Callable[[str], None] = lambda message: None) -> list[Output]:
    """Everything the site publishes from the ledger; nothing when there is no ledger.

    `consents` is keyed by lower-case login; `released` lists the versions of each credential
    that have pages of their own; `read_image` returns a file under content/, or None;
    `status_history` holds the status list's versions on the ledger branch, newest first.
    What is left out (a badge or list the issuer did not sign) is said through `warn`.
    """
    if not ledger:
        return []
    trusted = trusted_issuer(options)
    identities = {trusted: identity(trusted, options)}  # checked first: it may need settings
    badges = issued_by(ledger_badges(ledger), options, warn)
    chosen = newest_status_list(ledger, status_history, options, warn)
    status_list = None if chosen is None else chosen[1]
    out = [Output(STATUS_URI, chosen[0])] if chosen is not None else []
    out += issuer_outputs(identities, status_list is not None, course, options)
    documents = {i.did: i.document_uri for i in identities.values() if i.document_uri}
    for badge in badges:
        consent = consents.get(badge.login.lower(), NO_CONSENT)
        if consent.public_page:
            out += badge_outputs(badge, consent, status_list, course, released, options,
                                 read_image, documents.get(str(badge.issuer.get("id")), ""))
    for login, raw in sorted(learner_records(ledger).items()):
        consent = consents.get(login, NO_CONSENT)
        if consent.publishes_record:
            out += record_outputs(login, raw, [b for b in badges if b.login.lower() == login],
                                  consent, status_list, course, options, warn)
    return out


def learner_records(ledger: Mapping[str, bytes]) -> dict[str, bytes]:
    """Each learner's signed record on the ledger branch, by lower-case login."""
    prefix = layout.RECORDS + "/"
    return {path.removeprefix(prefix).removesuffix(".json"): raw for path, raw in ledger.items()
            if path.startswith(prefix) and path.endswith(".json") and "/" not in path[len(prefix):]}


def record_outputs(login: str, raw: bytes, badges: list[LedgerBadge], consent: Consent,
                   status_list: dict[str, Any] | None, course: Course,
                   options: BadgeSiteOptions, warn: Callable[[str], None]) -> list[Output]:
    """The record page and record.json, when the issuer signed the record; else a warning."""
    where = layout.record_path(login)
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        record = None
    domain = record_domain(options.site_url)
    check = verify_presentation(record, now=options.built, did_documents=options.did_documents(),
                                issuer=options.issuer, domain=domain)[0][1] \
        if isinstance(record, dict) else None
    if check is None or not check.verified:
        warn(f"{where} on the ledger branch is not published: "
             f"{'; '.join(check.errors) if check else 'not a JSON object'}")
        return []
    inside = {str(b.get("id")) for b in record.get("verifiableCredential", []) if isinstance(b, dict)}
    rows = [record_row(b, course, status_list, options.built) for b in badges
            if b.data["id"] in inside]
    page = record_page(login, recipient=text(consent.recipient(
                           _programme_title(badges[0], course) if badges else "this course")),
                       rows=rows, record_url=layout.record_url(options.site_url, login),
                       domain=domain, built=options.built.date().isoformat())
    return [Output(page.src_uri, page.markdown, page=True),
            Output(record_uri(login, "record.json"), raw)]


def record_row(badge: LedgerBadge, course: Course, status_list: dict[str, Any] | None,
               now: datetime) -> RecordRow:
    data = badge.data
    credential = course.credentials.get(badge.credential)
    modules = tuple(text(course.modules[m].title) for m in credential.modules
                    if m in course.modules) if credential else ()
    parts = tuple(text(str(a.get("targetName", ""))) for a in
                  data.get("credentialSubject", {}).get("achievement", {}).get("alignment", [])
                  if isinstance(a, dict) and a.get("targetType") == "ceterms:Credential")
    return RecordRow(text(str(data.get("name", badge.credential))), text(badge.version),
                     _date(data.get("awardedDate") or data.get("validFrom")),
                     _date(data.get("validUntil")), standing_of(badge, status_list, now).state,
                     badge_uri(badge.uuid), modules, parts, tuple(results(data)))


def issued_by(badges: list[LedgerBadge], options: BadgeSiteOptions,
              warn: Callable[[str], None]) -> list[LedgerBadge]:
    """The badges whose signature is the configured issuer's; the others are named and left out."""
    kept = []
    for badge in badges:
        problem = signed_by_issuer(badge.data, options)
        if problem:
            warn(f"{badge.path} on the ledger branch is not published: {problem}; remove it "
                 "from the branch (it is not the issuer's)")
        else:
            kept.append(badge)
    return kept


# One badge


def badge_uri(uuid: str, name: str = "index.md") -> str:
    return f"badges/{uuid}/{name}"


def badge_outputs(badge: LedgerBadge, consent: Consent, status_list: dict[str, Any] | None,
                  course: Course, released: Mapping[str, tuple[str, ...]],
                  options: BadgeSiteOptions, read_image: ImageReader,
                  did_document_uri: str = "") -> list[Output]:
    """The verification page, the badge as issued, and its baked image."""
    image = baked_image(badge, course, options.site_url, read_image)
    here = badge_uri(badge.uuid)
    page = badge_page(badge, recipient=consent.recipient(_programme_title(badge, course)),
                      standing=standing_of(badge, status_list, options.built),
                      credential_page=credential_page(badge, course, released),
                      image=posixpath.basename(image.uri) if image else "",
                      built=options.built, did_document=did_document_uri,
                      share=share_links(badge.data, _absolute(options.site_url, here),
                                        posixpath.basename(image.uri) if image else "",
                                        options.linkedin_organization_id))
    files = [Output(here, page.markdown, page=True),
             Output(badge_uri(badge.uuid, "badge.json"), badge.raw)]
    return files + ([image] if image else [])


def standing_of(badge: LedgerBadge, status_list: dict[str, Any] | None, now: datetime) -> Standing:
    """Revoked, expired or valid on `now`, from the status list the badge names."""
    entry = badge.data.get("credentialStatus")
    entries = entry if isinstance(entry, list) else [entry] if isinstance(entry, dict) else []
    for item in entries:
        listed = status_list is not None and item.get("statusListCredential") == status_list.get("id")
        if not listed or item.get("statusPurpose") != "revocation":
            return Standing("unknown", "Its status list is not published with this site, so "
                            "this page cannot say whether it was revoked.")
        try:
            revoked = is_set(status_list, int(item["statusListIndex"]))  # type: ignore[arg-type]
        except (BadgeError, KeyError, ValueError):
            return Standing("unknown", "Its entry in the status list cannot be read.")
        if revoked:
            return Standing("revoked", "The issuer revoked this badge: it no longer certifies "
                            "anything.")
    until = _when(badge.data.get("validUntil"))
    if until is not None and until < now:
        return Standing("expired", f"It expired on {until.date().isoformat()}.")
    return Standing("valid", "Not revoked" + (", not expired." if until else ", and it does not "
                                              "expire."))


def credential_page(badge: LedgerBadge, course: Course,
                    released: Mapping[str, tuple[str, ...]]) -> str:
    """The page of the credential at the badge's version, or '' when the site has none."""
    current = course.credentials.get(badge.credential)
    if current is not None and current.version == badge.version:
        return credential_uri(badge.credential)
    if badge.version in released.get(badge.credential, ()):
        return credential_uri(badge.credential, version_prefix(badge.credential, badge.version))
    return ""


def _programme_title(badge: LedgerBadge, course: Course) -> str:
    credential = course.credentials.get(badge.credential)
    programme = course.programmes.get(credential.programme) if credential else None
    return programme.title if programme else "this programme"


def baked_image(badge: LedgerBadge, course: Course, site_url: str,
                read_image: ImageReader) -> Output | None:
    """The image the badge names (else the credential's current one), with the badge baked in."""
    achievement = badge.data.get("credentialSubject", {}).get("achievement", {})
    named = str((achievement.get("image") or {}).get("id", ""))
    base = site_url.rstrip("/") + "/"
    candidates = [named[len(base):]] if named.startswith(base) else []
    if badge.credential in course.credentials:
        candidates.append(course.credentials[badge.credential].image)
    for rel in candidates:
        data = read_image(rel)
        if data is None or not rel.endswith((".svg", ".png")):
            continue
        try:
            if rel.endswith(".png"):
                return Output(badge_uri(badge.uuid, "badge.png"), bake_png(data, badge.data))
            svg = bake_svg(data.decode("utf-8"), badge.data)
        except (BadgeError, UnicodeDecodeError) as exc:
            raise BadgeSiteError(f"content/{rel}: cannot bake a badge into this image ({exc}); "
                                 "save it again as a plain SVG or PNG") from None
        return Output(badge_uri(badge.uuid, "badge.svg"), svg.encode("utf-8"))
    return None


def _absolute(site_url: str, page_uri: str) -> str:
    """The published address of a generated page (`x/index.md` is served at `x/`)."""
    return f"{site_url.rstrip('/')}/{posixpath.dirname(page_uri)}/"


def badge_page(badge: LedgerBadge, *, recipient: str, standing: Standing, credential_page: str,
               image: str, built: datetime, did_document: str = "",
               share: Share | None = None) -> PageSpec:
    here = badge_uri(badge.uuid)
    data = badge.data
    subject = data.get("credentialSubject", {})
    achievement = subject.get("achievement", {})
    issuer = badge.issuer
    md = _env().get_template("badge.md.j2").render(
        name=text(str(data.get("name", badge.credential))),
        version=text(str(achievement.get("version", badge.version))),
        credential_link=_rel(here, credential_page) if credential_page else "",
        recipient=text(recipient), issued=_date(data.get("awardedDate") or data.get("validFrom")),
        until=_date(data.get("validUntil")), standing=standing, built=built.date().isoformat(),
        issuer_name=text(str(issuer.get("name") or issuer.get("id", ""))),
        issuer_url=str(issuer.get("url", "")), issuer_page=_rel(here, ISSUER_PAGE),
        badge_id=data["id"], results=results(data), image=image,
        status_list=_rel(here, STATUS_URI),
        did_document=_rel(here, did_document) if did_document else "", share=share)
    return PageSpec(here, md, str(data.get("name", badge.credential)))


def results(data: dict[str, Any]) -> list[dict[str, str]]:
    """Per criterion: its name, the required level and the level achieved, as text."""
    subject = data.get("credentialSubject", {})
    described = {d.get("id"): d for d in subject.get("achievement", {}).get("resultDescription", [])}
    rows = []
    for result in subject.get("result", []):
        description = described.get(result.get("resultDescription"), {})
        rows.append({"criterion": text(str(description.get("name", result.get("resultDescription")))),
                     "required": text(str(description.get("requiredValue", ""))),
                     "achieved": text(str(result.get("value", "")))})
    return rows


def text(value: str) -> str:
    """Text safe to place in Markdown and one table cell: no markup, no HTML, one line."""
    return escape(_MARKDOWN.sub(r"\\\1", " ".join(value.split())), quote=False)


def _when(value: Any) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _date(value: Any) -> str:
    when = _when(value) if value else None
    return when.date().isoformat() if when else ""


# The issuer


def issuer_outputs(identities: Mapping[str, Identity], has_status_list: bool, course: Course,
                   options: BadgeSiteOptions) -> list[Output]:
    """The issuer page and the DID document of each did:web issuer whose key is known."""
    out = [Output(i.document_uri, json.dumps(did_document(i.did, i.public_key), indent=2) + "\n")
           for i in identities.values() if i.document_uri]
    organisations = sorted({(c.issuer.name, c.issuer.url) for c in course.credentials.values()})
    md = _env().get_template("issuer.md.j2").render(
        identities=list(identities.values()), here=ISSUER_PAGE, rel=_rel,
        organisations=[(text(n), u) for n, u in organisations], outside=OUTSIDE_DOCUMENT,
        status_list=STATUS_URI if has_status_list else "", site_url=options.site_url)
    return [Output(ISSUER_PAGE, md, page=True), *out]


