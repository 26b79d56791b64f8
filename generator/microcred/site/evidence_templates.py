"""Evidence templates as pages a reader can follow, beside the files they download.

A Markdown template is a file of `## headings` with guidance in HTML comments: shown raw, a
principal sees Markdown syntax and `<!--` markers. Its page lists each heading with its
guidance as text, and gives the file's exact text to copy (into GitHub's "Create new file")
or download.
"""

from __future__ import annotations

import re
from pathlib import Path

from microcred.model import Module, word_document_name

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def template_page_uri(module_id: str, template: str) -> str | None:
    """The page of a module's template (`templates/notes.md`), or None for one with no page."""
    if not template.endswith(".md"):
        return None
    return f"modules/{module_id}/template-{Path(template).stem}.md"


def template_pages(mod: Module) -> list[tuple[str, str, str]]:
    """(src_uri, Markdown, title) of each of the module's Markdown templates' pages."""
    out = []
    for req in mod.evidence:
        uri = template_page_uri(mod.id, req.template) if req.template else None
        path = mod.folder / req.template if req.template else None
        if uri and path is not None and path.is_file():
            text = path.read_text(encoding="utf-8")
            title = f"Template: {req.file}"
            page = _page(mod, req.title, req.file, req.template, text, title)
            if req.accepts_word:
                page += _word_note(req.file)
            out.append((uri, page, title))
    return out


def _word_note(file: str) -> str:
    """What a page says when the evidence may be a Word document instead."""
    return "\n".join([
        "", "## Writing in Word instead", "",
        f"You may hand in a Word document named `{word_document_name(file)}` instead of "
        f"`{file}`. Type each heading below as a paragraph of its own and give it the "
        "**Heading 2** style (Home, Styles); "
        "on GitHub, upload it with **Add file → Upload files**. The check reads it paragraph by "
        "paragraph, comments and tracked changes included, so remove students' names there "
        "too.", ""])


def _page(mod: Module, requirement: str, file: str, download: str, text: str,
          title: str) -> str:
    fence = "`" * max(4, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
    return "\n".join([
        "---", "search:", "  exclude: true", "---", "", f"# {title}", "",
        f"For **{requirement}** in [{mod.title}](index.md).", "",
        "## How to use it", "",
        f"1. In your submission folder, make a file named `{file}`: on GitHub, **Add file → "
        f"Create new file**; on your computer, [download this template]({download}).",
        "2. Copy the text at the bottom of this page into it (the copy button at its top right "
        "copies all of it).",
        "3. Write under each heading. Keep every heading line, the ones starting with `#`, "
        "exactly as it is: the automatic check looks for them.",
        "4. Lines between `<!--` and `-->` are notes for you; the check does not count them, "
        "and you may delete them.", "",
        "## What to write under each heading", "",
        *_guide(text), "",
        "## The text to copy", "",
        f"{fence} {{ .markdown .copy }}", text.rstrip("\n"), fence, ""])


def _guide(text: str) -> list[str]:
    """Each heading of the template with its guidance, as plain Markdown."""
    lines: list[str] = []
    heading = "Before you start"
    notes: list[str] = []
    for line in _COMMENT.sub(lambda m: "\0" + " ".join(m.group(1).split()) + "\0", text) \
            .splitlines():
        match = _HEADING.match(line)
        if match:
            lines += _section(heading, notes)
            heading, notes = match.group(2), []
        else:
            notes += [part.strip() for part in line.split("\0")[1::2] if part.strip()]
    return lines + _section(heading, notes)


def _section(heading: str, notes: list[str]) -> list[str]:
    if not notes and heading == "Before you start":
        return []
    return [f"- **{heading}.** {' '.join(notes) or 'Write your own text here.'}"]
