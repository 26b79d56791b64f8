"""Edit a programme file's roster in place: move a learner, add a network (text edits at the
positions YAML reports, so comments and the rest of the file stay as they were)."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from microcred.errors import UsageError


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    column: int


def _compose(text: str, source: str) -> yaml.Node:
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{source}: not valid YAML ({exc}); fix it first") from None
    if node is None:
        raise UsageError(f"{source}: empty")
    return node


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _networks(root: yaml.Node) -> list[tuple[str, yaml.Node]]:
    """(cohort id, network node) of every network in a programme file."""
    found: list[tuple[str, yaml.Node]] = []
    cohorts = _get(root, "cohorts")
    for cohort in cohorts.value if isinstance(cohorts, yaml.SequenceNode) else []:
        cohort_id = _get(cohort, "id")
        nets = _get(cohort, "networks")
        for net in nets.value if isinstance(nets, yaml.SequenceNode) else []:
            found.append((cohort_id.value if isinstance(cohort_id, yaml.ScalarNode) else "", net))
    return found


def _id(node: yaml.Node) -> str:
    value = _get(node, "id")
    return str(value.value) if isinstance(value, yaml.ScalarNode) else ""


def _learners(node: yaml.Node) -> tuple[list[str], Span]:
    seq = _get(node, "learners")
    if not isinstance(seq, yaml.SequenceNode):
        raise UsageError(f"network '{_id(node)}' has no learners list to edit")
    logins = [str(item.value) for item in seq.value if isinstance(item, yaml.ScalarNode)]
    return logins, Span(seq.start_mark.index, _end(seq), seq.start_mark.column)


def _end(seq: yaml.SequenceNode) -> int:
    """Where a sequence's own text ends (a block sequence's end mark is the next token's start)."""
    return seq.end_mark.index if seq.flow_style else seq.value[-1].end_mark.index


def move_learner(text: str, source: str, login: str, target: str) -> str:
    """The programme file with `login` moved from its network to network `target`."""
    nets = {_id(n): n for _, n in _networks(_compose(text, source))}
    holder = next((n for n in nets.values() if login in _learners(n)[0]), None)
    if holder is None:
        raise UsageError(f"{source}: {login} is in none of its networks")
    if target not in nets:
        raise UsageError(f"{source}: {login} is there, but no network '{target}' is (its networks: "
                         f"{', '.join(nets)})")
    if _id(holder) == target:
        raise UsageError(f"{login} is already in {target}")
    edits = []
    for node, change in ((holder, lambda xs: [x for x in xs if x != login]),
                         (nets[target], lambda xs: [*xs, login])):
        logins, span = _learners(node)
        edits.append((span, "[" + ", ".join(change(logins)) + "]"))
    for span, new in sorted(edits, key=lambda e: -e[0].start):  # from the end: offsets hold
        text = text[:span.start] + new + text[span.end:]
    return text


def add_network(text: str, source: str, cohort: str, network: str, coach: str,
                backup: str, learners: list[str]) -> str:
    """The programme file with a new network appended to `cohort`'s networks."""
    root = _compose(text, source)
    if network in {_id(n) for _, n in _networks(root)}:
        raise UsageError(f"{source}: there is already a network '{network}'")
    cohorts = _get(root, "cohorts")
    match = next((c for c in (cohorts.value if isinstance(cohorts, yaml.SequenceNode) else [])
                  if _id(c) == cohort), None)
    nets = _get(match, "networks") if match is not None else None
    if not isinstance(nets, yaml.SequenceNode) or nets.flow_style or not nets.value:
        raise UsageError(f"{source}: no cohort '{cohort}' with a block list of networks to add to; "
                         "add the network by hand and run `microcred networks sync`")
    pad = " " * nets.start_mark.column
    lines = [f"{pad}- id: {network}", f"{pad}  coach: {coach}"]
    lines += [f"{pad}  backup_coach: {backup}"] if backup else []
    lines += [f"{pad}  learners: [{', '.join(learners)}]"]
    at = _end(nets)
    block = "\n".join(lines)
    if text[:at].endswith("\n"):
        return text[:at] + block + "\n" + text[at:]
    return text[:at] + "\n" + block + text[at:]
