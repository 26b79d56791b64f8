"""Released versions of credentials: git tags `<credential>/v<version>` and the course at each.

A release is an annotated tag. Everything assessed against a version is read back from the
tag, never from the working tree, so a learner is judged by the text they started on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import git

from microcred.content.loader import CONTENT_DIR, MODULES_DIR, RUBRICS_DIR, Loaded, load_course
from microcred.errors import ConfigError
from microcred.model import Rubric

COURSE_FOLDERS = (CONTENT_DIR, MODULES_DIR, RUBRICS_DIR)


def tag_name(credential_id: str, version: str) -> str:
    return f"{credential_id}/v{version}"


def semver(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def bump(version: str, part: str) -> str:
    """The next version: part is 'major', 'minor' or 'patch'."""
    major, minor, patch = semver(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


@dataclass(frozen=True)
class Tag:
    credential: str
    version: str
    commit: str
    date: str  # YYYY-MM-DD, from the tag (or its commit)


def releases(repo: git.Repo, credential_id: str) -> list[Tag]:
    """Every released version of a credential, oldest first."""
    prefix = f"{credential_id}/v"
    found = []
    for ref in repo.tags:
        if not ref.name.startswith(prefix):
            continue
        version = ref.name[len(prefix):]
        try:
            semver(version)
        except ValueError:
            continue
        when = ref.tag.tagged_date if ref.tag is not None else ref.commit.committed_date
        date = _day(when)
        found.append(Tag(credential_id, version, ref.commit.hexsha, date))
    return sorted(found, key=lambda t: semver(t.version))


def _day(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).date().isoformat()


def open_repo(root: Path) -> git.Repo | None:
    """The git repository at `root`, or None when the course is not under git."""
    try:
        return git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


@contextmanager
def course_files_at(repo: git.Repo, ref: str) -> Iterator[Path]:
    """The course folders (content/, modules/, rubrics/) of `ref`, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="microcred-at-") as tmp:
        for folder in COURSE_FOLDERS:
            _extract_tree(repo, ref, folder, Path(tmp))
        yield Path(tmp) / "course"


def _extract_tree(repo: git.Repo, ref: str, folder: str, tmp: Path) -> None:
    # Archive the folder's own tree, not the commit with a path filter: for that, git reads the
    # whole commit's tree into an index first, so every submission in the repository was paid for.
    archive = tmp / f"{folder}.tar"
    try:
        with archive.open("wb") as handle:
            repo.archive(handle, f"{ref}:{folder}", format="tar", prefix=f"{folder}/")
    except git.GitCommandError as exc:
        raise ConfigError(f"{ref}: cannot read the course at this commit; it needs "
                          "content/, modules/ and rubrics/") from exc
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "course", filter="data")


def load_course_at(repo: git.Repo, ref: str) -> Loaded:
    """The course as it was at `ref` (module folders point into a temporary copy, now gone:
    the Markdown of each element is already read into the model)."""
    with course_files_at(repo, ref) as folder:
        return load_course(folder)


def rubric_fingerprint(rubric: Rubric) -> str:
    """What an assessment depends on: levels in order, criteria and their required levels."""
    shape = {"levels": [level.id for level in rubric.levels],
             "criteria": [[c.id, c.required] for c in rubric.criteria],
             "pass_rule": rubric.pass_rule}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]
