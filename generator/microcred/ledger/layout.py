"""Where each ledger record lives on the ledger branch. The one place that knows these paths.

Everything sits under `ledger/` on the branch `microcred-ledger` (the branch starts from the
default branch, so the prefix keeps ledger files apart from course files):

    ledger/decisions/pr-<N>.json                                  the decision on each merged submission
    ledger/completions/<login>/<credential>/v<version>/<module>.json   each module a learner completed
    ledger/badges/<login>/<credential>/v<version>.json          one signed badge per credential version
    ledger/status/revocation.json                               the signed Bitstring Status List
    ledger/status/allocations.json                              status index of every badge id
    ledger/revocations/<badge-uuid>.json                        why and by whom a badge was revoked
<<<<<<< HEAD
    ledger/records/<login>.json                                 the learner record: a signed
                                                                presentation of their badges
=======
    ledger/coaching/<coach>/<date>-<meeting>-<who>.json         a coaching log entry, when the
                                                                programme keeps logs here
>>>>>>> coaching
"""

from __future__ import annotations

import hashlib
import os
import re

DEFAULT_BRANCH = "microcred-ledger"
BRANCH_ENV = "MICROCRED_LEDGER_BRANCH"
ROOT = "ledger"
DECISIONS = f"{ROOT}/decisions"
COMPLETIONS = f"{ROOT}/completions"
BADGES = f"{ROOT}/badges"
STATUS_LIST = f"{ROOT}/status/revocation.json"
ALLOCATIONS = f"{ROOT}/status/allocations.json"
REVOCATIONS = f"{ROOT}/revocations"
RECORDS = f"{ROOT}/records"
COACHING_LOGS = f"{ROOT}/coaching"
# Where the site publishes the status list, relative to site_url; badges point their
# credentialStatus at this address.
STATUS_LIST_URL_PATH = "status/revocation.json"

_COMPLETION = re.compile(rf"^{COMPLETIONS}/(?P<login>[^/]+)/(?P<credential>[^/]+)/v(?P<version>[^/]+)/"
                         r"(?P<module>[^/]+)\.json$")
_BADGE = re.compile(rf"^{BADGES}/(?P<login>[^/]+)/(?P<credential>[^/]+)/v(?P<version>[^/]+)\.json$")


def branch(override: str | None = None) -> str:
    """The ledger branch: an explicit choice, else $MICROCRED_LEDGER_BRANCH, else the default."""
    return override or os.environ.get(BRANCH_ENV, "").strip() or DEFAULT_BRANCH


def decision_path(number: int) -> str:
    return f"{DECISIONS}/pr-{number}.json"


def completion_path(login: str, credential: str, version: str, module: str) -> str:
    return f"{COMPLETIONS}/{login.lower()}/{credential}/v{version}/{module}.json"


def badge_path(login: str, credential: str, version: str) -> str:
    return f"{BADGES}/{login.lower()}/{credential}/v{version}.json"


def parse_badge_path(path: str) -> tuple[str, str, str] | None:
    """(login, credential, version) of a badge file's path, or None for any other path."""
    match = _BADGE.match(path)
    return (match["login"], match["credential"], match["version"]) if match else None


def parse_completion_path(path: str) -> tuple[str, str, str, str] | None:
    """(login, credential, version, module) of a completion file's path, or None."""
    match = _COMPLETION.match(path)
    return (match["login"], match["credential"], match["version"], match["module"]) if match else None


def revocation_path(badge_id: str) -> str:
    return f"{REVOCATIONS}/{badge_id.removeprefix('urn:uuid:')}.json"


def record_path(login: str) -> str:
    return f"{RECORDS}/{login.lower()}.json"


def record_token(login: str) -> str:
    """The learner record's folder on the site: stable for a login, and not the login itself."""
    return hashlib.sha256(f"microcred learner record {login.lower()}".encode()).hexdigest()[:16]


def record_url(site_url: str, login: str) -> str:
    return f"{site_url.rstrip('/')}/learners/{record_token(login)}/record.json"


def status_list_url(site_url: str) -> str:
    return f"{site_url.rstrip('/')}/{STATUS_LIST_URL_PATH}"
