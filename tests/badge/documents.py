"""Hypothesis strategies: varied Open Badges credentials as microcred builds them, and tamperings.

The credentials come from `build_credential` with generated rubrics, criteria, levels,
alignments, evidence and issuers, and text full of what N-Quads escapes or that looks like
something else (quotes, backslashes, line breaks, control characters, IRIs, terms, keywords).
A tampering then changes what an outside document could: any value, key or id.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from microcred.badge.credential import Recipient, StatusEntry, build_credential, recipient_from_login
from microcred.model import Alignment, Credential, Criterion, Issuer, Level, Rubric

# Strings that are a term, a keyword, a compact, relative or blank-node IRI, or a slot token.
TRICKY = [
    "pull/42", "../up", "?q=1", "#frag", "_:b0", "_:c14n0", "xsd:string", "obi:Achievement",
    "@id", "@type", "@foo", "name", "Achievement", "id", "https://relative-iri.invalid/x",
    "urn:x y", "HTTPS://EXAMPLE.ORG/é", "did:key:z6Mk#x", "mailto:a@b.example", "", " ",
    '"><\\', "a\nb", "line\r\n", "tab\there", "\x00\x08\x0c\x7f", "😀 \u2028 \ufeff", "microcredslot0x",
    "https://example.org/a b", "http://example.org/x>y", "2025-01-15T12:00:00Z",
]
TRICKY_VALUES: list[Any] = [
    *TRICKY, 42, -0.0, 1.5e300, 7.25, True, False, None, [], {}, ["a", "a"],
    {"@list": ["a", "b"]}, {"@set": ["a"]}, {"@value": "x", "@language": "en"},
    {"@value": "2020-01-01", "@type": "xsd:date"}, {"@value": "x", "@type": "@json"},
    {"@id": "https://example.org/x"}, {"@id": "_:b1"}, {"@context": {"name": "https://example.org/n"}},
    {"id": "https://example.org/n", "type": "Evidence", "name": "n"},
    {"type": ["Evidence"], "name": "same"}, {"@graph": [{"id": "https://example.org/g"}]},
]
NEW_KEYS = ["colour", "name", "@type", "@id", "type", "@context", "id", "description", "@index",
            "@reverse", "@language", "@included", "@graph", "@nest", "narrative", "url"]

TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.text(st.sampled_from('aZ "\\\n\r\t\x00\x0c<>{}é😀@:_/#'), max_size=12),
    st.sampled_from(TRICKY),
)
SLUG = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)
IDS = st.one_of(SLUG, SLUG, SLUG, st.text(min_size=1, max_size=6))
URL = st.one_of(st.builds("https://example.org/{}".format, SLUG), TEXT)


@st.composite
def rubrics(draw: st.DrawFn) -> Rubric:
    level_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    levels = tuple(Level(level_id, draw(TEXT)) for level_id in level_ids)
    criteria = tuple(
        Criterion(criterion_id, draw(TEXT), draw(st.sampled_from(level_ids)),
                  draw(st.dictionaries(st.sampled_from(level_ids), TEXT)))
        for criterion_id in draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    )
    return Rubric(draw(IDS), draw(TEXT), levels, criteria)


ALIGNMENTS = st.builds(Alignment, TEXT, URL, st.just("") | TEXT, st.just("") | TEXT,
                       st.just("") | TEXT, st.just("") | TEXT)


@st.composite
def credentials(draw: st.DrawFn) -> dict[str, Any]:
    """An unsigned credential as `build_credential` makes it, from generated content."""
    rubric_list = draw(st.lists(rubrics(), min_size=1, max_size=3, unique_by=lambda r: r.id))
    credential = Credential(
        id=draw(SLUG), title=draw(TEXT.filter(bool)), version=draw(st.sampled_from(["1.0.0", "2", "v é"])),
        programme="p", description=draw(TEXT), criteria=draw(TEXT), modules=(),
        issuer=Issuer(draw(TEXT), draw(URL), draw(st.just("") | TEXT)),
        image=draw(st.sampled_from(["", "images/badge.png", "a b.svg"])),
        alignments=tuple(draw(st.lists(ALIGNMENTS, max_size=3))),
        valid_for=draw(st.sampled_from(["", "P1Y", "P18M", "P2W"])),
    )
    recipient = draw(st.one_of(
        st.builds(recipient_from_login, SLUG, st.text("0123456789abcdef", min_size=0, max_size=8)),
        st.builds(Recipient, id=st.sampled_from(["did:example:learner", "urn:uuid:1", "mailto:x@y.example"])),
    ))
    return build_credential(
        credential, rubric_list,
        badge_id=draw(st.sampled_from(["urn:uuid:2f0d5f5c-5d1e-4c55-9b8e-4f3f6d1b7a10", "urn:x:1"])),
        issuer_id="did:key:z6Mko9ttignf49ENiRgdD6wcBAbZvhW6cp5WbuVAjWtpwdfK",
        recipient=recipient,
        achieved={r.id: {c.id: c.required for c in r.criteria} for r in rubric_list},
        issued=datetime(2025, 1, 15, 12, 0, tzinfo=UTC),
        base_url=draw(st.sampled_from(["https://courses.example.org", "https://x.example/a b/"])),
        evidence_url=draw(URL),
        status=draw(st.none() | st.builds(StatusEntry, st.just("https://courses.example.org/status/1"),
                                          st.integers(0, 10**6))),
        evidence=draw(st.lists(st.tuples(URL, TEXT), max_size=3)),
    )


def places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a document (dict keys and list indexes)."""
    found = [path] if path else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found += places(value, (*path, key))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


@st.composite
def tampered(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """The document after one to three changes an outside party could make."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places(document)))
        parent, last = _parent(document, path), path[-1]
        change = draw(st.sampled_from(["value", "text", "key", "drop", "same-id"]))
        if change == "value":
            parent[last] = copy.deepcopy(draw(st.sampled_from(TRICKY_VALUES)))
        elif change == "text":
            parent[last] = draw(TEXT)
        elif change == "key" and isinstance(parent[last], dict):
            value = draw(st.sampled_from(TRICKY_VALUES))
            parent[last][draw(st.sampled_from(NEW_KEYS))] = copy.deepcopy(value)
        elif change == "drop" and isinstance(parent, dict):
            del parent[last]
        elif change == "same-id":  # two nodes with one id, which JSON-LD merges
            ids = [p for p in places(document) if p[-1] == "id"]
            if ids:
                first, second = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
                _parent(document, first)["id"] = copy.deepcopy(_parent(document, second)["id"])
    return document


# Any JSON put anywhere: what `verify` must take without raising.

def paths_of(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a document, containers included."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths_of(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths_of(value, (*path, index))


# Text with everything a crafted file can hold: control characters, lone surrogates, digits of
# other scripts, and JSON-LD keywords.
ODD_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=()), max_size=12),
    st.sampled_from(["\ud800", "²", "٣", "@id", "@context", "_:b0", "z", "u", "did:key:z6Mk",
                     "-1", "1e400", "\x00\x0c\x7f", "2025-13-45T99:99:99Z"]),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ODD_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """The document with one to three places replaced by any JSON, or removed."""
    changed = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths_of(changed))[1:]))
        parent: Any = changed
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()):
            parent[path[-1]] = draw(JSON)
        elif isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
        if not list(paths_of(changed))[1:]:
            break
    return changed
