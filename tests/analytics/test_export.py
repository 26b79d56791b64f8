"""The registrar's export: one row per learner x credential version, badges ready to import."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from microcred.analytics.export import ExportError, read_names, registrar_rows, write_export
from microcred.analytics.ledger import read_facts
from microcred.content.lint import lint_course

DECIDED = {"credential": "my-credential", "credential_version": "0.1.0", "outcome": "complete"}


def _files() -> dict[str, bytes]:
    def completion(login: str, module: str, when: str) -> tuple[str, bytes]:
        path = f"ledger/completions/{login}/my-credential/v0.1.0/{module}.json"
        return path, json.dumps({**DECIDED, "learner": login, "module": module,
                                 "decided": when}).encode()

    def badge(login: str, uuid: str, when: str) -> tuple[str, bytes]:
        return (f"ledger/badges/{login}/my-credential/v0.1.0.json",
                json.dumps({"id": f"urn:uuid:{uuid}", "validFrom": when}).encode() + b"\n")

    return dict([
        completion("lea", "first-module", "2026-09-04T09:00:00Z"),
        completion("lea", "observation", "2026-10-02T09:00:00Z"),
        badge("lea", "aa", "2026-10-02T09:01:00Z"),
        completion("max", "observation", "2026-10-09T09:00:00Z"),
        badge("mae", "bb", "2026-09-20T09:00:00Z"),
        ("ledger/revocations/bb.json", b'{"reason": "awarded in error"}\n'),
    ])


def test_rows_carry_status_dates_and_names_from_the_mapping_only(course: Path, tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text("login,name,email\nLea,Léa Dubois,lea@example.org\n", encoding="utf-8")
    files = _files()
    facts = read_facts(files, "microcred-ledger")
    rows = registrar_rows(lint_course(course, releases=False)[0].course, facts, read_names(names))
    assert [(r["login"], r["name"], r["status"], r["modules_complete"], r["completed_on"],
             r["awarded_on"], r["badge_id"]) for r in rows] == [
        ("lea", "Léa Dubois", "awarded", "2", "2026-10-02", "2026-10-02", "urn:uuid:aa"),
        ("mae", "", "revoked", "0", "", "2026-09-20", "urn:uuid:bb"),
        ("max", "", "in progress", "1", "2026-10-09", "", ""),
    ]
    out = write_export(tmp_path / "export", rows, files, facts)
    with (out / "awards.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [r["login"] for r in csv.DictReader(handle)] == ["lea", "mae", "max"]
    # Only badges in force go to the import folder, byte for byte as signed.
    assert sorted(p.name for p in (out / "badges").iterdir()) == ["lea-my-credential-v0.1.0.json"]
    assert (out / "badges" / "lea-my-credential-v0.1.0.json").read_bytes() == files[
        "ledger/badges/lea/my-credential/v0.1.0.json"]


@pytest.mark.parametrize(("text", "message"), [
    ("login,name\nlea,Léa\n", "names.csv:1: missing column(s) email"),
    ("login,name,email\nlea,A,a@x\nLEA,B,b@x\n", "names.csv:3: login 'LEA' is listed twice"),
    ("login,name,email\n,A,a@x\n", "names.csv:2: no login"),
])
def test_a_bad_names_file_is_refused_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    names = tmp_path / "names.csv"
    names.write_text(text, encoding="utf-8")
    with pytest.raises(ExportError) as raised:
        read_names(names)
    assert message in str(raised.value)


def test_an_export_never_overwrites_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "old.csv").write_text("x", encoding="utf-8")
    facts = read_facts({}, "microcred-ledger")
    with pytest.raises(ExportError, match="not empty"):
        write_export(tmp_path / "export", [], {}, facts)
    assert [p.name for p in tmp_path.iterdir()] == ["export"]
