"""Which criteria a coach's 'not yet' review left short, read quickly.

A year of a large programme holds thousands of 'not yet' reviews. The review block is YAML
(review/format.py defines it and stays the authority); this reader parses the block with
libyaml when it is available and takes the levels from the plain shape `microcred review` and
the template write. Anything else (a short form, a problem, no libyaml) goes to
review/format.parse_review, so both readers always agree.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from microcred.model import Module, Rubric
from microcred.review.format import (
    FORMAT,
    MARKER,
    MAX_BLOCK,
    ReviewBlock,
    below_required,
    normalised,
    parse_review,
    validate,
)

UNREADABLE = "(review block unreadable)"
_LOADER: Any = getattr(yaml, "CSafeLoader", None)
# The fenced block as review/format.py finds it: ``` or ~~~, an info string, the body.
_MENTION = re.compile(rf"^\s*{MARKER}\s*:", re.MULTILINE)
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*[^\n`]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                    re.MULTILINE | re.DOTALL)


def shortfall(body: str, module: Module | None, rubric: Rubric | None) -> list[str]:
    """The criteria below their required level, or [UNREADABLE] when the block cannot be used."""
    return Shortfalls(module, rubric)(body)


class Shortfalls:
    """`shortfall` for one module and its rubric. The verdict depends only on the block's
    module and levels, and a cohort's thousands of 'not yet' reviews repeat a few dozen of
    those: each is judged against the rubric once."""

    def __init__(self, module: Module | None, rubric: Rubric | None) -> None:
        self.module = module
        self.rubric = rubric
        self._judged: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = {}

    def __call__(self, body: str) -> list[str]:
        if self.module is None or self.rubric is None:
            return [UNREADABLE]
        block = _fast(body) or parse_review(body).block
        if block is None:
            return [UNREADABLE]
        key = (block.module, tuple(block.levels.items()))
        found = self._judged.get(key)
        if found is None:
            found = self._judged[key] = self._judge(block, self.module, self.rubric)
        return list(found)

    @staticmethod
    def _judge(block: ReviewBlock, module: Module, rubric: Rubric) -> list[str]:
        if validate(block, module, rubric):
            return [UNREADABLE]
        return below_required(normalised(block, rubric), rubric) or [UNREADABLE]


def _fast(body: str) -> ReviewBlock | None:
    """The block when it has the plain shape and there is exactly one; else None."""
    blocks = [m["body"] for m in _FENCE.finditer(body) if _MENTION.search(m["body"])]
    if len(blocks) != 1 or len(blocks[0]) > MAX_BLOCK:
        return None
    return _lines(blocks[0]) or _libyaml(blocks[0])


# The layout `microcred review` writes, line by line. Within it YAML can mean only one thing
# (plain lower-case ids, no flow, no anchors, feedback a plain or single-quoted scalar), so
# reading it without a parser is exact; any other line sends the block to the YAML readers.
_ID = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
_HEAD = re.compile(rf"\A{MARKER}: {FORMAT}\nmodule: (?P<module>{_ID})\ncriteria:\n")
_CRITERION = re.compile(rf"  (?P<name>{_ID}):\n    level: (?P<level>{_ID})\n")
_PLAIN = re.compile(r"    feedback: (?P<text>[^'\"\s|>&*!%@`{\[\]},?:#-][^\n]*\n(?:      \S[^\n]*\n)*)")
_QUOTED = re.compile(r"    feedback: '(?:[^'\n]|'')*'\n")
_RISKY = re.compile(r": |:$|\s#|\t|\s$", re.MULTILINE)
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _lines(text: str) -> ReviewBlock | None:
    head = _HEAD.match(text)
    if head is None:
        return None
    levels: dict[str, str] = {}
    at = head.end()
    while at < len(text):
        criterion = _CRITERION.match(text, at)
        if criterion is None or criterion["name"] in levels:
            return None
        levels[criterion["name"]] = criterion["level"]
        at = criterion.end()
        plain, quoted = _PLAIN.match(text, at), _QUOTED.match(text, at)
        if plain is not None:
            if _RISKY.search(plain["text"].rstrip("\n")):
                return None
            at = plain.end()
        elif quoted is not None:
            at = quoted.end()
    words = {head["module"], *levels, *levels.values()}
    return None if words & _YAML_WORDS or not levels else ReviewBlock(head["module"], levels)


def _libyaml(text: str) -> ReviewBlock | None:
    if _LOADER is None:
        return None
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or set(data) != {MARKER, "module", "criteria"} or \
            data[MARKER] != FORMAT or not isinstance(data["module"], str):
        return None
    criteria = data["criteria"]
    if not isinstance(criteria, dict) or not criteria:
        return None
    levels = {}
    for name, value in criteria.items():
        level = value.get("level") if isinstance(value, dict) else None
        if not isinstance(name, str) or not isinstance(level, str) or not level.strip():
            return None
        levels[name] = level.strip()
    return ReviewBlock(data["module"], levels)
