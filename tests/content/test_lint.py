"""The course as commands need it: lint-clean, or one error naming the first problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.content.lint import clean_course, lint_course
from microcred.errors import ConfigError
from tests.helpers import replace


def test_a_clean_course_is_returned(course: Path) -> None:
    assert set(clean_course(course, releases=False).course.modules) == set(
        lint_course(course, releases=False)[0].course.modules)


def test_a_broken_course_names_its_first_problem(course: Path) -> None:
    [module] = sorted(course.glob("modules/*/module.yml"))[:1]
    replace(module, "kind: module", "kind: modul")
    with pytest.raises(ConfigError) as caught:
        clean_course(course, releases=False)
    message = str(caught.value)
    assert message.startswith("the course has problems; run `microcred lint` (modules/")
    assert "module.yml" in message
