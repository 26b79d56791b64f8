"""Score the privacy detectors on the labelled evaluation set in benchmarks/privacy.

Run: python benchmarks/privacy_eval.py [--set main|heldout|third | --corpus DIR] [--json OUT] [--record]
     [--show]

The detectors are the ones `microcred check` runs in CI: the example course at the repository
root, loaded and linted as the check loads the trusted course, `Context.of(course)` with no
student names file, and `ctx.detectors[True]` (including the public-video detector). Every
document of the corpus goes through `privacy.find_spans`.

A planted item is found when a span on its line overlaps the item's text there; a span that
overlaps no item is a false positive. Recall is by kind and overall, precision overall and by
the rule of the spans. Summary output masks every excerpt; --show prints them in clear (for the
developer of a detector, never for a log).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import REPO, machine
from microcred.content.lint import lint_course
from microcred.submission.check import Context
from microcred.submission.privacy import Detector, find_spans

HERE = Path(__file__).resolve().parent
SET = HERE / "privacy"
RESULTS = HERE / "privacy-results.json"
KINDS = ("student-name", "parent-name", "student-email", "student-id", "date-of-birth", "phone",
         "address", "disability", "public-video", "social-handle", "quasi-identifier",
         "family-circumstance")
# family-circumstance came with the third set; the two sets before it were labelled without it.
FIRST_KINDS = KINDS[:-1]
DOCUMENT_SUFFIXES = (".md", ".txt")
TALLY_SUFFIXES = (".csv",)
MIN_DOCUMENTS = 130
MIN_TALLIES = 22


@dataclass(frozen=True)
class SetSpec:
    """A labelled set the repository ships: its folder, where --record writes, its minimum size."""
    root: Path
    results: Path
    min_documents: int
    min_tallies: int
    kinds: tuple[str, ...] = FIRST_KINDS


# "main" was read while the detector was built; "heldout" was written after, and committed
# before the detector first ran on it; "third" likewise, after the changes heldout prompted, in
# other styles and voices (its first run is the fairest measure).
SETS = {
    "main": SetSpec(SET, RESULTS, MIN_DOCUMENTS, MIN_TALLIES),
    "heldout": SetSpec(SET / "heldout", HERE / "privacy-heldout-results.json", 60, 10),
    "third": SetSpec(SET / "third", HERE / "privacy-third-results.json", 45, 8, KINDS),
}


class SetError(Exception):
    """The evaluation set contradicts itself (a truth item not where it says, an unknown kind)."""


@dataclass(frozen=True)
class Item:
    """One planted detail: document, line (from 1), kind, exact text, and its column there."""
    doc: str
    line: int
    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Found:
    """One span a detector reported, in a document."""
    doc: str
    line: int
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class EvalSet:
    """The corpus read into memory: documents by relative path, truth items, clean controls."""
    texts: dict[str, str]
    items: list[Item]
    controls: frozenset[str]


@dataclass(frozen=True)
class Score:
    """Which items were found, and which spans were false positives."""
    found: list[Item]
    missed: list[Item]
    true_spans: list[Found]
    false_spans: list[Found]


def read_set(root: Path) -> EvalSet:
    """Read the corpus, truth.jsonl and controls.txt under `root`, validating every item."""
    corpus = root / "corpus"
    texts = {p.relative_to(corpus).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted(corpus.rglob("*")) if p.is_file()}
    controls = frozenset(_lines(root / "controls.txt"))
    raw = [_record(root / "truth.jsonl", n, line) for n, line in
           enumerate((root / "truth.jsonl").read_text(encoding="utf-8").splitlines(), 1)
           if line.strip()]
    return EvalSet(texts, locate(raw, texts), controls)


def _lines(path: Path) -> list[str]:
    return [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]


def _record(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SetError(f"{path}:{number}: not JSON ({exc.msg})") from None
    if not isinstance(record, dict) or set(record) != {"doc", "line", "kind", "text"}:
        raise SetError(f"{path}:{number}: want exactly the keys doc, line, kind, text")
    if not (isinstance(record["doc"], str) and isinstance(record["text"], str) and record["text"]
            and type(record["line"]) is int):
        raise SetError(f"{path}:{number}: doc and text are strings (text not empty), line a number")
    if record["kind"] not in KINDS:
        raise SetError(f"{path}:{number}: unknown kind {record['kind']!r} (one of {', '.join(KINDS)})")
    return record


def locate(records: Iterable[dict[str, Any]], texts: dict[str, str]) -> list[Item]:
    """Each record as an Item at its column: the first whole-word occurrence of its text on its
    line that no earlier item of that line has taken (truth lists a line's items left to right)."""
    taken: dict[tuple[str, int], list[tuple[int, int]]] = {}
    items = []
    for r in records:
        doc, number, text = r["doc"], r["line"], r["text"]
        if doc not in texts:
            raise SetError(f"truth item {r}: no document {doc!r} in the corpus")
        lines = texts[doc].splitlines()
        if not 1 <= number <= len(lines):
            raise SetError(f"truth item {r}: {doc} has no line {number}")
        used = taken.setdefault((doc, number), [])
        free = [s for s in occurrences(lines[number - 1], text)
                if all(s + len(text) <= a or b <= s for a, b in used)]
        if not free:
            raise SetError(f"{doc}:{number}: truth text {text!r} does not occur on this line "
                           f"(or not once more than the items before it on the line)")
        used.append((free[0], free[0] + len(text)))
        items.append(Item(doc, number, r["kind"], text, free[0]))
    return items


def occurrences(line: str, text: str) -> list[int]:
    """Columns where `text` occurs in `line` not inside a longer word."""
    if not text:
        return []
    left = r"(?<!\w)" if text[0].isalnum() else ""
    right = r"(?!\w)" if text[-1].isalnum() else ""
    return [m.start() for m in re.finditer(left + re.escape(text) + right, line)]


def validate(evalset: EvalSet) -> list[str]:
    """Problems of the set as a whole (items are validated as they are read): every document
    is either a clean control or holds truth items, never both."""
    with_items = {i.doc for i in evalset.items}
    problems = [f"{d}: a clean control with truth items" for d in sorted(evalset.controls & with_items)]
    problems += [f"{d}: listed as a control but not in the corpus"
                 for d in sorted(evalset.controls - set(evalset.texts))]
    problems += [f"{d}: neither a control nor holding truth items"
                 for d in sorted(set(evalset.texts) - evalset.controls - with_items)]
    return problems


def shortfalls(evalset: EvalSet, spec: SetSpec = SETS["main"]) -> list[str]:
    """Where the set is smaller than the shipped set `spec` must be: documents, tallies, kinds."""
    docs = sum(d.endswith(DOCUMENT_SUFFIXES) for d in evalset.texts)
    tallies = sum(d.endswith(TALLY_SUFFIXES) for d in evalset.texts)
    short = docs < spec.min_documents or tallies < spec.min_tallies
    out = [f"{docs} documents and {tallies} tallies; want at least {spec.min_documents} and "
           f"{spec.min_tallies}"] if short else []
    return out + [f"no truth item of kind {k}" for k in spec.kinds
                  if k not in {i.kind for i in evalset.items}]


def score(items: Sequence[Item], spans: Sequence[Found]) -> Score:
    """Match spans to items by overlap on the same document line."""
    by_line: dict[tuple[str, int], list[Item]] = {}
    for item in items:
        by_line.setdefault((item.doc, item.line), []).append(item)
    hit: set[Item] = set()
    true_spans: list[Found] = []
    false_spans: list[Found] = []
    for span in spans:
        overlapped = [i for i in by_line.get((span.doc, span.line), [])
                      if span.start < i.end and i.start < span.end]
        hit.update(overlapped)
        (true_spans if overlapped else false_spans).append(span)
    return Score([i for i in items if i in hit], [i for i in items if i not in hit],
                 true_spans, false_spans)


def ci_detectors(root: Path = REPO) -> list[Detector]:
    """The detectors `microcred check` runs with no names file: the trusted course at `root`,
    linted and loaded as the check does, and its context's detectors with public-video."""
    loaded, findings = lint_course(root)
    if findings:
        raise SetError(f"the course at {root} has {len(findings)} problem(s), first: "
                       f"{findings[0].render()} (run `microcred lint`)")
    return list(Context.of(loaded.course).detectors[True])


def detect(texts: dict[str, str], detectors: Sequence[Detector]) -> list[Found]:
    """Every span the detectors find in every document."""
    return [Found(doc, s.line, s.start, s.end, s.rule)
            for doc, text in texts.items() for s in find_spans(text, detectors)]


def figures(evalset: EvalSet, result: Score) -> dict[str, Any]:
    """Recall by kind and overall, precision overall and by rule, and the counts behind them."""
    kinds = Counter(i.kind for i in evalset.items)
    found = Counter(i.kind for i in result.found)
    rules = Counter(s.rule for s in result.true_spans + result.false_spans)
    true_rules = Counter(s.rule for s in result.true_spans)
    spans = len(result.true_spans) + len(result.false_spans)
    alarmed = {s.doc for s in result.false_spans}
    return {
        "documents": sum(d.endswith(DOCUMENT_SUFFIXES) for d in evalset.texts),
        "tallies": sum(d.endswith(TALLY_SUFFIXES) for d in evalset.texts),
        "controls": len(evalset.controls), "items": len(evalset.items),
        "recall": _ratio(len(result.found), len(evalset.items)),
        "precision": _ratio(len(result.true_spans), spans),
        "spans": spans, "false_positives": len(result.false_spans),
        "controls_with_false_alarm": len(evalset.controls & alarmed),
        "by_kind": {k: {"items": kinds[k], "found": found[k], "recall": _ratio(found[k], kinds[k])}
                    for k in KINDS},
        "by_rule": {r: {"spans": rules[r], "true": true_rules[r],
                        "precision": _ratio(true_rules[r], rules[r])} for r in sorted(rules)},
        "by_folder": _by_folder(evalset, result),
    }


def _by_folder(evalset: EvalSet, result: Score) -> dict[str, dict[str, Any]]:
    """Recall and false positives by the corpus folder (the kind of evidence)."""
    def folder(doc: str) -> str:
        return doc.split("/")[0] if "/" in doc else "."
    items = Counter(folder(i.doc) for i in evalset.items)
    found = Counter(folder(i.doc) for i in result.found)
    false = Counter(folder(s.doc) for s in result.false_spans)
    files = Counter(folder(d) for d in evalset.texts)
    return {f: {"files": files[f], "items": items[f], "found": found[f],
                "recall": _ratio(found[f], items[f]), "false_positives": false[f]}
            for f in sorted(files)}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def excerpt(line: str, start: int, end: int, show: bool, width: int = 30) -> str:
    """The text around columns start..end, the span in [brackets]; masked unless `show`."""
    inner = line[start:end] if show else _masked_words(line[start:end], "•")
    before, after = line[max(0, start - width):start], line[end:end + width]
    if not show:
        before, after = _masked_words(before), _masked_words(after)
    return f"{before}[{inner}]{after}"


def _masked_words(text: str, by: str = "·") -> str:
    """Only the shape of the text: every letter and digit hidden (a planted detail may sit
    next to the span, and a miss is a planted detail)."""
    return re.sub(r"\w", by, text)


def miss_lines(evalset: EvalSet, result: Score, show: bool) -> list[str]:
    """Each planted item no span overlaps: doc:line, kind, excerpt (masked unless `show`)."""
    return [f"{i.doc}:{i.line}  {i.kind:16}  {_excerpt_at(evalset, i.doc, i.line, i.start, i.end, show)}"
            for i in result.missed]


def false_lines(evalset: EvalSet, result: Score, show: bool) -> list[str]:
    """Each span over no planted item: doc:line, rule, excerpt (masked unless `show`)."""
    return [f"{s.doc}:{s.line}  {s.rule:16}  {_excerpt_at(evalset, s.doc, s.line, s.start, s.end, show)}"
            for s in result.false_spans]


def _excerpt_at(evalset: EvalSet, doc: str, line: int, start: int, end: int, show: bool) -> str:
    return excerpt(evalset.texts[doc].splitlines()[line - 1], start, end, show)


def summary(numbers: dict[str, Any]) -> list[str]:
    """The figures as a small table."""
    out = [f"{numbers['documents']} documents, {numbers['tallies']} tallies and tables (CSV), "
           f"{numbers['controls']} clean controls, {numbers['items']} planted items",
           f"recall {_pct(numbers['recall'])}  precision {_pct(numbers['precision'])}  "
           f"({numbers['spans']} spans, {numbers['false_positives']} false positives; "
           f"{numbers['controls_with_false_alarm']} of {numbers['controls']} controls "
           f"with a false alarm)", "", f"{'kind':20} {'items':>6} {'found':>6} {'recall':>7}"]
    out += [f"{k:20} {v['items']:>6} {v['found']:>6} {_pct(v['recall']):>7}"
            for k, v in numbers["by_kind"].items()]
    out += ["", f"{'rule':20} {'spans':>6} {'true':>6} {'precision':>9}"]
    out += [f"{r:20} {v['spans']:>6} {v['true']:>6} {_pct(v['precision']):>9}"
            for r, v in numbers["by_rule"].items()]
    out += ["", f"{'folder':18} {'files':>6} {'items':>6} {'found':>6} {'recall':>7} {'false pos.':>10}"]
    out += [f"{f:18} {v['files']:>6} {v['items']:>6} {v['found']:>6} {_pct(v['recall']):>7} "
            f"{v['false_positives']:>10}" for f, v in numbers["by_folder"].items()]
    return out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _commit() -> str | None:
    """The commit of the detectors measured (uncommitted changes are not recorded)."""
    run = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)
    return run.stdout.strip() or None


