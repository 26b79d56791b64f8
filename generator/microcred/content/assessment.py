"""Which course assesses a submission: the trusted course, and the editions of earlier releases.

A submission pinned to an earlier release of its credential is assessed by the course as that
release tagged it; release tags are trusted, since a pull request cannot create them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import git

from microcred.content.cache import cached_course
from microcred.content.history import (
    COURSE_FOLDERS,
    course_files_at,
    load_course_at,
    open_repo,
    releases,
)
from microcred.content.lint import lint_course
from microcred.errors import ConfigError
from microcred.model import Course

# (credential id, version) -> the course as that release tagged it
Editions = Mapping[tuple[str, str], Course]


def trusted_course(root: Path, named: str = "the trusted course") -> Course:
    """The course at `root`, which must lint cleanly: checks and decisions stand on it."""
    loaded, findings = lint_course(root)
    if findings:
        raise ConfigError(f"{named} has {len(findings)} problem(s), first: "
                          f"{findings[0].render()} (run `microcred lint`)")
    return loaded.course


def trusted_course_at(repo: git.Repo, commit: str) -> Course:
    """The course as `commit` has it (content, modules and rubrics only)."""
    with course_files_at(repo, commit) as trusted_root:
        return trusted_course(trusted_root, f"the course at {commit[:12]}")


def editions(repo: git.Repo | None, course: Course) -> dict[tuple[str, str], Course]:
    """The course at every earlier release of each credential, for submissions pinned to those
    versions."""
    if repo is None:
        return {}
    out: dict[tuple[str, str], Course] = {}
    for credential in course.credentials.values():
        for tag in releases(repo, credential.id):
            if tag.version != credential.version:
                edition = cached_course(repo, tag.commit, COURSE_FOLDERS,
                                        functools.partial(_edition_at, repo, tag.commit))
                if credential.id in edition.credentials:
                    out[(credential.id, tag.version)] = edition
    return out


def _edition_at(repo: git.Repo, commit: str) -> Course:
    loaded = load_course_at(repo, commit)
    # A release that does not load cleanly cannot be assessed against: leave it out.
    return Course(loaded.course.root, {}, {}, {}, {}) if loaded.findings else loaded.course


def assessment_courses(root: Path) -> tuple[Course, Editions]:
    """The trusted course at `root` and the editions of earlier releases: what decisions use."""
    course = trusted_course(root)
    return course, editions(open_repo(root), course)


def edition_for(course: Course, editions: Editions, credential_id: str, version: str) -> Course | None:
    """The course as released at `version` of the credential (the current one, or a tag's)."""
    current = course.credentials.get(credential_id)
    if current is not None and current.version == version:
        return course
    return editions.get((credential_id, version))
