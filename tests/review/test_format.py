"""The review block: found in an ordinary review body, read strictly, explained when wrong."""

from __future__ import annotations

import pytest

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
