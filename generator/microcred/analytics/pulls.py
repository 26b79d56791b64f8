"""Each submission pull request's history: whose, which module, its reviews and their times.

Two readers of the same facts. `from_forge` goes through the Forge protocol (local or GitHub):
one call for the list, then the reviews of each pull request, and its changed files when the
ledger has not already said which module it carries. `from_local` reads a local forge's
records in bulk (one `git cat-file --batch` for every record, one `git diff-tree --stdin` for
the undecided ones), which is what makes a year of 10,000 learners quick to read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from microcred import jsondata
from microcred.analytics import cache
from microcred.analytics.cache import Entry
from microcred.analytics.gitread import contents, git
from microcred.analytics.records import DecisionRecord, PullHistory, ReviewEvent, parse_time
from microcred.forge.base import CHANGES_REQUESTED, MERGED, OPEN, Forge, PullRequest, Review
from microcred.forge.local import PULLS
from microcred.heap import without_collection
from microcred.review.decide import same_login
from microcred.submission.scope import folders_changed
from microcred.submission.source import Change

Decisions = Mapping[int, DecisionRecord]


def module_of(paths: Iterable[str], author: str) -> tuple[str, str]:
    """(credential, module) of the one submission folder of `author` the paths touch, else ("", "")."""
    folders, _ = folders_changed([Change("M", p.encode()) for p in paths])
    parts = [f.strip("/").split("/") for f in folders]
    own = [p for p in parts if len(p) == 4 and same_login(p[1], author)]
    return (own[0][2], own[0][3]) if len(own) == 1 and len(parts) == 1 else ("", "")


def from_forge(forge: Forge, decisions: Decisions) -> list[PullHistory]:
    """Every pull request with its reviews, through the forge protocol."""
    out = []
    for pull in forge.list_pull_requests("all"):
        decided = decisions.get(pull.number)
        where = ((decided.credential, decided.module) if decided else
                 module_of(forge.changed_files(pull.number), pull.author))
        reviews = tuple(_review(r) for r in forge.list_reviews(pull.number))
        out.append(_history(pull, where, reviews))
    return out


def _review(r: Review) -> ReviewEvent:
    return event(r.reviewer, r.state, r.commit_sha, r.submitted_at, r.body)


def event(reviewer: str, state: str, commit_sha: str, submitted_at: str | None, body: str) -> ReviewEvent:
    """A review as progress keeps it: the body only of a 'not yet', the one whose block is read."""
    return ReviewEvent(reviewer, state, commit_sha, parse_time(submitted_at),
                       body if state == CHANGES_REQUESTED else "")


def _history(pull: PullRequest, where: tuple[str, str], reviews: tuple[ReviewEvent, ...],
             head_time: datetime | None = None) -> PullHistory:
    return PullHistory(pull.number, pull.author, pull.state, parse_time(pull.created_at),
                       pull.head_sha, where[0], where[1], reviews, head_time)


# the local forge, in bulk


def from_local(root: Path, forge: Forge, decisions: Decisions,
               fetched: Fetched | None = None) -> list[PullHistory]:
    """Every pull request of the local forge at `root`, read in a few git processes.

    `fetched` is fetch_records' output when it was read ahead (gather.py does, with the cache,
    while the ledger is parsed); otherwise every record is read here.
    """
    return place(root, forge, decisions, read_records(root, fetched or fetch_records(root)))


@dataclass(frozen=True)
class Records:
    """Every pull request's record as read, before the ledger places it in a module."""

    reads: list[_Read]  # in the order of the refs
    head_times: dict[str, datetime]  # when each open pull request's head commit was made
    damaged: int  # cache lines of the wrong shape, read from git again
    changed: dict[str, list[str]]  # paths each open or closed one's head changes (never decided)


@without_collection
def read_records(root: Path, fetched: Fetched, sink: cache.Writer | None = None) -> Records:
    """The records of fetch_records' output, each record's cache line given to `sink`.

    Needs nothing from the ledger: gather.py runs it in a thread while the ledger is parsed.
    """
    branches = dict(_lines(git(root, "for-each-ref", "--format=%(refname:short) %(objectname)",
                                "refs/heads/")))
    wrong: list[str] = []
    read = [_read(sha, r, branches) for sha, r in _entries(fetched, sink, wrong)]
    if wrong:  # cache lines of the wrong shape: those records from git after all
        again = Fetched(wrong, {}, wrong, contents(root, [f"{sha}:record.json" for sha in wrong]))
        read += [_read(sha, r, branches) for sha, r in _entries(again, sink, [])]
        order = {sha: at for at, sha in enumerate(fetched.commits)}
        read.sort(key=lambda r: order[r.commit])
    times = _commit_times(root, [r.head_sha for r in read if r.state == OPEN])
    # Only a merged pull request has a decision: the others take their module from their
    # changes, read here, before the ledger is known.
    changed = _changed(root, [(r.head_sha, r.base_sha) for r in read if r.state != MERGED])
    return Records(read, times, len(wrong), changed)


