"""`microcred hash-names`: turn a local list of student names into the salted hashes a
programme commits, so the check can find those names without the list being in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from microcred import output
from microcred.errors import UsageError
from microcred.submission.privacy.roster import hashed, name_words, new_salt

_SALT = re.compile(r"[0-9a-f]{32}")


def hash_names(names_file: Path, salt: str | None) -> int:
    """Print the programme's `privacy.roster` block for the names in `names_file`."""
    names = _read_names(names_file)
    if salt is not None and not _SALT.fullmatch(salt):
        raise UsageError(f"--salt {salt!r}: give the 32 hexadecimal characters of the "
                         "programme's current privacy.roster.salt, or leave it out")
    salt = salt or new_salt()
    block = {"privacy": {"roster": {"salt": salt, "hashes": hashed(names, salt)}}}
    output.write(yaml.safe_dump(block, sort_keys=False, width=100).rstrip())
    output.info(f"{len(name_words(names))} name word(s) from {len(names)} name(s): put the "
                "block above in the programme's file under content/programmes/ (merge it with "
                f"any privacy settings there), commit it, and keep {names_file} out of the "
                "repository")
    return 0


def _read_names(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the names file ({exc}); give a UTF-8 file with "
                         "one student name a line") from None
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise UsageError(f"{path}: no names in the file; give one student name a line")
    return names
