"""Find the links in course Markdown and resolve the short course references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

REF_SCHEMES = ("module", "credential", "programme", "rubric")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Link:
    line: int
    target: str
    image: bool = False

    @property
    def scheme(self) -> str:
        head, sep, _ = self.target.partition(":")
        return head if sep and head in REF_SCHEMES else ""

    @property
    def ref_id(self) -> str:
        return self.target.partition(":")[2].split("#", 1)[0]

    @property
    def external(self) -> bool:
        return bool(re.match(r"^[a-z][a-z0-9+.-]*:", self.target)) and not self.scheme

    @property
    def path(self) -> str:
        """The file part of a relative link, without anchor or query."""
        return re.split(r"[#?]", self.target, maxsplit=1)[0]


def find_links(markdown: str) -> Iterator[Link]:
    """Yield the links and images of `markdown`, skipping fenced code."""
    in_fence = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in _IMAGE.finditer(line):
            yield Link(number, match.group("target"), image=True)
        for match in _LINK.finditer(line):
            yield Link(number, match.group("target"))


def rewrite_refs(markdown: str, resolve: dict[str, str]) -> str:
    """Replace `scheme:id` link targets by the paths in `resolve` (keyed by 'scheme:id')."""

    def swap(match: re.Match[str]) -> str:
        target = match.group("target")
        base, sep, anchor = target.partition("#")
        if base not in resolve:
            return match.group(0)
        new = resolve[base] + (sep + anchor if sep else "")
        return match.group(0).replace(f"]({target}", f"]({new}", 1)

    return _LINK.sub(swap, markdown)
