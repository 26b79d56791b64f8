"""The progress benchmark's year is real: its repository reads back as the plan wrote it."""

from __future__ import annotations

from pathlib import Path

import git
import yaml
from benchmarks.progress_benchmark import AS_OF, MODULES, make_course, plan_year, write_repository
from benchmarks.synthetic import module_id

from microcred.analytics.gather import ledger_facts, pull_histories
from microcred.analytics.progress import build
from microcred.analytics.timeline import COMPLETE
from microcred.content.lint import lint_course
from microcred.forge.local import LocalForge


def test_a_small_year_reads_back_with_every_pull_request_placed(tmp_path: Path) -> None:
    root = tmp_path / "course"
    root.mkdir()
    logins, coach_of = make_course(root, 40)
    rubric_ids = {module_id(0, m): [c["id"] for c in yaml.safe_load(
        (root / "rubrics" / f"{module_id(0, m)}.yml").read_text("utf-8"))["criteria"]]
        for m in range(MODULES)}
    plan = plan_year(logins, coach_of, rubric_ids)
    write_repository(root, plan)
    loaded, findings = lint_course(root, releases=False)
    assert findings == []
    ledger = ledger_facts(root, None)
    pulls = pull_histories(root, LocalForge(git.Repo(root), "staff"), "local", ledger)
    assert len(pulls) == len(plan.pulls) and all(p.module for p in pulls)
    progress = build(loaded.course, ledger, pulls, AS_OF, 4)
    assert progress.problems == ()
    complete = sum(r.standing.state == COMPLETE for r in progress.rows)
    assert complete == sum(1 for k in plan.ledger if k.startswith("ledger/completions/"))
    opened = sum(p["state"] == "open" for p in plan.pulls)
    assert sum(r.standing.state != COMPLETE and r.standing.attempts > 0 for r in progress.rows) == opened


def test_a_kept_repository_is_copied_and_not_built_again(tmp_path: Path) -> None:
    from benchmarks.progress_benchmark import prepare

    keep = tmp_path / "keep"
    first, _ = prepare(tmp_path / "a", 10, keep)
    stored = keep / "course-10"
    assert (stored / ".git").is_dir()
    (stored / "marker").write_text("kept", encoding="utf-8")
    again, _ = prepare(tmp_path / "b", 10, keep)
    assert (tmp_path / "b" / "marker").read_text(encoding="utf-8") == "kept"
    assert [(p["number"], p["author"], p["state"]) for p in again.pulls] == [
        (p["number"], p["author"], p["state"]) for p in first.pulls]
    assert again.ledger == first.ledger
