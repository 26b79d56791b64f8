"""Benchmark the site build as the ledger grows: 0, 250, 500 and 1,000 badges.

Run: python benchmarks/badge_site_benchmark.py [--badges 0,250,500,1000] [--out FILE]

A copy of the example course (content/, modules/, rubrics/, mkdocs.yml), committed, with a
synthetic ledger on `microcred-ledger`: N badges of the example credential for N learners, each
signed for real with a fixed key, and the signed status list with every 50th badge revoked. Every
learner has committed a consent file with `public_page: true` (the most the site can publish: one
page, badge.json and baked image per badge). Setup is not timed.

Each build is `python -m microcred build --root ... --site-dir ... --quiet` in a fresh subprocess:
wall seconds and the child's CPU seconds (user + system, from os.wait4). The home page's size
shows the navigation does not grow with the badges.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import git
from gitdb.base import IStream

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import machine, publish

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CREDENTIAL = "equity-instructional-leadership"
SEED = "b4" * 32
ISSUED = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
REVOKE_EVERY = 50


@dataclass(frozen=True)
class Build:
    badges: int
    seconds: float
    cpu_seconds: float
    badge_pages: int
    home_kb: float


def make_course(root: Path, badges: int) -> None:
    """The example course, learners' consents committed on main, and a ledger of `badges`."""
    for folder in ("content", "modules", "rubrics"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    name_the_issuer(root / "mkdocs.yml")
    logins = [f"learner-{n:04d}" for n in range(badges)]
    for login in logins:
        (root / "submissions" / login).mkdir(parents=True)
        (root / "submissions" / login / "consent.yml").write_text(
            "format: 1\nkind: consent\npublic_page: true\n", encoding="utf-8")
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Bench")
        config.set_value("user", "email", "bench@example.org")
    repo.git.add("--all")
    repo.git.commit("-q", "-m", "course")
    if badges:
        commit_ledger(repo, ledger_files(root, logins))


def name_the_issuer(mkdocs: Path) -> None:
    """The benchmark key as the site's issuer: the site publishes only its badges."""
    from microcred.badge.keys import did_key_signer, parse_secret

    public = did_key_signer(parse_secret(SEED)).public_multibase
    text = mkdocs.read_text("utf-8")
    mkdocs.write_text(text.replace("  - microcred:\n", f"  - microcred:\n      issuer_key: {public}\n"),
                      encoding="utf-8")


def ledger_files(root: Path, logins: list[str]) -> dict[str, bytes]:
    """Signed badges for `logins` (status index = position) and the signed status list."""
    from microcred.badge.credential import (
        StatusEntry,
        build_credential,
        new_badge_id,
        recipient_from_login,
    )
    from microcred.badge.keys import did_key_signer, parse_secret
    from microcred.badge.sign import sign_credential
    from microcred.badge.status import DEFAULT_LENGTH, build_status_list, new_bits, with_bit
    from microcred.content.loader import load_course
    from microcred.ledger import layout
    from microcred.ledger.settings import load_settings
    from microcred.ledger.store import dump

    course = load_course(root).course
    credential = course.credentials[CREDENTIAL]
    rubrics = [course.rubrics[course.modules[m].rubric] for m in credential.modules]
    achieved = {r.id: {c.id: c.required for c in r.criteria} for r in rubrics}
    key = did_key_signer(parse_secret(SEED))
    site = load_settings(root).site_url
    files = {}
    for index, login in enumerate(logins):
        unsigned = build_credential(
            credential, rubrics, badge_id=new_badge_id(), issuer_id=key.controller,
            recipient=recipient_from_login(login, f"salt-{index}"), achieved=achieved,
            issued=ISSUED, base_url=site, evidence_url=f"{site}pull/{index + 1}",
            status=StatusEntry(layout.status_list_url(site), index))
        files[layout.badge_path(login, CREDENTIAL, credential.version)] = dump(
            sign_credential(unsigned, key, ISSUED))
    bits = new_bits(DEFAULT_LENGTH)
    for index in range(0, len(logins), REVOKE_EVERY):
        bits = with_bit(bits, index, True)
    status = build_status_list(layout.status_list_url(site), key.controller, bits, ISSUED)
    files[layout.STATUS_LIST] = dump(sign_credential(status, key, ISSUED))
    return files


def commit_ledger(repo: git.Repo, files: dict[str, bytes]) -> None:
    """One commit on `microcred-ledger` holding `files`, on top of main, by git plumbing."""
    from microcred.ledger import layout

    listing = "".join(
        f"100644 {repo.odb.store(IStream('blob', len(data), BytesIO(data))).hexsha.decode()}\t{path}\n"
        for path, data in files.items())
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        subprocess.run(["git", "-C", repo.working_dir, "update-index", "--add", "--index-info"],
                       input=listing.encode(), env=env, check=True)
        tree = subprocess.run(["git", "-C", repo.working_dir, "write-tree"], env=env,
                              capture_output=True, text=True, check=True).stdout.strip()
    commit = repo.git.commit_tree(tree, "-p", repo.head.commit.hexsha, "-m", "synthetic ledger")
    repo.git.update_ref(f"refs/heads/{layout.DEFAULT_BRANCH}", commit)


def build(root: Path, site: Path, badges: int) -> Build:
    """`microcred build` in a fresh subprocess: wall and CPU seconds, what it published."""
    command = [sys.executable, "-m", "microcred", "build", "--root", str(root),
               "--site-dir", str(site), "--quiet"]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build of {badges} badges failed:\n{stderr}")
    pages = len(list((site / "badges").glob("*/index.html"))) if (site / "badges").is_dir() else 0
    return Build(badges, round(seconds, 2), round(usage.ru_utime + usage.ru_stime, 2), pages,
                 round((site / "index.html").stat().st_size / 1000, 1))


def measure(counts: list[int], work: Path) -> list[Build]:
    results = []
    for count in counts:
        root = work / f"course-{count}"
        make_course(root, count)
        results.append(build(root, work / f"site-{count}", count))
        print(json.dumps(asdict(results[-1])), file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--badges", default="0,250,500,1000",
                        help="comma-separated ledger sizes (default: 0,250,500,1000)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.badges.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        builds = measure(counts, Path(tmp))
    base = builds[0]
    result: dict[str, Any] = {
        "builds": [asdict(b) for b in builds],
        "ms_per_badge": {str(b.badges): round(1000 * (b.seconds - base.seconds) / (b.badges - base.badges), 1)
                         for b in builds[1:] if b.badges != base.badges},
        "cpu_ms_per_badge": {
            str(b.badges): round(1000 * (b.cpu_seconds - base.cpu_seconds) / (b.badges - base.badges), 1)
            for b in builds[1:] if b.badges != base.badges},
        "machine": machine(),
    }
    publish(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
