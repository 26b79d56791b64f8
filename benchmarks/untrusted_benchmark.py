"""Benchmark the parsers and renderers that take untrusted input: they must stay linear.

Run: python benchmarks/untrusted_benchmark.py [--sizes 15000,30000,60000] [--out FILE]

  review   `parse_review` on hostile review bodies of each size (characters): opening fences
           that nothing closes, bare fences, fences each holding the marker, blank lines, one
           fence left open around plain lines, and CRLF blank lines. A linear parser takes twice
           as long for twice the size.
  report   `read_report` on a valid check report padded with general findings to just under
           the 5 MB cap, and on as many bytes of nested brackets.
  comment  `fit(to_markdown)` for N stray-file findings: the body's size, how many findings it
           lists, and the time to bisect for the fullest body under GitHub's limit.

Each figure is the best of --repeat runs in this process (CPU time, `time.process_time`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import best_cpu, machine, publish
from microcred.markdown import fit
from microcred.review.format import parse_review
from microcred.submission.findings import CheckFinding
from microcred.submission.report import CheckResult, to_json, to_markdown
from microcred.submission.report_file import MAX_REPORT_BYTES, read_report

BODIES: dict[str, Callable[[int], str]] = {
    "opening fences, never closed": lambda n: "```a\n" * (n // 5),
    "bare fences": lambda n: "```\n" * (n // 4),
    "fences with the marker": lambda n: "```\nmicrocred-review: 1\n" * (n // 24),
    "blank lines": lambda n: "\n" * n,
    "open fence, plain lines": lambda n: "```yaml\n" + "x\n" * (n // 2),
    "CRLF blank lines": lambda n: "\r\n" * (n // 2),
}


def review_figures(sizes: list[int], repeat: int) -> dict[str, dict[str, float]]:
    return {name: {str(size): round(best_cpu(_parsing(make(size)), repeat) * 1000, 2) for size in sizes}
            for name, make in BODIES.items()}


def _parsing(body: str) -> Callable[[], object]:
    return lambda: parse_review(body)


def stray(count: int) -> CheckResult:
    return CheckResult("range", general=[CheckFinding(
        f"notes/draft-{i:05}-of-a-long-file-name.md", 0, "outside-submissions",
        "a learner's pull request may only add files under submissions/",
        "move it under submissions/lea/") for i in range(count)])


def report_figures(size: int, repeat: int) -> dict[str, Any]:
    one = len(json.dumps(to_json(stray(1))["general"][0])) + 2
    padded = json.dumps(to_json(stray((size - 200) // one))).encode()
    nested = b"[" * (size // 2 - 10) + b"]" * (size // 2 - 10)
    return {"valid_bytes": len(padded),
            "valid_ms": round(best_cpu(lambda: read_report(padded), repeat) * 1000, 1),
            "nested_bytes": len(nested),
            "nested_ms": round(best_cpu(lambda: read_report(nested), repeat) * 1000, 1)}


def comment_figures(counts: list[int], repeat: int) -> dict[str, dict[str, Any]]:
    figures = {}
    for count in counts:
        result = stray(count)
        body = fit(lambda most, r=result: to_markdown(r, most))
        figures[str(count)] = {
            "full_chars": len(to_markdown(result)), "body_chars": len(body),
            "listed": body.count("- ❌"),
            "ms": round(best_cpu(lambda r=result: fit(lambda most: to_markdown(r, most)), repeat) * 1000, 1)}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="15000,30000,60000", help="review body sizes")
    parser.add_argument("--comments", default="600,5000", help="stray findings in a comment")
    parser.add_argument("--report-bytes", type=int, default=MAX_REPORT_BYTES,
                        help="size of the reports read (default: the cap)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    publish({"machine": machine(), "review_ms": review_figures(sizes, args.repeat),
             "report": report_figures(args.report_bytes, args.repeat),
             "comment": comment_figures([int(c) for c in args.comments.split(",")], args.repeat)},
            args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
