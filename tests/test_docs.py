"""Every command the CLI offers is documented with its name in the README or docs/."""

from __future__ import annotations

import argparse
import re

from microcred.cli import _parser
from tests.conftest import REPO


def _commands(parser: argparse.ArgumentParser, prefix: str = "microcred") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"{prefix} {name}")
                found += _commands(sub, f"{prefix} {name}")
    return found


def test_every_command_and_subcommand_is_documented() -> None:
    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])
    commands = _commands(_parser())
    assert "microcred community" in commands and "microcred networks sync" in commands
    missing = [c for c in commands if not re.search(re.escape(c) + r"(?![\w-])", text)]
    assert missing == []
