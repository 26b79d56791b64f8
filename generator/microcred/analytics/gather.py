"""Read what progress needs from a course repository: the ledger branch and the pull requests."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from microcred.analytics import cache
from microcred.analytics.gitread import cat_batch, git, objects
from microcred.analytics.ledger import read_facts, slim_decision
from microcred.analytics.pulls import fetch_records, from_forge, from_local, local_histories
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
    name = layout.branch(branch)
    sha = ledger_ref(root, name)
    if sha is None:
        return {}, name, []
    listing = git(root, "ls-tree", "-r", "-z", sha, "--", f"{layout.ROOT}/")
    blobs = {path.decode("utf-8"): blob.decode() for blob, path in _BLOB.findall(listing)}
    files: dict[str, bytes | None] = dict.fromkeys(blobs)
    read = [p for p in blobs if not p.startswith((f"{layout.COMPLETIONS}/", f"{layout.REVOCATIONS}/"))]
    loaded = cache.load(cache_file) if cache_file is not None else cache.Loaded()
    known = {p: text for p in read if (text := loaded.lines.get(blobs[p])) is not None}
    asked = [p for p in read if p not in known]
    files.update(known)
    files.update(zip(asked, objects(cat_batch(root, [blobs[p] for p in asked])), strict=True))
    notes = [loaded.note] if loaded.note else []
    if cache_file is None:
        return files, name, notes
    # Written again only when it changes: decisions read from git (each line written as it is
    # made: nothing held in memory), or decisions gone. A record that is not JSON is not kept.
    fresh = [p for p in asked if p.startswith(f"{layout.DECISIONS}/")]
    if fresh or len(known) != len(loaded.lines):
        sink = cache.Writer(cache_file)
        for path, text in known.items():
            sink.add(blobs[path], text)
        for path in fresh:
            if (line := slim_decision(files[path])) is not None:
                sink.add(blobs[path], line)
                # read_facts reads the same fields from it, a quarter the size. A copy: orjson's
                # output keeps a 4 KB buffer, 250 MB if all were kept.
                files[path] = bytes(memoryview(line))
        notes += filter(None, [sink.finish()])
    return files, name, notes


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


def read_sources(root: Path, forge: Forge, forge_kind: str, branch: str | None,
                 use_cache: bool = True) -> Sources:
    """The ledger and every pull request with its reviews.

    On a local forge, git reads the pull requests' records in a second thread while the ledger
    is read and parsed: the two are independent until each pull request is placed in a module,
    and on a year of 10,000 learners each takes seconds of git's time. The records a previous
    run kept (analytics/cache.py) are not read again, and the cache is written when it changed.
    """
    if forge_kind != "local":
        files, name = ledger_files(root, branch)
        ledger = read_facts(files, name)
        return Sources(files, name, ledger, from_forge(forge, ledger.decisions))
    folder = cache.location(root) if use_cache else None
    cache_file = folder / cache.PULLS if folder else None
    with ThreadPoolExecutor(max_workers=1) as pool:
        fetching = pool.submit(fetch_records, root, cache_file)
        decisions = folder / cache.DECISIONS if folder else None
        files, name, ledger_notes = read_ledger(root, branch, decisions)
        ledger = read_facts(files, name)
        fetched = fetching.result()
    # Write the cache again only when it changes: records read from git, or records gone.
    stale = len(fetched.kept) != len(fetched.commits) - len(fetched.asked)
    sink = cache.Writer(cache_file) if cache_file and (fetched.asked or stale) else None
    read = local_histories(root, forge, ledger.decisions, fetched, sink)
    notes = ledger_notes + ([fetched.note] if fetched.note else [])
    if sink is not None:
        notes += filter(None, [sink.finish()])
    if read.damaged:
        notes.append(f"{read.damaged} entr{'y' if read.damaged == 1 else 'ies'} of the progress "
                     "cache were damaged: read from git, and the cache set aside")
        if sink is None and cache_file is not None:
            cache.forget(cache_file)
    pulls = read.pulls
    return Sources(files, name, ledger, pulls, tuple(notes))


def pull_histories(root: Path, forge: Forge, forge_kind: str, ledger: LedgerFacts) -> list[PullHistory]:
    """Every pull request with its reviews: in bulk from a local forge, else through the forge."""
    if forge_kind == "local":
        return from_local(root, forge, ledger.decisions)
    return from_forge(forge, ledger.decisions)
