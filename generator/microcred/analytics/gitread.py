"""Reading many objects from a local repository in one git process.

A year of a large programme is about 200,000 small files (ledger records, pull request
records): one `git cat-file --batch` reads them all, and its output is taken whole.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    """The output of one git command in `root`; CalledProcessError when it fails.

    git reads its input from, and writes its output to, unnamed temporary files rather than
    pipes. Read through a pipe, git stops whenever the pipe is full until this process takes it
    in, and a thread of this process waits its turn for the interpreter while another thread
    parses (progress reads in two threads): a few seconds of git's work then stretches over
    the whole run. With files git runs to the end on its own, and its output is read at once.
    """
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as out:
        if data:
            given.write(data)
            given.seek(0)
        done = subprocess.run(["git", "-C", str(root), *args], stdin=given, stdout=out,
                              stderr=subprocess.PIPE, check=False)
        if done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, ["git", *args], None,
                                                done.stderr)
        out.seek(0)
        return out.read()


def cat_batch(root: Path, names: list[str]) -> bytes:
    """`git cat-file --batch` of every object name (a sha, or `<commit>:<path>`), its whole output.

    `--buffer` lets git write its answers in large blocks instead of one write per object.
    """
    if not names:
        return b""
    return git(root, "cat-file", "--batch", "--buffer",
               data="".join(f"{name}\n" for name in names).encode())


def objects(out: bytes) -> Iterator[bytes | None]:
    """Each object's content in cat_batch's output, in the order asked; None for a missing one."""
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
