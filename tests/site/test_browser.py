"""The example site in a real Chromium: tabs, search, offline use and an axe-core audit.

The site is built once per session and served from 127.0.0.1; Debian's Chromium is driven through
Playwright (never `playwright install`: the machine may have no internet), and axe-core comes from
npm (tests/browser/package.json).
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

from microcred.cli import main
from microcred.review.format import parse_review
from tests.conftest import REPO
from tests.site.ledger import badge_course

pytestmark = pytest.mark.browser

COURSE = REPO  # the example course at the repository root
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOST = "127.0.0.1"
BLOCKING_IMPACTS = ("serious", "critical")
AUDITED_PAGES = ("home", "module", "credential", "coaches", "badge", "issuer")
# The example course has no ledger: a sample course with one, built beside it and served with it.
BADGE_SITE = "badge-sample/"
_AXE_RUN = """async () => (await axe.run(document)).violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
}))"""


def _require(path: Path, install: str) -> None:
    """Skip (or fail, when CI demands the browser) if a browser-test tool is missing."""
    if path.is_file():
        return
    reason = f"{path} is missing; install it with `{install}`"
    if os.environ.get("MICROCRED_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (MICROCRED_REQUIRE_BROWSER=1 forbids skipping)")
    pytest.skip(reason)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of one line per request."""


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on the loopback interface; yield its address."""
    server = ThreadingHTTPServer((LOCAL_HOST, 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Visit:
    """A browser tab on the served site that records every URL it requests."""

    page: Page
    base_url: str
    requests: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        """Load `path` (relative to the site root) and wait until the theme's scripts ran."""
        self.page.goto(self.base_url + path, wait_until="load")
        return self.page

    def foreign_requests(self) -> list[str]:
        """The requested URLs that left the local server."""
        return [url for url in self.requests if urlsplit(url).hostname != LOCAL_HOST]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    _require(CHROMIUM, "apt-get install chromium")
    _require(AXE, "npm ci --prefix tests/browser")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    code = main(["build", "--root", str(COURSE), "--site-dir", str(out), "--quiet"])
    assert code == 0, f"building the example course at {COURSE} failed (exit {code})"
    badges = tmp_path_factory.mktemp("badges") / "course"
    badge_course(badges)
    code = main(["build", "--root", str(badges), "--site-dir", str(out / BADGE_SITE), "--quiet"])
    assert code == 0, f"building the sample course with a ledger failed (exit {code})"
    return out


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    with serve_folder(site) as url:
        yield url


@pytest.fixture(scope="session")
def pages(site: Path) -> dict[str, str]:
    """Site-relative paths of the pages under test, found in the built search index."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"] if "#" not in doc["location"]]

    def first(pattern: str) -> str:
        found = [loc for loc in locations if re.fullmatch(pattern, loc)]
        assert found, f"the built site has no page matching {pattern!r}"
        return found[0]

    badge = next((site / BADGE_SITE / "badges").glob("*/index.html")).parent.name
    return {
        "home": "",
        "module": first(r"modules/[^/]+/"),
        "credential": first(r"credentials/[^/]+/"),
        "coaches": first(r"coaches/"),
        "badge": f"{BADGE_SITE}badges/{badge}/",
        "issuer": f"{BADGE_SITE}issuer/",
    }


@pytest.fixture(scope="session")
def module_word(site: Path, pages: dict[str, str]) -> str:
    """The longest word of the module page's title: a word the search must find."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    title = next(doc["title"] for doc in index["docs"] if doc["location"] == pages["module"])
    words = re.findall(r"\w{4,}", title)
    assert words, f"the module title {title!r} has no word of four letters or more to search for"
    return max(words, key=len)


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    visit = Visit(context.new_page(), base_url)

    def record(route: Route) -> None:
        visit.requests.append(route.request.url)
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.route("**/*", record)
    yield visit
    context.close()


