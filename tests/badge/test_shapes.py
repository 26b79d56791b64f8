from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyld import nquads

from microcred.badge import shapes
from microcred.badge.canon import escape
from microcred.badge.contexts import OB_V3, VC_V2
from microcred.badge.shapes import Template, document_quads, plain_iri, shape, template_of


def shape_of(document: dict[str, Any]) -> tuple[tuple[Any, ...], list[str]]:
    shaped = shape(document)
    assert shaped is not None
    return shaped


def template(document: dict[str, Any]) -> tuple[Template, list[str]]:
    parts, values = shape_of(document)
    made = template_of(parts)
    assert made is not None
    return made, values


def test_documents_of_one_shape_share_one_template(unsigned: dict[str, Any]) -> None:
    other = copy.deepcopy(unsigned)
    other["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    other["credentialSubject"]["achievement"]["name"] = 'Another "name"\n'
    first, _ = shape_of(unsigned)
    second, values = shape_of(other)
    assert first == second
    assert template_of(first) is template_of(second) is not None
    assert "urn:uuid:00000000-0000-4000-8000-000000000000" in values


def test_slots_are_literals_with_their_datatype_or_iris(unsigned: dict[str, Any]) -> None:
    made, values = template(unsigned)
    suffixes = dict(made.literals)
    assert values.index(unsigned["id"]) in made.iris
    assert suffixes[values.index(unsigned["name"])] == ""
    assert suffixes[values.index(unsigned["validFrom"])] == "^^<http://www.w3.org/2001/XMLSchema#dateTime>"


def test_types_contexts_and_terms_stay_in_the_shape(unsigned: dict[str, Any]) -> None:
    _, values = shape_of(unsigned)
    assert "OpenBadgeCredential" not in values  # a type: it picks the type-scoped context
    assert VC_V2 not in values
    unsigned["credentialSubject"]["achievement"]["description"] = "name"  # a term
    _, values = shape_of(unsigned)
    assert "name" not in values


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for step in parents:
            document = document[int(step)] if step.isdigit() else document[step]  # type: ignore[index]
        document[last] = value

    return change


@pytest.mark.parametrize("change", [
    _set("evidence.0.id", "pull/42"),  # relative
    _set("evidence.0.id", "_:b0"),  # a blank node
    _set("evidence.0.id", "name:x"),  # a compact IRI whose prefix is a term
    _set("evidence.0.id", "https://example.org/a b"),  # not an IRI N-Quads can hold
    _set("evidence.0.id", "@none"),  # looks like a keyword
    _set("evidence.0.name", {"@context": {"name": "https://example.org/n"}, "@value": "x"}),
    _set("evidence.0.colour", "teal"),  # a term pyld drops
    _set("@context", [VC_V2, OB_V3, "https://example.org/other"]),
    _set("credentialSubject.type", ["AchievementSubject", "GoldStar"]),  # a relative type IRI
], ids=["relative", "blank", "compact", "space", "keyword", "inline-context", "dropped",
        "unbundled", "relative-type"])
def test_documents_the_fast_path_cannot_vouch_for_go_to_pyld(
    unsigned: dict[str, Any], change: Callable[[dict[str, Any]], None]
) -> None:
    change(unsigned)
    assert document_quads(unsigned) is None


def test_two_nodes_with_one_id_go_to_pyld(unsigned: dict[str, Any]) -> None:
    """pyld merges them, so a quad both have would come out once, not twice."""
    unsigned["evidence"].append(copy.deepcopy(unsigned["evidence"][0]))
    assert document_quads(unsigned) is None


def test_a_template_is_made_once_per_shape(unsigned: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    template(unsigned)
    monkeypatch.setattr(shapes, "_make_template", lambda parts: pytest.fail("template made twice"))
    assert document_quads(unsigned) is not None


@pytest.mark.parametrize("value, plain", [
    ("https://example.org/x?y#z", True), ("urn:uuid:1", True), ("did:key:z6Mk#z6Mk", True),
    ("pull/42", False), ("_:b0", False), ("name:x", False), ("https://relative-iri.invalid/x", False),
    ("https://example.org/<x>", False), ("https://example.org/x\n", False), ("", False),
])
def test_plain_iris(value: str, plain: bool) -> None:
    assert plain_iri(value) is plain


@given(st.text())
def test_literals_are_escaped_as_pyld_escapes_them_where_pyld_is_canonical(text: str) -> None:
    # pyld 3 leaves control characters other than \t \n \r unescaped, which canonical
    # N-Quads escapes (tests/badge/test_canon.py); everywhere else the two agree.
    if not any(ord(c) < 0x20 or ord(c) == 0x7F for c in text.replace("\t", "").replace("\n", "")
               .replace("\r", "")):
        assert escape(text) == nquads.escape(text)
