"""Lint rules that need git: a released credential's rubrics may not change without a new version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import git

from microcred.content.history import open_repo, releases, rubric_fingerprint, semver, tag_name
from microcred.content.loader import RUBRICS_DIR, Loaded, parse_rubric
from microcred.errors import Finding
from microcred.model import Credential


def released_findings(root: Path, loaded: Loaded) -> list[Finding]:
    """Findings for credentials whose released rubrics changed, or whose version went back."""
    found = changelog_findings(loaded)
    repo = open_repo(root)
    if repo is None:
        return found
    for credential in loaded.course.credentials.values():
        found += _credential(repo, loaded, credential)
    return found


def changelog_findings(loaded: Loaded) -> list[Finding]:
    """A version listed twice in a changelog (an interrupted release run again, before releases
    were resumable, wrote a second entry)."""
    found = []
    for credential in loaded.course.credentials.values():
        seen: set[str] = set()
        for index, entry in enumerate(credential.changelog):
            if entry.version in seen:
                doc = loaded.docs[credential.source]
                found.append(Finding(credential.source, doc.line_of(("changelog", index)),
                                     f"changelog[{index}]", f"version {entry.version} is listed "
                                     "twice", "keep one entry per version"))
            seen.add(entry.version)
    return found


def _credential(repo: git.Repo, loaded: Loaded, credential: Credential) -> Iterator[Finding]:
    tags = releases(repo, credential.id)
    doc = loaded.docs[credential.source]
    if tags and semver(credential.version) < semver(tags[-1].version):
        yield Finding(credential.source, doc.line_of(("version",)), "version",
                      f"version {credential.version} is older than the released {tags[-1].version}",
                      f"set 'version: {tags[-1].version}' or later")
    tag = next((t for t in tags if t.version == credential.version), None)
    if tag is None:
        return
    for rubric_id in sorted(_rubrics_of(loaded, credential)):
        yield from _rubric_changed(repo, loaded, credential, rubric_id, tag_name(credential.id,
                                                                                 tag.version))


def _rubrics_of(loaded: Loaded, credential: Credential) -> set[str]:
    modules = loaded.course.modules
    return {modules[m].rubric for m in credential.modules if m in modules}


def _rubric_changed(repo: git.Repo, loaded: Loaded, credential: Credential, rubric_id: str,
                    tag: str) -> Iterator[Finding]:
    now = loaded.course.rubrics.get(rubric_id)
    path = f"{RUBRICS_DIR}/{rubric_id}.yml"
    try:
        text = repo.git.show(f"{tag}:{path}")
    except git.GitCommandError:
        return  # the rubric is new since the release: the module change is what needs a version
    then = parse_rubric(text, path)
    if now is None or then is None or rubric_fingerprint(now) == rubric_fingerprint(then):
        return
    doc = loaded.docs.get(path)
    line = doc.line_of(("criteria",)) if doc else 1
    yield Finding(path, line, "criteria", "the criteria, levels or required levels changed since "
                  f"{credential.id} {credential.version} was released",
                  f"release a new version with `microcred release {credential.id} --minor`, "
                  "or undo the change")
