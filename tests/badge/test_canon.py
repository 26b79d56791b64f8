from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld

from microcred.badge.canon import Quad, canonical_nquads, serialize
from microcred.badge.sign import full_canonicalize

NQUADS = {"algorithm": "URDNA2015", "inputFormat": "application/n-quads", "format": "application/n-quads"}


def pyld_canonical(quads: list[Quad]) -> str:
    text: str = jsonld.normalize("".join(serialize(quad) for quad in quads), NQUADS)
    return text


def parse_default_graph(nquads: str) -> list[Quad]:
    """Quads of canonical N-Quads with no named graph (the object is all between predicate and ` .`)."""
    quads = []
    for line in nquads.splitlines():
        subject, predicate, rest = line.split(" ", 2)
        quads.append((subject, predicate, rest.removesuffix(" ."), ""))
    return quads


def test_a_badge_relabelled_and_shuffled_canonicalizes_as_pyld_does(unsigned: dict[str, Any]) -> None:
    expected = full_canonicalize(unsigned)
    quads = parse_default_graph(expected)
    nodes = sorted({term for quad in quads for term in quad if term.startswith("_:")})
    assert len(nodes) > 10  # the subject, results, identifier and `allowedValue` list nodes
    for seed in range(3):
        shuffled = random.Random(seed).sample(nodes, len(nodes))
        names = {node: f"_:n{new[4:]}x" for node, new in zip(nodes, shuffled, strict=True)}
        relabelled = [(names.get(s, s), p, names.get(o, o), g) for s, p, o, g in quads]
        random.Random(seed).shuffle(relabelled)
        assert canonical_nquads(relabelled) == expected


def test_list_chains_are_told_apart_by_their_neighbours() -> None:
    quads: list[Quad] = []
    for head in ("<https://example.org/a>", "<https://example.org/b>"):
        nodes = [f"_:{head[-2]}{i}" for i in range(3)]
        quads.append((head, "<https://example.org/values>", nodes[0], ""))
        for i, node in enumerate(nodes):
            rest = nodes[i + 1] if i + 1 < len(nodes) else "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>"
            quads.append((node, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>", f'"{i}"', ""))
            quads.append((node, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>", rest, ""))
    assert canonical_nquads(quads) == pyld_canonical(quads)


def test_indistinguishable_blank_nodes_are_left_to_pyld() -> None:
    quads: list[Quad] = [("_:x", "<https://example.org/p>", '"a"', ""),
                         ("_:y", "<https://example.org/p>", '"a"', "")]
    assert canonical_nquads(quads) is None


NODES = ["_:a", "_:b", "_:c", "_:d", "_:e"]
IRIS = ["<https://example.org/s>", "<https://example.org/t>"]
LITERALS = ['"x"', '"y"^^<https://example.org/dt>', '"z"@en', '"é \\"q\\""']
QUADS = st.tuples(
    st.sampled_from(NODES + IRIS),
    st.sampled_from(["<https://example.org/p>", "<https://example.org/q>"]),
    st.sampled_from(NODES + IRIS + LITERALS),
    st.sampled_from(["", "", "", "_:g", "<https://example.org/graph>"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(QUADS, min_size=1, max_size=12, unique=True))
def test_random_datasets_get_pyld_bytes_or_none(quads: list[Quad]) -> None:
    ours = canonical_nquads(quads)
    assert ours is None or ours == pyld_canonical(quads)
