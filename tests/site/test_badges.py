"""Badges on the site: the status list, the issuer, and pages only for learners who consented."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcred.badge.bake import extract, placeholder_png
from microcred.badge.keys import did_key_signer, did_web_document, did_web_signer, parse_secret
from microcred.badge.status import create_status_list, update_status_list
from microcred.badge.verify import verify_credential
from microcred.cli import main
from microcred.content.consent import Consent
from microcred.content.loader import load_course
from microcred.ledger import layout
from microcred.ledger.store import dump
from microcred.model import Course
from microcred.site import badges
from microcred.site.plugin import item_text
from tests.helpers import commit_all, replace
from tests.site.ledger import (
    SEED,
    SITE,
    Award,
    commit_ledger,
    issuer_key,
    issuer_option,
    ledger_files,
    sign_badge,
)

CANARY = "quiet-canary-7"  # has a badge, never gave consent: nothing of theirs may be published
CONSENTS = {
    "lea": "format: 1\nkind: consent\npublic_page: true\nshow_as: \"Léa M. <b>*bold*</b>\"\n",
    "mae": "format: 1\nkind: consent\npublic_page: true\n",
    "leo": "format: 1\nkind: consent\npublic_page: false\nshow_as: Leo Withdrawn\n",
}
LEARNERS = ["lea", "mae", "leo", CANARY]
DURING = datetime(2025, 6, 1, tzinfo=UTC)  # after issue, before the badges' two years run out


def _site_course(course: Path, extra_plugin_options: str | None = None) -> None:
    """The course with a site address, the test issuer (else these options) and consents."""
    replace(course / "mkdocs.yml", "site_name:", f"site_url: {SITE}\nsite_name:")
    options = issuer_option() if extra_plugin_options is None else extra_plugin_options
    if options:
        replace(course / "mkdocs.yml", "  - microcred\n", f"  - microcred:\n{options}")
    for login, text in CONSENTS.items():
        (course / "submissions" / login).mkdir(parents=True)
        (course / "submissions" / login / "consent.yml").write_text(text, encoding="utf-8")


def _build(course: Path, site: Path) -> int:
    return main(["build", "--root", str(course), "--site-dir", str(site), "-q"])


@pytest.fixture
def ledger(course: Path) -> dict[str, Any]:
    """The sample course with consents committed, and a ledger: four badges, mae's revoked."""
    _site_course(course)
    commit_all(course)
    files, awards = ledger_files(load_course(course).course, LEARNERS, issuer_key(), revoked=("mae",))
    commit_ledger(course, files)
    return {"files": files, "awards": awards}


@pytest.fixture
def built(course: Path, ledger: dict[str, Any], tmp_path: Path) -> Path:
    site = tmp_path / "site"
    assert _build(course, site) == 0
    return site


def _award(ledger: dict[str, Any], login: str) -> Award:
    award: Award = ledger["awards"][login]
    return award


def _all_text(site: Path) -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in site.rglob("*") if p.is_file())


def test_the_status_list_is_published_byte_for_byte(built: Path, ledger: dict[str, Any]) -> None:
    assert (built / "status/revocation.json").read_bytes() == ledger["files"][layout.STATUS_LIST]


def test_the_issuer_page_shows_the_did_and_its_key(built: Path) -> None:
    html = (built / "issuer/index.html").read_text("utf-8")
    key = issuer_key()
    assert key.controller in html and key.public_multibase in html
    assert "Your organisation" in html and 'href="https://example.org"' in html
    assert 'href="../status/revocation.json"' in html
    assert "microcred verify badge.json --status-list revocation.json" in item_text(html)


def test_consenting_learners_get_a_page_with_the_badge_and_its_baked_image(
        built: Path, ledger: dict[str, Any]) -> None:
    lea = _award(ledger, "lea")
    folder = built / "badges" / lea.uuid
    html = (folder / "index.html").read_text("utf-8")
    assert (folder / "badge.json").read_bytes() == ledger["files"][
        layout.badge_path("lea", "my-credential", "0.1.0")]
    # The learner's chosen name, as text: their markup is shown, never interpreted.
    assert "Léa M. &lt;b&gt;*bold*&lt;/b&gt;" in html and "<b>*bold*</b>" not in html
    assert 'href="../../credentials/my-credential/"' in html and "version 0.1.0" in html
    assert "Valid on" in html and "2025-01-15" in html and "2027-01-15" in html
    assert lea.badge_id in html and 'href="../../issuer/"' in html
    assert ("<td>Classroom observation: Low-inference evidence</td>\n<td>Proficient</td>\n"
            "<td>Proficient</td>") in html
    assert extract((folder / "badge.svg").read_bytes()) == lea.data  # baked in, as issued
    assert 'src="badge.svg"' in html and 'href="badge.json"' in html


