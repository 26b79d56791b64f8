"""Read the ledger's files (path -> bytes, as ledger/snapshot.read_ledger gives them) into records.

A record that cannot be read is set apart as a Problem naming its file and the fix; the rest
of the ledger still counts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from microcred import jsondata
from microcred.analytics.records import BadgeRecord, DecisionRecord, LedgerFacts, Problem, parse_time
from microcred.heap import without_collection
from microcred.ledger import layout
from microcred.review.decide import COMPLETE

_DECISION = re.compile(rf"^{layout.DECISIONS}/pr-(?P<number>\d+)\.json$")
_COMPLETION = re.compile(rf"^{layout.COMPLETIONS}/(?P<login>[^/]+)/(?P<credential>[^/]+)/"
                         r"v(?P<version>[^/]+)/(?P<module>[^/]+)\.json$")
_REVOCATION = re.compile(rf"^{layout.REVOCATIONS}/(?P<uuid>[^/]+)\.json$")
CORRUPT = "corrupt-record"


@without_collection
def read_facts(files: Mapping[str, bytes | None], branch: str) -> LedgerFacts:
    """Decisions, completions and badges from the ledger branch's files.

    A completion listed without its content (None) takes its time from the decision it copies.
    """
    problems: list[Problem] = []
    decisions: dict[int, DecisionRecord] = {}
    completed: dict[tuple[str, str, str], datetime | None] = {}
    badges: list[tuple[str, dict[str, Any]]] = []
    revoked = {f"urn:uuid:{m['uuid']}" for path in files if path.startswith(_REVOCATIONS)
               and (m := _REVOCATION.match(path))}
    unread: list[tuple[str, str, str]] = []
    for path in sorted(files):
        found = _kind(path)
        if found is None:
            continue
        kind, match = found
        content = files[path]
        if content is None:
            if kind == "completion":
                unread.append(_completion(match))
            continue
        data = _json(content, f"{branch}:{path}", problems)
        if data is None:
            continue
        if kind == "decision":
            assert match is not None
            _add_decision(data, path, int(match["number"]), branch, decisions, problems)
        elif kind == "completion":
            completed[_completion(match)] = parse_time(data.get("decided"))
        else:
            badges.append((path, data))
    when = {(d.learner.lower(), d.credential, d.module): d.decided for d in decisions.values()
            if d.outcome == COMPLETE}
    for key in unread:
        completed[key] = when.get(key)
    records = tuple(_badge(path, data, revoked) for path, data in badges)
    return LedgerFacts(decisions, completed, records, tuple(problems))


_REVOCATIONS = f"{layout.REVOCATIONS}/"


def _kind(path: str) -> tuple[str, re.Match[str] | None] | None:
    """A record's kind and the match of its path (None for a badge); None for any other file.

    Each kind sits in its own folder, so one pattern at most is tried.
    """
    if path.startswith(f"{layout.DECISIONS}/"):
        match = _DECISION.match(path)
        return None if match is None else ("decision", match)
    if path.startswith(f"{layout.COMPLETIONS}/"):
        match = _COMPLETION.match(path)
        return None if match is None else ("completion", match)
    return ("badge", None) if path.startswith(f"{layout.BADGES}/") and layout.parse_badge_path(path) \
        else None


def _completion(match: re.Match[str] | None) -> tuple[str, str, str]:
    assert match is not None
    return match["login"], match["credential"], match["module"]


def _json(content: bytes, where: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        data = jsondata.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(CORRUPT, where, f"not valid JSON ({exc}); restore it from the "
                                "branch history (git log -p on the ledger branch)"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(CORRUPT, where, "expected a JSON object; restore it from the "
                                "branch history"))
        return None
    return data


_DECISION_KEYS = ("learner", "credential", "credential_version", "module", "outcome")
_DECISION_READ = (*_DECISION_KEYS, "decided", "reasons")


def slim_decision(content: bytes | None) -> bytes | None:
    """A decision record cut to the fields read_facts reads (as JSON, which it reads as it
    would the whole record); None for a record that is not a JSON object (read again each run,
    to report it)."""
    try:
        data = jsondata.loads(content) if content is not None else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    return jsondata.dumps({k: data[k] for k in _DECISION_READ if k in data})


def _add_decision(data: dict[str, Any], path: str, number: int, branch: str,
                  decisions: dict[int, DecisionRecord], problems: list[Problem]) -> None:
    missing = [k for k in _DECISION_KEYS if not isinstance(data.get(k), str) or not data[k]]
    if missing:
        problems.append(Problem(CORRUPT, f"{branch}:{path}", f"missing {', '.join(missing)}; "
                                "restore it from the branch history"))
        return
    reasons = data.get("reasons")
    decisions[number] = DecisionRecord(
        number, data["learner"], data["credential"], data["credential_version"], data["module"],
        data["outcome"], parse_time(data.get("decided")),
        tuple(str(r) for r in reasons) if isinstance(reasons, list) else ())


def _badge(path: str, data: dict[str, Any], revoked: set[str]) -> BadgeRecord:
    parsed = layout.parse_badge_path(path)
    assert parsed is not None
    login, credential, version = parsed
    badge_id = str(data.get("id", ""))
    issued = parse_time(data.get("validFrom") or data.get("awardedDate"))
    return BadgeRecord(login, credential, version, badge_id, issued, path, badge_id in revoked)
