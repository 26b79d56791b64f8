"""The fields progress reads from each record, kept between runs in the clone's git folder.

A local forge keeps each pull request's record as a commit (refs/microcred/pulls/<n>); a new
review or a change of state writes a new commit. The ledger's decisions are blobs on the ledger
branch. A commit or a blob never changes, so a run that already read one can keep what it read
by its object name: the next run reads from git only what was written since (a weekly run of a
large programme: a few hundred records of 60,000).

    <git dir>/microcred/progress-cache/pulls       record commit -> slim record
    <git dir>/microcred/progress-cache/decisions   decision blob -> slim decision

are never committed (they are inside the git folder) and each is written whole or not at all.
A file's first line is a header with the format and the SHA-256 of the rest; anything
unexpected (another format, a digest that does not match, a line that is not an entry) sets
the whole file aside with a note, and the run reads those records from git and writes the file
again. A pull request entry of the wrong shape is read from git too. Deleting the folder is
always safe.

What is kept is only what the record says (the slim record below), never what depends on the
ledger or the branches: a record's module, its head's time and its decision are worked out on
every run, so they follow the ledger and the branches as they move.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from microcred import jsondata
from microcred.forge.base import CHANGES_REQUESTED

# Bump when the slim record's fields or their meaning change: every older file is then set aside.
FORMAT = 1
NAME = "microcred/progress-cache"  # a folder in the git folder, one file per kind of record
PULLS = "pulls"  # record commit -> the record's fields progress reads (slim, below)
DECISIONS = "decisions"  # ledger decision blob -> the decision's fields (ledger.slim_decision)
Entry = dict[str, Any]
_TOP = {"number": int, "author": str, "state": str, "head": str, "head_sha": str, "base_sha": str}
_REVIEW = {"reviewer": str, "state": str, "commit_sha": str, "body": str}


@dataclass(frozen=True)
class Loaded:
    """The lines kept by a previous run (record commit -> its slim record as JSON), and a note."""

    lines: dict[str, bytes] = field(default_factory=dict)
    note: str | None = None


def location(root: Path) -> Path | None:
    """The cache's folder for the repository at `root` (inside its git folder); None when `root`
    is not in a git repository (then there is nothing to cache)."""
    found = subprocess.run(["git", "-C", str(root), "rev-parse", "--git-path", NAME],
                           capture_output=True, text=True, check=False)
    return root / found.stdout.strip() if found.returncode == 0 and found.stdout.strip() else None


def slim(record: Mapping[str, Any]) -> Entry:
    """The fields of a record that progress reads (a review's body only for a 'not yet')."""
    return {"number": record["number"], "author": record["author"], "state": record["state"],
            "created_at": record.get("created_at"), "head": record["head"],
            "head_sha": record["head_sha"], "base_sha": record["base_sha"],
            "reviews": [{"reviewer": v["reviewer"], "state": v["state"],
                         "commit_sha": v["commit_sha"], "submitted_at": v.get("submitted_at"),
                         "body": v["body"] if v["state"] == CHANGES_REQUESTED else ""}
                        for v in record["reviews"]]}


def line(entry: Entry) -> bytes:
    """A slim record as its line of the cache."""
    return jsondata.dumps(entry)


def entry(text: bytes) -> Entry | None:
    """The slim record of a cache line; None when the line is not one (a damaged or foreign file)."""
    try:
        found = jsondata.loads(text)
    except (ValueError, UnicodeDecodeError):
        return None
    return found if _well_formed(found) else None


def load(path: Path) -> Loaded:
    """The lines in `path`; none when it is absent, and none with a note when it is unusable.

    The file: a header line (format and the SHA-256 of the rest), then one line per record
    commit, `<commit> <slim record as JSON>`. Each entry is parsed only when its record is used.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Loaded()
    except OSError as exc:
        return Loaded({}, aside(path, f"cannot be read ({exc.strerror})"))
    head, _, body = data.partition(b"\n")
    fields = head.split(b" ")
    if len(fields) != 4 or fields[:2] != _MAGIC.split(b" "):
        return Loaded({}, aside(path, "does not start with its header"))
    if fields[2] != b"%d" % FORMAT:
        return Loaded({}, aside(path, "is of another format"))
    if fields[3] != hashlib.sha256(body).hexdigest().encode():
        return Loaded({}, aside(path, "does not match its checksum"))
    lines = {}
    for text in body.splitlines():
        commit, _, rest = text.partition(b" ")
        if len(commit) != 40 or not rest:
            return Loaded({}, aside(path, "holds a line that is not a record"))
        lines[commit.decode("ascii", errors="replace")] = rest
    return Loaded(lines)


_MAGIC = b"microcred-progress-cache format"


def _header(format_: int, digest: str) -> bytes:
    return b"%s %d %s\n" % (_MAGIC, format_, digest.encode())


def aside(path: Path, why: str) -> str:
    """The note for a cache that is set aside."""
    return f"the progress cache {path} {why}: set aside; what it kept is read from git and " \
           "the file written again"


def _well_formed(found: Any) -> bool:
    """The slim record's shape, checked field by field (it runs once per record: kept plain)."""
    if type(found) is not dict or any(type(found.get(k)) is not t for k, t in _TOP.items()) \
            or not _optional_text(found.get("created_at", 0)):
        return False
    reviews = found.get("reviews")
    if type(reviews) is not list:
        return False
    for review in reviews:
        if type(review) is not dict or any(type(review.get(k)) is not t for k, t in _REVIEW.items()) \
                or not _optional_text(review.get("submitted_at", 0)):
            return False
    return True


def _optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


class Writer:
    """A new cache file, written line by line as the records are read (nothing is kept in
    memory), in place only when finished: a run that fails leaves the old file as it was."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._digest = hashlib.sha256()
        self._handle: IO[bytes] | None = None
        self._pending: list[bytes] = []  # lines not yet written, written a few thousand at a time
        self.note: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by finish
                "wb", dir=path.parent, prefix=".progress-cache.", delete=False)
            self._handle.write(_header(FORMAT, "0" * 64))  # the same length as the real one
        except OSError as exc:
            self._fail(exc)

    def add(self, commit: str, text: bytes) -> None:
        """One record commit's line."""
        if self._handle is None:
            return
        self._pending.append(b"%s %s\n" % (commit.encode("ascii"), text))
        if len(self._pending) >= 2000:
            self._flush()

    def _flush(self) -> None:
        chunk = b"".join(self._pending)
        self._pending.clear()
        if self._handle is None:
            return
        self._digest.update(chunk)
        try:
            self._handle.write(chunk)
        except OSError as exc:
            self._fail(exc)

    def finish(self) -> str | None:
        """Put the file in place; a note when it could not be written."""
        self._flush()
        if self._handle is None:
            return self.note
        try:
            self._handle.seek(0)
            self._handle.write(_header(FORMAT, self._digest.hexdigest()))
            self._handle.close()
            os.replace(self._handle.name, self.path)
        except OSError as exc:
            self._fail(exc)
        return self.note

    def _fail(self, exc: OSError) -> None:
        if self._handle is not None:
            self._handle.close()
            Path(self._handle.name).unlink(missing_ok=True)
            self._handle = None
        self.note = f"the progress cache {self.path} could not be written ({exc.strerror}); " \
                    "the next run reads those records from git again"


def forget(path: Path) -> None:
    """Remove the cache (the next run reads every record from git and writes it anew)."""
    path.unlink(missing_ok=True)
