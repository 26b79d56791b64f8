"""Hostile path names: traversal, control characters, encodings and look-alike logins."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from microcred.submission.findings import CheckFinding

# GitHub's rule for user names: letters, digits and single hyphens, at most 39 characters,
# neither starting nor ending with a hyphen.
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")

# Characters that change how a name displays without being visible: bidi controls, zero widths.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", *map(chr, range(0x202A, 0x202F)),
              *map(chr, range(0x2066, 0x206A))}
# With NFKC and case folding, this small map catches the usual login look-alike tricks.
_CONFUSABLE = str.maketrans({  # Cyrillic, Greek and Armenian letters that pass for Latin ones
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0458": "j", "\u0455": "s", "\u0501": "d", "\u0261": "g",
    "\u04bb": "h", "\u04cf": "l", "\u0578": "n", "\u03bd": "v", "\u03bf": "o", "\u03c1": "p",
    "\u03c4": "t", "\u03ba": "k", "\u03b9": "i", "\u03b1": "a", "0": "o", "1": "l", "|": "l",
    "_": "-", ".": "-",
})


def name_problems(raw: bytes, shown: str) -> list[CheckFinding]:
    """Findings for a path whose bytes or characters are unsafe to handle or display."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [CheckFinding(shown, 0, "unsafe-name", "the file name is not valid UTF-8",
                             "rename the file using plain letters, digits, '-', '_' and '.'")]
    parts = text.split("/")
    if text.startswith("/") or ".." in parts or "\\" in text:
        return [CheckFinding(shown, 0, "path-traversal", "the path leaves its folder",
                             "use plain file names without '..', '/' at the start or '\\'")]
    if not _plain(text) and any(unicodedata.category(ch) == "Cc" or ch in _INVISIBLE
                                for ch in text):
        return [CheckFinding(shown, 0, "unsafe-name",
                             "the file name contains control or invisible characters",
                             "rename the file using plain letters, digits, '-', '_' and '.'")]
    return []


def _plain(text: str) -> bool:
    """Printable ASCII: no control character (all ASCII ones are unprintable) and no invisible
    one (none is ASCII). A fast path: most names are plain, and the full test is per character."""
    return text.isascii() and text.isprintable()


def login_problem(login: str) -> str | None:
    """Why `login` cannot be a GitHub login, or None when it has the right shape."""
    if _LOGIN.fullmatch(login):
        return None
    return (f"'{spelled(login)}' is not a GitHub login: a login has only letters, digits and "
            "single hyphens, at most 39 characters, no hyphen first or last")


def skeleton(login: str) -> str:
    """The form two logins share when one imitates the other (case, width, look-alikes)."""
    if login.isascii():  # NFKC keeps ASCII as it is, casefold is lower, nothing is invisible
        return login.lower().translate(_CONFUSABLE)
    folded = unicodedata.normalize("NFKC", login).casefold()
    stripped = "".join(ch for ch in folded if ch not in _INVISIBLE)
    return stripped.translate(_CONFUSABLE)


def lookalike_of(login: str, known: set[str]) -> str | None:
    """The known login that `login` imitates without being it, if any."""
    if login in known:
        return None
    target = skeleton(login)
    return next((k for k in sorted(known) if skeleton(k) == target), None)


def skeleton_index(known: Iterable[str]) -> dict[str, str]:
    """Each skeleton of `known`, with the first login (in sorted order) that has it.

    With the index, `lookalike_of(login, known)` is `None if login in known else
    index.get(skeleton(login))`: one skeleton per lookup instead of one per known login.
    """
    index: dict[str, str] = {}
    for login in sorted(known):
        index.setdefault(skeleton(login), login)
    return index


def spelled(login: str) -> str:
    """A login with every non-ASCII character escaped, so a look-alike shows its difference."""
    return login.encode("ascii", "backslashreplace").decode("ascii")
