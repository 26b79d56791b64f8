from __future__ import annotations

import contextlib
import gc

import pytest

from microcred.content.yamlfile import YamlError, parse_yaml


def test_records_the_line_of_every_key() -> None:
    doc = parse_yaml("a: 1\nb:\n  - x: 2\n  - y:\n      z: 3\n", "f.yml")
    assert doc.data == {"a": 1, "b": [{"x": 2}, {"y": {"z": 3}}]}
    assert doc.lines[("a",)] == 1
    assert doc.lines[("b", 0, "x")] == 3
    assert doc.lines[("b", 1, "y", "z")] == 5


def test_line_of_falls_back_to_the_nearest_ancestor() -> None:
    doc = parse_yaml("a:\n  b: 1\n", "f.yml")
    assert doc.line_of(("a", "b", "missing", 3)) == 2
    assert doc.line_of(("nothing",)) == 1


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(YamlError) as info:
        parse_yaml("a: 1\nb: [unclosed\nc: 2\n", "modules/x/module.yml")
    finding = info.value.finding
    assert finding.path == "modules/x/module.yml"
    assert finding.line == 3
    assert finding.message.startswith("invalid YAML:")


def test_custom_tags_are_refused() -> None:
    with pytest.raises(YamlError) as info:
        parse_yaml("a: !!python/object/apply:os.system ['true']\n", "f.yml")
    assert info.value.finding.line == 1


def test_empty_document_is_none() -> None:
    assert parse_yaml("", "f.yml").data is None


@pytest.mark.parametrize("text", ["a: 1\n", "a: [unclosed\n"])
def test_parsing_leaves_the_garbage_collector_as_it_was(text: str) -> None:
    assert gc.isenabled()
    with contextlib.suppress(YamlError):
        parse_yaml(text, "f.yml")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_yaml("a: 1\n", "f.yml")
        assert not gc.isenabled()
    finally:
        gc.enable()
