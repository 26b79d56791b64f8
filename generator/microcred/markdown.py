"""Untrusted text inside the Markdown microcred posts: shown as written, never acted on.

Every string that reaches a pull-request comment or a step summary from outside the trusted
course (a check report, a file name, a CSV header, a coach's review block) goes through
`escape_text`, `escape_code` where it is shown as code, or `escape_html` inside an HTML
element. All are total: any input gives inert output.

What "inert" covers, and how (GitHub renders comments with cmark-gfm, then links mentions and
references in the resulting text, outside code):

- control and invisible characters (line breaks, bidi overrides, zero widths, NUL) cannot end a
  line, a code span or a paragraph, nor reorder what a reader sees: runs of whitespace become
  one space, the rest is written as an escape such as ``\\u202e`` (`findings.printable`);
- Markdown and HTML: every ASCII punctuation character is backslash-escaped, which CommonMark
  defines for exactly this, so no tag, entity, link, emphasis, list or table cell can start;
- mentions, references and autolinks happen after Markdown, on the text itself, so a zero-width
  space is put after ``@`` and ``#`` and inside ``://`` and ``www.``: ``@someone``,
  ``#12``, ``https://…`` and ``a@b.example`` stay plain text.

`mention` is the one way to notify someone (a well-formed login only), and `fit` keeps a whole
comment under GitHub's size limit.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable

from microcred.submission.findings import printable

# GitHub refuses a comment body over 65,536 characters. Counted here in UTF-8 bytes, which are
# never fewer than characters (or UTF-16 units), so a body that fits here fits there.
COMMENT_LIMIT = 65_536
SUMMARY_LIMIT = 1024 * 1024  # GitHub shows no step summary over 1 MiB
TEXT_LIMIT = 2000  # characters of one untrusted string shown; a finding's message is far shorter
ZWSP = "&#8203;"  # written as an entity, so the comment's source shows where it is
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINKISH = re.compile(r"(\\[@#])|(\\:)(?=\\/\\/)|([wW]{3})(?=\\\.)")
_HTML_LINKISH = re.compile(r"([@#])|(:)(?=//)|([wW]{3})(?=\.)")
_BACKTICKS = re.compile("`+")
# GitHub logins: letters, digits and single inner hyphens, at most 39 characters.
LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")


def escape_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """`text` as Markdown that renders exactly as written, on one line, with nothing live in it."""
    flat = printable(" ".join(_shorten(text, limit).split()))
    escaped = _PUNCTUATION.sub(r"\\\1", flat)
    return _LINKISH.sub(lambda m: (m[1] or m[2] or m[3]) + ZWSP, escaped)


def escape_code(text: str, limit: int = TEXT_LIMIT) -> str:
    """`text` as an inline code span (backticks included) that nothing inside can end.

    Not for table cells: GitHub splits cells at ``|`` even inside code; use `escape_text` there.
    """
    shown = printable(_shorten(text, limit)) or " "
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(shown)), default=0) + 1)
    # CommonMark strips one space at each end, unless the content is nothing but spaces.
    pad = " " if shown.strip(" ") and (shown[0] in "` " or shown[-1] in "` ") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def escape_html(text: str, limit: int = TEXT_LIMIT) -> str:
    """`text` for inside an HTML element such as `<summary>`, where Markdown is not read."""
    flat = printable(" ".join(_shorten(text, limit).split()))
    linkless = _HTML_LINKISH.sub(lambda m: (m[1] or m[2] or m[3]) + "\u200b", flat)
    return html.escape(linkless).replace("\u200b", ZWSP)


def mention(login: str) -> str:
    """`@login`, which notifies that person, when `login` is a GitHub login; otherwise the text
    escaped, so a name from elsewhere (a local forge, a forged report) can never ping anyone."""
    return f"@{login}" if LOGIN.fullmatch(login) else escape_text(login, 60)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def fit(render: Callable[[int | None], str], limit: int = COMMENT_LIMIT) -> str:
    """The fullest rendering within `limit` UTF-8 bytes.

    `render(None)` shows everything; `render(n)` at most n items per list, each cut list ending
    "… and N more". The largest n that fits is found by bisection. If even `render(0)` is too
    long, it is cut at a line break with a note saying so.
    """
    full = render(None)
    if _size(full) <= limit:
        return full
    least = render(0)
    if _size(least) > limit:
        return _cut(least, limit)
    low, high = 0, full.count("\n")  # no list is longer than the text has lines
    while low < high:  # render(low) fits; find the largest n that does
        middle = (low + high + 1) // 2
        low, high = (middle, high) if _size(render(middle)) <= limit else (low, middle - 1)
    return render(low)


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _cut(text: str, limit: int) -> str:
    note = "\n\n… and more: the rest is cut at GitHub's size limit for a comment.\n"
    head = text.encode("utf-8", "surrogatepass")[:limit - _size(note)]
    kept = head.decode("utf-8", "ignore").rsplit("\n", 1)[0]
    return kept + note