def _search(page: Page, word: str) -> Locator:
    """Type `word` into the theme's search box, as a reader would; return the result links."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(word)
    return page.locator("a.md-search-result__link")


def test_design_element_tabs_show_one_element_at_a_time(
    visit: Visit, pages: dict[str, str]
) -> None:
    page = visit.open(pages["module"])
    tabs = page.locator("#design-elements ~ .tabbed-set").first
    labels = tabs.locator(":scope > .tabbed-labels > label")
    blocks = tabs.locator(":scope > .tabbed-content > .tabbed-block")
    count = labels.count()
    assert count == blocks.count() >= 2, "the design elements are not in tabs"
    previous = 0
    expect(blocks.nth(previous)).to_be_visible()
    for selected in [*range(1, count), 0]:
        labels.nth(selected).click()
        expect(blocks.nth(selected)).to_be_visible()
        expect(blocks.nth(previous)).to_be_hidden()
        previous = selected


def test_search_finds_the_module_page(
    visit: Visit, pages: dict[str, str], module_word: str
) -> None:
    page = visit.open(pages["home"])
    target = visit.base_url + pages["module"]
    hit = _search(page, module_word).and_(page.locator(f'[href^="{target}"]')).first
    expect(hit).to_be_visible()
    hit.click()
    expect(page).to_have_url(re.compile(re.escape(target)))


def test_site_makes_no_request_beyond_the_local_server(
    visit: Visit, pages: dict[str, str], module_word: str
) -> None:
    for name in AUDITED_PAGES:
        visit.open(pages[name]).wait_for_load_state("networkidle")
    visit.open(pages["home"])  # the badge pages belong to the other site: search this one
    expect(_search(visit.page, module_word).first).to_be_visible()  # loads the search worker
    assert any("search_index.json" in url for url in visit.requests), visit.requests
    foreign = "\n".join(visit.foreign_requests())
    assert not foreign, f"the site requested more than 127.0.0.1 (web fonts, CDN, API?):\n{foreign}"


@pytest.mark.parametrize("name", AUDITED_PAGES)
def test_axe_finds_no_serious_violations(
    visit: Visit, pages: dict[str, str], name: str
) -> None:
    page = visit.open(pages[name])
    page.add_script_tag(path=str(AXE))
    violations = [v for v in page.evaluate(_AXE_RUN) if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
        for v in violations
    )
    assert not violations, f"axe-core on /{pages[name]}:\n{report}"


def test_the_coaches_review_template_copies_as_a_review_block(
    browser: Browser, base_url: str, pages: dict[str, str]
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(base_url + pages["coaches"], wait_until="load")
        template = page.locator("details.example").filter(
            has_text="Evidence-Based Classroom Observation")
        template.locator("summary").click()
        block = template.locator(".microcred-review-template")
        shown = block.locator("code").inner_text()
        assert shown.startswith("```yaml\n# levels: not-yet") and shown.rstrip().endswith("```")
        button = template.get_by_role("button", name="Copy to clipboard")
        expect(button).to_be_visible()
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
    finally:
        context.close()
    assert copied.strip() == shown.strip()
    filled = copied.replace("level: ''", "level: proficient")
    parsed = parse_review(f"Thank you for the careful notes.\n\n{filled}")
    assert parsed.problems == () and parsed.block is not None
    assert parsed.block.module == "evidence-based-observation"


def test_a_contents_link_into_a_hidden_tab_opens_that_tab(
    visit: Visit, pages: dict[str, str]
) -> None:
    page = visit.open(pages["module"])
    tabs = page.locator("#design-elements ~ .tabbed-set").first
    blocks = tabs.locator(":scope > .tabbed-content > .tabbed-block")
    last = blocks.count() - 1
    heading = blocks.nth(last).locator("h2[id], h3[id], h4[id]").first
    anchor = heading.get_attribute("id")
    expect(heading).to_be_hidden()
    page.locator(f'.md-sidebar--secondary a[href="#{anchor}"]').click()
    expect(heading).to_be_visible()
    expect(heading).to_be_in_viewport()
    expect(blocks.first).to_be_hidden()
    # Arriving from elsewhere with the heading's address selects its tab as well.
    page = visit.open(f"{pages['module']}#{anchor}")
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()


# The step-by-step page's pictures (content/submit-on-the-web.md) are taken here, from the built
# example site: with MICROCRED_UPDATE_PICTURES=1 they are written into the course, otherwise
# the committed ones must be there and be real screenshots.
PICTURES = REPO / "content" / "images" / "submit-on-the-web"
PICTURE_WIDTH = 1100


def _picture(page: Page, name: str, top: Locator, bottom: Locator) -> None:
    """Screenshot the part of the page from `top` to `bottom`, as the picture `name`."""
    first, last = top.bounding_box(), bottom.bounding_box()
    assert first and last, f"{name}: nothing to photograph"
    scrolled = page.evaluate("window.scrollY")  # boxes are seen from the viewport, clips from the page
    clip = {"x": 0, "y": max(0, first["y"] + scrolled - 16), "width": PICTURE_WIDTH,
            "height": last["y"] + last["height"] - first["y"] + 32}
    shot = page.screenshot(clip=clip, full_page=True)
    target = PICTURES / f"{name}.png"
    if os.environ.get("MICROCRED_UPDATE_PICTURES") == "1":
        target.write_bytes(shot)
    assert target.is_file(), f"{target} is missing: run the browser test with MICROCRED_UPDATE_PICTURES=1"
    width = int.from_bytes(target.read_bytes()[16:20], "big")  # the PNG header's width
    assert width >= 600, f"{target} is not a screenshot ({width} px wide): update it as above"


def test_a_login_typed_once_fills_in_every_module_page(
    browser: Browser, base_url: str, pages: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": PICTURE_WIDTH, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + "modules/evidence-based-observation/", wait_until="load")
        box = page.get_by_label("Your GitHub login")
        folder = page.locator(".md-content pre code").filter(has_text="submissions/").first
        manifest = page.locator(".md-content pre code").filter(has_text="kind: submission").first
        start = page.get_by_role("link", name="Start this submission in GitHub's web editor").first
        expect(folder).to_contain_text("submissions/YOUR-LOGIN/")
        box.fill("Amaya Ortiz")
        expect(page.locator(".mc-login-problem")).to_contain_text(
            "only letters, digits and single hyphens")
        expect(folder).to_contain_text("submissions/YOUR-LOGIN/")
        box.fill("amaya-ortiz-ed")
        expect(page.locator(".mc-login-problem")).to_have_text("")
        expect(folder).to_contain_text(
            "submissions/amaya-ortiz-ed/equity-instructional-leadership/evidence-based-observation/")
        expect(manifest).to_contain_text("learner: amaya-ortiz-ed")
        href = start.get_attribute("href") or ""
        assert "filename=submissions/amaya-ortiz-ed/" in href and "learner%3A%20amaya-ortiz-ed" in href
        _picture(page, "1-login", page.locator("#how-to-submit"), manifest)
        _picture(page, "2-start", manifest, start)

        # Asked once: another module's page already uses it.
        page.goto(base_url + pages["module"], wait_until="load")
        expect(page.get_by_label("Your GitHub login")).to_have_value("amaya-ortiz-ed")
        expect(page.locator(".md-content pre code").filter(has_text="submissions/").first
               ).to_contain_text("submissions/amaya-ortiz-ed/")

        page.goto(base_url + "modules/evidence-based-observation/template-observation-notes/",
                  wait_until="load")
        expect(page.get_by_role("heading", name="Template: observation-notes.md")).to_be_visible()
        guide = page.locator("#what-to-write-under-each-heading + ul")
        expect(guide).to_contain_text("Context. Grade, subject, unit and lesson goal")
        expect(guide).not_to_contain_text("<!--")
        copy = page.locator(".md-content pre code").last
        expect(copy).to_contain_text("## Context")
        _picture(page, "3-template", page.locator("h1"), page.locator("#the-text-to-copy"))
    finally:
        context.close()


def test_the_rubric_fits_a_phone_without_sideways_scrolling(
    browser: Browser, base_url: str, pages: dict[str, str]
) -> None:
    wide = browser.new_context(viewport={"width": 1280, "height": 800})
    phone = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    try:
        desktop = wide.new_page()
        desktop.goto(base_url + pages["module"], wait_until="load")
        expect(desktop.locator(".mc-rubric .mc-level").first).to_be_hidden()
        page = phone.new_page()
        page.goto(base_url + pages["module"], wait_until="load")
        rubric = page.locator(".mc-rubric").first
        expect(rubric.locator(".mc-level").first).to_be_visible()
        # What a reader scrolls (the theme's table wrapper) and what they read (the cells); the
        # header row is hidden from view on a phone, kept for screen readers.
        overflow = rubric.evaluate(
            "el => Math.max(...[el, ...el.querySelectorAll('.md-typeset__scrollwrap, tbody *')]"
            ".map(e => Math.max(e.scrollWidth - e.clientWidth, "
            "e.getBoundingClientRect().right - document.documentElement.clientWidth)))")
        assert overflow <= 1, f"the rubric is {overflow}px wider than a phone's screen"
    finally:
        wide.close()
        phone.close()


def test_the_step_by_step_page_shows_its_pictures_and_explains_its_words(
    visit: Visit, pages: dict[str, str]
) -> None:
    page = visit.open(pages["module"])
    page.get_by_role("article").get_by_role(
        "link", name="Submitting on GitHub's web pages, step by step").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Submitting on GitHub's web pages, step by step")
    pictures = page.locator(".md-content img")
    assert pictures.count() == len(list(PICTURES.glob("*.png"))) == 3
    for i in range(pictures.count()):
        pictures.nth(i).scroll_into_view_if_needed()
        assert pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 600"), i
        assert pictures.nth(i).get_attribute("alt")
    words = page.locator("#words-used-here + table, #words-used-here ~ .md-typeset__scrollwrap table")
    for word in ("fork", "branch", "commit", "pull request", "manifest", "YAML", "CSV"):
        expect(words.first).to_contain_text(word)
