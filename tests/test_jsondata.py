"""Both JSON readers mean the same thing: orjson's, and the standard library's it falls back to."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from microcred import jsondata

READERS = [jsondata.standard_loads, jsondata.fast_loads]
WRITERS = [jsondata.standard_dumps, jsondata.fast_dumps]
DOCUMENTS = [b'{"a": [1, 2.5, null, true], "b": "\xc3\xa9t\xc3\xa9"}', b"[]", b'"text"',
             b'{"x": NaN}', b'"\\ud800"', b'{"big": 12345678901234567890}',
             b'{"a": 1, "a": 2}', b"  {\n}\n"]
BAD = [b"{not json", b"", b"[1,]", b"\xff\xfe{}", b'{"a": 1} trailing']


def test_the_library_reads_with_orjson_when_it_is_installed() -> None:
    assert jsondata.loads is jsondata.fast_loads and jsondata.dumps is jsondata.fast_dumps


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("loads", READERS)
def test_each_reader_reads_what_the_standard_library_reads(loads: jsondata.Loads, document: bytes) -> None:
    expected = json.loads(document)
    found = loads(document)
    assert json.dumps(found, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize("document", BAD)
@pytest.mark.parametrize("loads", READERS)
def test_each_reader_refuses_with_the_standard_library_s_message(loads: jsondata.Loads,
                                                                 document: bytes) -> None:
    with pytest.raises((ValueError, UnicodeDecodeError)) as standard:
        json.loads(document)
    with pytest.raises(type(standard.value)) as found:
        loads(document)
    assert str(found.value) == str(standard.value)


@pytest.mark.parametrize("dumps", WRITERS)
def test_each_writer_writes_one_compact_line_both_readers_read_back(dumps: Callable[[Any], bytes]) -> None:
    data = {"body": "line one\nline two", "é": [1, None, 2**70], "n": 0.1}
    text = dumps(data)
    assert b"\n" not in text
    for loads in READERS:
        assert loads(text) == data


def test_the_one_difference_left_an_integer_past_64_bits() -> None:
    document = b'{"big": 123456789012345678901234567890}'
    assert jsondata.standard_loads(document) == {"big": 123456789012345678901234567890}
    assert jsondata.fast_loads(document) == {"big": 1.2345678901234568e29}
