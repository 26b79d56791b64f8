"""Read what progress needs from a course repository: the ledger branch and the pull requests."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from microcred.analytics import cache
from microcred.analytics.gitread import cat_batch, git, objects
from microcred.analytics.ledger import read_facts
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
    name = layout.branch(branch)
    sha = ledger_ref(root, name)
    if sha is None:
        return {}, name
    listing = git(root, "ls-tree", "-r", "-z", sha, "--", f"{layout.ROOT}/")
    blobs = {path.decode("utf-8"): blob.decode() for blob, path in _BLOB.findall(listing)}
    files: dict[str, bytes | None] = dict.fromkeys(blobs)
    read = [p for p in blobs if not p.startswith((f"{layout.COMPLETIONS}/", f"{layout.REVOCATIONS}/"))]
    files.update(zip(read, objects(cat_batch(root, [blobs[p] for p in read])), strict=True))
    return files, name


# An entry of `git ls-tree -r -z`: mode, type, object name, a tab, the path.
_BLOB = re.compile(rb"[0-7]+ blob ([0-9a-f]+)\t([^\0]*)\0")


def ledger_facts(root: Path, branch: str | None) -> LedgerFacts:
    return read_facts(*ledger_files(root, branch))


@dataclass(frozen=True)
class Sources:
    """What progress is computed from: the ledger (its files too, for the export) and the pulls."""

    files: dict[str, bytes | None]
    branch: str
    ledger: LedgerFacts
    pulls: list[PullHistory]
    notes: tuple[str, ...] = ()  # about the cache of pull request records, for staff


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
    cache_file = cache.location(root) if use_cache else None
    with ThreadPoolExecutor(max_workers=1) as pool:
        fetching = pool.submit(fetch_records, root, cache_file)
        files, name = ledger_files(root, branch)
        ledger = read_facts(files, name)
        fetched = fetching.result()
    # Write the cache again only when it changes: records read from git, or records gone.
    stale = len(fetched.kept) != len(fetched.commits) - len(fetched.asked)
    sink = cache.Writer(cache_file) if cache_file and (fetched.asked or stale) else None
    read = local_histories(root, forge, ledger.decisions, fetched, sink)
    notes = [fetched.note] if fetched.note else []
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