@without_collection
def place(root: Path, forge: Forge, decisions: Decisions, records: Records) -> list[PullHistory]:
    """Each pull request with its module: the ledger's, else (undecided) from its changes."""
    changed = records.changed
    missing = [(r.head_sha, r.base_sha) for r in records.reads
               if r.number not in decisions and r.head_sha not in changed]
    if missing:  # merged, and not decided yet
        changed = {**changed, **_changed(root, missing)}
    return [_placed(forge, r, decisions, changed, records.head_times) for r in records.reads]


def _entries(fetched: Fetched, sink: cache.Writer | None,
             wrong: list[str]) -> Iterator[tuple[str, Entry]]:
    """Each record's slim fields in the order of the refs, its cache line given to `sink`; a
    cache line of the wrong shape is put in `wrong` instead, a ref without a record passed over."""
    fresh = fetched.contents  # in the order of `asked`, a subsequence of `commits`
    for sha in fetched.commits:
        kept = fetched.kept.get(sha)
        if kept is not None:
            found = cache.entry(kept)
            if found is None:
                wrong.append(sha)
                continue
            text = kept
        else:
            content = next(fresh)
            if content is None:
                continue
            found = cache.slim(jsondata.loads(content))
            text = cache.line(found) if sink is not None else b""
        if sink is not None:
            sink.add(sha, text)
        yield sha, found


class _Read(NamedTuple):
    """A record as read, before its module and its head's time are known."""

    commit: str  # the record commit (refs/microcred/pulls/<number>)
    number: int
    author: str
    state: str
    created: datetime | None
    head_sha: str
    base_sha: str
    reviews: tuple[ReviewEvent, ...]


def _read(commit: str, record: Entry, branches: Mapping[str, str]) -> _Read:
    """The fields progress uses; an open pull request's head is its branch's tip."""
    head = branches.get(record["head"], record["head_sha"]) if record["state"] == OPEN \
        else record["head_sha"]
    reviews = tuple(event(v["reviewer"], v["state"], v["commit_sha"], v.get("submitted_at"),
                          v["body"]) for v in record["reviews"])
    return _Read(commit, record["number"], record["author"], record["state"],
                 parse_time(record.get("created_at")), head, record["base_sha"], reviews)


def _placed(forge: Forge, read: _Read, decisions: Decisions, changed: dict[str, list[str]],
            times: dict[str, datetime]) -> PullHistory:
    """The pull request with its module (from the ledger, else its changes) and its head's time."""
    decided = decisions.get(read.number)
    if decided is not None:
        where = (decided.credential, decided.module)
    else:
        paths = changed.get(read.head_sha, [])
        where = module_of(paths, read.author)
        if where == ("", "") and paths:
            # The two-dot diff picked up more than the branch's own work: ask the forge exactly.
            where = module_of(forge.changed_files(read.number), read.author)
    return PullHistory(read.number, read.author, read.state, read.created, read.head_sha,
                       where[0], where[1], read.reviews, times.get(read.head_sha))


def _lines(out: bytes) -> Iterator[tuple[str, str]]:
    for line in out.decode("utf-8", errors="replace").splitlines():
        name, _, sha = line.rpartition(" ")
        yield name, sha


@dataclass(frozen=True)
class Fetched:
    """The record commits of every pull request, those a previous run kept, the others' records."""

    commits: list[str]  # in the order of their refs
    kept: dict[str, bytes]  # record commit -> cache line, from the cache
    asked: list[str]  # the commits whose records git reads
    contents: Iterator[bytes | None]  # those records, in order, as git reads them (read once)
    note: str | None = None  # why the cache was set aside


def fetch_records(root: Path, cache_file: Path | None = None) -> Fetched:
    """Every pull request's record commit, and the records the cache does not keep, as git
    reads them (gitread.contents: its first part is under way when this returns)."""
    commits = git(root, "for-each-ref", "--format=%(objectname)", PULLS).decode().split()
    loaded = cache.load(cache_file) if cache_file is not None else cache.Loaded()
    asked = [c for c in commits if c not in loaded.lines]
    return Fetched(commits, loaded.lines, asked,
                   contents(root, [f"{sha}:record.json" for sha in asked]), loaded.note)


def _changed(root: Path, pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Paths each head changes since its base (two-dot), by head commit (every head asked,
    with no paths when it changes nothing), in one process."""
    if not pairs:
        return {}
    out = git(root, "diff-tree", "--stdin", "-r", "--name-only", "--no-renames", "-z",
               data="".join(f"{head} {base}\n" for head, base in pairs).encode())
    changed: dict[str, list[str]] = {head: [] for head, _ in pairs}
    current: list[str] = []
    for item in out.decode("utf-8", errors="replace").split("\0"):
        if len(item) == 40 and "/" not in item:
            current = changed.setdefault(item, [])
        elif item:
            current.append(item)
    return changed


def _commit_times(root: Path, shas: list[str]) -> dict[str, datetime]:
    if not shas:
        return {}
    out = git(root, "log", "--no-walk=unsorted", "--format=%H %ct", "--stdin",
               data="".join(f"{s}\n" for s in set(shas)).encode())
    return {sha: datetime.fromtimestamp(int(stamp), UTC) for sha, stamp in _lines(out)}
