"""Whom the demo casts for its stacked part, on the example course and on a course without one."""

from __future__ import annotations

from pathlib import Path

from microcred.content.loader import load_course
from microcred.demo.stacking import StackCast, stack_cast
from tests.conftest import REPO
from tests.stacks import add_stack


def test_the_example_course_casts_strategic_leadership() -> None:
    course = load_course(REPO).course
    assert stack_cast(course) == StackCast(
        "strategic-leadership", ("strategic-equity", "strategic-design", "strategic-youth-voice",
                                 "strategic-change"), "kmarchetti", "coach-nwosu")
    cast = stack_cast(course, skip="kmarchetti")
    assert cast is not None and cast.learner == "dowusu-cs"


def test_a_course_without_a_stack_casts_no_one(course: Path) -> None:
    assert stack_cast(load_course(course).course) is None
    add_stack(course)
    cast = stack_cast(load_course(course).course)
    assert cast is not None and (cast.stacked, cast.learner) == ("stacked", "lea")
