"""`init --update`: bring a course's generated files to the installed microcred.

The generated files are the pin, the workflows and the editor set-up (.vscode/).

Each file is compared with what this microcred renders. A file whose body still matches its
generated-file line was not edited, so it is replaced; one edited by hand is only shown, unless
forced. Missing files are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from microcred.errors import ConfigError
from microcred.ledger.settings import site_url_of
from microcred.setup import pin
from microcred.setup.editor import editor_files
from microcred.setup.generated import stamp_of, unified_diff
from microcred.setup.render import PIN_PATH, Install, generated_files, tool_tree

NEW, UPDATED, EDITED, CURRENT = "new", "updated", "edited by hand", "current"


@dataclass(frozen=True)
class Change:
    """One generated file: its state, the diff from what is there, and the text to write."""

    path: str
    state: str
    diff: str
    text: str


def install_of(root: Path, wheel: str | None) -> Install:
    """How the course will install microcred: its tree (this repository), or a pin taken from
    `wheel`, else from the wheel this microcred was installed from, else the pin as it is."""
    if tool_tree(root):
        return Install(tree=True)
    if wheel is not None:
        return Install(microcred=pin.from_wheel(wheel).line)
    path = root / PIN_PATH
    current = pin.microcred_line(path.read_text(encoding="utf-8")) if path.is_file() else None
    try:
        return Install(microcred=pin.installed().line)
    except ConfigError:
        if current is None:
            raise
        return Install(microcred=current)


def plan(root: Path, install: Install) -> list[Change]:
    """Every generated file with its state, in a stable order."""
    out = []
    wanted = {**generated_files(install), **editor_files(site_url_of(root))}
    for rel, text in wanted.items():
        path = root / rel
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old is None:
            shown = f"--- /dev/null\n+++ b/{rel} (new, {len(text.splitlines())} lines)\n"
            out.append(Change(rel, NEW, shown, text))
        elif old == text:
            out.append(Change(rel, CURRENT, "", text))
        else:
            stamp = stamp_of(old)
            state = EDITED if stamp is None or stamp.edited else UPDATED
            out.append(Change(rel, state, unified_diff(rel, old, text), text))
    return out


def apply(root: Path, changes: list[Change], force: bool) -> list[Change]:
    """Write every change that is safe (or all, forced); the ones left alone."""
    left = []
    for change in changes:
        if change.state == CURRENT:
            continue
        if change.state == EDITED and not force:
            left.append(change)
            continue
        path = root / change.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change.text, encoding="utf-8")
    return left
