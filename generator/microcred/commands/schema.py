"""`microcred schema KIND`: print the published JSON Schema of a file format."""

from __future__ import annotations

from microcred import output
from microcred.content.schema import schema_of


def schema(kind: str) -> int:
    output.write_json(schema_of(kind))
    return 0