def test_a_revoked_badge_says_so_and_shows_the_default_recipient(
        built: Path, ledger: dict[str, Any]) -> None:
    html = (built / "badges" / _award(ledger, "mae").uuid / "index.html").read_text("utf-8")
    assert "Revoked" in html and "Valid on" not in html
    assert "a learner in My programme" in html


def test_nothing_of_a_learner_without_consent_is_published(
        built: Path, ledger: dict[str, Any]) -> None:
    everything = _all_text(built)
    for login in ("leo", CANARY):
        award = _award(ledger, login)
        assert not (built / "badges" / award.uuid).exists()
        assert award.uuid not in everything
        assert award.data["proof"][0]["proofValue"] not in everything
        identity = award.data["credentialSubject"]["identifier"][0]["identityHash"]
        assert identity not in everything
    assert CANARY not in everything and "Leo Withdrawn" not in everything
    published = sorted(p.name for p in (built / "badges").iterdir())
    assert published == sorted([_award(ledger, "lea").uuid, _award(ledger, "mae").uuid])


def test_published_badges_verify_against_the_published_status_list(
        built: Path, ledger: dict[str, Any]) -> None:
    status = json.loads((built / "status/revocation.json").read_bytes())
    lists = {status["id"]: status}
    lea = json.loads((built / "badges" / _award(ledger, "lea").uuid / "badge.json").read_bytes())
    result = verify_credential(lea, now=DURING, status_lists=lists)
    assert result.verified, result.errors
    mae = json.loads((built / "badges" / _award(ledger, "mae").uuid / "badge.json").read_bytes())
    assert [c.name for c in verify_credential(mae, now=DURING, status_lists=lists).checks
            if not c.passed] == ["status"]


def test_badge_pages_stay_out_of_the_navigation_and_the_search(
        built: Path, ledger: dict[str, Any]) -> None:
    uuid = _award(ledger, "lea").uuid
    home = (built / "index.html").read_text("utf-8")
    assert "badges/" not in home and "issuer/" not in home
    index = json.loads((built / "search/search_index.json").read_text("utf-8"))
    assert not [d for d in index["docs"] if uuid in d["location"]]


def test_without_a_ledger_nothing_about_badges_is_published(course: Path, tmp_path: Path) -> None:
    _site_course(course)
    commit_all(course)
    assert _build(course, tmp_path / "site") == 0
    for path in ("status", "issuer", "badges"):
        assert not (tmp_path / "site" / path).exists()


def test_withdrawing_consent_removes_the_page_at_the_next_build(
        course: Path, ledger: dict[str, Any], tmp_path: Path) -> None:
    (course / "submissions/lea/consent.yml").write_text(
        "format: 1\nkind: consent\npublic_page: false\n")
    commit_all(course, "lea withdraws consent")
    assert _build(course, tmp_path / "site") == 0
    assert not (tmp_path / "site/badges" / _award(ledger, "lea").uuid).exists()


def test_an_uncommitted_consent_does_not_count(course: Path, ledger: dict[str, Any],
                                               tmp_path: Path) -> None:
    (course / "submissions" / CANARY).mkdir()
    (course / "submissions" / CANARY / "consent.yml").write_text(CONSENTS["mae"])
    assert _build(course, tmp_path / "site") == 0
    assert CANARY not in _all_text(tmp_path / "site")


def test_a_did_web_issuer_gets_its_did_document_where_the_did_resolves(
        course: Path, tmp_path: Path) -> None:
    did = "did:web:school.example.org:course"
    key = did_web_signer(parse_secret(SEED), did)
    _site_course(course, f"      issuer_did: {did}\n      issuer_key: {key.public_multibase}\n")
    commit_all(course)
    model = load_course(course).course
    files, awards = ledger_files(model, ["lea"], key)
    commit_ledger(course, files)
    site = tmp_path / "site"
    assert _build(course, site) == 0
    document = json.loads((site / "did.json").read_text("utf-8"))
    assert document == did_web_document(key)
    status = json.loads((site / "status/revocation.json").read_bytes())
    badge = json.loads((site / "badges" / awards["lea"].uuid / "badge.json").read_bytes())
    result = verify_credential(badge, now=DURING, status_lists={status["id"]: status},
                               did_documents={did: document})
    assert result.verified, result.errors
    page = (site / "badges" / awards["lea"].uuid / "index.html").read_text("utf-8")
    assert "--did-document did.json" in item_text(page) and 'href="../../did.json"' in page


