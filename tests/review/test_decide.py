"""The decision rules, one by one, on plain records (the forge-backed path is in tests/ledger)."""

from __future__ import annotations

from microcred.forge.base import APPROVED, CHANGES_REQUESTED, COMMENTED, MERGED, OPEN, PullRequest, Review
from microcred.review.decide import COMPLETE, NOT_AWARDED, decide
from microcred.review.format import ReviewBlock, render_review
from tests.review.test_format import MODULE, RUBRIC

HEAD, OLD = "a" * 40, "b" * 40
PULL = PullRequest(7, "Observation", "ana", "main", "ana/observe", "c" * 40, HEAD, MERGED,
                   merge_sha="d" * 40)
COACHES = ("coach-lee", "backup-kim")
PASSING = {"evidence": "proficient", "patterns": "developing"}
SHORT = {"evidence": "developing", "patterns": "developing"}


def review(n: int, who: str, state: str, levels: dict[str, str] | None = PASSING,
           commit: str = HEAD, coaching: str = "") -> Review:
    body = "Comment only." if levels is None else render_review(
        ReviewBlock("observe", levels, coaching_conversation=coaching))
    return Review(n, who, state, body, commit)


def run(reviews: list[Review], pull: PullRequest = PULL, earlier: int = 0, after: int = 2,
        learner: str = "ana") -> tuple[str, tuple[str, ...]]:
    decision = decide(pull, learner, reviews, MODULE, RUBRIC, COACHES, earlier, after)
    return decision.outcome, decision.reasons


def test_an_authorised_approval_of_the_merged_head_completes_the_module() -> None:
    decision = decide(PULL, "ana", [review(1, "coach-lee", APPROVED)], MODULE, RUBRIC, COACHES, 0, 2)
    assert decision.outcome == COMPLETE
    assert (decision.approver, decision.review_id, decision.levels) == ("coach-lee", 1, PASSING)


def test_an_unmerged_pull_request_is_not_decided() -> None:
    outcome, reasons = run([review(1, "coach-lee", APPROVED)], PullRequest(
        7, "t", "ana", "main", "h", "c" * 40, HEAD, OPEN))
    assert outcome == NOT_AWARDED and "not merged" in reasons[0]


def test_a_folder_of_someone_else_is_not_awarded() -> None:
    outcome, reasons = run([review(1, "coach-lee", APPROVED)], learner="ben")
    assert outcome == NOT_AWARDED and "belongs to ben" in reasons[0]


def test_approval_by_someone_not_on_the_roster_does_not_count() -> None:
    outcome, reasons = run([review(1, "designer-x", APPROVED)])
    assert outcome == NOT_AWARDED
    assert reasons == ("@designer-x approved but is not a coach authorised for ana; not counted",
                       "no review from a coach authorised for this learner")


def test_the_author_cannot_approve_themselves_even_if_listed_as_a_coach() -> None:
    decision = decide(PULL, "ana", [review(1, "ana", APPROVED)], MODULE, RUBRIC, ("ana",), 0, 2)
    assert decision.outcome == NOT_AWARDED


def test_approval_of_an_older_commit_does_not_count() -> None:
    outcome, reasons = run([review(1, "coach-lee", APPROVED, commit=OLD)])
    assert outcome == NOT_AWARDED and "approve the latest commit" in reasons[0]


def test_a_later_changes_requested_from_another_coach_stands() -> None:
    outcome, reasons = run([review(1, "coach-lee", APPROVED),
                            review(2, "backup-kim", CHANGES_REQUESTED, SHORT)])
    assert outcome == NOT_AWARDED and reasons == ("changes requested by @backup-kim (review 2) still stand",)


def test_a_coach_who_requested_changes_then_approved_is_counted_by_the_latest_state() -> None:
    outcome, _ = run([review(1, "coach-lee", CHANGES_REQUESTED, SHORT, commit=OLD),
                      review(2, "coach-lee", COMMENTED, None),
                      review(3, "coach-lee", APPROVED)])
    assert outcome == COMPLETE


def test_an_approval_whose_levels_fall_short_is_not_a_pass() -> None:
    outcome, reasons = run([review(1, "coach-lee", APPROVED, SHORT)])
    assert outcome == NOT_AWARDED and "evidence is below the required level" in reasons[0]


def test_an_approval_without_a_block_is_explained() -> None:
    outcome, reasons = run([review(1, "coach-lee", APPROVED, None)])
    assert outcome == NOT_AWARDED and "has no review block" in reasons[0]


def test_after_enough_not_yets_a_coaching_conversation_is_required() -> None:
    not_yet_here = review(1, "coach-lee", CHANGES_REQUESTED, SHORT, commit=OLD)
    outcome, reasons = run([not_yet_here, review(2, "coach-lee", APPROVED)], earlier=1, after=2)
    assert outcome == NOT_AWARDED and "after 2 'not yet' decisions" in reasons[0]
    logged = run([not_yet_here, review(2, "coach-lee", APPROVED, coaching="2026-11-02")],
                 earlier=1, after=2)
    assert logged[0] == COMPLETE
    # one short of the threshold: no conversation needed
    assert run([not_yet_here, review(2, "coach-lee", APPROVED)], earlier=0, after=2)[0] == COMPLETE
