"""A ledger branch for site tests: real signed badges and a signed status list, committed to
`microcred-ledger` with git plumbing, as `microcred issue` leaves them."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import git
from gitdb.base import IStream

from microcred.badge.credential import StatusEntry, build_credential, new_badge_id, recipient_from_login
from microcred.badge.keys import SigningKey, did_key_signer, parse_secret
from microcred.badge.sign import sign_credential
from microcred.badge.status import create_status_list, update_status_list
from microcred.content.loader import load_course
from microcred.ledger import layout
from microcred.ledger.store import dump
from microcred.model import Course
from tests.conftest import DATA
from tests.helpers import commit_all

SITE = "https://school.example.org/course/"
SEED = "6a" * 32  # a fixed test key, so the issuer is the same did:key in every run
ISSUED = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Award:
    login: str
    badge_id: str
    data: dict[str, Any]

    @property
    def uuid(self) -> str:
        return self.badge_id.removeprefix("urn:uuid:")


def issuer_key() -> SigningKey:
    return did_key_signer(parse_secret(SEED))


def issuer_option() -> str:
    """The plugin option naming the test issuer in mkdocs.yml, under `- microcred:`."""
    return f"      issuer_key: {issuer_key().public_multibase}\n"


def sign_badge(course: Course, login: str, index: int, key: SigningKey,
               credential_id: str = "my-credential") -> Award:
    """A signed badge for `login`, every criterion at its required level."""
    credential = course.credentials[credential_id]
    rubrics = [course.rubrics[course.modules[m].rubric] for m in credential.modules]
    badge_id = new_badge_id()
    unsigned = build_credential(
        credential, rubrics, badge_id=badge_id, issuer_id=key.controller,
        recipient=recipient_from_login(login, "5a17"),
        achieved={r.id: {c.id: c.required for c in r.criteria} for r in rubrics},
        issued=ISSUED, base_url=SITE, evidence_url=f"https://github.com/org/course/pull/{index + 1}",
        status=StatusEntry(layout.status_list_url(SITE), index))
    return Award(login, badge_id, sign_credential(unsigned, key, ISSUED))


def ledger_files(course: Course, logins: list[str], key: SigningKey,
                 revoked: tuple[str, ...] = ()) -> tuple[dict[str, bytes], dict[str, Award]]:
    """Badges for `logins` (status index = position), the status list with `revoked` set."""
    awards = {login: sign_badge(course, login, index, key) for index, login in enumerate(logins)}
    status = create_status_list(layout.status_list_url(SITE), key, ISSUED)
    for login in revoked:
        status = update_status_list(status, logins.index(login), True, key, ISSUED)
    version = course.credentials["my-credential"].version
    files = {layout.badge_path(login, "my-credential", version): dump(a.data)
             for login, a in awards.items()}
    files[layout.STATUS_LIST] = dump(status)
    return files, awards


def commit_ledger(root: Path, files: dict[str, bytes], branch: str = layout.DEFAULT_BRANCH) -> str:
    """Commit `files` (and nothing else) on `branch`, on top of the current commit."""
    repo = git.Repo(root)
    blobs = {path: repo.odb.store(IStream("blob", len(data), BytesIO(data))).hexsha.decode()
             for path, data in files.items()}
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        listing = "".join(f"100644 {sha}\t{path}\n" for path, sha in blobs.items())
        subprocess.run(["git", "-C", str(root), "update-index", "--add", "--index-info"],
                       input=listing.encode(), env=env, check=True)
        tree = _git(root, env, "write-tree")
    parent = repo.head.commit.hexsha
    commit = _git(root, os.environ, "commit-tree", tree, "-p", parent, "-m", "ledger")
    _git(root, os.environ, "update-ref", f"refs/heads/{branch}", commit)
    return commit


def _git(root: Path, env: Any, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], env=env, capture_output=True,
                          text=True, check=True).stdout.strip()


def badge_course(target: Path) -> dict[str, Award]:
    """A committed copy of the sample course with a site address and a ledger: `lea` consents
    (shown as she chose), `leo` does not; returns their awards."""
    shutil.copytree(DATA / "course", target)
    mkdocs = target / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("site_name:", f"site_url: {SITE}\nsite_name:")
                      .replace("  - microcred\n", f"  - microcred:\n{issuer_option()}"), encoding="utf-8")
    (target / "submissions/lea").mkdir(parents=True)
    (target / "submissions/lea/consent.yml").write_text(
        "format: 1\nkind: consent\npublic_page: true\nshow_as: Léa M.\n", encoding="utf-8")
    commit_all(target)
    files, awards = ledger_files(load_course(target).course, ["lea", "leo"], issuer_key())
    commit_ledger(target, files)
    return awards
