from __future__ import annotations

from microcred.submission.manifest import read_manifest

GOOD = b"""format: 1
kind: submission
learner: lea
credential: c
credential_version: 1.0.0
module: m
attempt: 2
evidence: {notes: notes.md}
privacy:
  deidentified: true
  exceptions:
    - {file: notes.md, line: 3, rule: phone, reason: the school's public office number}
"""


def _messages(data: bytes) -> list[str]:
    manifest, problems = read_manifest(data, "s.yml")
    assert manifest is None
    return [p.render() for p in problems]


def test_reads_a_valid_manifest() -> None:
    manifest, problems = read_manifest(GOOD, "s.yml")
    assert problems == []
    assert manifest is not None
    assert (manifest.learner, manifest.attempt, manifest.evidence) == ("lea", 2, {"notes": "notes.md"})
    assert manifest.exceptions[0].rule == "phone"


def test_refuses_aliases_before_expanding_them() -> None:
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n" \
           b"c: [*b, *b, *b, *b, *b, *b, *b, *b]\n"
    assert _messages(bomb) == ["s.yml:1: manifest: YAML anchors and aliases are not allowed in a "
                               "manifest (write each value out in full)"]


def test_refuses_custom_tags() -> None:
    assert _messages(b"learner: !!python/object/apply:os.system [id]\n") == [
        "s.yml:1: manifest: custom YAML tags are not allowed in a manifest (remove the '!' tag)"]


def test_refuses_deep_nesting() -> None:
    assert _messages(b"a: " + b"[" * 20 + b"]" * 20 + b"\n")[0].startswith(
        "s.yml:1: manifest: the manifest is nested deeper than 8 levels")


def test_evidence_names_cannot_leave_the_folder() -> None:
    data = GOOD.replace(b"notes: notes.md", b"notes: ../../other/notes.md")
    assert _messages(data) == [
        "s.yml:8: manifest: evidence.notes: '../../other/notes.md' has the wrong form "
        "(name a file in this folder, such as notes.md (no folders, no '..'))"]


def test_not_utf8() -> None:
    assert _messages(b"learner: \xff\n") == [
        "s.yml:1: manifest: the manifest is not UTF-8 text (save it as UTF-8)"]
