"""A small N-Quads reader for test data: lines into `canon.Quad`s, literals re-escaped canonically."""

from __future__ import annotations

import re

from microcred.badge.canon import RDF_LANGSTRING, XSD_STRING, Quad, literal

_TERM = r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)'
_LINE = re.compile(rf"^{_TERM}\s+{_TERM}\s+{_TERM}(?:\s+{_TERM})?\s*\.\s*$")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?')
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def parse(text: str) -> list[Quad]:
    """The distinct quads of an N-Quads document, in order."""
    quads = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        assert match, f"not an N-Quads line: {line!r}"
        subject, predicate, obj, graph = (_term(t) if t else "" for t in match.groups())
        quads.append((subject, predicate, obj, graph))
    return list(dict.fromkeys(quads))


def _term(text: str) -> str:
    if text.startswith("<"):
        return f"<{_unescape(text[1:-1])}>"
    if not text.startswith('"'):
        return text
    match = _LITERAL.fullmatch(text)
    assert match
    value, language, datatype = match.groups()
    if language:
        return literal(_unescape(value), RDF_LANGSTRING, language)
    return literal(_unescape(value), _unescape(datatype) if datatype else XSD_STRING)


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match[1] or match[2]
        return chr(int(code, 16)) if code else _ECHARS[match[3]]
    return _ESCAPE.sub(one, text)
