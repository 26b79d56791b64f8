"""The private mapping of learners to the email addresses their badges may carry, hashed.

A YAML file of `login: email` lines, named by $MICROCRED_IDENTITIES, kept outside the course
repository (a file inside it is refused: anything committed there is public to everyone who can
read the repository); or the same lines in $MICROCRED_IDENTITIES_YAML, which the issue workflow
fills from the badges environment's secret, so the mapping never touches the runner's disk.
Only a salted hash of each address enters a badge (ledger/issuance.py), in the Open Badges 3.0
IdentityObject form, so an institution that knows the address can match the badge to its
person and no one else learns the address.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from microcred.errors import ConfigError

IDENTITIES_ENV = "MICROCRED_IDENTITIES"
IDENTITIES_TEXT_ENV = "MICROCRED_IDENTITIES_YAML"  # the mapping itself, from a secret
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LOGIN = re.compile(r"^[A-Za-z0-9-]{1,39}$")


def identities_file(root: Path) -> Path | None:
    """The mapping file $MICROCRED_IDENTITIES names, or None; refused inside the repository."""
    named = os.environ.get(IDENTITIES_ENV, "").strip()
    if not named:
        return None
    path = Path(named).expanduser().resolve()
    if path.is_relative_to(root.resolve()):
        raise ConfigError(f"{named}: ${IDENTITIES_ENV} names a file inside the course repository "
                          f"({root}); move it outside (e.g. ~/microcred-identities.yml) and keep "
                          "it out of every commit")
    return path


def load_identities(root: Path) -> dict[str, str]:
    """Lower-case login → email address, from the file $MICROCRED_IDENTITIES names, else from
    $MICROCRED_IDENTITIES_YAML ({} without either)."""
    path = identities_file(root)
    if path is not None:
        return read_identities(path)
    text = os.environ.get(IDENTITIES_TEXT_ENV, "")
    return parse_identities(text, f"${IDENTITIES_TEXT_ENV}") if text.strip() else {}


def read_identities(path: Path) -> dict[str, str]:
    """Read and check a mapping file; ConfigError naming the file, the entry and the fix."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the identities file ({exc}); give a UTF-8 YAML "
                          "file of 'login: email' lines") from None
    return parse_identities(text, str(path))


def parse_identities(text: str, source: str) -> dict[str, str]:
    """The mapping in `text` (from `source`, named in every error); ConfigError naming the entry
    and the fix. An error never repeats an address, only the login it belongs to."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"{source}: not YAML{where}; write one 'login: email' line a "
                          "learner") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected 'login: email' lines, one a learner")
    found: dict[str, str] = {}
    for login, email in data.items():
        if not isinstance(login, str) or not _LOGIN.match(login):
            raise ConfigError(f"{source}: {login!r} is not a GitHub login; write 'login: email'")
        if not isinstance(email, str) or not _EMAIL.match(email.strip()):
            raise ConfigError(f"{source}: {login}: the value is not an email address; write "
                              f"'{login}: name@example.org'")
        found[login.lower()] = email.strip()
    return found
