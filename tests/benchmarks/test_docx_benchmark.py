"""The Word evidence benchmark runs end to end on small sizes and records what it measured."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.docx_benchmark import REQUIREMENT, document, main

from microcred.submission.docx import read_docx


def test_the_benchmark_document_reads_as_its_paragraphs() -> None:
    doc = read_docx(document(20))
    assert len(doc.body) == 20 and doc.body[0].level == 2 and REQUIREMENT.accepts_word


def test_a_small_run_records_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "docx-results.json"
    assert main(["--paragraphs", "10,20", "--repeat", "1", "--out", str(out)]) == 0
    figures = json.loads(out.read_text("utf-8"))
    assert set(figures["paragraphs"]) == {"10", "20"}
    assert set(figures["paragraphs"]["20"]) == {"docx_kb", "markdown_kb", "read_ms", "docx_ms",
                                                "markdown_ms"}
    assert figures["bomb"]["compressed_kb"] < 200
