"""Open Badges 3.0: decision → credential → sign / verify / revoke.

Modules, in the order a badge meets them: `credential` builds the unsigned OpenBadgeCredential,
`keys` finds the issuer's Ed25519 key, `sign` adds a DataIntegrityProof (eddsa-rdfc-2022) using
only the JSON-LD `contexts` bundled here, `status` keeps the Bitstring Status List used to revoke,
and `verify` checks all of it offline.
"""

from __future__ import annotations

from microcred.errors import MicrocredError


class BadgeError(MicrocredError):
    """A badge cannot be built, signed or checked as asked; the message says what to change."""