def _shown(path: Path) -> str:
    """`path` relative to the repository when it is inside it (recorded figures name no machine)."""
    resolved = path.resolve()
    return resolved.relative_to(REPO).as_posix() if resolved.is_relative_to(REPO) else path.name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--set", choices=sorted(SETS), default="main", help="a shipped set: "
                        "main (benchmarks/privacy, read while the detector was built; the default), "
                        "heldout (benchmarks/privacy/heldout, written after it) or third "
                        "(benchmarks/privacy/third, written after the changes heldout prompted)")
    chosen.add_argument("--corpus", type=Path, help="another evaluation set: a folder with "
                        "corpus/, truth.jsonl and controls.txt (sizes are noted against main's)")
    parser.add_argument("--json", type=Path, help="also write the figures, misses and false "
                        "positives (masked) as JSON here")
    parser.add_argument("--record", action="store_true", help="record the figures of a shipped "
                        "set in benchmarks/privacy-results.json (main) or "
                        "benchmarks/privacy-heldout-results.json (heldout)")
    parser.add_argument("--show", action="store_true", help="print misses and false positives "
                        "in clear (for a detector's developer; never in CI logs)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    spec = SETS[args.set]
    corpus: Path = spec.root if args.corpus is None else args.corpus
    if args.record and args.corpus is not None:
        print("privacy_eval: --record records a shipped set's figures; use --set, or --json "
              "to keep another set's", file=sys.stderr)
        return 2
    try:
        evalset = read_set(corpus)
    except (SetError, UnicodeDecodeError) as exc:
        print(f"privacy_eval: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"privacy_eval: {exc.filename}: {exc.strerror} (a set is a folder with corpus/, "
              "truth.jsonl and controls.txt)", file=sys.stderr)
        return 2
    problems = validate(evalset)
    if problems:
        print("\n".join(f"privacy_eval: {p}" for p in problems), file=sys.stderr)
        return 2
    for note in shortfalls(evalset, spec):  # another (smaller) set may be scored, with a note
        print(f"privacy_eval: note: {note}", file=sys.stderr)
    try:
        detectors = ci_detectors()
    except SetError as exc:
        print(f"privacy_eval: {exc}", file=sys.stderr)
        return 2
    result = score(evalset.items, detect(evalset.texts, detectors))
    numbers = figures(evalset, result)
    print("\n".join(summary(numbers)))
    if not args.quiet:
        for title, lines in (("misses", miss_lines(evalset, result, args.show)),
                             ("false positives", false_lines(evalset, result, args.show))):
            print(f"\n{title}:" + "".join(f"\n  {line}" for line in lines))
    recorded = {"format": 1, "date": date.today().isoformat(), "commit": _commit(),
                "corpus": _shown(corpus), "machine": machine(), **numbers}
    if args.json is not None:
        detail = {**recorded, "misses": miss_lines(evalset, result, show=False),
                  "false_positive_spans": false_lines(evalset, result, show=False)}
        args.json.write_text(json.dumps(detail, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.record:
        spec.results.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
        print(f"recorded in {spec.results.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
