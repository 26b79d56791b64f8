"""`microcred badge get CREDENTIAL`: hand a learner their own signed badge file from the ledger.

The site publishes a badge only with the learner's consent; the learner always gets theirs here,
byte for byte as issued, to keep, verify or share as they choose.
"""

from __future__ import annotations

import os
from pathlib import Path

from microcred import output
from microcred.content.lint import lint_course
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.forge.select import open_forge
from microcred.ledger import layout
from microcred.ledger.store import LedgerStore
from microcred.login import who_am_i
from microcred.model import Credential


def badge_get(root: Path | None, forge_kind: str, credential_id: str, login: str | None,
              version: str | None, out: Path | None, ledger_branch: str | None) -> int:
    """Write `login`'s badge for the credential (the newest version held, or `version`)."""
    root = find_root(root or Path.cwd())
    credential = _credential(root, credential_id)
    login = who_am_i(root, login)
    branch = layout.branch(ledger_branch)
    store = LedgerStore(open_forge(forge_kind, root, login), branch, "")
    for candidate in [version] if version else _versions(credential):
        data = store.read(layout.badge_path(login, credential.id, candidate))
        if data is not None:
            target = out or Path(f"{login}-{credential.id}-v{candidate}.json")
            _write(target, data)
            output.write(f"wrote {target}: your {credential.title} v{candidate} badge, as issued; "
                         f"check it with `microcred verify {target}`")
            return 0
    which = f"v{version}" if version else "any version"
    raise UsageError(f"no {credential.id} badge ({which}) for {login} on the ledger branch "
                     f"{branch}: a badge is issued once every module of the credential is "
                     "complete and `microcred issue` has run")


def _credential(root: Path, credential_id: str) -> Credential:
    course = lint_course(root)[0].course
    if credential_id not in course.credentials:
        known = ", ".join(sorted(course.credentials)) or "none"
        raise UsageError(f"no credential '{credential_id}' (credentials: {known})")
    return course.credentials[credential_id]


def _versions(credential: Credential) -> list[str]:
    """The current version, then the released ones, newest first."""
    released = sorted((r.version for r in credential.changelog), key=_numbers, reverse=True)
    return list(dict.fromkeys([credential.version, *released]))


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def _write(target: Path, data: bytes) -> None:
    """Write the file whole; never replace a different file of the same name."""
    if target.exists() and target.read_bytes() != data:
        raise UsageError(f"{target}: a different file is already there; choose another name "
                         "with --out")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"{target}: cannot write the badge ({exc.strerror})") from None
