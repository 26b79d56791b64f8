"""Reading many objects from a local repository in a few git processes.

A year of a large programme is about 200,000 small files (ledger records, pull request
records): `git cat-file --batch` reads them in a few parts, each part's output taken whole.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

# Objects per `git cat-file` process in `contents`: the first part's objects reach the caller
# after a fraction of the whole read, and each process's start (a few milliseconds) is small
# beside its work.
PART = 8000


def git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    """The output of one git command in `root`; CalledProcessError when it fails."""
    return _Running(root, args, data).output()


class _Running:
    """A git command under way, its input and output in unnamed temporary files.

    Not pipes: through a pipe git stops whenever the pipe is full until this process takes the
    output in, and a thread of this process waits its turn for the interpreter while another
    thread parses (progress reads in two threads), so a few seconds of git's work would stretch
    over the whole run. With files git runs to the end on its own.
    """

    def __init__(self, root: Path, args: tuple[str, ...], data: bytes | None) -> None:
        self.args = args
        self._out: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by output()
        with tempfile.TemporaryFile() as given:
            if data:
                given.write(data)
                given.seek(0)
            self._process = subprocess.Popen(["git", "-C", str(root), *args], stdin=given,
                                             stdout=self._out, stderr=subprocess.PIPE)

    def output(self) -> bytes:
        """Its whole output, once it ended; CalledProcessError (with git's words) if it failed."""
        with self._out:
            _, stderr = self._process.communicate()
            if self._process.returncode != 0:
                raise subprocess.CalledProcessError(self._process.returncode, ["git", *self.args],
                                                    None, stderr)
            self._out.seek(0)
            return self._out.read()

    def discard(self) -> None:
        """Wait for it and drop its output (a reader that stopped early)."""
        with self._out:
            self._process.communicate()


def _cat(root: Path, names: list[str]) -> _Running:
    """`git cat-file --batch` of the object names (a sha, or `<commit>:<path>`), under way.
    `--buffer` lets git write its answers in large blocks instead of one write per object."""
    return _Running(root, ("cat-file", "--batch", "--buffer"),
                    "".join(f"{name}\n" for name in names).encode())


def contents(root: Path, names: list[str], part: int = PART) -> Iterator[bytes | None]:
    """Each named object's content in order (None for a missing one), read PART at a time.

    The next part's git runs while the caller works through the current one, so parsing
    starts when the first part is read, not the last.
    """
    parts = [names[at:at + part] for at in range(0, len(names), part)]
    # The first git starts now, not when the caller first asks.
    return _parts(root, parts, _cat(root, parts[0]) if parts else None)


def _parts(root: Path, parts: list[list[str]], running: _Running | None) -> Iterator[bytes | None]:
    try:
        for at in range(len(parts)):
            assert running is not None
            out = running.output()
            running = _cat(root, parts[at + 1]) if at + 1 < len(parts) else None
            yield from _objects(out)
            del out  # the part is let go before the next is read
    finally:
        if running is not None:  # the caller stopped early
            running.discard()


def _objects(out: bytes) -> Iterator[bytes | None]:
    """Each object's content in a `cat-file --batch` output, in the order asked; None for a
    missing one."""
    at = 0
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if header[-1] != b"missing" and len(header) == 3:
            size = int(header[2])
            yield out[end + 1:end + 1 + size]
            at = end + 1 + size + 1
        else:
            yield None
            at = end + 1
