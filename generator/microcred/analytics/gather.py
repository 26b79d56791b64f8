"""Read what progress needs from a course repository: the ledger branch and the pull requests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from microcred.analytics import cache
from microcred.analytics.gitread import contents, git
from microcred.analytics.ledger import read_facts, slim_decision
from microcred.analytics.pulls import Records, fetch_records, from_forge, from_local, place, read_records
from microcred.analytics.records import LedgerFacts, PullHistory
from microcred.forge.base import Forge
from microcred.ledger import layout
from microcred.ledger.snapshot import ledger_ref


def ledger_files(root: Path, branch: str | None) -> tuple[dict[str, bytes | None], str]:
    """The ledger's files as the local clone has them (the branch, else origin's), and the branch.

    Completions and revocations are listed but not read (None): their paths say all progress
    needs, and a year's ledger holds one per module a learner completed.
    """
    files, name, _ = read_ledger(root, branch, None)
    return files, name


def read_ledger(root: Path, branch: str | None,
                cache_file: Path | None) -> tuple[dict[str, bytes | None], str, list[str]]:
    """ledger_files, with the decisions a previous run kept in `cache_file` taken from there
    (as the fields progress reads: ledger.slim_decision) and not read again; and notes.

    With a cache file, every decision comes back as those fields only, read or kept.
    """
    read = fetch_ledger(root, branch, cache_file)
    files, notes = ledger_contents(read, cache_file)
    return files, read.branch, notes


@dataclass(frozen=True)
class LedgerRead:
    """The ledger branch as git gave it, before any of it is parsed."""

    branch: str
    blobs: dict[str, str]  # path -> blob of every file under ledger/
    kept: cache.Loaded  # the decisions a previous run kept, by blob
    asked: list[str]  # the paths git reads
    contents: Iterator[bytes | None]  # theirs, in order, as git reads them (read once)


def fetch_ledger(root: Path, branch: str | None, cache_file: Path | None) -> LedgerRead:
    """git's part of read_ledger (mostly waiting on git: run in a thread, it overlaps the rest)."""
    name = layout.branch(branch)
    sha = ledger_ref(root, name)
    if sha is None:
        return LedgerRead(name, {}, cache.Loaded(), [], iter(()))
    listing = git(root, "ls-tree", "-r", "-z", sha, "--", f"{layout.ROOT}/")
    blobs = {path.decode("utf-8"): blob.decode() for blob, path in _BLOB.findall(listing)}
    kept = cache.load(cache_file) if cache_file is not None else cache.Loaded()
    asked = [p for p in blobs if not p.startswith(_LISTED_ONLY) and blobs[p] not in kept.lines]
    return LedgerRead(name, blobs, kept, asked, contents(root, [blobs[p] for p in asked]))


_LISTED_ONLY = (f"{layout.COMPLETIONS}/", f"{layout.REVOCATIONS}/")


def ledger_contents(read: LedgerRead, cache_file: Path | None) -> tuple[dict[str, bytes | None],
                                                                         list[str]]:
    """The files of a fetched ledger (a decision the cache kept: its kept fields), and notes;
    the cache written again when it changed. Each file is taken as git reads it."""
    blobs = read.blobs
    files: dict[str, bytes | None] = dict.fromkeys(blobs)
    known = {p: text for p in blobs if not p.startswith(_LISTED_ONLY)
             and (text := read.kept.lines.get(blobs[p])) is not None}
    files.update(known)
    notes = [read.kept.note] if read.kept.note else []
    # Written again only when it changes: decisions read from git (each line written as it is
    # made: nothing held in memory), or decisions gone. A record that is not JSON is not kept.
    fresh = any(p.startswith(_DECISIONS) for p in read.asked)
    sink = cache.Writer(cache_file) if cache_file is not None and (
        fresh or len(known) != len(read.kept.lines)) else None
    if sink is not None:
        for path, text in known.items():
            sink.add(blobs[path], text)
    for path, content in zip(read.asked, read.contents, strict=True):
        if sink is not None and path.startswith(_DECISIONS) and \
                (line := slim_decision(content)) is not None:
            sink.add(blobs[path], line)
            # read_facts reads the same fields from it, a quarter the size. A copy: orjson's
            # output keeps a 4 KB buffer, 250 MB if all were kept.
            content = bytes(memoryview(line))
        files[path] = content
    if sink is not None:
        notes += filter(None, [sink.finish()])
    return files, notes


