"""The staff report: its page and charts on disk, and an axe-core audit in a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import git
import pytest

from microcred.analytics.gather import ledger_facts, pull_histories
from microcred.analytics.html import ReportError, write_report
from microcred.analytics.progress import build
from microcred.coaching.cadence import coaching_cadence
from microcred.coaching.load import load_records
from microcred.content.lint import lint_course
from microcred.forge.local import LocalForge
from tests.analytics.history import AS_OF, year_copy
from tests.conftest import DATA
from tests.site.test_browser import (
    _AXE_RUN,
    AXE,
    BLOCKING_IMPACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    _require,
    serve_folder,
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = year_copy(tmp_path_factory)
    course = lint_course(root, releases=False)[0].course
    ledger = ledger_facts(root, None)
    progress = build(course, ledger, pull_histories(root, LocalForge(git.Repo(root), "staff"),
                                                    "local", ledger), AS_OF, 1)
    coaching = coaching_cadence(course, load_records(DATA / "coaching").records, AS_OF.date())
    return write_report(progress, course, tmp_path_factory.mktemp("report") / "report",
                        coaching).parent


def test_the_page_has_each_chart_with_a_text_alternative_and_its_data(report: Path) -> None:
    page = (report / "index.html").read_text("utf-8")
    for name in ("funnel", "turnaround", "heat", "cohorts"):
        svg = (report / "charts" / f"{name}.svg").read_text("utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg
        assert f'<img src="charts/{name}.svg" alt="' in page
    assert "<script" not in page and 'name="robots" content="noindex, nofollow"' in page
    assert ('<tr><th scope="row">observation: evidence</th><td class="n">0</td>'
            '<td class="n">1</td></tr>') in page  # heat map data: net-a 0, net-b 1
    assert "Private to programme staff" in page
    assert '<h2 id="coaching">Coaching cadence</h2>' in page
    assert '<caption>One-to-ones, by leader</caption>' in page


def test_a_folder_that_is_not_an_earlier_report_is_left_alone(report: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    course = lint_course(DATA / "course", releases=False)[0].course
    progress = build(course, ledger_facts(DATA / "course", None), [], AS_OF, 1)
    with pytest.raises(ReportError, match="not empty and not an earlier report"):
        write_report(progress, course, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    write_report(progress, course, report)  # an earlier report is replaced whole
    assert "0 item(s)" in (report / "index.html").read_text("utf-8")


@pytest.fixture
def served(report: Path) -> Iterator[str]:
    with serve_folder(report) as url:
        yield url


@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_violation(served: str) -> None:
    from playwright.sync_api import sync_playwright

    _require(CHROMIUM, "apt-get install chromium")
    _require(AXE, "npm ci --prefix tests/browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(served + "index.html", wait_until="load")
        assert all(page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)"))
        page.add_script_tag(path=str(AXE))
        violations = [v for v in page.evaluate(_AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]
        browser.close()
    assert violations == []
