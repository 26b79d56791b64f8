"""Checks of stacked credentials: each part is a known credential, and no credential needs itself.

A credential's `requires.credentials` names other credentials it is built from. Two mistakes
are caught here, each at the file and line of the offending entry:

    unknown    a part that is no credential of the course (with the nearest id as a hint)
    cycle      A needs B needs ... needs A: no learner could ever be awarded any of them
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from microcred.content.loader import Loaded
from microcred.content.yamlfile import dotted
from microcred.errors import Finding
from microcred.model import Credential

_KEY = "requires"


def check_stacking(loaded: Loaded) -> list[Finding]:
    """Every problem in the stacking of the loaded course's credentials."""
    credentials = loaded.course.credentials
    found: list[Finding] = []
    for credential in credentials.values():
        found += _parts(loaded, credential)
    found += _cycles(loaded, credentials)
    return found


def _at(loaded: Loaded, credential: Credential, key: tuple[str | int, ...], message: str,
        fix: str) -> Finding:
    doc = loaded.docs[credential.source]
    return Finding(credential.source, doc.line_of(key), dotted(key), message, fix)


def _parts(loaded: Loaded, credential: Credential) -> Iterator[Finding]:
    stack = credential.requires
    if stack is None:
        return
    known = loaded.course.credentials
    for i, part in enumerate(stack.credentials):
        key = (_KEY, "credentials", i)
        if stack.credentials.index(part) != i:
            yield _at(loaded, credential, key, f"credential '{part}' is listed twice",
                      "list each credential once")
        elif part == credential.id:
            yield _at(loaded, credential, key, "a credential cannot be built from itself",
                      f"remove '{part}' from requires.credentials")
        elif part not in known:
            near = difflib.get_close_matches(part, sorted(known), n=1, cutoff=0.6)
            yield _at(loaded, credential, key, f"unknown credential '{part}'",
                      f"did you mean '{near[0]}'?" if near else
                      f"create content/credentials/{part}.yml or use an existing credential")
    if stack.at_least > len(stack.credentials):
        yield _at(loaded, credential, (_KEY, "at_least"),
                  f"at_least is {stack.at_least} but only {len(stack.credentials)} credential(s) "
                  "are listed", f"set at_least to {len(stack.credentials)} or fewer")


def _cycles(loaded: Loaded, credentials: Mapping[str, Credential]) -> Iterator[Finding]:
    """One finding per credential on a cycle, at the entry that leads around it."""
    for cycle in find_cycles(needs(credentials)):
        shown = " → ".join((*cycle, cycle[0]))
        for here, there in zip(cycle, (*cycle[1:], cycle[0]), strict=True):
            credential = credentials[here]
            assert credential.requires is not None
            index = credential.requires.credentials.index(there)
            yield _at(loaded, credential, (_KEY, "credentials", index),
                      f"stacking cycle: {shown}",
                      f"remove '{there}' from requires.credentials here, or break the cycle "
                      "elsewhere: no one could be awarded any credential on it")


def needs(credentials: Mapping[str, Credential]) -> dict[str, tuple[str, ...]]:
    """Each credential's known parts (itself and unknown ids left out: reported apart)."""
    return {cid: tuple(p for p in c.requires.credentials if p in credentials and p != cid)
            if c.requires else () for cid, c in credentials.items()}


def find_cycles(graph: Mapping[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The elementary cycles found by depth-first search, each once, starting at its least id."""
    found: set[tuple[str, ...]] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            cycle = path[path.index(node):]
            start = cycle.index(min(cycle))
            found.add(tuple(cycle[start:] + cycle[:start]))
            return
        for nxt in graph.get(node, ()):
            visit(nxt, [*path, node])

    for node in sorted(graph):
        visit(node, [])
    return sorted(found)


def stack_order(credentials: Mapping[str, Credential]) -> list[str]:
    """Credential ids, every part before the credentials built from it (cycles left out)."""
    graph, done, order = needs(credentials), set[str](), list[str]()
    on_cycle = {node for cycle in find_cycles(graph) for node in cycle}

    def visit(node: str) -> None:
        if node in done or node in on_cycle:
            return
        done.add(node)
        for part in graph[node]:
            visit(part)
        order.append(node)

    for node in sorted(graph):
        visit(node)
    return order
