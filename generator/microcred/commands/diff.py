"""`microcred diff CREDENTIAL OLD NEW`: what changed between two versions of a credential."""

from __future__ import annotations

import difflib
from pathlib import Path

import git

from microcred import output
from microcred.content.compare import Change, compare
from microcred.content.history import load_course_at, open_repo, tag_name
from microcred.content.loader import find_root, load_course
from microcred.errors import ConfigError, UsageError
from microcred.model import Course


def diff(root: Path | None, credential_id: str, old: str, new: str, fmt: str) -> int:
    """Print the changes between two versions (a version, a git ref, or 'current')."""
    root = find_root(root or Path.cwd())
    repo = open_repo(root)
    if repo is None:
        raise ConfigError(f"{root}: versions are git tags; the course is not a git repository")
    _known(repo, root, credential_id)
    before = _course(repo, root, credential_id, old)
    after = _course(repo, root, credential_id, new)
    changes = compare(before, after, credential_id)
    output.write(render(changes, credential_id, old, new, fmt))
    return 0


def _known(repo: git.Repo, root: Path, credential_id: str) -> None:
    """Refuse a credential that neither the course nor any release tag knows (a typo, say)."""
    current = load_course(root).course.credentials
    if credential_id in current or any(t.name.startswith(f"{credential_id}/v") for t in repo.tags):
        return
    near = difflib.get_close_matches(credential_id, list(current), n=1)
    hint = f"did you mean '{near[0]}'? " if near else ""
    raise UsageError(f"no credential '{credential_id}' ({hint}credentials: "
                     f"{', '.join(sorted(current)) or 'none'})")


def _course(repo: git.Repo, root: Path, credential_id: str, version: str) -> Course:
    if version == "current":
        return load_course(root).course
    for ref in (tag_name(credential_id, version), version):
        try:
            repo.rev_parse(ref + "^{commit}")
        except (git.BadName, ValueError):
            continue
        loaded = load_course_at(repo, ref)
        if loaded.findings:
            raise ConfigError(f"{ref}: the course at this version has problems (first: "
                              f"{loaded.findings[0].render()})")
        return loaded.course
    raise UsageError(f"{version}: no release {tag_name(credential_id, version)} and no such git "
                     "ref (see `git tag --list`)")


def render(changes: list[Change], credential_id: str, old: str, new: str, fmt: str) -> str:
    if fmt == "markdown":
        lines = [f"## {credential_id}: {old} → {new}", ""]
        area = ""
        for change in changes:
            if change.area != area:
                area = change.area
                lines += ["", f"### {area.capitalize()}", ""]
            lines.append(f"- {change.text}")
        return "\n".join(lines if changes else [*lines, "No changes."]).strip() + "\n"
    if not changes:
        return f"{credential_id}: no changes between {old} and {new}"
    return "\n".join(f"{c.area}: {c.text}" for c in changes)
