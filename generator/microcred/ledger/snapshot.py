"""Read the ledger branch from a local clone (for the site, `verify` and tests): path -> bytes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from microcred.ledger import layout


def ledger_ref(root: Path, branch: str) -> str | None:
    """The local ref holding the ledger: the branch itself, else its copy from `origin`."""
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet",
                                 f"{ref}^{{commit}}"], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return result.stdout.strip()
    return None


def read_ledger(root: Path, branch: str | None = None) -> dict[str, bytes]:
    """Every file under ledger/ on the ledger branch; empty when there is no ledger yet."""
    sha = ledger_ref(root, layout.branch(branch))
    if sha is None:
        return {}
    listing = subprocess.run(
        ["git", "-C", str(root), "ls-tree", "-r", "-z", sha, "--", f"{layout.ROOT}/"],
        capture_output=True, check=True).stdout
    entries = [line.split(b"\t", 1) for line in listing.split(b"\0") if line]
    blobs = [(meta.split()[2].decode(), path.decode("utf-8")) for meta, path in entries
             if meta.split()[1] == b"blob"]
    if not blobs:
        return {}
    batch = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"],
                           input=b"".join(blob.encode() + b"\n" for blob, _ in blobs),
                           capture_output=True, check=True).stdout
    files: dict[str, bytes] = {}
    offset = 0
    for _, path in blobs:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        files[path] = batch[header_end + 1:header_end + 1 + size]
        offset = header_end + 1 + size + 1
    return files


def file_versions(root: Path, path: str, branch: str | None = None) -> list[bytes]:
    """Every version `path` had in the ledger branch's history, newest first (deletions left out).

    The history is the witness a rolled-back file is checked against: a file can be put back as
    it was, but not without the commits that changed it staying in the branch's history (the
    ledger branch refuses force pushes; docs/administration.md).
    """
    sha = ledger_ref(root, layout.branch(branch))
    if sha is None:
        return []
    commits = subprocess.run(["git", "-C", str(root), "log", "--format=%H", sha, "--", path],
                             capture_output=True, text=True, check=True).stdout.split()
    if not commits:
        return []
    batch = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"],
                           input="".join(f"{commit}:{path}\n" for commit in commits).encode(),
                           capture_output=True, check=True).stdout
    versions, offset = [], 0
    while offset < len(batch):
        header_end = batch.index(b"\n", offset)
        header = batch[offset:header_end].split()
        if header[-1] == b"missing":
            offset = header_end + 1
            continue
        size = int(header[2])
        versions.append(batch[header_end + 1:header_end + 1 + size])
        offset = header_end + 1 + size + 1
    return versions
