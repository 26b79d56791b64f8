"""RDFC-1.0 canonical N-Quads of a dataset: https://www.w3.org/TR/rdf-canon/.

The whole algorithm, on quads kept as N-Quads term strings: blank nodes told apart by their own
quads (first-degree hashes), then by their neighbours (Hash N-Degree Quads, trying the
permutations of related nodes that hash alike). Literals are escaped as canonical N-Quads
requires (every control character, as `\\b \\t \\n \\f \\r` or `\\u00XX`), which is what other
verifiers hash (pyld 3 escapes only five characters: `escape` is ours, never pyld's).

The work is bounded as the Digital Credentials Consortium's verifier (rdf-canonize) bounds it:
Hash N-Degree Quads runs at most once per blank node that shares its first-degree hash, in all,
so crafted input that needs more is refused at once (issued badges need a fraction of that);
and a dataset has at most `MAX_QUADS` quads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

from microcred.badge import BadgeError
from microcred.badge.bounds import MAX_DEEP_ITERATIONS, MAX_QUADS

# subject, predicate, object, graph name: N-Quads terms (`<iri>`, `_:label`, `"literal"...`), and
# "" for the default graph.
Quad = tuple[str, str, str, str]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_CANONICAL_PREFIX = "_:c14n"
_TEMPORARY_PREFIX = "_:b"
# Canonical N-Quads (RDF 1.2 N-Triples, section 8, as RDFC-1.0 uses it): these as ECHAR, every
# other character below U+0020 and DEL as UCHAR, everything else as it is.
_ECHARS = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}
_ESCAPES = {code: _ECHARS.get(code, f"\\u{code:04X}") for code in [*range(0x20), 0x7F, 0x22, 0x5C]}


class CanonicalizationError(BadgeError):
    """The dataset cannot be canonicalized within the bounds, or holds text that is not Unicode."""


def escape(value: str) -> str:
    """Escape a literal's value as canonical N-Quads does."""
    return value.translate(_ESCAPES)


def literal(value: str, datatype: str, language: str | None = None) -> str:
    """A literal as an N-Quads term: plain for xsd:string, `@lang` or `^^<datatype>` otherwise."""
    if datatype == RDF_LANGSTRING:
        return f'"{escape(value)}"' + (f"@{language}" if language else "")
    return f'"{escape(value)}"' + ("" if datatype == XSD_STRING else f"^^<{datatype}>")


def serialize(quad: Quad) -> str:
    """Return one N-Quads line."""
    subject, predicate, obj, graph = quad
    if graph:
        return f"{subject} {predicate} {obj} {graph} .\n"
    return f"{subject} {predicate} {obj} .\n"


def canonical_nquads(quads: Sequence[Quad], work_factor: int = MAX_DEEP_ITERATIONS) -> str:
    """Return the sorted canonical N-Quads; raise CanonicalizationError past the bounds."""
    try:
        labels = canonical_labels(quads, work_factor)
        lines = [serialize(_relabel(quad, labels)) for quad in quads]
        lines.sort()  # Unicode code point order, as the specification sorts
        text = "".join(lines)
        text.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate, which no RDF text may hold
        raise CanonicalizationError(f"text that is not valid Unicode ({err.reason})") from None
    return text


def canonical_labels(quads: Sequence[Quad], work_factor: int = MAX_DEEP_ITERATIONS) -> dict[str, str]:
    """Each blank node's canonical label (`_:c14n0`...); raise CanonicalizationError past the bounds.

    `work_factor` is the exponent of the bound on Hash N-Degree Quads runs (rdf-canonize's
    maxWorkFactor): runs <= (blank nodes that share a first-degree hash) ** work_factor.
    """
    if len(quads) > MAX_QUADS:
        raise CanonicalizationError(f"{len(quads)} RDF statements, over the {MAX_QUADS} any badge "
                                    "could need")
    try:
        return _Canonicalizer(quads, work_factor).labels()
    except UnicodeEncodeError as err:  # a lone surrogate, which no RDF text may hold
        raise CanonicalizationError(f"text that is not valid Unicode ({err.reason})") from None


def _relabel(quad: Quad, labels: dict[str, str]) -> Quad:
    subject, predicate, obj, graph = quad
    return labels.get(subject, subject), predicate, labels.get(obj, obj), labels.get(graph, graph)


class _Issuer:
    """Issues `<prefix>0`, `<prefix>1`, ... to blank nodes in the order they are first asked for."""

    def __init__(self, prefix: str, issued: dict[str, str] | None = None) -> None:
        self.prefix = prefix
        self.issued = dict(issued or {})

    def issue(self, node: str) -> str:
        label = self.issued.get(node)
        if label is None:
            label = self.issued[node] = f"{self.prefix}{len(self.issued)}"
        return label

    def copy(self) -> _Issuer:
        return _Issuer(self.prefix, self.issued)


