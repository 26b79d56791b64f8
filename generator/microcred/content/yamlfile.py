"""Load a YAML file and remember the line of every key, for messages that point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from microcred.errors import Finding
from microcred.heap import no_collection

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document and the line (1-based) where each key path starts."""

    path: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, key: KeyPath) -> int:
        """Return the line of `key`, or of its nearest ancestor that has one."""
        for end in range(len(key), -1, -1):
            line = self.lines.get(tuple(key[:end]))
            if line:
                return line
        return 1


class YamlError(Exception):
    """The file is not YAML we can read; carries a finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.render())
        self.finding = finding


def load_yaml(path: Path, display: str) -> YamlDoc:
    """Parse `path`; raise YamlError naming the file and line if it is not plain YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(Finding(display, 1, "", "file is not UTF-8 text", "save it as UTF-8")) from exc
    return parse_yaml(text, display)


# libyaml's safe loader when PyYAML was built with it (about ten times faster on big rosters).
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextDatesLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """The safe loader, but dates stay text: formats compare them as `YYYY-MM-DD` strings."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, display: str) -> YamlDoc:
    """Parse YAML text with the safe loader, recording key lines."""
    with no_collection():  # a parse keeps every node alive: no garbage to find
        return _parse(text, display)


def _parse(text: str, display: str) -> YamlDoc:
    loader = _TextDatesLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        raise YamlError(
            Finding(display, line, "", f"invalid YAML: {problem}", "fix the syntax on this line")
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlError(Finding(display, 1, "", f"invalid YAML: {exc}", "fix the syntax")) from exc
    finally:
        loader.dispose()
    lines: dict[KeyPath, int] = {}
    if node is not None:
        duplicate = _record_lines(node, (), lines)
        if duplicate:
            key, first, again = duplicate
            raise YamlError(Finding(display, again, dotted(key), f"duplicate key (first on line "
                                    f"{first}; YAML would silently keep only the last)",
                                    "keep one of them"))
    return YamlDoc(display, data, lines)


def _record_lines(
    node: yaml.Node, key: KeyPath, lines: dict[KeyPath, int]
) -> tuple[KeyPath, int, int] | None:
    """Record key lines under `node`; return the first duplicate key found, if any."""
    lines.setdefault(key, node.start_mark.line + 1)
    children: list[tuple[KeyPath, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*key, str(key_node.value))
            if child in lines:
                return child, lines[child], key_node.start_mark.line + 1
            lines[child] = key_node.start_mark.line + 1
            children.append((child, value_node))
    elif isinstance(node, yaml.SequenceNode):
        children = [((*key, index), item) for index, item in enumerate(node.value)]
    for child, value_node in children:
        found = _record_lines(value_node, child, lines)
        if found:
            return found
    return None


def dotted(key: KeyPath) -> str:
    """Render a key path as `a.b[2].c`."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
