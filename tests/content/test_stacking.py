"""Lint of stacked credentials: unknown parts and cycles, each at its file and line."""

from __future__ import annotations

from pathlib import Path

from microcred.content.loader import load_course
from microcred.content.stacking import find_cycles, stack_order
from tests.helpers import lint_lines
from tests.stacks import STACKED, add_stack

STACK = f"content/credentials/{STACKED}.yml"


def test_a_valid_stack_lints_clean(course: Path) -> None:
    add_stack(course)
    assert lint_lines(course) == []
    loaded = load_course(course)
    stack = loaded.course.credentials[STACKED].requires
    assert stack is not None
    assert (stack.credentials, stack.at_least) == (("part-first", "part-observation"), 2)
    order = stack_order(loaded.course.credentials)
    assert order.index("part-first") < order.index(STACKED)


def test_an_unknown_part_is_named_with_its_line_and_nearest_id(course: Path) -> None:
    add_stack(course, "requires:\n  credentials: [part-first, part-observaton]\n  at_least: 1\n")
    assert lint_lines(course) == [
        f"{STACK}:12: requires.credentials[1]: unknown credential 'part-observaton' "
        "(did you mean 'part-observation'?)"]


def test_a_cycle_is_reported_on_each_credential_around_it(course: Path) -> None:
    add_stack(course)
    part = course / "content/credentials/part-first.yml"
    part.write_text(part.read_text("utf-8").replace(
        "modules: [first-module]\n", "modules: [first-module]\nrequires:\n  credentials: [stacked]\n"),
        encoding="utf-8")
    shown = "part-first → stacked → part-first"
    assert lint_lines(course) == [
        f"content/credentials/part-first.yml:13: requires.credentials[0]: stacking cycle: {shown} "
        "(remove 'stacked' from requires.credentials here, or break the cycle elsewhere: no one "
        "could be awarded any credential on it)",
        f"{STACK}:12: requires.credentials[0]: stacking cycle: {shown} (remove 'part-first' from "
        "requires.credentials here, or break the cycle elsewhere: no one could be awarded any "
        "credential on it)"]


def test_itself_twice_and_too_many_required(course: Path) -> None:
    add_stack(course, "requires:\n  credentials: [stacked, part-first, part-first]\n  at_least: 4\n")
    assert lint_lines(course) == [
        f"{STACK}:12: requires.credentials[0]: a credential cannot be built from itself "
        "(remove 'stacked' from requires.credentials)",
        f"{STACK}:12: requires.credentials[2]: credential 'part-first' is listed twice "
        "(list each credential once)",
        f"{STACK}:13: requires.at_least: at_least is 4 but only 3 credential(s) are listed "
        "(set at_least to 3 or fewer)"]


def test_a_credential_with_neither_modules_nor_parts_is_refused(course: Path) -> None:
    add_stack(course, "\n")
    assert any(line.startswith(STACK) for line in lint_lines(course))


def test_cycles_are_found_once_each() -> None:
    graph = {"a": ("b",), "b": ("c", "a"), "c": ("a",), "d": ("d",)}
    assert find_cycles(graph) == [("a", "b"), ("a", "b", "c"), ("d",)]
