"""Reading many objects from a local repository in one git process.

A year of a large programme is about 200,000 small files (ledger records, pull request
records): one `git cat-file --batch` reads them all, and its output is taken whole.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    """The output of one git command in `root`; CalledProcessError when it fails."""
    return subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True,
                          check=True).stdout


def cat_batch(root: Path, names: list[str]) -> bytes:
    """`git cat-file --batch` of every object name (a sha, or `<commit>:<path>`), its whole output.

    A second thread writes the names while this one reads: git answers as it is asked, and
    both pipes would fill if either waited for the other.
    """
    if not names:
        return b""
    with subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE) as batch:
        assert batch.stdin is not None and batch.stdout is not None
        request = "".join(f"{name}\n" for name in names).encode()
        writer = threading.Thread(target=_write, args=(batch.stdin, request), daemon=True)
        writer.start()
        out = batch.stdout.read()
        writer.join()
    if batch.returncode != 0:
        raise subprocess.CalledProcessError(batch.returncode, ["git", "cat-file", "--batch"])
    return out


def _write(stdin: IO[bytes], request: bytes) -> None:
    with stdin:
        stdin.write(request)


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
