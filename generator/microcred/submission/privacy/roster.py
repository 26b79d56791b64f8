"""A programme's list of student names, committed to the course only as salted hashes.

Each word of each name (given names and surnames apart, never whole names) is hashed with the
programme's salt; the check hashes the words of the evidence the same way and looks them up.
The list in the repository shows no name, and a name found in one course's list says nothing
about another's (each has its own salt). A reader who guesses a name can still test it: the
documentation (docs/submissions.md) says so, and why this was chosen over a secret.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable

from microcred.submission.privacy.gazetteer import fold

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
DIGEST_CHARS = 16  # 64 bits: no accidental match among a lesson's words


def name_words(names: Iterable[str]) -> set[str]:
    """The case-folded words of `names`, without possessives and one-letter initials."""
    words: set[str] = set()
    for name in names:
        for word in _WORD.findall(name):
            key = fold(word.casefold().removesuffix("'s").removesuffix("’s"))
            if len(key) > 1:
                words.add(key)
    return words


def digest(salt: str, word: str) -> str:
    """The hash under which a case-folded word is stored."""
    return hashlib.sha256(f"{salt}\0{word}".encode()).hexdigest()[:DIGEST_CHARS]


def new_salt() -> str:
    return secrets.token_hex(16)


def hashed(names: Iterable[str], salt: str) -> list[str]:
    """The sorted hashes of every word of `names`: what a programme commits."""
    return sorted({digest(salt, word) for word in name_words(names)})


def matcher(plain: Iterable[str],
            rosters: Iterable[tuple[str, Iterable[str]]] = ()) -> Callable[[str], bool] | None:
    """Whether a case-folded word is on a roster: the plain names, or any (salt, hashes)."""
    words = frozenset(name_words(plain))
    stored = [(salt, frozenset(hashes)) for salt, hashes in rosters if hashes]
    if not words and not stored:
        return None

    @functools.lru_cache(maxsize=1 << 16)  # a text repeats its words: hash each once
    def on_roster(key: str) -> bool:
        return key in words or any(digest(salt, key) in found for salt, found in stored)
    return on_roster
