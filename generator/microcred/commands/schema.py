"""`microcred schema KIND`: print the published JSON Schema of a file format, or write them all.

Inside a course the `$id` is the schema's address on the course site (its mkdocs.yml site_url);
elsewhere it is the schema's URN.
"""

from __future__ import annotations

from pathlib import Path

from microcred import output
from microcred.content.loader import find_root
from microcred.content.schema import KINDS, REPORTS
from microcred.errors import ConfigError, UsageError
from microcred.ledger.settings import site_url_of
from microcred.site.schemas import published, schema_text


def schema(root: Path | None, kind: str | None, write: Path | None) -> int:
    """Print the schema of `kind`, or write every schema into `write`."""
    site_url = _site_url(root)
    if write is not None:
        if kind is not None:
            raise UsageError("give a KIND to print one schema, or --write DIR to write them all, "
                             "not both")
        for name in KINDS + REPORTS:
            _write(write / f"{name}.schema.json", schema_text(name, site_url))
        output.info(f"wrote {len(KINDS + REPORTS)} schemas into {write}")
        return 0
    if kind is None:
        raise UsageError("give the KIND of schema to print (" + ", ".join(KINDS + REPORTS) +
                         "), or --write DIR")
    output.write_json(published(kind, site_url))
    return 0


def _site_url(root: Path | None) -> str:
    try:
        return site_url_of(find_root(root or Path.cwd()))
    except ConfigError:
        if root is not None:
            raise
        return ""  # outside any course: the URN


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ({exc.strerror}); choose a folder you can "
                          "write to") from None
