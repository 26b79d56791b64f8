"""The quick reader of 'not yet' blocks agrees with review/format.py on every kind of body."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.analytics import blocks
from microcred.analytics.blocks import UNREADABLE, shortfall
from microcred.content.lint import lint_course
from microcred.review.format import (
    ReviewBlock,
    below_required,
    normalised,
    parse_review,
    render_review,
    validate,
)
from tests.conftest import DATA

COURSE = lint_course(DATA / "course", releases=False)[0].course
MODULE = COURSE.modules["observation"]
RUBRIC = COURSE.rubrics[MODULE.rubric]
BODIES = [
    render_review(ReviewBlock("observation", {"evidence": "developing", "patterns": "developing"},
                              {"evidence": "Quote: the tally shows it."}, summary="Nearly.")),
    render_review(ReviewBlock("observation", {"evidence": "Proficient", "patterns": "not-yet"})),
    render_review(ReviewBlock("observation", {"evidence": "developing", "patterns": "proficient"},
                              coaching_conversation="2026-10-02")),
    "```yaml\nmicrocred-review: 1\nmodule: observation\ncriteria:\n  evidence: developing\n"
    "  patterns: proficient\n```\n",  # the short form
    "```yaml\nmicrocred-review: 1\nmodule: observation\ncriteria:\n  evidence:\n    level: [\n```\n",
    "```yaml\nmicrocred-review: 1\nmodule: first-module\ncriteria:\n  evidence:\n    level: developing\n```",
    "```yaml\nmicrocred-review: 1\nmodule: observation\ncriteria:\n  evidence:\n    level: developing\n```",
    "```yaml\nmicrocred-review: 2\nmodule: observation\ncriteria:\n  evidence:\n    level: developing\n"
    "  patterns:\n    level: developing\n```",
    "Please add more evidence.",
    render_review(ReviewBlock("observation", {"evidence": "developing", "patterns": "developing"})) * 2,
]


def _authority(body: str) -> list[str]:
    block = parse_review(body).block
    if block is None or validate(block, MODULE, RUBRIC):
        return [UNREADABLE]
    return below_required(normalised(block, RUBRIC), RUBRIC) or [UNREADABLE]


@pytest.mark.parametrize("body", BODIES)
def test_the_quick_reader_agrees_with_the_review_format(body: str) -> None:
    assert shortfall(body, MODULE, RUBRIC) == _authority(body)


def test_without_libyaml_every_block_goes_through_the_review_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks, "_LOADER", None)
    assert [shortfall(b, MODULE, RUBRIC) for b in BODIES] == [_authority(b) for b in BODIES]
    assert shortfall(BODIES[0], MODULE, RUBRIC) == ["evidence"]


LEVEL_IDS = [lv.id for lv in RUBRIC.levels]


@given(levels=st.fixed_dictionaries({"evidence": st.sampled_from([*LEVEL_IDS, "Proficient", "yes"]),
                                     "patterns": st.sampled_from(LEVEL_IDS)}),
       feedback=st.dictionaries(st.sampled_from(["evidence", "patterns"]),
                                st.text(min_size=1, max_size=240)),
       summary=st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_block_microcred_writes_reads_the_same_both_ways(
        levels: dict[str, str], feedback: dict[str, str], summary: str) -> None:
    body = render_review(ReviewBlock("observation", levels, feedback, summary=summary))
    assert shortfall(body, MODULE, RUBRIC) == _authority(body)


@pytest.mark.parametrize("text", ["a # not a comment?", "see: this", "- a list?", "ends with colon:",
                                  "two\nlines: here", "tab\there", "x" * 150 + " #tag", "'quoted'"])
def test_feedback_yaml_could_misread_goes_to_the_yaml_reader(text: str) -> None:
    body = render_review(ReviewBlock("observation", {"evidence": "developing", "patterns": "developing"},
                                     {"evidence": text}))
    assert shortfall(body, MODULE, RUBRIC) == _authority(body) == ["evidence"]
