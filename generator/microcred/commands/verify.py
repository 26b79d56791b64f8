"""`microcred verify`: check signed badges offline — signature, schema, dates and revocation.

read every input (badges, status lists, DID documents; all or nothing) -> find the status
lists (given, and the ledger's in this clone with its history) -> for each badge, the newest list
its issuer signed -> verify each badge -> report, one line a check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from microcred import output
from microcred.badge import BadgeError
from microcred.badge.bounds import json_kind
from microcred.badge.files import read_badge, read_did_document, read_status_list
from microcred.badge.status import newer
from microcred.badge.verify import Check, Verification, issuer_id, verify_credential
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.ledger.settings import load_settings
from microcred.ledger.statuslist import ledger_status_lists, newest_list

PASSED, FAILED = "✓", "✗"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
NO_LIST_HINT = ("give the status list with --status-list FILE, a copy of it from the issuer's "
                "site, or run inside the course repository whose ledger holds it")


@dataclass(frozen=True)
class Result:
    file: Path
    badge: dict[str, Any]
    verification: Verification


def verify(root: Path | None, badges: list[Path], status_lists: list[Path],
           did_documents: list[Path], fmt: str, issuer: str | None = None) -> int:
    problems: list[str] = []
    read = [_read(path, read_badge, problems) for path in badges]
    given_lists = [_read(path, read_status_list, problems) for path in status_lists]
    dids = [_read(path, read_did_document, problems) for path in did_documents]
    if problems:
        raise UsageError("\n".join(problems))
    lists = _versions_by_id(given_lists) if status_lists else {}
    for url, versions in ledger_status_lists(root).items():
        lists.setdefault(url, []).extend(versions)
    documents = _by_id(dids)
    expected = course_issuer(root) if issuer is None else issuer.strip()
    now = datetime.now(UTC)
    results = [Result(path, badge, verify_credential(badge, now=now, status_lists=newest_lists(
                   badge, lists, documents, now), did_documents=documents, issuer=expected))
               for path, badge in zip(badges, read, strict=True) if badge is not None]
    if fmt == "json":
        output.write_json(report(results))
    else:
        for result in results:
            _print(result, lists)
        if len(results) > 1:
            good = sum(r.verification.verified for r in results)
            output.write(f"{len(results)} badges: {good} verified, {len(results) - good} not verified")
    return 0 if all(r.verification.verified for r in results) else 1


# reading


def _read(path: Path, reader: Callable[[Path], dict[str, Any]],
          problems: list[str]) -> dict[str, Any] | None:
    try:
        return reader(path)
    except BadgeError as exc:
        problems.append(str(exc))
        return None


def newest_lists(badge: dict[str, Any], lists: Mapping[str, list[dict[str, Any]]],
                 documents: Mapping[str, Any], now: datetime) -> dict[str, dict[str, Any]]:
    """For each status list URL, the newest version the badge's issuer signed (else the first
    known, which then fails the status check and says why): an older list put back in place
    of a newer one cannot un-revoke a badge."""
    issuer = issuer_id(badge) if isinstance(badge, dict) else ""
    chosen = {}
    for url, versions in lists.items():
        newest = newest_list(versions, issuer, documents, now)
        chosen[url] = newest if newest is not None else versions[0]
        if newest is not None and newest is not versions[0] and _newer(newest, versions[0]):
            output.warn(f"{url}: the copy given or on the ledger is older than a list its issuer "
                        f"signed later (valid from {newest.get('validFrom')}); checked against "
                        "that newer one")
    return chosen


def course_issuer(root: Path | None) -> str:
    """The issuer the course's mkdocs.yml names, when run inside a course that names one."""
    try:
        return load_settings(find_root(root or Path.cwd())).issuer
    except ConfigError:
        return ""


def _newer(newest: dict[str, Any], other: dict[str, Any]) -> bool:
    try:
        return newer(newest, other)
    except BadgeError:  # the other has no date to compare: it is not the issuer's list anyway
        return True


def _versions_by_id(documents: list[dict[str, Any] | None]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for document in documents:
        if document is not None:
            found.setdefault(str(document["id"]), []).append(document)
    return found


def _by_id(documents: list[dict[str, Any] | None]) -> dict[str, dict[str, Any]]:
    return {str(d["id"]): d for d in documents if d is not None}


# reporting


def report(results: list[Result]) -> dict[str, Any]:
    return {"format": 1, "verified": all(r.verification.verified for r in results), "badges": [{
        "file": str(r.file), "id": shown(r.badge.get("id")), "verified": r.verification.verified,
        "checks": [{"name": c.name, "passed": c.passed, "message": _message(c, r.badge)}
                   for c in r.verification.checks]} for r in results]}


def _print(result: Result, lists: Mapping[str, Any]) -> None:
    badge, verification = result.badge, result.verification
    output.write(f"{result.file}: {shown(badge.get('id', '(no id)'))} · "
                 f"{shown(badge.get('name', '(no name)'))}")
    for check in verification.checks:
        output.write(f"  {PASSED if check.passed else FAILED} {check.name}: {_message(check, badge)}")
    failed = [c for c in verification.checks if not c.passed]
    if not failed:
        output.write("  verified")
        return
    output.write(f"  not verified: {len(failed)} of {len(verification.checks)} checks failed")
    if any(c.name == "status" and url not in lists for c in failed for url in _list_urls(badge)):
        output.write(f"  hint: {NO_LIST_HINT}")


def shown(value: Any) -> str:
    """A value from a badge as one printable line: control characters and lone surrogates escaped."""
    if isinstance(value, dict | list):
        return f"(a JSON {json_kind(value)})"
    text = value if isinstance(value, str) else json.dumps(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda match: ascii(match[0])[1:-1], text)


def _message(check: Check, badge: dict[str, Any]) -> str:
    """The check's own words, made printable; for a passed check, what was found."""
    return shown(_words(check, badge))


def _words(check: Check, badge: dict[str, Any]) -> str:
    if check.message or not check.passed:
        return check.message
    if check.name == "signature":
        return f"eddsa-rdfc-2022 proof by the issuer {issuer_id(badge)}"
    if check.name == "validity":
        until = badge.get("validUntil")
        return f"valid from {badge.get('validFrom')}" + (f" until {until}" if until else ", no end date")
    if check.name == "schema":
        return "matches the 1EdTech Open Badges 3.0 JSON Schema"
    if check.name == "status":
        return "not revoked (" + "; ".join(f"bit {e.get('statusListIndex')} of "
                                           f"{e.get('statusListCredential')}" for e in _entries(badge)) + ")"
    return "passed"


def _entries(badge: dict[str, Any]) -> list[dict[str, Any]]:
    entries = badge.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    return [e for e in entries if isinstance(e, dict)]


def _list_urls(badge: dict[str, Any]) -> list[str]:
    return [str(e.get("statusListCredential")) for e in _entries(badge)]