class _Canonicalizer:
    """The state of one run: quads by blank node, first-degree hashes, canonical labels."""

    def __init__(self, quads: Sequence[Quad], work_factor: int) -> None:
        self.work_factor = work_factor
        self.quads_of: dict[str, list[Quad]] = {}
        for quad in quads:
            subject, _, obj, graph = quad
            # Each quad once per blank node it names, however often it names it.
            for node in dict.fromkeys(t for t in (subject, obj, graph) if t[:2] == "_:"):
                self.quads_of.setdefault(node, []).append(quad)
        self.first_degree: dict[str, str] = {}
        self.canonical = _Issuer(_CANONICAL_PREFIX)
        self.limit = self.remaining = 0  # Hash N-Degree Quads runs allowed, and left

    def labels(self) -> dict[str, str]:
        """Run the algorithm's steps 3 to 6; return each blank node's canonical label."""
        by_hash: dict[str, list[str]] = {}
        for node in self.quads_of:
            by_hash.setdefault(self.hash_first_degree(node), []).append(node)
        shared = []
        for digest in sorted(by_hash):
            nodes = by_hash[digest]
            if len(nodes) == 1:
                self.canonical.issue(nodes[0])
            else:
                shared.append(nodes)
        self.limit = self.remaining = sum(len(nodes) for nodes in shared) ** self.work_factor
        for nodes in shared:
            self.label_alike(nodes)
        return self.canonical.issued

    def label_alike(self, nodes: list[str]) -> None:
        """Step 6: tell apart blank nodes of one first-degree hash by their N-degree hashes."""
        results = []
        for node in nodes:
            if node in self.canonical.issued:
                continue
            issuer = _Issuer(_TEMPORARY_PREFIX)
            issuer.issue(node)
            results.append(self.hash_n_degree(node, issuer))
        for _, issuer in sorted(results, key=lambda result: result[0]):
            for node in issuer.issued:
                self.canonical.issue(node)

    def hash_first_degree(self, node: str) -> str:
        digest = self.first_degree.get(node)
        if digest is None:
            lines = sorted(serialize(_mask(quad, node)) for quad in self.quads_of[node])
            digest = self.first_degree[node] = _sha256("".join(lines))
        return digest

    def hash_related(self, related: str, predicate: str, issuer: _Issuer, position: str) -> str:
        label = (self.canonical.issued.get(related) or issuer.issued.get(related)
                 or self.hash_first_degree(related))
        return _sha256(position + (predicate if position != "g" else "") + label)

    def hash_to_related(self, node: str, issuer: _Issuer) -> dict[str, list[str]]:
        related: dict[str, list[str]] = {}
        for quad in self.quads_of[node]:
            subject, predicate, obj, graph = quad
            for position, other in (("s", subject), ("o", obj), ("g", graph)):
                if other[:2] == "_:" and other != node:
                    digest = self.hash_related(other, predicate, issuer, position)
                    related.setdefault(digest, []).append(other)
        return related

    def hash_n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        """Hash N-Degree Quads (4.8): the node's hash through its related blank nodes."""
        if self.remaining <= 0:
            raise CanonicalizationError(
                "blank nodes too alike to tell apart within the work any badge needs (over "
                f"{self.limit} deep iterations, the bound other verifiers keep too)")
        self.remaining -= 1
        related = self.hash_to_related(node, issuer)
        data = []
        for digest in sorted(related):
            path, issuer = self.chosen_path(related[digest], issuer)
            data += [digest, path]
        return _sha256("".join(data)), issuer

    def chosen_path(self, nodes: list[str], issuer: _Issuer) -> tuple[str, _Issuer]:
        """Steps 5.2 to 5.6: the least path over the permutations of `nodes`, and its issuer."""
        chosen, chosen_issuer = "", issuer
        for permutation in _permutations(nodes):
            found = self.path_of(permutation, issuer.copy(), chosen)
            if found is not None and (not chosen or found[0] < chosen):
                chosen, chosen_issuer = found
        return chosen, chosen_issuer

    def path_of(self, permutation: list[str], issuer: _Issuer,
                chosen: str) -> tuple[str, _Issuer] | None:
        """One permutation's path (5.4.2 to 5.4.5), or None once it sorts after `chosen`."""
        path, recursion = "", []
        for other in permutation:
            if other in self.canonical.issued:
                path += self.canonical.issued[other]
            else:
                if other not in issuer.issued:
                    recursion.append(other)
                path += issuer.issue(other)
            if chosen and path > chosen:
                return None
        for other in recursion:
            digest, issuer = self.hash_n_degree(other, issuer)
            path += issuer.issue(other) + f"<{digest}>"
            if chosen and path > chosen:
                return None
        return path, issuer


def _permutations(items: list[str]) -> Iterator[list[str]]:
    """Every order of `items`, in the order rdf-canonize tries them (Steinhaus-Johnson-Trotter
    from the sorted list), so the work counted against the bound is the same as there."""
    current = sorted(items)
    left = dict.fromkeys(current, True)
    while True:
        yield list(current)
        mobile, at = None, 0
        for i, element in enumerate(current):
            movable = (i > 0 and element > current[i - 1]) if left[element] else (
                i < len(current) - 1 and element > current[i + 1])
            if movable and (mobile is None or element > mobile):
                mobile, at = element, i
        if mobile is None:
            return
        swap = at - 1 if left[mobile] else at + 1
        current[at], current[swap] = current[swap], mobile
        for element in current:
            if element > mobile:
                left[element] = not left[element]


def _mask(quad: Quad, node: str) -> Quad:
    """The quad as the first-degree hash sees it: `_:a` for `node`, `_:z` for other blank nodes."""
    subject, predicate, obj, graph = quad
    return _masked(subject, node), predicate, _masked(obj, node), _masked(graph, node)


def _masked(term: str, node: str) -> str:
    if term[:2] != "_:":
        return term
    return "_:a" if term == node else "_:z"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
