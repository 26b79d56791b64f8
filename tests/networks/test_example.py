"""The example cohort (2025-26: elementary, middle and high school networks) runs end to end with
three network repositories on the local forge: sync, submit, check, review, merge, issue."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.content.loader import load_course
from microcred.ledger import layout
from microcred.ledger.snapshot import read_ledger
from microcred.networks import local
from microcred.networks.registry import SPAN
from tests.conftest import REPO
from tests.helpers import commit_all
from tests.networks.helpers import approve, record, registry_of, submit

CREDENTIAL = "equity-instructional-leadership"
# (network, learner, module, coach): the repository's sample submissions, one per network.
SAMPLES = [("network-elementary", "rkowalczyk", "evidence-based-observation", "coach-amaral"),
           ("network-middle", "hmbeki", "coaching-conversations", "coach-whitcombe"),
           ("network-high", "tquarshie", "coaching-conversations", "coach-sandoval")]


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "leadership-course"
    for folder in ("content", "modules", "rubrics"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for day in ("2025-10-07", "2025-11-04"):  # the programme asks for two 1:1s before this module
        log_one_to_one(root, "coach-whitcombe", "hmbeki", day, "coaching-conversations")
    commit_all(root, "the example course")
    monkeypatch.chdir(root)
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", "5a" * 32)
    return root


def log_one_to_one(root: Path, coach: str, learner: str, day: str, module: str) -> None:
    """A coaching log entry for a one-to-one, as `microcred log` writes it."""
    folder = root / "coaching" / "logs" / coach
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day}-one-to-one-{learner}.yml").write_text(
        "format: 1\nkind: coaching-log\nprogramme: instructional-leadership\n"
        f"cohort: cohort-2025\ndate: {day}\nmeeting: one-to-one\ncoach: {coach}\n"
        f"participants: [{learner}]\nmodule: {module}\n"
        "agreements:\n  - Plan the next recorded conversation around one open question\n",
        encoding="utf-8")


def sample(learner: str, module: str) -> dict[str, str]:
    folder = REPO / "submissions" / learner / CREDENTIAL / module
    return {p.name: p.read_text("utf-8") for p in folder.iterdir() if p.is_file()}


def best_levels(root: Path, module: str) -> dict[str, str]:
    course = load_course(root).course
    rubric = course.rubrics[course.modules[module].rubric]
    return {c.id: rubric.levels[-1].id for c in rubric.criteria}


def test_the_example_cohort_runs_with_three_network_repositories(
        example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["networks", "sync", "--as", "design-mthembu"]) == 0
    registry = registry_of(example)
    assert [n.id for n in registry.networks] == [s[0] for s in SAMPLES]
    numbers = {}
    for network, learner, module, _ in SAMPLES:
        numbers[network] = submit(example, tmp_path, network, learner, module,
                                  sample(learner, module), credential=CREDENTIAL)
    capsys.readouterr()
    checks = {network: main(["networks", "check", network, "--pr", str(numbers[network])])
              for network, *_ in SAMPLES}
    # tquarshie's sample shows the check's messages (a public video, a missing file).
    assert checks == {"network-elementary": 0, "network-middle": 0, "network-high": 1}
    for network, _, module, coach in SAMPLES[:2]:
        approve(example, network, coach, numbers[network], module, best_levels(example, module))
    with pytest.raises(local.AccessDenied):  # the high school network's evidence stays there
        local.open_network(example, record(example, "network-high"), "rkowalczyk")

    assert main(["issue", "--networks", "--all"]) == 0
    files = read_ledger(example)
    for serial, (_, learner, module, coach) in enumerate(SAMPLES[:2], 1):
        decision = json.loads(files[layout.decision_path(serial * SPAN + 1)])
        assert (decision["learner"], decision["module"], decision["outcome"],
                decision["approver"]) == (learner, module, "complete", coach)
        assert layout.completion_path(learner, CREDENTIAL, "1.0.0", module) in files
    assert layout.decision_path(3 * SPAN + 1) not in files  # open, not merged
    for network in registry.networks:  # the ledger lives in the course repository only
        assert "microcred-ledger" not in [h.name for h in git.Repo(local.repo_path(example, network)).heads]
