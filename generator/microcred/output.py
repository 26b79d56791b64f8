"""The one place that prints: results to stdout, progress and errors to stderr."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, TextIO

_state = {"quiet": False}


def set_quiet(quiet: bool) -> None:
    """Silence progress and informational lines (results and errors still print)."""
    _state["quiet"] = quiet


def write(text: str = "", stream: TextIO | None = None) -> None:
    """Print a result line."""
    print(text, file=stream or sys.stdout)


def write_json(data: Any) -> None:
    """Print data as indented JSON."""
    print(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def write_chunk(text: str) -> None:
    """Print part of a result as it is (a long document written piece by piece)."""
    sys.stdout.write(text)


def info(text: str) -> None:
    """Print an informational line unless quiet."""
    if not _state["quiet"]:
        print(text, file=sys.stderr)


def progress(done: int, total: int, what: str) -> None:
    """Show progress of long work on stderr, on one line, unless quiet or not a terminal."""
    if _state["quiet"] or not sys.stderr.isatty():
        return
    end = "\n" if done >= total else ""
    print(f"\r{what}: {done}/{total}", end=end, file=sys.stderr, flush=True)


def warn(text: str) -> None:
    """Print a warning on stderr, even when quiet."""
    print(f"warning: {text}", file=sys.stderr)


def error(text: str) -> None:
    """Print an error on stderr."""
    print(f"error: {text}", file=sys.stderr)


class LogHandler(logging.Handler):
    """Route a library's log records (mkdocs) through this module."""

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        if record.levelno >= logging.WARNING:
            print(f"{record.levelname.lower()}: {text}", file=sys.stderr)
        else:
            info(text)


def append_file(path: Path, text: str) -> None:
    """Append text to a file the environment gives us (such as GitHub's step summary)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
