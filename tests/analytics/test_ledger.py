"""Ledger records into facts: a corrupt record is set apart with its place and the fix."""

from __future__ import annotations

import json

from microcred.analytics.ledger import read_facts
from microcred.analytics.records import parse_time

DECISION = {"learner": "lea", "credential": "c", "credential_version": "1.0.0", "module": "m",
            "outcome": "complete", "decided": "2026-09-04T09:00:00Z", "reasons": []}


def test_decisions_completions_and_badges_are_read_and_bad_records_set_apart() -> None:
    files = {
        "ledger/decisions/pr-1.json": json.dumps(DECISION).encode(),
        "ledger/decisions/pr-2.json": b"{not json",
        "ledger/decisions/pr-3.json": b"[]",
        "ledger/decisions/pr-4.json": json.dumps({**DECISION, "module": ""}).encode(),
        "ledger/completions/lea/c/v1.0.0/m.json": json.dumps(DECISION).encode(),
        "ledger/badges/lea/c/v1.0.0.json": json.dumps(
            {"id": "urn:uuid:1234", "validFrom": "2026-09-05T10:00:00Z"}).encode(),
        "ledger/revocations/1234.json": b"{}",
        "ledger/status/revocation.json": b"{}",
    }
    facts = read_facts(files, "microcred-ledger")
    assert list(facts.decisions) == [1]
    assert facts.decisions[1].decided == parse_time("2026-09-04T09:00:00Z")
    assert facts.completed == {("lea", "c", "m"): parse_time("2026-09-04T09:00:00Z")}
    assert [(b.login, b.badge_id, b.revoked) for b in facts.badges] == [("lea", "urn:uuid:1234", True)]
    assert [(p.where, p.message.split(";")[0]) for p in facts.problems] == [
        ("microcred-ledger:ledger/decisions/pr-2.json",
         "not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"),
        ("microcred-ledger:ledger/decisions/pr-3.json", "expected a JSON object"),
        ("microcred-ledger:ledger/decisions/pr-4.json", "missing module"),
    ]


def test_a_completion_listed_but_not_read_takes_its_time_from_its_decision() -> None:
    files: dict[str, bytes | None] = {
        "ledger/decisions/pr-1.json": json.dumps(DECISION).encode(),
        "ledger/completions/lea/c/v1.0.0/m.json": None,
        "ledger/completions/lea/c/v1.0.0/other.json": None,
    }
    assert read_facts(files, "microcred-ledger").completed == {
        ("lea", "c", "m"): parse_time("2026-09-04T09:00:00Z"), ("lea", "c", "other"): None}
