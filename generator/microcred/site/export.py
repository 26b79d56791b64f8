"""`microcred build --export DIR`: the site's pages as plain Markdown in a folder of their own.

The course should not depend on one theme or one site generator. An export holds every page the
build rendered (generated and authored alike, after the plugin resolved the course's references),
with its front matter, every other file of the site's sources (templates, images, schemas,
badges), and `nav.yml`, the navigation as nested `title: page` lists. Any generator that reads
Markdown can build it; the tabs and notes use Python-Markdown extensions (docs/export.md).
The folder is written whole or not at all.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from microcred.errors import ConfigError, UsageError

MARKER = ".microcred-export"  # a folder holding it was written by an export and may be replaced
NAV = "nav.yml"


@dataclass
class Export:
    """What one build hands over to be exported: the target and each page's final Markdown."""

    target: Path
    pages: dict[str, str] = field(default_factory=dict)


def check_target(target: Path) -> None:
    """Refuse a target that is a file, or a folder with anything but an earlier export."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"--export {target}: is a file (give a new folder)")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UsageError(f"--export {target}: the folder is not empty and holds no earlier export "
                         "(give a new or empty folder)")


def page_text(markdown: str, meta: Mapping[str, Any]) -> str:
    """A page's Markdown with its front matter written back."""
    if not meta:
        return markdown
    front = yaml.safe_dump(dict(meta), sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n\n{markdown}"


def write(target: Path, files: Iterable[tuple[str, bytes]], nav: Any) -> int:
    """Write `files` (path, content) and the nav into `target` at once; how many files."""
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.export-", dir=target.parent))
    try:
        count = 0
        for rel, data in files:
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            count += 1
        (staging / NAV).write_text(yaml.safe_dump(nav, sort_keys=False, allow_unicode=True),
                                   encoding="utf-8")
        (staging / MARKER).write_text("Written by `microcred build --export`.\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except OSError as exc:
        raise ConfigError(f"--export {target}: cannot write ({exc.strerror}); nothing was "
                          "exported") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return count
