"""Small helpers for editing course files in tests."""

from __future__ import annotations

from pathlib import Path

from microcred.commands.lint import lint_findings


def replace(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a file, failing loudly if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def lint_lines(root: Path) -> list[str]:
    """Lint `root` and return the rendered findings."""
    return [f.render() for f in lint_findings(root)]
