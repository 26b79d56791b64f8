"""`microcred revoke BADGE --reason TEXT`: set the badge's bit in the signed status list.

which badge (an id, or a badge file) -> who revokes -> the issuer's key -> the ledger on the
forge -> set the bit and re-sign the list, record why (ledger/statuslist.revoke) -> report.
The site publishes the re-signed list at its next build; verifiers then see the revocation.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

from microcred import output
from microcred.badge import BadgeError
from microcred.badge.files import read_badge
from microcred.commands.signing import issuer_key
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.forge.select import ACTOR_ENV, open_forge
from microcred.ledger.settings import load_settings
from microcred.ledger.statuslist import revoke as revoke_in_ledger
from microcred.ledger.statuslist import status_list_history
from microcred.ledger.store import LedgerStore

_UUID = re.compile(r"^(urn:uuid:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


def revoke(root: Path | None, forge_kind: str, actor: str | None, badge: str, reason: str,
           ledger_branch: str | None, key_file: Path | None, dev_key: bool) -> int:
    root = find_root(root or Path.cwd())
    badge_id = badge_id_of(badge)
    if not reason.strip():
        raise UsageError("--reason: say why the badge is revoked (kept in the ledger, not published)")
    who = _who(actor)
    settings = load_settings(root, ledger_branch)
    key = issuer_key(root, settings, key_file, dev_key)
    store = LedgerStore(open_forge(forge_kind, root, who), settings.ledger_branch,
                        settings.default_branch)
    result = revoke_in_ledger(store, key, badge_id, reason.strip(), who,
                              datetime.now(UTC).replace(microsecond=0),
                              status_list_history(root, settings.ledger_branch))
    if result.restored:
        output.warn(f"the status list on {settings.ledger_branch} was older than one signed before "
                    f"(valid from {result.restored}): restored that one, with every revocation of "
                    "both, and re-signed it")
    where = f"status index {result.allocation.index}, {result.allocation.path}"
    if result.already:
        output.write(f"{badge_id} was already revoked ({where}); the status list is unchanged")
    else:
        output.write(f"revoked {badge_id} ({where}) on {settings.ledger_branch}")
        output.info(f"the re-signed status list is {settings.status_list_url} once the site is "
                    "built and published again (microcred build)")
    output.info(f"why, and by whom: {result.record} on {settings.ledger_branch}")
    return 0


def badge_id_of(badge: str) -> str:
    """The badge id BADGE names: an id (urn:uuid:..., or the bare UUID) or a badge file's id."""
    match = _UUID.match(badge.strip().lower())
    if match:
        return f"urn:uuid:{match[2]}"
    path = Path(badge)
    if not path.exists():
        raise UsageError(f"{badge}: neither a badge id (urn:uuid:...) nor an existing badge file; "
                         "give the \"id\" of the badge or the path of its .json file")
    try:
        data = read_badge(path)
    except BadgeError as exc:
        raise UsageError(str(exc)) from None
    found = str(data.get("id", ""))
    match = _UUID.match(found)
    if not match or not match[1]:
        raise UsageError(f"{badge}: its \"id\" {found!r} is not a urn:uuid: badge id; is it a "
                         "badge issued by microcred?")
    return found


def _who(actor: str | None) -> str:
    """Who revokes, for the ledger's record: --as, else $MICROCRED_LOGIN, else $GITHUB_ACTOR."""
    who = actor or os.environ.get(ACTOR_ENV) or os.environ.get("GITHUB_ACTOR")
    if not who:
        raise UsageError(f"say who revokes the badge: --as LOGIN (or set {ACTOR_ENV}); the "
                         "ledger records it")
    return who
