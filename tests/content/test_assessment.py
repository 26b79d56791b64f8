"""Which course assesses a submission: the trusted course, and earlier releases' editions."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.content.assessment import (
    assessment_courses,
    edition_for,
    trusted_course,
    trusted_course_at,
)
from microcred.errors import ConfigError
from tests.helpers import commit_all, replace

CREDENTIAL = "content/credentials/my-credential.yml"


def test_a_course_with_problems_is_refused_with_the_first_one(course: Path) -> None:
    replace(course / CREDENTIAL, "version: 0.1.0", "version: one")
    with pytest.raises(ConfigError, match=r"trusted course has \d+ problem\(s\), first: .*"
                                          r"my-credential\.yml"):
        trusted_course(course)


def test_an_earlier_release_assesses_submissions_pinned_to_it(course: Path) -> None:
    repo = commit_all(course, "0.1.0")
    repo.git.tag("my-credential/v0.1.0")
    first_title = trusted_course(course).credentials["my-credential"].title
    replace(course / CREDENTIAL, "version: 0.1.0", "version: 0.2.0")
    text = (course / CREDENTIAL).read_text(encoding="utf-8")
    (course / CREDENTIAL).write_text(text.replace(first_title, "Renamed credential", 1),
                                     encoding="utf-8")
    commit_all(course, "0.2.0")

    current, editions = assessment_courses(course)

    assert current.credentials["my-credential"].version == "0.2.0"
    assert list(editions) == [("my-credential", "0.1.0")]
    old = edition_for(current, editions, "my-credential", "0.1.0")
    assert old is not None and old.credentials["my-credential"].title == first_title
    assert edition_for(current, editions, "my-credential", "0.2.0") is current
    assert edition_for(current, editions, "my-credential", "9.9.9") is None


def test_the_course_at_a_commit_ignores_the_working_tree(course: Path) -> None:
    repo = commit_all(course)
    replace(course / CREDENTIAL, "version: 0.1.0", "version: one")  # not committed
    at_head = trusted_course_at(repo, repo.head.commit.hexsha)
    assert at_head.credentials["my-credential"].version == "0.1.0"
