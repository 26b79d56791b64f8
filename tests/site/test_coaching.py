"""Calendar and Learning Exchange pages: from the records, public facts only, built strictly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.coaching.load import load_records
from microcred.content.loader import load_course
from microcred.site.coaching import coaching_pages
from tests.helpers import replace


@pytest.fixture
def built(coached: Path, tmp_path: Path) -> Path:
    replace(coached / "coaching/logs/coach-ana/2026-09-15-one-to-one-lea.yml",
            "Write down questions word for word", "CANARY-COACHING-LOG")
    site = tmp_path / "site"
    assert main(["build", "--root", str(coached), "--site-dir", str(site), "-q"]) == 0
    return site


def _text(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_pages_come_from_the_records(coached: Path) -> None:
    pages = {p.src_uri: p for p in coaching_pages(load_course(coached).course,
                                                  load_records(coached).records)}
    assert sorted(pages) == ["calendars/my-programme/cohort-one.md", "exchanges/exchange-one/index.md"]
    calendar = pages["calendars/my-programme/cohort-one.md"].markdown
    assert "| [First module](../../modules/first-module/index.md) | 2026-09-07 | 2026-11-27 |" \
        in calendar
    assert "- 2026-10-15 — [First exchange](../../exchanges/exchange-one/index.md)" in calendar
    assert "- Your peer network meets every 6 weeks" in calendar
    exchange = pages["exchanges/exchange-one/index.md"].markdown
    assert "- [The home page](../../index.md)" in exchange
    assert "- [The protocol](https://example.org/protocol.pdf)" in exchange
    assert "3 leaders took part." in exchange


def test_the_site_has_the_calendar_and_exchanges_and_no_learner_data(built: Path) -> None:
    calendar = _text(built / "calendars/my-programme/cohort-one/index.html")
    assert "Cohort one's year" in calendar and "Assessment due" in calendar
    exchange = _text(built / "exchanges/exchange-one/index.html")
    assert "Trust across networks" in exchange and "3 leaders took part." in exchange
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                           for p in built.rglob("*") if p.is_file())
    assert "CANARY-COACHING-LOG" not in everything
    assert not re.search(r"\b(lea|leo|mae)\b", _text(built / "exchanges/exchange-one/index.html"))
    assert not any("coaching" in p.relative_to(built).as_posix() for p in built.rglob("*")
                   if p.relative_to(built).parts[0] != "schemas")  # the published schemas


def test_the_nav_lists_them_under_the_programme(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    assert 'href="calendars/my-programme/cohort-one/"' in home
    assert "Learning Exchanges" in home
