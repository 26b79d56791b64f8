"""The compiled fast path: valid documents skip jsonschema; invalid ones get the same findings."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.content import schema
from microcred.content.schema import KINDS, passes_fast, validate
from microcred.content.yamlfile import YamlDoc, parse_yaml
from tests.conftest import DATA
from tests.content.test_schema import CASES
from tests.helpers import replace

COURSE = DATA / "course"
DOCUMENTS = {
    "rubric": COURSE / "rubrics" / "observation.yml",
    "module": COURSE / "modules" / "observation" / "module.yml",
    "credential": COURSE / "content" / "credentials" / "my-credential.yml",
    "programme": COURSE / "content" / "programmes" / "my-programme.yml",
    "submission": DATA / "good-submission" / "submission.yml",
    "calendar": DATA / "coaching" / "content" / "calendars" / "cohort-one.yml",
    "exchange": DATA / "coaching" / "content" / "exchanges" / "exchange-one.yml",
    "coaching-log": DATA / "coaching" / "coaching" / "logs" / "coach-ana"
    / "2026-09-15-one-to-one-lea.yml",
    "community": DATA / "coaching" / "coaching" / "communities" / "lea" / "cycle-1.yml",
}
CONSENT = "format: 1\nkind: consent\npublic_page: true\nshow_as: Léa M.\n"


def _doc(kind: str) -> YamlDoc:
    text = CONSENT if kind == "consent" else DOCUMENTS[kind].read_text(encoding="utf-8")
    return parse_yaml(text, f"{kind}.yml")


def _slow(doc: YamlDoc, kind: str, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The findings of jsonschema alone, as before the fast path."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "passes_fast", lambda data, kind: False)
        return validate(doc, kind)


def _jsonschema_valid(data: Any, kind: str) -> bool:
    return next(schema._validator(kind).iter_errors(data), None) is None


@pytest.mark.parametrize("kind", KINDS)
def test_every_published_schema_has_a_fast_path(kind: str) -> None:
    assert schema._fast_validator(kind) is not None


@pytest.mark.parametrize("kind", KINDS)
def test_a_valid_document_never_reaches_jsonschema(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _doc(kind)

    def no_jsonschema(kind: str) -> None:
        raise AssertionError("jsonschema ran for a valid document")

    monkeypatch.setattr(schema, "_validator", no_jsonschema)
    assert passes_fast(doc.data, kind)
    assert validate(doc, kind) == []


@pytest.mark.parametrize("name", list(CASES))
def test_an_invalid_document_gets_the_findings_of_jsonschema(
    course: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old, new, expected = CASES[name]
    replace(course / path, old, new)
    kind = "module" if path.endswith("module.yml") else "credential"
    doc = parse_yaml((course / path).read_text(encoding="utf-8"), path)
    assert not passes_fast(doc.data, kind)
    findings = validate(doc, kind)
    assert findings == _slow(doc, kind, monkeypatch)
    assert [f.render() for f in findings] == [expected]


def test_a_schema_keyword_the_compiler_does_not_know_disables_the_fast_path() -> None:
    assert schema._fast_safe({"type": "string", "x-fix": "write text", "description": "d"})
    assert not schema._fast_safe({"type": "array", "prefixItems": [{"type": "string"}]})
    assert not schema._fast_safe({"properties": {"a": {"unevaluatedProperties": False}}})
    assert schema._fast_validator("check-report") is None  # it uses prefixItems


def test_const_is_compiled_as_a_one_value_enum_that_keeps_true_apart_from_1() -> None:
    compiled = schema._const_as_enum({"properties": {"format": {"const": 1}, "const": {"const": "x"}}})
    assert compiled == {"properties": {"format": {"enum": [1]}, "const": {"enum": ["x"]}}}
    assert not passes_fast({**_doc("consent").data, "format": True}, "consent")


# -- property: the fast path never accepts what jsonschema rejects --------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 600), st.floats(allow_nan=False),
    st.text(max_size=12), st.sampled_from(["", " ", "x\n", "Tally Sheet", "v1", "1.0.0",
                                           "https://vimeo.com", "vimeo.com", "notes.md", "/abs",
                                           "2024-02-29", "text", "csv", "link", "file"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*prefix, index))
    return out


def _mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    """A deep copy of `data` with the node at `path` replaced, removed or given a new key."""
    changed = copy.deepcopy(data)
    if not path:
        return value
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "remove" and isinstance(parent, dict):
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last]["surplus"] = value
    else:
        parent[last] = value
    return changed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(KINDS), data=st.data())
def test_the_fast_path_accepts_only_what_jsonschema_accepts(kind: str, data: st.DataObject) -> None:
    original = _doc(kind).data
    path = data.draw(st.sampled_from(_paths(original)))
    action = data.draw(st.sampled_from(["replace", "remove", "add"]))
    mutated = _mutate(original, path, action, data.draw(values))
    if passes_fast(mutated, kind):
        assert _jsonschema_valid(mutated, kind), (path, action, mutated)
