"""Untrusted text in comments: rendered the way GitHub renders comments (cmark-gfm with its
extensions), it shows as written and nothing in it is live."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import cmarkgfm
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.markdown import TEXT_LIMIT, escape_code, escape_html, escape_text, fit, mention
from microcred.submission.findings import printable

# Pieces that mean something to Markdown, HTML or GitHub, mixed with any text.
HOSTILE = ["<", ">", "<!--", "-->", "<img src=x onerror=alert(1)>", "<details>", "</details>",
           "[a](https://x.example)", "![i](x)", "https://evil.example/x", "www.evil.example",
           "a@b.example", "@team", "@org/team", "#12", "GH-12", "`", "``", "```", "\r", "\n",
           "\r\r", "\n\n", "\u2028", "\x00", "\u202e", "\u200b", "&amp;", "&#64;", "&", "\\",
           "*", "_", "~~", "|", "- ", "1. ", "# ", "> ", "    ", "\t", "$x$", ":+1:", "<https://x>",
           "[x]: https://x", "\x1b[31m", "\ud800"]
texts = st.one_of(st.text(), st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)),
                                      max_size=25).map("".join))
GFM = (Options.CMARK_OPT_UNSAFE,)  # show raw HTML if any got through, rather than hide it
MENTION_OR_REFERENCE = re.compile(r"(?<![\w`])[@#][A-Za-z0-9]|://|www\.|\b\w+@\w", re.IGNORECASE)


def _render(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=GFM[0])


def _as_text(rendered: str, tag: str) -> str:
    """The one paragraph's text, with its entities read: what the reader sees."""
    inner = rendered.removeprefix("<p>").removesuffix("</p>\n")
    if tag:
        assert inner.startswith(f"<{tag}>") and inner.endswith(f"</{tag}>"), rendered
        inner = inner[len(tag) + 2:-len(tag) - 3]
    assert "<" not in inner, rendered  # no element, comment or tag of any kind
    return html.unescape(inner)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_escaped_text_renders_as_written_with_nothing_live(text: str) -> None:
    seen = _as_text(_render("x " + escape_text(text) + " y"), "")
    assert seen.replace("\u200b", "") == "x " + printable(" ".join(text.split())) + " y"
    assert not MENTION_OR_REFERENCE.search(seen)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_code_span_renders_as_written_and_nothing_ends_it(text: str) -> None:
    rendered = _render("x " + escape_code(text) + " y")
    assert rendered.count("<code>") == 1
    seen = _as_text(rendered.replace("x <code>", "<code>").replace("</code> y", "</code>"), "code")
    assert seen.strip(" ") == printable(text).strip(" ")


def test_a_forged_path_cannot_end_its_code_span_and_hide_what_follows() -> None:
    forged = "a\r\r<!-- hidden"
    rendered = _render(f"- {escape_code(forged)} then the protected-path finding")
    assert "<!--" not in rendered and "protected-path finding" in rendered


def test_mentions_links_and_html_stay_text() -> None:
    assert escape_text("@team <b>x</b> [a](b)") == (
        "\\@&#8203;team \\<b\\>x\\<\\/b\\> \\[a\\]\\(b\\)")
    assert escape_text("https://x.example www.y.example #3") == (
        "https\\:&#8203;\\/\\/x\\.example www&#8203;\\.y\\.example \\#&#8203;3")


def test_line_breaks_become_spaces_and_controls_become_visible() -> None:
    assert escape_text("one\r\ntwo\u2028three\x1b\u202e") == "one two three\\\\x1b\\\\u202e"
    assert escape_code("a\rb") == "`a\\x0db`"


def test_code_span_fence_outgrows_the_backticks_inside() -> None:
    assert escape_code("a``b") == "```a``b```"
    assert escape_code("`x") == "`` `x ``"
    assert escape_code("") == "` `"


def test_long_text_is_shortened() -> None:
    assert escape_text("a" * (TEXT_LIMIT + 50)) == "a" * (TEXT_LIMIT - 1) + "…"
    assert escape_code("b" * 20, limit=5) == "`bbbb…`"


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_html_text_renders_as_written_with_nothing_live(text: str) -> None:
    rendered = _render(f"<details><summary>{escape_html(text)}</summary>\n\nx\n\n</details>")
    inner = rendered.removeprefix("<details><summary>").split("</summary>")[0]
    assert "<" not in inner
    seen = html.unescape(inner)
    assert seen.replace("\u200b", "") == printable(" ".join(text.split()))
    assert not MENTION_OR_REFERENCE.search(seen)


def test_only_a_github_login_becomes_a_mention() -> None:
    assert mention("coach-ana") == "@coach-ana"
    assert mention("x <b>") == "x \\<b\\>"
    assert mention("-x") == "\\-x"


def _listing(items: int, width: int = 10) -> Callable[[int | None], str]:
    def render(most: int | None) -> str:
        shown = ["x" * width] * (items if most is None else min(most, items))
        more = [f"… and {items - most} more"] if most is not None and items > most else []
        return "head\n" + "\n".join(shown + more) + "\n"
    return render


def test_a_body_that_fits_is_left_whole() -> None:
    assert fit(_listing(5), limit=100) == _listing(5)(None)


def test_a_long_body_shows_as_many_items_as_fit() -> None:
    body = fit(_listing(50), limit=200)
    assert len(body.encode()) <= 200
    assert body == _listing(50)(16)  # head 5 + 16 items of 11 + note 16 = 197 bytes; 17 items: 208
    assert body.endswith("… and 34 more\n")


def test_a_body_too_long_even_without_items_is_cut_at_a_line_with_a_note() -> None:
    body = fit(lambda most: "line of text\n" * 100, limit=200)
    assert len(body.encode()) <= 200
    assert body.startswith("line of text\n") and body.endswith("size limit for a comment.\n")
