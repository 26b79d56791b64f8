"""The RDF quads of a JSON-LD document, from a template made once per document shape.

Badges of one credential differ only in strings: ids, names, dates, hashes. Turning JSON-LD
into RDF with pyld costs most of a signature (each of a badge's ~100 typed nodes processes its
type-scoped context again), so pyld runs once per *shape*, and later documents of that shape
have their strings filled into its quads.

A shape is a document's structure with each replaceable string taken out as a slot. Whatever
could change which quads come out stays in the shape, so documents that differ there differ in
shape: the `@context`, every key, `type` and other keyword values, numbers, booleans and null,
strings that start with `@`, and strings that are a term of a bundled context (a term can
expand to an IRI).

The template is pyld's RDF for the document with a token in every slot. A token is a word that
is no term and has no colon, so pyld can put it in a quad in two ways only:

- as the whole value of a literal (`"token"`), whose datatype or language comes from the
  property alone: any string in that slot is the same literal, escaped as canonical N-Quads
  escapes it (`canon.escape`);
- as an IRI resolved against the base (`<https://relative-iri.invalid/token>`), for an `@id` or
  an IRI-typed property: pyld keeps a string there unchanged when it is an absolute IRI whose
  scheme, and itself, are no term of a bundled context, which `fill` checks. A compact IRI,
  a blank node id (`_:x`), a relative IRI or a keyword-like string would expand otherwise:
  `fill` returns None and the caller runs pyld on the whole document.

There is no template, and the caller runs pyld, for a document whose `@context` is anything but
bundled URLs at the top, or whose tokens land anywhere else, or which pyld refuses, drops a
term of, or gives a relative IRI outside a slot (the full path then says what is wrong). Filled
quads that repeat mean two nodes share an id: pyld merges them, so `fill` returns None too.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from pyld import jsonld

from microcred.badge.canon import RDF_LANGSTRING, XSD_STRING, Quad, escape
from microcred.badge.contexts import (
    BUNDLED,
    RELATIVE_BASE,
    defined_terms,
    document_loader,
    keyword_aliases,
)

_MARK = "microcredslot"
_TOKEN = re.compile(_MARK + r"(\d+)x")
# The absolute IRIs a slot takes as they are: what pyld's absolute-IRI test accepts, without the
# characters N-Quads forbids in an IRI.
_ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*')
# Keys whose values stay in the shape; `@id` and `@value` (and `id`) values go in slots.
_SLOTTED_KEYWORDS = frozenset({"@id", "@value"})
# Markers in a shape's parts; keys are strings and kept values (type, value) pairs.
_DICT, _LIST, _END, _SLOT = range(4)
_TEMPLATE_CACHE_SIZE = 32
_templates: OrderedDict[tuple[Any, ...], Template | None] = OrderedDict()


class _Unshaped(Exception):
    """The document, or its template, is not one this module can fill: leave it to pyld."""


def document_quads(document: Mapping[str, Any]) -> list[Quad] | None:
    """Return the document's RDF quads through its shape's template, or None to ask pyld."""
    shaped = shape(document)
    template = None if shaped is None else template_of(shaped[0])
    return None if template is None or shaped is None else template.fill(shaped[1])


def shape(document: Mapping[str, Any]) -> tuple[tuple[Any, ...], list[str]] | None:
    """Return the document's shape and the strings of its slots, in order; None if it has none."""
    try:
        return _Shaper().shape(document)
    except (_Unshaped, RecursionError):
        return None


