"""RDFC-1.0 canonical N-Quads of a dataset, for the blank-node patterns badges have.

https://www.w3.org/TR/rdf-canon/ (the URDNA2015 algorithm, as pyld implements it), working on
quads kept as N-Quads term strings instead of pyld's dictionaries. It covers what a badge needs:
blank nodes told apart by their own quads (first-degree hashes), and chains of blank nodes told
apart by their neighbours (`@list` nodes, hashed along the chain without permutations).

Where the general algorithm would have to try permutations (two related blank nodes hash alike)
or two blank nodes stay indistinguishable, `canonical_nquads` returns None and the caller runs
pyld's implementation instead; ties are where implementations may pick different but equally
valid labels, so they are never decided here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

# subject, predicate, object, graph name: N-Quads terms (`<iri>`, `_:label`, `"literal"...`), and
# "" for the default graph.
Quad = tuple[str, str, str, str]

_CANONICAL_PREFIX = "_:c14n"
_TEMPORARY_PREFIX = "_:b"


class _Undecided(Exception):
    """The dataset needs permutations or has tied blank nodes: leave it to pyld."""


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


def serialize(quad: Quad) -> str:
    """Return one N-Quads line."""
    subject, predicate, obj, graph = quad
    if graph:
        return f"{subject} {predicate} {obj} {graph} .\n"
    return f"{subject} {predicate} {obj} .\n"


def canonical_nquads(quads: Sequence[Quad]) -> str | None:
    """Return the sorted canonical N-Quads, or None when pyld has to decide."""
    canonicalizer = _Canonicalizer(quads)
    try:
        labels = canonicalizer.labels()
    except (_Undecided, RecursionError, UnicodeEncodeError):  # the last: a lone surrogate
        return None
    lines = [serialize(quad) for quad in canonicalizer.ground]
    lines += [serialize(_relabel(quad, labels)) for quad in canonicalizer.blank]
    lines.sort()
    return "".join(lines)


def _relabel(quad: Quad, labels: dict[str, str]) -> Quad:
    subject, predicate, obj, graph = quad
    return labels.get(subject, subject), predicate, labels.get(obj, obj), labels.get(graph, graph)


def _blank_nodes(quad: Quad) -> list[tuple[str, str]]:
    """(position, label) of each blank node in a quad; the predicate never holds one."""
    subject, _, obj, graph = quad
    return [(position, term) for position, term in (("s", subject), ("o", obj), ("g", graph))
            if term[:2] == "_:"]


class _Canonicalizer:
    """The state of one run: quads by blank node, first-degree hashes, canonical labels."""

    def __init__(self, quads: Sequence[Quad]) -> None:
        self.quads_of: dict[str, list[Quad]] = {}
        self.ground: list[Quad] = []  # quads without blank nodes
        self.blank: list[Quad] = []
        for quad in quads:
            subject, _, obj, graph = quad
            # Once per occurrence, as the reference implementation does: a quad naming the
            # same blank node twice is hashed twice.
            nodes = [term for term in (subject, obj, graph) if term[:2] == "_:"]
            for node in nodes:
                self.quads_of.setdefault(node, []).append(quad)
            (self.blank if nodes else self.ground).append(quad)
        self.first_degree: dict[str, str] = {}
        self.canonical = _Issuer(_CANONICAL_PREFIX)

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
        if len({digest for digest, _ in results}) != len(results):
            raise _Undecided
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

    def hash_n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        """Hash N-Degree Quads, for related blank nodes that each hash differently."""
        related: dict[str, list[str]] = {}
        for quad in self.quads_of[node]:
            for position, other in _blank_nodes(quad):
                if other != node:
                    digest = self.hash_related(other, quad[1], issuer, position)
                    related.setdefault(digest, []).append(other)
        data = []
        for digest in sorted(related):
            (other, *more) = related[digest]
            if more:  # the permutations of the general algorithm
                raise _Undecided
            path, issuer = self.path_to(other, issuer)
            data += [digest, path]
        return _sha256("".join(data)), issuer

    def path_to(self, other: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        """The path of a one-node permutation, and the issuer it leaves (steps 5.4.1 to 5.4.5)."""
        if other in self.canonical.issued:
            return self.canonical.issued[other], issuer
        issuer = issuer.copy()
        if other in issuer.issued:
            return issuer.issued[other], issuer
        label = issuer.issue(other)
        digest, issuer = self.hash_n_degree(other, issuer)
        # The label goes in twice: when issued (5.4.4.2.2) and again after recursing (5.4.5.2).
        return label + label + f"<{digest}>", issuer


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
