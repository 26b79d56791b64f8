"""Where submission files come from: the working tree or a git commit, read as untrusted bytes.

Nothing here follows a symbolic link, runs a filter or hook, or checks anything out: git trees
are listed with `ls-tree` and blobs read from the object database.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import git

from microcred.submission.findings import printable

FILE, SYMLINK, SUBMODULE, OTHER = "file", "symlink", "submodule", "other"


class TooLarge(Exception):
    """A file is larger than the reader was allowed to read."""


@dataclass(frozen=True)
class Entry:
    """One path in the tree, as raw bytes and as text safe to show (see `display`)."""

    raw: bytes
    mode: str
    size: int
    ref: str = ""  # the blob id for git sources

    @property
    def path(self) -> str:
        return display(self.raw)


def display(raw: bytes) -> str:
    """A path as text safe to show: undecodable bytes and invisible characters escaped."""
    text = raw.decode("utf-8", errors="backslashreplace")
    # Printable ASCII has nothing to escape; most paths are, and `printable` tests each character.
    return text if text.isascii() and text.isprintable() else printable(text)


class Source(Protocol):
    """A tree of files to check."""

    def entries(self, prefix: str) -> list[Entry]:
        """Every entry under `prefix` (a folder path ending in '/'), recursively."""
        ...

    def read(self, entry: Entry, limit: int) -> bytes:
        """The bytes of a regular file; raise TooLarge beyond `limit` bytes."""
        ...


class FsSource:
    """Files of a working tree."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def entries(self, prefix: str) -> list[Entry]:
        top = os.path.join(os.fsencode(self.root), prefix.encode("utf-8"))
        out: list[Entry] = []
        if os.path.isdir(top) and not os.path.islink(top.rstrip(b"/")):
            self._walk(top, prefix.encode("utf-8"), out)
        return out

    def _walk(self, folder: bytes, rel: bytes, out: list[Entry]) -> None:
        with os.scandir(folder) as items:
            for item in sorted(items, key=lambda i: i.name):
                info = item.stat(follow_symlinks=False)
                path = rel + item.name
                if stat.S_ISDIR(info.st_mode):
                    self._walk(item.path, path + b"/", out)
                else:
                    out.append(Entry(path, _fs_mode(info.st_mode), info.st_size))

    def read(self, entry: Entry, limit: int) -> bytes:
        if entry.size > limit:
            raise TooLarge(entry.path)
        path = os.path.join(os.fsencode(self.root), entry.raw)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(entry.path)
        return data


def _fs_mode(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return SYMLINK
    return FILE if stat.S_ISREG(mode) else OTHER


class GitSource:
    """Files of one commit of a repository."""

    def __init__(self, repo: git.Repo, commit: str) -> None:
        self.repo = repo
        self.commit = commit

    def entries(self, prefix: str) -> list[Entry]:
        listing = self.repo.git.ls_tree(
            "-r", "-z", "-l", "--full-tree", self.commit, "--", prefix, stdout_as_string=False)
        return [entry for record in listing.split(b"\0") if (entry := _ls_tree_entry(record))]

    def read(self, entry: Entry, limit: int) -> bytes:
        if entry.size > limit:
            raise TooLarge(entry.path)
        stream = self.repo.odb.stream(bytes.fromhex(entry.ref))
        data: bytes = stream.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(entry.path)
        return data

    def entry(self, path: bytes) -> Entry | None:
        """The entry at exactly `path`, if the commit has one."""
        listing = self.repo.git.ls_tree(
            "-z", "-l", "--full-tree", self.commit, "--", path.decode("utf-8", "surrogateescape"),
            stdout_as_string=False)
        found = [e for record in listing.split(b"\0") if (e := _ls_tree_entry(record))]
        return next((e for e in found if e.raw == path), None)


def _ls_tree_entry(record: bytes) -> Entry | None:
    """Parse `<mode> <type> <object> <size>\\t<path>` from `git ls-tree -l -z`."""
    if not record:
        return None
    meta, _, path = record.partition(b"\t")
    mode, kind, ref, size = meta.split(None, 3)
    if kind == b"commit":
        return Entry(path, SUBMODULE, 0, ref.decode())
    if mode == b"120000":
        return Entry(path, SYMLINK, int(size), ref.decode())
    if kind != b"blob":
        return Entry(path, OTHER, 0, ref.decode())
    return Entry(path, FILE, int(size), ref.decode())


@dataclass(frozen=True)
class Change:
    """A path a pull request adds, modifies, deletes or retypes."""

    status: str  # A, M, D, T
    raw: bytes

    @property
    def path(self) -> str:
        return display(self.raw)


def changed_paths(repo: git.Repo, base: str, head: str) -> list[Change]:
    """Paths changed between the merge base of `base` and `head`, and `head`."""
    out = repo.git.diff("--name-status", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
                        f"{base}...{head}", "--", stdout_as_string=False)
    parts = out.split(b"\0")
    return [Change(parts[i].decode("ascii", "replace")[:1], parts[i + 1])
            for i in range(0, len(parts) - 1, 2) if parts[i]]
