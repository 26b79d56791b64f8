"""The scheduled progress workflow posts group figures only, and writes nothing but one issue."""

from __future__ import annotations

from tests.conftest import REPO
from tests.workflows.policy import load

WORKFLOW = REPO / ".github" / "workflows" / "progress.yml"


def test_it_runs_weekly_and_posts_only_the_markdown_summary() -> None:
    doc = load(WORKFLOW)
    assert set(doc["on"]) == {"schedule", "workflow_dispatch"}
    job = doc["jobs"]["progress"]
    runs = [step.get("run", "") for step in job["steps"]]
    progress = [r for r in runs if "microcred progress" in r]
    # Markdown is the one format without learners' logins (analytics/render.to_markdown).
    assert len(progress) == 1 and "--format markdown" in progress[0] and "--html" not in progress[0]
    assert [w for w in job["permissions"].values() if w == "write"] == ["write"]
    assert job["permissions"]["issues"] == "write"
    edit = next(step for step in job["steps"] if "gh issue edit" in step.get("run", ""))
    assert edit["if"] == "vars.MICROCRED_PROGRESS_ISSUE != ''"
