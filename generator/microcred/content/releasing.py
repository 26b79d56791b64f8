"""Making a release: the version to release, the changelog entry, the commit and the tag.

Each step is skipped when already done, so a release that stopped part way (after its commit,
before its tag) finishes on the next run instead of writing a second changelog entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import git

from microcred.content.history import COURSE_FOLDERS, bump, releases, tag_name
from microcred.errors import ConfigError, UsageError
from microcred.model import Credential

_VERSION_LINE = re.compile(r"^version:\s*(\S+)\s*$", re.MULTILINE)
_MANIFEST_VERSION = re.compile(r"^credential_version:\s*['\"]?([0-9.]+)['\"]?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Plan:
    """What a release does: the version, and whether the credential file needs its entry."""

    version: str
    write_entry: bool
    finishing: bool  # an earlier run wrote the entry and stopped before the tag
    skipped: str = ""  # an untagged version this bump leaves behind (no submission here pins it)


def plan(repo: git.Repo, root: Path, credential: Credential, part: str | None) -> Plan:
    """The release to make, or a UsageError saying why none can be made now."""
    released = {t.version for t in releases(repo, credential.id)}
    current = credential.version
    has_entry = any(r.version == current for r in credential.changelog)
    if current not in released:
        if part is None:
            return Plan(current, not has_entry, has_entry)
        _refuse_bump_over(root, credential, has_entry)
        return Plan(bump(current, part), True, False, skipped=current)
    if part is None:
        raise UsageError(f"{credential.id} {current} is already released; choose --major, "
                         "--minor or --patch")
    version = bump(current, part)
    if version in released:
        raise UsageError(f"{credential.id} {version} is already released")
    return Plan(version, True, False)


def _refuse_bump_over(root: Path, credential: Credential, has_entry: bool) -> None:
    """A bump over a version that has no tag strands whoever started on it."""
    cid, current = credential.id, credential.version
    if has_entry:
        raise UsageError(f"{cid} {current} has a changelog entry but no tag: an earlier release "
                         f"stopped before tagging it; run `microcred release {cid}` to finish it, "
                         "then bump")
    pinned = pinning(root, cid, current)
    if pinned:
        raise UsageError(f"{cid} {current} was never released, and {len(pinned)} submission(s) "
                         f"pin it (first: {pinned[0]}); run `microcred release {cid}` to release "
                         "the version in use first, so they are still assessed against it")


def pinning(root: Path, credential_id: str, version: str) -> list[str]:
    """Submission manifests in the working tree that pin `version` of the credential."""
    out = []
    for manifest in sorted(root.glob(f"submissions/*/{credential_id}/*/submission.yml")):
        try:
            found = _MANIFEST_VERSION.search(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if found and found[1] == version:
            out.append(manifest.relative_to(root).as_posix())
    return out


def refuse_dirty(repo: git.Repo, release: Plan | None = None, source: str = "") -> None:
    """Refuse uncommitted changes, except the credential file of a release being finished
    (a run stopped after writing it, before committing it)."""
    lines = repo.git.status("--porcelain", "--untracked-files=all", "--", *COURSE_FOLDERS)
    dirty = {line[3:] for line in lines.splitlines()}
    if release is not None and release.finishing:
        dirty.discard(source)
    if dirty or (not lines and repo.is_dirty(untracked_files=False)):
        raise UsageError("the working tree has uncommitted changes; commit or stash them first "
                         "(a release must be exactly what is committed)")


def make(repo: git.Repo, root: Path, credential: Credential, release: Plan, notes: str) -> str:
    """Write the entry and commit it if needed, then tag; the tag's name."""
    if release.write_entry:
        path = root / credential.source
        path.write_text(with_release(path.read_text(encoding="utf-8"), release.version, notes,
                                     dt.date.today()), encoding="utf-8")
    if repo.git.status("--porcelain", "--", credential.source):
        repo.git.add("--", credential.source)
        repo.git.commit("-q", "-m", f"Release {credential.id} {release.version}", "--",
                        credential.source)
    tag = tag_name(credential.id, release.version)
    repo.create_tag(tag, message=f"{credential.title} {release.version}\n\n{notes}".strip())
    return tag


def tag_earlier(repo: git.Repo, credential: Credential, version: str) -> tuple[str, str]:
    """Tag the last commit at which the credential file said `version` (a version learners
    started on that was never released); the tag and the commit."""
    if version in {t.version for t in releases(repo, credential.id)}:
        raise UsageError(f"{credential.id} {version} is already released")
    commit = _last_commit_at(repo, credential.source, version)
    if commit is None:
        raise UsageError(f"{credential.source} never said 'version: {version}' on this branch; "
                         "nothing to tag")
    tag = tag_name(credential.id, version)
    repo.create_tag(tag, ref=commit, message=f"{credential.title} {version} (tagged after the fact, "
                    "as learners used it)")
    return tag, commit


def _last_commit_at(repo: git.Repo, path: str, version: str) -> str | None:
    newer: str | None = None
    for sha in repo.git.log("--first-parent", "--format=%H", "HEAD", "--", path).split():
        found = _VERSION_LINE.search(repo.git.show(f"{sha}:{path}"))
        if found and found[1] == version:
            # Everything up to the next change of the file still had this version.
            return repo.commit(newer).parents[0].hexsha if newer else repo.head.commit.hexsha
        newer = sha
    return None


def with_release(text: str, version: str, notes: str, today: dt.date) -> str:
    """The credential file with its version set and a changelog entry appended (a text edit,
    so the designer's comments and layout survive)."""
    if not _VERSION_LINE.search(text):
        raise ConfigError("the credential file has no top-level 'version:' line")
    text = _VERSION_LINE.sub(f"version: {version}", text, count=1)
    entry = (f"  - version: {version}\n    date: {today.isoformat()}\n"
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