@dataclass(frozen=True)
class Template:
    """pyld's quads for one shape; an int term is a slot, filled from the document's strings."""

    fixed: tuple[Quad, ...]  # quads without slots
    slotted: tuple[tuple[str | int, str, str | int, str], ...]
    literals: tuple[tuple[int, str], ...]  # (slot, the suffix: `^^<datatype>`, `@language` or "")
    iris: tuple[int, ...]

    def fill(self, values: Sequence[str]) -> list[Quad] | None:
        """Return the quads with each slot's string, or None if a string cannot go in its slot."""
        terms: list[str] = list(values)
        for slot, suffix in self.literals:
            terms[slot] = f'"{escape(terms[slot])}"{suffix}'
        for slot in self.iris:
            if not plain_iri(terms[slot]):
                return None
            terms[slot] = f"<{terms[slot]}>"
        quads = list(self.fixed)
        quads += [(terms[s] if isinstance(s, int) else s, p, terms[o] if isinstance(o, int) else o, g)
                  for s, p, o, g in self.slotted]
        return quads if len(set(quads)) == len(quads) else None


def plain_iri(value: str) -> bool:
    """Whether pyld keeps `value` unchanged wherever it expands an IRI (as an @id or @vocab)."""
    if _ABSOLUTE_IRI.fullmatch(value) is None or value.startswith(RELATIVE_BASE):
        return False
    terms = defined_terms()
    return value.split(":", 1)[0] not in terms and value not in terms


class _Shaper:
    """Walks a document into its shape's parts and the strings of its slots, in document order."""

    def __init__(self) -> None:
        self.parts: list[Any] = []
        self.values: list[str] = []
        self.terms = defined_terms()
        self.kept_keys = {alias for alias, keyword in keyword_aliases().items()
                          if keyword not in _SLOTTED_KEYWORDS}

    def shape(self, document: Mapping[str, Any]) -> tuple[tuple[Any, ...], list[str]]:
        context = document.get("@context")
        urls = context if isinstance(context, list) else [context]
        if not urls or not all(isinstance(url, str) and url in BUNDLED for url in urls):
            raise _Unshaped
        self.parts.append(json.dumps(context))
        self.mapping({key: value for key, value in document.items() if key != "@context"})
        return tuple(self.parts), self.values

    def walk(self, node: Any, key: str) -> None:
        if isinstance(node, str):
            self.string(node, key)
        elif isinstance(node, dict):
            self.mapping(node)
        elif isinstance(node, list):
            self.parts.append(_LIST)
            for item in node:
                self.walk(item, key)
            self.parts.append(_END)
        elif node is None or isinstance(node, bool | int | float):
            self.parts.append((type(node), node))
        else:
            raise _Unshaped

    def string(self, value: str, key: str) -> None:
        if self.keeps(value, key):
            if _MARK in value:
                raise _Unshaped
            self.parts.append((str, value))
        else:
            self.parts.append(_SLOT)
            self.values.append(value)

    def keeps(self, value: str, key: str) -> bool:
        """Whether a string stays in the shape rather than going in a slot."""
        keyword = key.startswith("@") and key not in _SLOTTED_KEYWORDS
        return keyword or key in self.kept_keys or value.startswith("@") or value in self.terms

    def mapping(self, node: dict[Any, Any]) -> None:
        self.parts.append(_DICT)
        for key, value in node.items():
            # An inline context could define any term, so only the top one, of bundled URLs.
            if not isinstance(key, str) or key == "@context" or _MARK in key:
                raise _Unshaped
            self.parts.append(key)
            self.walk(value, key)
        self.parts.append(_END)


def template_of(parts: tuple[Any, ...]) -> Template | None:
    """Return the shape's template, from the cache or made with pyld (None: no template)."""
    if parts in _templates:
        _templates.move_to_end(parts)
        return _templates[parts]
    template = _make_template(parts)
    _templates[parts] = template
    if len(_templates) > _TEMPLATE_CACHE_SIZE:
        _templates.popitem(last=False)
    return template


def _make_template(parts: tuple[Any, ...]) -> Template | None:
    tokens = count()
    body, _ = _rebuild(parts, 1, tokens)
    document = {"@context": json.loads(parts[0]), **body}
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=lambda term: dropped.append(str(term)))
    try:
        dataset = processor.to_rdf(document, {"base": RELATIVE_BASE, "documentLoader": document_loader})
        if dropped:
            raise _Unshaped
        return _Compiler(next(tokens)).template(dataset)
    except Exception:  # whatever pyld makes of the tokenised document, the full path decides
        return None


