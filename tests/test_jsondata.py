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


INDENTED = [
    {"a": [1, 2.5, None, True, False], "b": "été \u2028 \"quoted\" \\ tab\t", "c": {}, "d": []},
    [[], {}, [[]], {"x": {"y": []}}],
    {"float": 0.1, "more": [12.3, -0.0, 100.0, 1234567.5, 3.0e15]},
    {"exponent": 1e16}, {"small": 1e-05}, [2.5e-7], {"tiny": 0.00004},  # below 1e-4: the fallback
    {"text": "a: 1e5", "list": ["1e5"]},  # the pattern inside a string: still the same text
    {"big": 12345678901234567890},  # past 64 bits: orjson refuses, the standard library writes
    "plain", 7, None,
]


@pytest.mark.parametrize("document", INDENTED)
def test_the_indented_writer_writes_the_standard_library_s_text(document: Any) -> None:
    expected = json.dumps(document, indent=2, ensure_ascii=False)
    assert jsondata.fast_dumps_indented(document) == expected
    assert jsondata.standard_dumps_indented(document) == expected
    assert jsondata.dumps_indented is jsondata.fast_dumps_indented


def test_orjson_and_the_standard_library_write_floats_alike_where_the_indented_writer_trusts_it(
        ) -> None:
    import random

    import orjson

    rng = random.Random(12)
    for _ in range(20000):
        x = rng.choice([1, -1]) * 10 ** rng.uniform(-30, 30)
        document = {"x": round(x, rng.randint(0, 6)) if rng.random() < 0.3 else x}
        assert jsondata.fast_dumps_indented(document) == json.dumps(document, indent=2)
        if 1e-4 <= abs(document["x"]) < 1e15:  # where the writer may take orjson's text as it is
            assert orjson.dumps(document["x"]).decode() == json.dumps(document["x"])


@pytest.mark.parametrize("value", [0.0, 0.1, 12.3, -4.5, 1e-4, 0.0001, 123456.7, 9.99e14])
def test_floats_rounded_to_four_places_or_fewer_are_written_alike_unsearched(value: float) -> None:
    for places in (1, 2, 4):
        document = {"x": [round(value, places)], "y": round(value / 3, places)}
        assert jsondata.fast_dumps_indented(document, rounded=True) == json.dumps(document, indent=2)
