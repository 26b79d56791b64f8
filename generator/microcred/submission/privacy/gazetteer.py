"""The name and word lists shipped with the package, loaded once per process.

Sources and how the files are built: data/SOURCES.md and tools/build_privacy_data.py.
"""

from __future__ import annotations

import functools
import gzip
import unicodedata
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Lexicon:
    """What the name detector knows about a word (all keys case-folded)."""

    first: dict[str, int]  # given names, with their rank (0 = most common)
    surnames: dict[str, int]  # family names, with their rank
    words: frozenset[str]  # English words, as written in lower case in a dictionary
    common: frozenset[str]  # the more common part of `words`
    not_students: frozenset[str]  # months, places, famous people, school words (data file)
    phrase_starts: dict[str, tuple[int, ...]]  # lengths of `not_students` phrases by first word


def _lines(name: str) -> list[str]:
    raw = resources.files(__package__).joinpath("data", name).read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if name.endswith(".gz") else raw.decode("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.cache
def lexicon() -> Lexicon:
    """The lists, read from the package data on first use."""
    words = _lines("words.txt.gz")
    not_students = frozenset(" ".join(w.removesuffix("'s") for w in line.casefold().split())
                             for line in _lines("not-students.txt"))
    return Lexicon(
        first={name: rank for rank, name in enumerate(_lines("first.txt.gz"))},
        surnames={name: rank for rank, name in enumerate(_lines("surnames.txt.gz"))},
        words=frozenset(w.rstrip("*") for w in words),
        common=frozenset(w[:-1] for w in words if w.endswith("*")),
        not_students=not_students,
        phrase_starts=phrase_starts(not_students),
    )


def phrase_starts(phrases: frozenset[str]) -> dict[str, tuple[int, ...]]:
    """For each first word of `phrases`, the lengths in words of those it starts, longest first."""
    sizes: dict[str, set[int]] = {}
    for phrase in phrases:
        words = phrase.split()
        if words:
            sizes.setdefault(words[0], set()).add(len(words))
    return {word: tuple(sorted(found, reverse=True)) for word, found in sizes.items()}


def fold(word: str) -> str:
    """A word without its accents ('sebastián' -> 'sebastian'), as the lists spell names."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
