"""The fast path to RDF gives pyld's quads, or leaves the document to pyld: never other bytes.

`canonicalize` (shape template, falling back to pyld's `to_rdf`) against `full_canonicalize`
(pyld's `to_rdf` alone), on generated credentials and on tampered ones: the same N-Quads, or the
same error. And against pyld's own canonicalization, wherever its escaping is canonical: the
same bytes as every badge signed before canonicalization was ours.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from microcred.badge import sign
from microcred.badge.canon import canonical_nquads
from microcred.badge.contexts import RELATIVE_BASE, document_loader
from microcred.badge.keys import SigningKey
from microcred.badge.shapes import document_quads
from microcred.badge.sign import canonicalize, full_canonicalize, proof_options
from microcred.badge.verify import Context as VerifyContext
from microcred.badge.verify import check_signature
from tests.badge.conftest import ISSUED
from tests.badge.documents import TEXT, credentials, places, tampered

# The fixtures used with @given are read-only here (each example works on a deep copy).
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def outcome(canonical: Callable[[dict[str, Any]], str], document: dict[str, Any]) -> tuple[str, str]:
    """("ok", N-Quads) or (error type, message)."""
    try:
        return "ok", canonical(copy.deepcopy(document))
    except Exception as err:  # every outcome of the reference is one the fast path must match
        return type(err).__name__, str(err)


def fast_only(document: dict[str, Any]) -> str | None:
    """The fast path's N-Quads with no fallback, None where it leaves the document to pyld."""
    quads = document_quads(document)
    return None if quads is None else canonical_nquads(quads)


@SETTINGS
@given(credentials())
def test_generated_credentials_take_the_fast_path_to_the_same_bytes(document: dict[str, Any]) -> None:
    expected = outcome(full_canonicalize, document)
    assert outcome(canonicalize, document) == expected
    fast = fast_only(document)
    assert fast is None or ("ok", fast) == expected
    if expected[0] == "ok" and _plain_ids(document):
        assert fast == expected[1], "a credential as microcred issues it took the slow path"


ODD_CONTROLS = {chr(code) for code in [*range(0x20), 0x7F]} - {"\t", "\n", "\r"}


def pyld_normalize(document: dict[str, Any]) -> str:
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "base": RELATIVE_BASE,
               "documentLoader": document_loader}
    text: str = jsonld.normalize(copy.deepcopy(document), options)
    return text


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(credentials())
def test_where_pyld_escapes_canonically_the_bytes_are_pyld_s(document: dict[str, Any]) -> None:
    assume(not ODD_CONTROLS & set("".join(_texts(document))))
    result = outcome(canonicalize, document)
    assume(result[0] == "ok")
    assert result[1] == pyld_normalize(document)


def test_the_sample_credential_has_pyld_s_bytes(unsigned: dict[str, Any]) -> None:
    assert canonicalize(unsigned) == pyld_normalize(unsigned)


def _texts(node: Any) -> list[str]:
    """Every key and string in a document."""
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in [str(key), *_texts(value)]]
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    return [node] if isinstance(node, str) else []


def _plain_ids(document: dict[str, Any]) -> bool:
    """Whether every IRI in it is one the fast path takes (no spaces, quotes or brackets)."""
    texts = [str(_at(document, path)) for path in places(document)
             if path[-1] in ("id", "requiredLevel", "achievedLevel", "resultDescription")
             or path[-2:-1] == ("resultDescription",)]
    return not any(set(text) & set(' "<>{}|\\^`\n\t\r') for text in texts)


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


@SETTINGS
@given(credentials().flatmap(tampered))
def test_tampered_documents_get_the_same_bytes_or_the_same_error(document: dict[str, Any]) -> None:
    assert outcome(canonicalize, document) == outcome(full_canonicalize, document)


@SETTINGS
@given(st.data())
def test_any_text_in_the_sample_credential(unsigned: dict[str, Any], data: st.DataObject) -> None:
    """One shape, so one template: the fill of every slot, with any text, any IRI, or tampered."""
    document = copy.deepcopy(unsigned)
    strings = [path for path in places(document) if isinstance(_at(document, path), str)]
    for path in data.draw(st.lists(st.sampled_from(strings), min_size=1, max_size=8)):
        _at(document, path[:-1])[path[-1]] = data.draw(TEXT)
    assert outcome(canonicalize, document) == outcome(full_canonicalize, document)


def test_the_sample_credential_takes_the_fast_path(unsigned: dict[str, Any]) -> None:
    assert fast_only(unsigned) == full_canonicalize(unsigned)


def test_proof_options_take_the_fast_path(unsigned: dict[str, Any], key: SigningKey) -> None:
    options = {**proof_options(key, ISSUED), "@context": unsigned["@context"]}
    assert fast_only(options) == full_canonicalize(options)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_verification_of_a_tampered_badge_is_the_same_on_both_paths(
    badge: dict[str, Any], data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    badge = data.draw(tampered(badge))
    context = VerifyContext(datetime(2026, 1, 1, tzinfo=UTC))
    fast = outcome(lambda document: repr(check_signature(document, context)), badge)
    with monkeypatch.context() as patch:
        patch.setattr(sign, "canonicalize", full_canonicalize)
        slow = outcome(lambda document: repr(check_signature(document, context)), badge)
    assert fast == slow
