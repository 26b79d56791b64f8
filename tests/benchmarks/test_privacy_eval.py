"""The privacy evaluation set is consistent, and the scorer counts what it says it counts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from benchmarks.privacy_eval import (
    KINDS,
    SETS,
    EvalSet,
    Found,
    SetError,
    figures,
    main,
    read_set,
    score,
    shortfalls,
    validate,
)


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_truth_item_occurs_where_stated_and_the_set_is_complete(name: str) -> None:
    spec = SETS[name]
    evalset = read_set(spec.root)  # raises SetError for any item not on its line

    docs = [d for d in evalset.texts if d.endswith((".md", ".txt"))]
    tallies = [d for d in evalset.texts if d.endswith(".csv")]
    assert len(docs) >= spec.min_documents and len(tallies) >= spec.min_tallies
    assert {i.kind for i in evalset.items} == set(spec.kinds)
    assert validate(evalset) == [] and shortfalls(evalset, spec) == []
    for item in evalset.items:
        line = evalset.texts[item.doc].splitlines()[item.line - 1]
        assert line[item.start:item.end] == item.text


@pytest.mark.parametrize("name", sorted(SETS))
def test_clean_controls_have_no_truth_items_and_are_about_half_the_set(name: str) -> None:
    evalset = read_set(SETS[name].root)

    assert not evalset.controls & {i.doc for i in evalset.items}
    assert 0.4 <= len(evalset.controls) / len(evalset.texts) <= 0.6


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_tally_is_well_formed_csv(name: str) -> None:
    evalset = read_set(SETS[name].root)

    for doc, text in evalset.texts.items():
        if doc.endswith(".csv"):
            widths = {len(row) for row in csv.reader(io.StringIO(text))}
            assert len(widths) == 1, doc


def _write_set(root: Path, docs: dict[str, str], truth: list[dict[str, object]],
               controls: list[str]) -> None:
    for name, text in docs.items():
        (root / "corpus" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    (root / "truth.jsonl").write_text("".join(json.dumps(t) + "\n" for t in truth), encoding="utf-8")
    (root / "controls.txt").write_text("".join(c + "\n" for c in controls), encoding="utf-8")


TINY_DOCS = {
    "notes.md": "## Evidence\n09:01  T: \"Lena?\"  Lena: \"Twelve.\"  Parent: Omar Haddad\n",
    "tally.csv": "time,seat,notes\n09:01,S04,lena.v@example.org\n",
    "clean.md": "Room 214, Ms. Okafor, 10:42.\n",
}
TINY_TRUTH: list[dict[str, object]] = [
    {"doc": "notes.md", "line": 2, "kind": "student-name", "text": "Lena"},
    {"doc": "notes.md", "line": 2, "kind": "student-name", "text": "Lena"},
    {"doc": "notes.md", "line": 2, "kind": "parent-name", "text": "Omar Haddad"},
    {"doc": "tally.csv", "line": 2, "kind": "student-email", "text": "lena.v@example.org"},
]


def test_a_repeated_text_takes_the_next_occurrence_on_its_line(tmp_path: Path) -> None:
    _write_set(tmp_path, TINY_DOCS, TINY_TRUTH, ["clean.md"])

    items = read_set(tmp_path).items

    line = TINY_DOCS["notes.md"].splitlines()[1]
    assert [i.start for i in items[:2]] == [line.index("Lena"), line.index("Lena", line.index("Lena") + 1)]


@pytest.mark.parametrize("wrong", [
    {"doc": "notes.md", "line": 1, "kind": "student-name", "text": "Lena"},
    {"doc": "notes.md", "line": 9, "kind": "student-name", "text": "Lena"},
    {"doc": "other.md", "line": 2, "kind": "student-name", "text": "Lena"},
    {"doc": "notes.md", "line": 2, "kind": "nickname", "text": "Lena"},
    {"doc": "notes.md", "line": 2, "kind": "student-name", "text": "Len"},
])
def test_a_truth_item_not_where_it_says_is_refused(tmp_path: Path, wrong: dict[str, object]) -> None:
    _write_set(tmp_path, TINY_DOCS, [wrong], ["clean.md"])

    with pytest.raises(SetError):
        read_set(tmp_path)


def test_a_third_lena_on_a_line_with_two_is_refused(tmp_path: Path) -> None:
    _write_set(tmp_path, TINY_DOCS, TINY_TRUTH + TINY_TRUTH[:1], ["clean.md"])

    with pytest.raises(SetError, match="occur"):
        read_set(tmp_path)


def test_a_control_with_items_and_a_document_that_is_neither_are_problems(tmp_path: Path) -> None:
    _write_set(tmp_path, TINY_DOCS, TINY_TRUTH, ["notes.md"])

    assert validate(read_set(tmp_path)) == ["notes.md: a clean control with truth items",
                                            "clean.md: neither a control nor holding truth items"]


def test_recall_and_precision_count_overlaps_misses_and_false_positives(tmp_path: Path) -> None:
    _write_set(tmp_path, TINY_DOCS, TINY_TRUTH, ["clean.md"])
    evalset = read_set(tmp_path)
    first, second, parent, email = evalset.items
    spans = [
        Found("notes.md", 2, first.start + 1, first.end + 3, "student-name"),  # overlaps the first Lena
        Found("notes.md", 2, parent.start - 1, parent.start + 2, "student-name"),  # overlaps the parent
        Found("tally.csv", 2, email.start, email.end, "email"),  # exact
        Found("clean.md", 1, 0, 8, "student-id"),  # a false positive in a control
        Found("notes.md", 1, 0, 2, "student-id"),  # a false positive on a line without items
    ]

    result = score(evalset.items, spans)
    numbers = figures(evalset, result)

    assert result.missed == [second]
    assert (numbers["recall"], numbers["precision"]) == (0.75, 0.6)
    assert (numbers["false_positives"], numbers["controls_with_false_alarm"]) == (2, 1)
    assert numbers["by_kind"]["student-name"] == {"items": 2, "found": 1, "recall": 0.5}
    assert numbers["by_kind"]["address"] == {"items": 0, "found": 0, "recall": None}
    assert numbers["by_rule"]["student-id"] == {"spans": 2, "true": 0, "precision": 0.0}
    assert numbers["by_folder"] == {".": {"files": 3, "items": 4, "found": 3, "recall": 0.75,
                                          "false_positives": 2}}


def test_one_span_over_two_items_finds_both_and_counts_once(tmp_path: Path) -> None:
    _write_set(tmp_path, TINY_DOCS, TINY_TRUTH, ["clean.md"])
    evalset = read_set(tmp_path)
    first, second = evalset.items[:2]

    result = score(evalset.items, [Found("notes.md", 2, first.start, second.end, "student-name")])

    assert result.found == [first, second] and len(result.true_spans) == 1


def test_the_script_masks_every_planted_value_unless_asked(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _write_set(tmp_path, TINY_DOCS, TINY_TRUTH, ["clean.md"])
    out = tmp_path / "figures.json"

    assert main(["--corpus", str(tmp_path), "--json", str(out)]) == 0

    printed = capsys.readouterr().out + out.read_text(encoding="utf-8")
    assert "4 planted items" in printed
    for planted in ("Lena", "Omar", "Haddad", "lena.v"):
        assert planted not in printed
    assert json.loads(out.read_text(encoding="utf-8"))["items"] == 4


def test_the_script_refuses_a_set_whose_truth_is_wrong(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _write_set(tmp_path, TINY_DOCS, [{"doc": "notes.md", "line": 2, "kind": "student-name",
                                      "text": "Priya"}], ["clean.md"])

    assert main(["--corpus", str(tmp_path)]) == 2
    assert "notes.md:2" in capsys.readouterr().err


def test_an_evalset_without_items_scores_nothing() -> None:
    empty = EvalSet({"a.md": "x\n"}, [], frozenset({"a.md"}))

    numbers = figures(empty, score([], []))

    assert (numbers["recall"], numbers["precision"], numbers["items"]) == (None, None, 0)


@pytest.mark.parametrize("record", [
    '{"doc": "notes.md", "line": "2", "kind": "student-name", "text": "Lena"}',
    '{"doc": "notes.md", "line": 2, "kind": "student-name", "text": ""}',
    '{"doc": "notes.md", "line": 2, "kind": "student-name"}',
    '{"doc": "notes.md", "line": 2,',
])
def test_a_malformed_truth_line_is_refused_with_its_line_number(tmp_path: Path, record: str) -> None:
    _write_set(tmp_path, TINY_DOCS, [], ["clean.md"])
    (tmp_path / "truth.jsonl").write_text(json.dumps(TINY_TRUTH[0]) + "\n" + record + "\n",
                                          encoding="utf-8")

    with pytest.raises(SetError, match=r"truth.jsonl:2: "):
        read_set(tmp_path)


def test_a_folder_that_is_not_a_set_is_a_usage_error(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", str(tmp_path)]) == 2
    assert "truth.jsonl" in capsys.readouterr().err


def test_the_held_out_set_is_its_own_set_not_part_of_the_main_one() -> None:
    main_set, heldout = read_set(SETS["main"].root), read_set(SETS["heldout"].root)

    assert not any(doc.startswith("heldout") for doc in main_set.texts)
    assert len(heldout.texts) < len(main_set.texts)


def test_only_the_third_set_is_labelled_with_every_kind_including_family_circumstances() -> None:
    third = read_set(SETS["third"].root)

    assert SETS["third"].kinds == KINDS and "family-circumstance" not in SETS["main"].kinds
    assert {i.kind for i in third.items} == set(KINDS)
    assert not any(doc.startswith("third") for doc in read_set(SETS["main"].root).texts)


def test_the_script_scores_a_shipped_set_chosen_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--set", "heldout", "--quiet"]) == 0

    out = capsys.readouterr()
    assert f"{len(read_set(SETS['heldout'].root).items)} planted items" in out.out
    assert "note:" not in out.err  # the held-out set is measured against its own minimum size


def test_a_set_name_and_a_corpus_together_or_recording_a_corpus_are_usage_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write_set(tmp_path, TINY_DOCS, TINY_TRUTH, ["clean.md"])

    with pytest.raises(SystemExit) as both:
        main(["--set", "heldout", "--corpus", str(tmp_path)])
    assert both.value.code == 2
    assert main(["--corpus", str(tmp_path), "--record"]) == 2
    assert "--record" in capsys.readouterr().err
