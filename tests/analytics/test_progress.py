"""Progress figures on a real repository with known times, checked against sums done by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.analytics.gather import ledger_facts, pull_histories
from microcred.analytics.progress import Progress, build
from microcred.content.lint import lint_course
from microcred.forge.local import LocalForge
from tests.analytics.history import AS_OF, year_copy


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return year_copy(tmp_path_factory)


def progress_of(root: Path, forge_kind: str = "local") -> Progress:
    import git

    course = lint_course(root, releases=False)[0].course
    ledger = ledger_facts(root, None)
    pulls = pull_histories(root, LocalForge(git.Repo(root), "staff"), forge_kind, ledger)
    return build(course, ledger, pulls, AS_OF, inactive_weeks=1)


def group(progress: Progress, kind: str, name: str) -> dict[str, object]:
    return next(g for g in progress.groups if g.kind == kind and g.name == name).__dict__


def state(progress: Progress, learner: str, module: str) -> tuple[str, int, tuple[str, ...]]:
    row = next(r for r in progress.rows if r.place.learner == learner and r.module == module)
    return row.standing.state, row.standing.attempts, row.standing.not_yet


def test_each_learner_module_stands_where_its_history_puts_it(year: Path) -> None:
    p = progress_of(year)
    assert state(p, "lea", "first-module") == ("complete", 1, ())
    assert state(p, "lea", "observation") == ("not started", 0, ())
    assert state(p, "leo", "first-module") == ("not yet", 1, ("reflection-depth",))
    assert state(p, "mae", "first-module") == ("submitted", 1, ())
    assert state(p, "max", "observation") == ("resubmitted", 2, ("evidence",))
    assert state(p, "mia", "first-module") == ("submitted", 1, ())  # approved, not merged yet


def test_turnaround_median_and_90th_percentile_match_the_hand_computation(year: Path) -> None:
    p = progress_of(year)
    # Days to first review: #1 2.0 (lea), #2 4.0 (leo), #4 1.0 (max), #6 2.0 (mia, coach-old);
    # #3 has none yet. Cohort: sorted 1, 2, 2, 4 -> median 2.0; p90 rank 3 x 0.9 = 2.7 ->
    # 2 + 0.7 x (4 - 2) = 3.4. Decision: only #1, decided on day 3 -> 3.0.
    cohort = group(p, "cohort", "cohort-one")
    assert (cohort["first_review_median"], cohort["first_review_p90"]) == (2.0, 3.4)
    assert (cohort["decision_median"], cohort["decision_p90"]) == (3.0, 3.0)
    # net-a: 2.0 and 4.0 -> median 3.0, p90 2 + 0.9 x 2 = 3.8. net-b: 1.0 and 2.0 -> 1.5, 1.9.
    assert (group(p, "network", "net-a")["first_review_median"],
            group(p, "network", "net-a")["first_review_p90"]) == (3.0, 3.8)
    assert (group(p, "network", "net-b")["first_review_median"],
            group(p, "network", "net-b")["first_review_p90"]) == (1.5, 1.9)
    # coach-ben's own figure leaves out #6, which coach-old (no longer in the roster) reviewed.
    assert (group(p, "coach", "coach-ben")["first_review_median"],
            group(p, "coach", "coach-ben")["first_review_p90"]) == (1.0, 1.0)


def test_days_waiting_for_a_coach_count_from_the_submission_or_the_revision(year: Path) -> None:
    p = progress_of(year)
    waits = {r.place.learner: p.waiting_days(r) for r in p.rows if p.waiting_days(r) is not None}
    # #3 opened day 2, never reviewed: 10 days on day 12. #4 revised on day 6: 6 days.
    assert waits == {"mae": 10.0, "max": 6.0}
    net_b = group(p, "network", "net-b")
    assert (net_b["waiting"], net_b["oldest_wait_days"]) == (2, 10.0)
    # 5 learners x 2 modules: mae's and mia's first module, max's observation, 7 not started.
    assert net_b["states"] == {"not started": 7, "submitted": 2, "not yet": 0, "resubmitted": 1,
                               "complete": 0}


def test_not_yet_reasons_are_counted_by_criterion_and_network(year: Path) -> None:
    assert progress_of(year).not_yet == (("first-module", "reflection-depth", "net-a", 1),
                                         ("observation", "evidence", "net-b", 1))


def test_inactive_learners_leave_out_those_waiting_for_a_coach(year: Path) -> None:
    p = progress_of(year)
    # Cut-off day 5: lea (day 0), leo (day 1), mia (day 4) and the four who never started.
    assert sorted(i.learner for i in p.inactive) == ["lea", "leo", "lia", "lou", "mia", "moe", "mu"]


def test_leavers_former_coaches_and_corrupt_records_are_set_apart(year: Path) -> None:
    problems = {(p.kind, p.where) for p in progress_of(year).problems}
    assert problems == {("corrupt-record", "microcred-ledger:ledger/decisions/pr-99.json"),
                        ("left-roster", "#5"), ("former-coach", "@coach-old")}


def test_the_forge_protocol_reads_the_same_history_as_the_bulk_reader(year: Path) -> None:
    import git

    forge = LocalForge(git.Repo(year), "staff")
    ledger = ledger_facts(year, None)
    bulk = pull_histories(year, forge, "local", ledger)
    # Through the protocol (as on GitHub) commit times are not known: the rest is the same.
    assert pull_histories(year, forge, "github", ledger) == [
        p._replace(head_time=None) for p in bulk]
    assert [(p.number, p.module, p.head_time is not None) for p in bulk] == [
        (1, "first-module", False), (2, "first-module", True), (3, "first-module", True),
        (4, "observation", True), (5, "first-module", True), (6, "first-module", True)]
