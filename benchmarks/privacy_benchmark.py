"""Benchmark the privacy scan: cost per KB of evidence, and growth on hostile 1 MB lines.

Run: python benchmarks/privacy_benchmark.py [--runs 5] [--out benchmarks/privacy-results.json]

  per_kb     the scan (`privacy.scan`, every rule, a 200-word allow-list and a 400-word hashed
             roster) over realistic evidence: the development examples of tests/submission/
             privacy_dev shuffled into notes of about 100 KB and a 20 KB observation tally;
             milliseconds per KB of CPU time (fairer than wall time on a shared machine) and
             of wall time, median of --runs runs after a warm-up.
  startup    loading the shipped name and word lists, once per process (first use).
  hostile    each hostile line at 256 KB and at 1 MB, the time of `privacy.find_spans`, and their
             ratio: about 4 is linear; a detector that backtracks shows far more.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import machine, publish
from microcred.submission import privacy
from microcred.submission.privacy import gazetteer
from microcred.submission.privacy.roster import hashed

HERE = Path(__file__).resolve().parent
DEV = HERE.parent / "tests" / "submission" / "privacy_dev"
# Each makes a line of about n characters that some detector might read slowly.
HOSTILE: dict[str, Callable[[int], str]] = {
    "spaces": lambda n: " " * n,
    "digits": lambda n: "7" * n,
    "one word": lambda n: "a" * n,
    "capitalised words": lambda n: "Maya Chen " * (n // 10),
    "speech": lambda n: "Maya said " * (n // 10),
    "born then spaces": lambda n: "born" + " " * n,
    "numbers and spaces": lambda n: "1 " * (n // 2),
    "at signs": lambda n: "a@" * (n // 2),
    "spelled emails": lambda n: "a at b dot " * (n // 10),
    "twins": lambda n: "the twins whose " * (n // 16),
    "word problems": lambda n: "Maya has " * (n // 9),
    "streets": lambda n: "12 Maple Oak " * (n // 13),
    "id words": lambda n: "student id " * (n // 11),
    "video hosts": lambda n: "youtube.com/" * (n // 12),
    "cells": lambda n: "Maya," * (n // 5),
    "initials": lambda n: "Maya R. " * (n // 8),
    "possessives": lambda n: "Ortiz's " * (n // 7),
}


def evidence(seed: int = 7) -> tuple[str, str]:
    """About 100 KB of notes and 20 KB of tally, from the development examples."""
    rng = random.Random(seed)
    planted = [row.split("\t")[0] for row in (DEV / "planted.txt").read_text().splitlines()]
    clean = (DEV / "clean.txt").read_text().splitlines()
    lines: list[str] = []
    while sum(len(x) + 1 for x in lines) < 100_000:
        lines.append(" ".join(rng.choice(clean if rng.random() < 0.8 else planted)
                              for _ in range(rng.randint(1, 4))))
    tally = ["minute,seat,question,response"] + [
        f"{m},{rng.choice(['S01', 'S07', 'Maya', 'Table 3'])},{rng.choice(['recall', 'open'])},short"
        for m in range(700)]
    return "\n".join(lines) + "\n", "\n".join(tally) + "\n"


def settings() -> privacy.Settings:
    rng = random.Random(3)
    first = list(gazetteer.lexicon().first)[:5000]
    allow = privacy.allowed_forms(rng.sample(first, 200), [f"coach-{n}" for n in first[:50]])
    salt = "00112233445566778899aabbccddeeff"
    return privacy.Settings(allow=frozenset(allow), rosters=((salt, tuple(hashed(
        rng.sample(first, 400), salt))),))


def _timed(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
           ) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    start = time.perf_counter()
    gazetteer.lexicon()
    startup = time.perf_counter() - start
    found_by = privacy.detectors(private_video=True, settings=settings())
    notes, tally = evidence()
    result: dict[str, Any] = {"machine": machine(), "startup_ms": round(startup * 1000, 1)}
    per_kb = {}
    for name, text in (("notes", notes), ("tally", tally)):
        kb = len(text.encode()) / 1000
        cpu = _timed(lambda t=text: privacy.scan(t, "f", "f", found_by, []), args.runs,
                     time.process_time)
        wall = _timed(lambda t=text: privacy.scan(t, "f", "f", found_by, []), args.runs)
        per_kb[name] = {"kb": round(kb, 1), "cpu_ms_per_kb": round(cpu * 1000 / kb, 3),
                        "wall_ms_per_kb": round(wall * 1000 / kb, 3)}
    result["per_kb"] = per_kb
    hostile = {}
    for name, make in HOSTILE.items():
        small = _timed(lambda m=make: privacy.find_spans(m(256_000), found_by), 1)
        large = _timed(lambda m=make: privacy.find_spans(m(1_000_000), found_by), 1)
        hostile[name] = {"256kb_s": round(small, 3), "1mb_s": round(large, 3),
                         "ratio": round(large / small, 1) if small else None}
    result["hostile"] = hostile
    publish(result, args.out)


if __name__ == "__main__":
    main()
