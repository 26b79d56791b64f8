"""Learner records and share links on the built site: published with consent, gone without."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from microcred.badge.presentation import build_presentation, sign_presentation
from microcred.cli import main
from microcred.content.loader import load_course
from microcred.ledger import layout
from microcred.ledger.store import dump
from microcred.site.share import profile_url
from tests.conftest import DATA
from tests.helpers import commit_all
from tests.site.ledger import ISSUED, SITE, commit_ledger, issuer_key, issuer_option, ledger_files

TOKEN = layout.record_token("lea")


def course_with_records(target: Path, lea_consent: str) -> dict[str, object]:
    """The sample course with a ledger: badges for lea and leo, and a signed record each."""
    shutil.copytree(DATA / "course", target)
    mkdocs = target / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("site_name:", f"site_url: {SITE}\nsite_name:")
                      .replace("  - microcred\n", f"  - microcred:\n{issuer_option()}"
                               "      linkedin_organization_id: '1337'\n"), encoding="utf-8")
    (target / "submissions/lea").mkdir(parents=True)
    (target / "submissions/lea/consent.yml").write_text(lea_consent, encoding="utf-8")
    commit_all(target)
    key = issuer_key()
    files, awards = ledger_files(load_course(target).course, ["lea", "leo"], key)
    for login, award in awards.items():
        record = sign_presentation(build_presentation(layout.record_url(SITE, login),
                                                      key.controller, [award.data]),
                                   key, ISSUED, "school.example.org")
        files[layout.record_path(login)] = dump(record)
    commit_ledger(target, files)
    return {"files": files, "awards": awards}


def build(course: Path, site: Path, *extra: str) -> None:
    assert main(["build", "--root", str(course), "--site-dir", str(site), "-q", *extra]) == 0


CONSENT = "format: 1\nkind: consent\npublic_page: true\nshow_as: Léa M.\n"


def test_a_consenting_learner_gets_a_record_page_that_verifies(tmp_path: Path) -> None:
    course = tmp_path / "course"
    made = course_with_records(course, CONSENT)
    build(course, tmp_path / "site")
    folder = tmp_path / "site" / "learners" / TOKEN
    html = (folder / "index.html").read_text("utf-8")
    assert "Léa M." in html and "My credential" in html
    assert "Classroom observation" in html  # a module and its per-criterion results
    lea = made["awards"]["lea"]  # type: ignore[index]
    assert f'href="../../badges/{lea.uuid}/"' in html
    assert (folder / "record.json").read_bytes() == made["files"][layout.record_path("lea")]  # type: ignore[index]
    assert not (tmp_path / "site" / "learners" / layout.record_token("leo")).exists()  # no consent
    assert main(["verify", str(folder / "record.json"), "--root", str(course),
                 "--status-list", str(tmp_path / "site/status/revocation.json")]) == 0


def test_record_false_or_a_withdrawal_publishes_no_record(tmp_path: Path) -> None:
    course = tmp_path / "course"
    course_with_records(course, CONSENT.replace("show_as", "record: false\nshow_as"))
    build(course, tmp_path / "site")
    assert not (tmp_path / "site/learners").exists()
    assert (tmp_path / "site/badges").exists()  # the badge page itself stays
    (course / "submissions/lea/consent.yml").write_text(CONSENT, encoding="utf-8")
    commit_all(course, "lea publishes her record")
    build(course, tmp_path / "site2")
    assert (tmp_path / "site2/learners" / TOKEN / "index.html").exists()
    (course / "submissions/lea/consent.yml").write_text(
        "format: 1\nkind: consent\npublic_page: false\n", encoding="utf-8")
    commit_all(course, "lea withdraws consent")
    build(course, tmp_path / "site3")
    assert not (tmp_path / "site3/learners").exists()
    assert not (tmp_path / "site3/badges").exists()


def test_a_record_not_signed_by_the_issuer_is_not_published(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "course"
    made = course_with_records(course, CONSENT)
    record = json.loads(made["files"][layout.record_path("lea")])  # type: ignore[index]
    record["holder"] = "did:example:someone-else"
    commit_ledger(course, {**made["files"], layout.record_path("lea"): dump(record)})  # type: ignore[dict-item]
    build(course, tmp_path / "site", "--no-strict")
    assert not (tmp_path / "site/learners").exists()
    assert ("ledger/records/lea.json on the ledger branch is not published: signature: signed by "
            f"{issuer_key().controller}, but the holder is 'did:example:someone-else'"
            ) in capsys.readouterr().err


def test_the_badge_page_offers_the_verify_link_image_and_profile_link(tmp_path: Path) -> None:
    course = tmp_path / "course"
    made = course_with_records(course, CONSENT)
    build(course, tmp_path / "site")
    lea = made["awards"]["lea"]  # type: ignore[index]
    html = (tmp_path / "site/badges" / lea.uuid / "index.html").read_text("utf-8")
    page = f"{SITE}badges/{lea.uuid}/"
    assert page in html and f"{page}badge.svg" in html
    link = profile_url(lea.data, page, "1337")
    assert link.replace("&", "&amp;") in html
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).netloc == "www.linkedin.com" and urlsplit(link).path == "/profile/add"
    assert query == {"startTask": ["CERTIFICATION_NAME"], "name": ["My credential"],
                     "organizationId": ["1337"], "issueYear": ["2025"], "issueMonth": ["1"],
                     "expirationYear": ["2027"], "expirationMonth": ["1"], "certUrl": [page],
                     "certId": [lea.uuid]}
