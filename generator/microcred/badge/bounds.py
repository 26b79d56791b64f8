"""The bounds a badge's processing keeps to, so crafted input is refused quickly, never run long.

Each figure is far above what an issued badge reaches: the example course's largest credential
(three modules) is about 41 KB of JSON, 12 levels deep, with some 500 quads and 120 blank nodes.
"""

from __future__ import annotations

import math
from typing import Any

from microcred.badge import BadgeError

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024  # the JSON of one badge, status list or DID document
MAX_DEPTH = 48  # nested objects and arrays
MAX_QUADS = 50_000  # RDF statements canonicalized for one document
# How many times canonicalization may hash one blank node's surroundings ("deep iterations"),
# as the Digital Credentials Consortium's verifier (rdf-canonize) bounds it: once per node.
MAX_DEEP_ITERATIONS = 1
MAX_MULTIBASE_CHARS = 256  # base58btc keys and signatures: 48 and 88 characters
MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024  # a decompressed status list: 134 million entries


def readable_document(document: Any) -> None:
    """Raise BadgeError unless `document` is a JSON object of valid Unicode within the bounds."""
    if not isinstance(document, dict):
        raise BadgeError(f"a JSON {json_kind(document)}, not an object")
    size = 0
    stack: list[tuple[Any, str, int]] = [(document, "$", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadgeError(f"{path}: nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            for key, value in node.items():
                size += _text_size(key, path) + 4
                stack.append((value, f"{path}.{_shown(key)}", depth + 1))
        elif isinstance(node, list):
            size += 2 + len(node)
            stack += [(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(node)]
        elif isinstance(node, str):
            size += _text_size(node, path)
        elif isinstance(node, float) and not math.isfinite(node):
            raise BadgeError(f"{path}: {node} is not a JSON number")
        elif node is not None and not isinstance(node, bool | int | float):
            raise BadgeError(f"{path}: a {type(node).__name__} is not JSON")
        else:
            size += 8
        if size > MAX_DOCUMENT_BYTES:
            raise BadgeError(f"over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB of JSON, far more than "
                             "any badge holds")


def json_kind(value: Any) -> str:
    """What JSON calls the type of `value`: object, array, string, number, boolean or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    kinds = ((dict, "object"), (list, "array"), (str, "string"), (int | float, "number"))
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def _text_size(text: Any, path: str) -> int:
    if not isinstance(text, str):
        raise BadgeError(f"{path}: a key that is not a string")
    try:
        return len(text.encode("utf-8")) + 2
    except UnicodeEncodeError as err:
        raise BadgeError(f"{path}: text that is not valid Unicode ({err.reason}: "
                         f"{text[err.start:err.end].encode('utf-8', 'backslashreplace').decode()})"
                         ) from None


def _shown(key: str) -> str:
    """A key as a path shows it: lone surrogates written as escapes, so the message can print."""
    return str(key).encode("utf-8", "backslashreplace").decode("utf-8")
