"""The issuer's signing key for the commands that sign (issue, revoke), with the dev-key warning."""

from __future__ import annotations

from pathlib import Path

from microcred import output
from microcred.badge.keys import SigningKey, development_key, load_signing_key
from microcred.ledger.settings import Settings


def issuer_key(root: Path, settings: Settings, key_file: Path | None, dev_key: bool) -> SigningKey:
    """$MICROCRED_SIGNING_KEY or `key_file` (outside the repository); a throwaway key, said
    loudly, with `dev_key`. Signs as the course's did:web when it names one."""
    if dev_key:
        key, warning = development_key()
        output.warn(warning)
        return key
    return load_signing_key(None, key_file, root, did=settings.issuer_did)