_DECISIONS = f"{layout.DECISIONS}/"


# An entry of `git ls-tree -r -z`: mode, type, object name, a tab, the path.
_BLOB = re.compile(rb"[0-7]+ blob ([0-9a-f]+)\t([^\0]*)\0")


def ledger_facts(root: Path, branch: str | None) -> LedgerFacts:
    return read_facts(*ledger_files(root, branch))


@dataclass(frozen=True)
class Sources:
    """What progress is computed from: the ledger (its files too, for the export) and the pulls."""

    files: dict[str, bytes | None]  # a decision: only the fields progress reads (cached)
    branch: str
    ledger: LedgerFacts
    pulls: list[PullHistory]
    notes: tuple[str, ...] = ()  # about the cache (analytics/cache.py), for staff


class Reading:
    """The reads progress needs, under way in two threads from the moment it is made.

    On a year of 10,000 learners git takes seconds to read the ledger's decisions and the pull
    requests' records (those the progress cache does not keep, analytics/cache.py). Each side
    is read and then parsed in its own thread: git's reading overlaps the course's loading and
    the other side's parsing, and each parse fills the time the main thread would spend
    waiting. `sources` waits for both and places each pull request in its module. Use it as a
    context manager, so that an error meanwhile still waits for the threads.
    """

    def __init__(self, root: Path, forge_kind: str, branch: str | None,
                 use_cache: bool = True) -> None:
        self.root = root
        local = forge_kind == "local"
        folder = cache.location(root) if use_cache and local else None
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="progress-read")
        self._ledger = self._pool.submit(_ledger_side, root, branch,
                                         folder / cache.DECISIONS if folder else None)
        self._records = self._pool.submit(_records_side, root,
                                          folder / cache.PULLS if folder else None) \
            if local else None

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *_: object) -> None:
        self._pool.shutdown(wait=True)

    def sources(self, forge: Forge) -> Sources:
        """The ledger and every pull request with its reviews (through `forge` unless local)."""
        files, branch, ledger, notes = self._ledger.result()
        if self._records is None:
            return Sources(files, branch, ledger, from_forge(forge, ledger.decisions), tuple(notes))
        records, record_notes = self._records.result()
        self._records = None  # its result, every record as read, is not needed once placed
        pulls = place(self.root, forge, ledger.decisions, records)
        return Sources(files, branch, ledger, pulls, tuple(notes + record_notes))


def _ledger_side(root: Path, branch: str | None, cache_file: Path | None
                 ) -> tuple[dict[str, bytes | None], str, LedgerFacts, list[str]]:
    files, name, notes = read_ledger(root, branch, cache_file)
    return files, name, read_facts(files, name), notes


def _records_side(root: Path, cache_file: Path | None) -> tuple[Records, list[str]]:
    """The records, the progress cache written again when it changed, and notes about it."""
    fetched = fetch_records(root, cache_file)
    # Written again only when it changes: records read from git, or records gone.
    stale = len(fetched.kept) != len(fetched.commits) - len(fetched.asked)
    sink = cache.Writer(cache_file) if cache_file and (fetched.asked or stale) else None
    records = read_records(root, fetched, sink)
    notes = [fetched.note] if fetched.note else []
    if sink is not None:
        notes += filter(None, [sink.finish()])
    if records.damaged:
        notes.append(f"{records.damaged} entr{'y' if records.damaged == 1 else 'ies'} of the "
                     "progress cache were damaged: read from git, and the cache set aside")
        if sink is None and cache_file is not None:
            cache.forget(cache_file)
    return records, notes


def read_sources(root: Path, forge: Forge, forge_kind: str, branch: str | None,
                 use_cache: bool = True) -> Sources:
    """The ledger and every pull request with its reviews, in one call (Reading's two steps)."""
    with Reading(root, forge_kind, branch, use_cache) as reading:
        return reading.sources(forge)


def pull_histories(root: Path, forge: Forge, forge_kind: str, ledger: LedgerFacts) -> list[PullHistory]:
    """Every pull request with its reviews: in bulk from a local forge, else through the forge."""
    if forge_kind == "local":
        return from_local(root, forge, ledger.decisions)
    return from_forge(forge, ledger.decisions)