def _rebuild(parts: tuple[Any, ...], at: int, tokens: Iterator[int]) -> tuple[Any, int]:
    """The value whose parts start at `at`, with a fresh token in each slot; and where it ends."""
    part = parts[at]
    if isinstance(part, tuple):
        return part[1], at + 1
    if part == _SLOT:
        return f"{_MARK}{next(tokens)}x", at + 1
    at += 1
    if part == _LIST:
        items = []
        while parts[at] != _END:
            item, at = _rebuild(parts, at, tokens)
            items.append(item)
        return items, at + 1
    node = {}
    while parts[at] != _END:
        node[parts[at]], at = _rebuild(parts, at + 1, tokens)
    return node, at + 1


class _Compiler:
    """Turns pyld's RDF dataset for a tokenised document into a template, placing each token."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.suffixes: dict[int, str | None] = {}

    def template(self, dataset: dict[str, list[dict[str, Any]]]) -> Template:
        quads = []
        for name, triples in dataset.items():
            graph = "" if name == "@default" else self.fixed(name if name.startswith("_:") else f"<{name}>")
            for triple in triples:
                subject, obj = self.node(triple["subject"]), self.node(triple["object"])
                quads.append((subject, self.predicate(triple["predicate"]), obj, graph))
        if sorted(self.suffixes) != list(range(self.slots)):
            raise _Unshaped  # a string pyld did not put in any quad: it could, with another value
        return Template(
            fixed=tuple(q for q in quads if isinstance(q[0], str) and isinstance(q[2], str)),  # type: ignore[misc]
            slotted=tuple(q for q in quads if isinstance(q[0], int) or isinstance(q[2], int)),
            literals=tuple((slot, suffix) for slot, suffix in self.suffixes.items() if suffix is not None),
            iris=tuple(slot for slot, suffix in self.suffixes.items() if suffix is None),
        )

    def predicate(self, term: dict[str, Any]) -> str:
        if term["type"] != "IRI":
            raise _Unshaped  # generalized RDF, which canonicalization never produces
        return self.fixed(f"<{term['value']}>")

    def node(self, term: dict[str, Any]) -> str | int:
        value: str = term["value"]
        if term["type"] == "blank node":
            return self.fixed(value)
        if term["type"] == "IRI":
            return self.iri(value)
        return self.literal(value, term["datatype"], term.get("language"))

    def iri(self, value: str) -> str | int:
        match = _TOKEN.search(value)
        if match is None:
            if value.startswith(RELATIVE_BASE):
                raise _Unshaped  # a relative IRI in the structure: refused on the full path
            return self.fixed(f"<{value}>")
        if value != RELATIVE_BASE + match.group(0):
            raise _Unshaped
        return self.claim(int(match.group(1)), None)

    def literal(self, value: str, datatype: str, language: str | None) -> str | int:
        if datatype == RDF_LANGSTRING:
            suffix = f"@{language}" if language else ""
        else:
            suffix = "" if datatype == XSD_STRING else f"^^<{datatype}>"
        match = _TOKEN.fullmatch(value)
        if match is not None:
            return self.claim(int(match.group(1)), self.fixed(suffix))
        return self.fixed(f'"{escape(value)}"') + self.fixed(suffix)

    def claim(self, slot: int, suffix: str | None) -> int:
        if self.suffixes.setdefault(slot, suffix) != suffix:
            raise _Unshaped  # one string both a literal and an IRI, or two kinds of literal
        return slot

    @staticmethod
    def fixed(text: str) -> str:
        """A term with no slot, which must then hold no token either."""
        if _MARK in text:
            raise _Unshaped
        return text
