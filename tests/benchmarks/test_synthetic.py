"""The synthetic course of the build benchmark is valid and has the pages it claims."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import generate, page_count, shape_for

from microcred.cli import main
from microcred.content.lint import lint_findings


def test_a_small_synthetic_course_lints_clean_and_builds_its_page_count(tmp_path: Path) -> None:
    root, site = tmp_path / "course", tmp_path / "site"
    shape = generate(root, credentials=2, modules_per_credential=2)

    assert [f.render() for f in lint_findings(root)] == []
    assert main(["build", "--root", str(root), "--site-dir", str(site), "--quiet"]) == 0
    built = [p for p in site.rglob("*.html") if p.name != "404.html"]
    # programme + 2 credentials + 4 modules + 2 content pages, and the 2 + 4 versioned copies
    assert len(built) == page_count(2, 2) == shape.pages == 1 + 2 + 4 + 2 + 6


def test_shape_for_picks_the_nearest_page_count() -> None:
    assert [shape_for(n).pages for n in (50, 500, 2000)] == [57, 495, 1992]