def test_a_did_web_under_the_site_without_its_key_stops_the_build(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    did = "did:web:school.example.org:course"
    _site_course(course, f"      issuer_did: {did}\n")
    commit_all(course)
    key = did_web_signer(parse_secret(SEED), did)
    commit_ledger(course, ledger_files(load_course(course).course, ["lea"], key)[0])
    assert _build(course, tmp_path / "site") == 1
    assert ("the issuer is did:web:school.example.org:course, but mkdocs.yml names no key for it: "
            "set plugins.microcred.issuer_key") in capsys.readouterr().err


def test_a_ledger_with_no_issuer_named_stops_the_build(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _site_course(course, "")
    commit_all(course)
    commit_ledger(course, ledger_files(load_course(course).course, ["lea"], issuer_key())[0])
    assert _build(course, tmp_path / "site") == 1
    assert ("the ledger holds badges, but mkdocs.yml names no issuer, so the site cannot tell the "
            "issuer's badges from any others pushed to the ledger branch: set "
            "plugins.microcred.issuer_key") in capsys.readouterr().err


# The pure part


def test_text_is_shown_never_interpreted() -> None:
    assert badges.text("[x](javascript:1) <img> *a*\n# b | c") == (
        "\\[x\\]\\(javascript:1\\) &lt;img&gt; \\*a\\* \\# b \\| c")


def test_standing_by_date_and_status_list(course: Path) -> None:
    model = load_course(course).course
    award = sign_badge(model, "lea", 3, issuer_key())
    badge = badges.LedgerBadge("p", "lea", "my-credential", "0.1.0", b"", award.data)
    assert badges.standing_of(badge, None, DURING).state == "unknown"
    files, _ = ledger_files(model, ["x", "y", "z", "lea"], issuer_key())
    status = json.loads(files[layout.STATUS_LIST])
    assert badges.standing_of(badge, status, DURING).state == "valid"
    assert badges.standing_of(badge, status, datetime(2030, 1, 1, tzinfo=UTC)).state == "expired"


def test_the_credential_link_follows_the_badge_version(course: Path) -> None:
    model = load_course(course).course
    badge = badges.LedgerBadge("p", "lea", "my-credential", "0.0.9", b"", {})
    assert badges.credential_page(badge, model, {}) == ""
    assert badges.credential_page(badge, model, {"my-credential": ("0.0.9",)}) == (
        "my-credential/v0.0.9/credentials/my-credential.md")


def test_an_unreadable_badge_in_the_ledger_is_named() -> None:
    path = layout.badge_path("lea", "my-credential", "0.1.0")
    with pytest.raises(badges.BadgeSiteError, match=f"^{path} on the ledger branch is not JSON"):
        badges.ledger_badges({path: b"{"})


def test_a_png_image_is_baked_too_and_a_broken_one_is_named(course: Path) -> None:
    model = load_course(course).course
    award = sign_badge(model, "lea", 0, issuer_key())
    badge = badges.LedgerBadge("p", "lea", "my-credential", "0.1.0", b"", award.data)
    named = award.data["credentialSubject"]["achievement"]["image"]["id"]
    assert named == f"{SITE}images/my-credential.svg"
    images = {"images/my-credential.svg": None, "images/my-credential.png": placeholder_png()}
    baked = badges.baked_image(badge, _with_image(model, "images/my-credential.png"), SITE,
                               images.get)
    assert baked is not None and baked.uri == f"badges/{award.uuid}/badge.png"
    assert isinstance(baked.content, bytes) and extract(baked.content) == award.data
    with pytest.raises(badges.BadgeSiteError, match=r"^content/images/my-credential\.svg: cannot "
                                                    r"bake a badge into this image"):
        badges.baked_image(badge, model, SITE, lambda rel: b"<svg><!ENTITY x 'y'>")


def _with_image(model: Course, image: str) -> Course:
    credential = dataclasses.replace(model.credentials["my-credential"], image=image)
    return dataclasses.replace(model, credentials={"my-credential": credential})


# Only the configured issuer counts (issue 17, case 9)

FORGER = did_key_signer(parse_secret("13" * 32))  # a throwaway key someone with push access made


def publish_ledger(course: Path, files: dict[str, bytes], history: list[bytes] | None = None,
                   ) -> tuple[dict[str, str | bytes], list[str]]:
    """What the site publishes from `files`, with every learner consenting; and the warnings."""
    model = load_course(course).course
    warnings: list[str] = []
    consents = {login: Consent(public_page=True) for login in ("lea", "mae", "forged")}
    options = badges.BadgeSiteOptions(SITE, DURING, issuer_key=issuer_key().public_multibase)
    outputs = badges.publish(files, consents, model, {}, options, lambda rel: None,
                             history or [], warnings.append)
    return {out.uri: out.content for out in outputs}, warnings


def forged_files(course: Path) -> tuple[dict[str, bytes], Award]:
    model = load_course(course).course
    files, _ = ledger_files(model, ["lea", "mae"], issuer_key())
    forged = sign_badge(model, "forged", 0, FORGER)  # a badge for a login that was never awarded
    files[layout.badge_path("forged", "my-credential", "0.1.0")] = dump(forged.data)
    return files, forged


def test_a_badge_signed_with_another_key_is_not_published(course: Path) -> None:
    files, forged = forged_files(course)
    published, warnings = publish_ledger(course, files)
    assert badges.badge_uri(forged.uuid) not in published
    assert len([uri for uri in published if uri.endswith("/badge.json")]) == 2
    assert warnings == [f"ledger/badges/forged/my-credential/v0.1.0.json on the ledger branch is not "
                        f"published: issued by {FORGER.controller}, not {issuer_key().controller}; "
                        "remove it from the branch (it is not the issuer's)"]
    issuer_page = str(published[badges.ISSUER_PAGE])
    assert issuer_key().controller in issuer_page and FORGER.controller not in issuer_page


def test_a_badge_claiming_the_issuer_but_signed_by_another_key_is_not_published(course: Path) -> None:
    files, forged = forged_files(course)
    claimed = {**forged.data, "issuer": {**forged.data["issuer"], "id": issuer_key().controller}}
    claimed["proof"] = [{**forged.data["proof"][0],
                         "verificationMethod": issuer_key().verification_method}]
    files[layout.badge_path("forged", "my-credential", "0.1.0")] = dump(claimed)
    published, warnings = publish_ledger(course, files)
    assert badges.badge_uri(forged.uuid) not in published
    assert warnings[0].endswith("not published: the signature does not match the content (altered, "
                                "or another key); remove it from the branch (it is not the issuer's)")


def test_a_status_list_signed_by_another_key_is_not_published(course: Path) -> None:
    files, _ = forged_files(course)
    issuers_list = files[layout.STATUS_LIST]
    files[layout.STATUS_LIST] = dump(create_status_list(layout.status_list_url(SITE), FORGER, DURING))
    published, warnings = publish_ledger(course, files, [files[layout.STATUS_LIST], issuers_list])
    assert published[badges.STATUS_URI] == issuers_list
    assert "older than a version its history holds" in warnings[-1]
    published, warnings = publish_ledger(course, files, [files[layout.STATUS_LIST]])
    assert badges.STATUS_URI not in published
    assert f"no version of it is signed by {issuer_key().controller}" in warnings[-1]


def test_the_newest_list_the_issuer_signed_is_published_after_a_rollback(course: Path) -> None:
    model = load_course(course).course
    files, awards = ledger_files(model, ["lea", "mae"], issuer_key())
    older = files[layout.STATUS_LIST]
    newer = dump(update_status_list(json.loads(older), 1, True, issuer_key(), DURING))
    files[layout.STATUS_LIST] = older  # put back, after `newer` revoked mae's badge
    published, _ = publish_ledger(course, files, [older, newer, older])
    assert published[badges.STATUS_URI] == newer
    assert "Revoked" in str(published[badges.badge_uri(awards["mae"].uuid)])


def test_a_forged_badge_pushed_to_the_ledger_stops_a_strict_build(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _site_course(course)
    commit_all(course)
    files, forged = forged_files(course)
    commit_ledger(course, files)
    assert _build(course, tmp_path / "site") == 1
    assert (f"ledger/badges/forged/my-credential/v0.1.0.json on the ledger branch is not published: "
            f"issued by {FORGER.controller}") in capsys.readouterr().err
    assert not (tmp_path / "site" / "badges" / forged.uuid).exists()
