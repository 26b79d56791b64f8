"""The review block: found in an ordinary review body, read strictly, explained when wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.model import Criterion, Level, Module, Rubric
from microcred.review.format import (
    NOT_YET,
    PASS,
    ReviewBlock,
    below_required,
    normalised,
    outcome,
    parse_review,
    render_review,
    validate,
)
from microcred.site.pages import review_template

LEVELS = (Level("not-yet", "Not yet"), Level("developing", "Developing"),
          Level("proficient", "Proficient"), Level("exemplary", "Exemplary"))
RUBRIC = Rubric("observation", "Observation", LEVELS, (
    Criterion("evidence", "Evidence", "proficient", {}),
    Criterion("patterns", "Patterns", "developing", {}),
))
MODULE = Module("observe", "Observe", "", "", 1.0, "observation", (), {})


def body(block: str, before: str = "Thanks, good work.\n\n") -> str:
    return f"{before}```yaml\n{block}```\n"


def test_a_filled_template_from_the_site_reads_back() -> None:
    template = review_template(MODULE, RUBRIC)
    filled = template.replace("level: ''", "level: proficient", 1).replace("level: ''", "level: developing")
    parsed = parse_review(body(filled))
    assert parsed.problems == ()
    assert parsed.block is not None
    assert parsed.block.levels == {"evidence": "proficient", "patterns": "developing"}
    assert parsed.block.summary == "Thanks, good work."
    assert validate(parsed.block, MODULE, RUBRIC) == []


def test_render_then_parse_is_the_same_block() -> None:
    block = ReviewBlock("observe", {"evidence": "exemplary", "patterns": "proficient"},
                        {"evidence": "Verbatim: 'why do you think so?'"}, "2026-10-02", "Well done.")
    assert parse_review(render_review(block)).block == block


def test_an_ordinary_comment_is_not_a_review() -> None:
    assert not parse_review("Looks good to me!").present


@pytest.mark.parametrize(("text", "expected"), [
    ("microcred-review: 1\nmodule: observe\n", "must be a fenced code block"),
    ("```yaml\nmicrocred-review: 1\nmodule: observe\ncriteria: [\n```", "not valid YAML"),
    ("```yaml\nmicrocred-review: 2\nmodule: observe\ncriteria: {evidence: proficient}\n```",
     "not a known format"),
    ("```yaml\nmicrocred-review: 1\ncriteria: {evidence: proficient}\n```", "`module:` is missing"),
    ("```yaml\nmicrocred-review: 1\nmodule: observe\ncriteria:\n  evidence:\n    level: ''\n```",
     "criteria.evidence.level is empty"),
    ("```yaml\nmicrocred-review: 1\nmodule: observe\ncoaching_conversation: soon\n"
     "criteria: {evidence: proficient}\n```", "is not a date"),
    ("```yaml\nmicrocred-review: 1\nmodule: observe\ncriteria: {evidence: proficient}\n```\n"
     "```yaml\nmicrocred-review: 1\nmodule: observe\ncriteria: {evidence: proficient}\n```",
     "2 review blocks"),
])
def test_malformed_blocks_are_explained(text: str, expected: str) -> None:
    parsed = parse_review(text)
    assert parsed.block is None
    assert any(expected in p for p in parsed.problems), parsed.problems


def test_validation_names_each_wrong_criterion_and_the_choices() -> None:
    block = ReviewBlock("observe", {"evidence": "profficient", "insight": "proficient"})
    problems = validate(block, MODULE, RUBRIC)
    assert problems == [
        "criteria.insight: not a criterion of rubric 'observation' (its criteria: evidence, patterns)",
        "no level given for patterns; every criterion needs one",
        "criteria.evidence.level 'profficient' is not a level of rubric 'observation'; choose one "
        "of not-yet, developing, proficient, exemplary",
    ]


def test_a_block_for_another_module_is_refused() -> None:
    problems = validate(ReviewBlock("coach", {"evidence": "proficient"}), MODULE, RUBRIC)
    assert problems and "for module 'coach'" in problems[0]


def test_levels_by_name_are_accepted_and_each_criterion_is_judged_alone() -> None:
    block = ReviewBlock("observe", {"evidence": "Exemplary", "patterns": "not yet"})
    assert validate(block, MODULE, RUBRIC) == []
    levels = normalised(block, RUBRIC)
    assert levels == {"evidence": "exemplary", "patterns": "not-yet"}
    # exemplary on one criterion does not make up for not-yet on the other: never averaged
    assert below_required(levels, RUBRIC) == ["patterns"]
    assert outcome(levels, RUBRIC) == NOT_YET
    assert outcome({"evidence": "proficient", "patterns": "developing"}, RUBRIC) == PASS


# -- typos and hostile bodies: problems, never an exception --------------------------------------

def _block(*lines: str) -> str:
    return body("microcred-review: 1\nmodule: observe\n" + "".join(f"{line}\n" for line in lines))


def test_an_impossible_date_is_a_problem_not_a_crash() -> None:
    # The YAML library's own date reading raised ValueError here, and `issue --all` stopped.
    parsed = parse_review(_block("coaching_conversation: 2026-11-31", "criteria: {evidence: proficient}"))
    assert parsed.problems == (
        "coaching_conversation: '2026-11-31' is not a date; write it as YYYY-MM-DD",)


def test_a_date_reads_back_in_its_iso_form() -> None:
    parsed = parse_review(_block("coaching_conversation: 2026-10-02", "criteria: {evidence: proficient}"))
    assert parsed.block is not None and parsed.block.coaching_conversation == "2026-10-02"


def test_keys_of_mixed_types_are_named_not_sorted_into_a_crash() -> None:
    # `true` and `other` cannot be sorted together (bool and str): a TypeError before.
    parsed = parse_review(_block("true: 1", "other: 2", "3: x", "criteria: {evidence: proficient}"))
    assert parsed.problems == ("unknown key(s) 3, other, true; the block has microcred-review, "
                               "module, criteria and coaching_conversation",)


def test_a_body_with_windows_line_breaks_is_read() -> None:
    text = _block("criteria: {evidence: proficient, patterns: developing}").replace("\n", "\r\n")
    parsed = parse_review(text)
    assert parsed.block is not None and parsed.block.summary == "Thanks, good work."


def test_a_fence_left_open_is_explained() -> None:
    parsed = parse_review("Good.\n\n```yaml\nmicrocred-review: 1\nmodule: observe\n")
    assert parsed.problems == ("the review block's fence is never closed: put ``` on a line of its "
                               "own after the block",)


def test_a_longer_closing_fence_closes_and_an_inner_one_does_not() -> None:
    text = "````yaml\nmicrocred-review: 1\nmodule: observe\ncriteria: {evidence: proficient}\n" \
           "`````\n```\nafter\n"
    parsed = parse_review(text)
    assert parsed.block is not None and parsed.block.summary == "```\nafter"


@pytest.mark.parametrize(("lines", "expected"), [
    (("criteria: {evidence: {level: proficient, feedback: [a, b]}}",),
     "criteria.evidence.feedback: write the feedback as text"),
    (("criteria: {evidence: proficient}", "x: &a [1, 2]", "y: *a"), "unknown key(s) x, y"),
    (("criteria: {evidence: proficient}", "z: " + "9" * 5000), "not valid YAML"),
    (("criteria: " + "[" * 3000 + "]" * 3000,), "nested too deeply"),
])
def test_odd_values_are_problems(lines: tuple[str, ...], expected: str) -> None:
    parsed = parse_review(_block(*lines))
    assert parsed.block is None and any(expected in p for p in parsed.problems), parsed.problems


# Pieces of review blocks, valid and not, that a fuzzer mixes (issue: 20,000 mutated blocks found
# two crashes; these properties keep it at none).
PIECES = ["```yaml\n", "```\n", "~~~\n", "````\n", "microcred-review: 1\n", "microcred-review: x\n",
          "module: observe\n", "criteria:\n", "  evidence:\n", "    level: proficient\n",
          "    feedback: ", "  patterns: developing\n", "coaching_conversation: ", "2026-11-31\n",
          "2026-10-02\n", "2026-02-30T25:00\n", "true: 1\n", "1: 2\n", "null: 3\n", "? [a]\n",
          "&a ", "*a\n", "!!binary x\n", "!!timestamp 2026-13-01\n", "!!int x\n", "{", "}", "[", "]",
          ": ", "- ", "'", '"', "\t", "\r\n", "\n", "\x00", "\ufeff", "\u202e", "#", "|\n", "---\n",
          "9" * 40, ".inf\n", "0x\n", "0o9\n", "%TAG ! x\n", "<<: *a\n"]
review_bodies = st.one_of(st.text(max_size=300),
                          st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
                          st.lists(st.sampled_from(PIECES), max_size=30).map(
                              lambda parts: "```yaml\nmicrocred-review: 1\n" + "".join(parts) + "\n```\n"))


@settings(max_examples=500, deadline=None)
@given(text=review_bodies)
def test_parse_review_never_raises(text: str) -> None:
    parsed = parse_review(text)
    assert not (parsed.block and parsed.problems)
    assert all(isinstance(p, str) and p for p in parsed.problems)
    if parsed.block is not None:
        validate(parsed.block, MODULE, RUBRIC)
        assert parse_review(render_review(parsed.block)).block is not None
