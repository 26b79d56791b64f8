"""Small helpers for editing course files in tests."""

from __future__ import annotations

import html
import re
from pathlib import Path

import cmarkgfm
import git
from cmarkgfm.cmark import Options

from microcred.content.lint import lint_findings


def replace(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a file, failing loudly if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lint_lines(root: Path) -> list[str]:
    """Lint `root` and return the rendered findings."""
    return [f.render() for f in lint_findings(root)]


def commit_all(root: Path, message: str = "course", branch: str = "main") -> git.Repo:
    """Make `root` a git repository (if it is not one) and commit everything in it."""
    try:
        repo = git.Repo(root)
    except git.InvalidGitRepositoryError:
        repo = git.Repo.init(root, initial_branch=branch)
        with repo.config_writer() as cfg:
            cfg.set_value("user", "name", "Dee Signer")
            cfg.set_value("user", "email", "dee@example.org")
    repo.git.add("--all")
    repo.index.commit(message)
    return repo


def shown_html(markdown: str) -> str:
    """A comment rendered as GitHub renders it, raw HTML left in (GitHub would filter some)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def shown(markdown: str) -> str:
    """What a reader sees of a comment: rendered, tags dropped, entities and the zero-width
    spaces that keep mentions and links inert removed."""
    return html.unescape(re.sub(r"<[^>]*>", "", shown_html(markdown))).replace("\u200b", "")
