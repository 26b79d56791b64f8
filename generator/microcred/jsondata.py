"""Read and write JSON quickly where there is a lot of it, with the standard library's meaning.

A year of a large programme is about 190,000 small JSON documents (pull request records and
ledger records). orjson parses them several times faster than the standard library; it is a
dependency, but when it cannot be imported the standard library does the same work. Either way
a document means what the standard library says it means: orjson refuses a few things the
standard library accepts (NaN, lone surrogates) and its messages differ: so any document orjson
refuses is parsed again by the standard library, which either reads it or raises its own error
with its own message. One difference is left on purpose: orjson reads an integer past 64 bits
(20 digits or more) as a float. No field progress reads is such a number (the only integer it
reads from a record is a pull request's number), and finding one would mean scanning every
document for long runs of digits, which costs more than orjson saves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - the dependency is installed with microcred
    orjson = None  # type: ignore[assignment]

Loads = Callable[[bytes], Any]


def standard_loads(data: bytes) -> Any:
    """The standard library's parse (UnicodeDecodeError or json.JSONDecodeError when bad)."""
    return json.loads(data)


def fast_loads(data: bytes) -> Any:
    """orjson's parse, or the standard library's for anything orjson refuses."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


loads: Loads = fast_loads if orjson is not None else standard_loads


def standard_dumps(data: Any) -> bytes:
    """Compact JSON as UTF-8 (for our own files, read back with `loads`)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fast_dumps(data: Any) -> bytes:
    """orjson's compact JSON, or the standard library's for anything orjson refuses."""
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError: an integer past 64 bits, a key not a string
        return standard_dumps(data)


dumps: Callable[[Any], bytes] = fast_dumps if orjson is not None else standard_dumps


def standard_dumps_indented(data: Any, rounded: bool = False) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)`: the layout of our readable JSON."""
    return json.dumps(data, indent=2, ensure_ascii=False)


# Where orjson and the standard library write a float differently: below 1e-4 (orjson's
# 0.00004 and 2.5e-7 are the standard library's 4e-05 and 2.5e-07), found by comparing the two
# on 300,000 floats from 1e-30 to 1e30; and, with orjson 3.9, from 1e16 up (1e20, not 1e+20).
# So a number in exponent form, or one starting 0.0000, where a value starts (after a key, or
# first on an array's line). A string cannot start there (it starts with a quote), though one
# may contain the pattern: then the document is only written the slower way.
_EXPONENT = re.compile(r"(?:: |^ *)-?(?:[0-9]+(?:\.[0-9]+)?[eE]|0\.0000)", re.MULTILINE)


def fast_dumps_indented(data: Any, rounded: bool = False) -> str:
    """standard_dumps_indented's text, by orjson (several times quicker: the standard library
    writes an indented document in Python, not C). For documents whose floats are finite, as
    every one we write is: orjson writes NaN as null. Anything orjson refuses, or writes
    differently (a float below 1e-4, or from 1e16 up with orjson 3.9), is written by the
    standard library.

    `rounded`: the caller vouches that every float is rounded to 4 places or fewer (so 0, or
    at least 1e-4 in size), as round(x, 1) always is, and below 1e15 in size (days and counts
    are); the text is then not searched for the forms orjson writes differently (half a second
    on a 53 MB document).
    """
    try:
        text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError: an integer past 64 bits, a key not a string
        return standard_dumps_indented(data)
    return standard_dumps_indented(data) if not rounded and _EXPONENT.search(text) else text


DumpsIndented = Callable[..., str]
dumps_indented: DumpsIndented = fast_dumps_indented if orjson is not None \
    else standard_dumps_indented
