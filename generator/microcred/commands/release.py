"""`microcred release CREDENTIAL`: bump the version, write the changelog, tag the release."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import git

from microcred import output
from microcred.commands.lint import lint_course
from microcred.content.history import COURSE_FOLDERS, bump, open_repo, releases, tag_name
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.model import Credential

_VERSION_LINE = re.compile(r"^version:\s*\S+\s*$", re.MULTILINE)


def release(root: Path | None, credential_id: str, part: str | None, notes: str | None) -> int:
    """Release a credential: lint, refuse a dirty tree, changelog, version, commit, annotated tag."""
    root = find_root(root or Path.cwd())
    repo = open_repo(root)
    if repo is None:
        raise ConfigError(f"{root}: releases are git tags; make the course a git repository first")
    credential = _credential(root, credential_id, part)
    _refuse_dirty(repo)
    version = _next_version(repo, credential, part)
    path = root / credential.source
    path.write_text(_with_release(path.read_text(encoding="utf-8"), version,
                                  notes or f"Release {version}."), encoding="utf-8")
    repo.git.add("--", credential.source)
    repo.git.commit("-q", "-m", f"Release {credential.id} {version}", "--", credential.source)
    tag = tag_name(credential.id, version)
    repo.create_tag(tag, message=f"{credential.title} {version}\n\n{notes or ''}".strip())
    output.write(f"released {credential.id} {version} (tag {tag})")
    output.info(f"publish it: git push origin HEAD {tag}")
    return 0


def _credential(root: Path, credential_id: str, part: str | None) -> Credential:
    # A new version is exactly what a changed released rubric asks for.
    loaded, findings = lint_course(root, releases=part is None)
    if findings:
        raise ConfigError(f"the course has {len(findings)} problem(s); fix them before a release "
                          f"(first: {findings[0].render()})")
    if credential_id not in loaded.course.credentials:
        known = ", ".join(sorted(loaded.course.credentials))
        raise UsageError(f"no credential '{credential_id}' (credentials: {known})")
    return loaded.course.credentials[credential_id]


def _refuse_dirty(repo: git.Repo) -> None:
    dirty = repo.git.status("--porcelain", "--", *COURSE_FOLDERS)
    if dirty or repo.is_dirty(untracked_files=False):
        raise UsageError("the working tree has uncommitted changes; commit or stash them first "
                         "(a release must be exactly what is committed)")


def _next_version(repo: git.Repo, credential: Credential, part: str | None) -> str:
    released = {t.version for t in releases(repo, credential.id)}
    if part is None:
        if credential.version in released:
            raise UsageError(f"{credential.id} {credential.version} is already released; choose "
                             "--major, --minor or --patch")
        return credential.version
    version = bump(credential.version, part)
    if version in released:
        raise UsageError(f"{credential.id} {version} is already released")
    return version


def _with_release(text: str, version: str, notes: str) -> str:
    """The credential file with its version set and a changelog entry appended (text edit,
    so the designer's comments and layout survive)."""
    if not _VERSION_LINE.search(text):
        raise ConfigError("the credential file has no top-level 'version:' line")
    text = _VERSION_LINE.sub(f"version: {version}", text, count=1)
    entry = (f"  - version: {version}\n    date: {dt.date.today().isoformat()}\n"
             f"    changes: |\n" + "".join(f"      {line}\n" for line in notes.splitlines()))
    if re.search(r"^changelog:\s*$", text, re.MULTILINE):
        return _append_to_block(text, entry)
    return text.rstrip("\n") + "\nchangelog:\n" + entry


def _append_to_block(text: str, entry: str) -> str:
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if re.match(r"^changelog:\s*$", line))
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    return "".join(lines[:end]) + entry + "".join(lines[end:])
