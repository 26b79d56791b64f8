"""Issue 7's scenario, scripted on a real repository: two versions, two badges, each naming its own.

release v0.1.0 -> lea starts -> the designer releases v0.2.0, which asks more of the observation
rubric -> lea finishes on v0.1.0 -> leo completes on v0.2.0 -> `microcred diff` explains it.
"""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.snapshot import read_ledger
from tests.helpers import replace
from tests.ledger.cohort import (
    PASS_FIRST,
    PASS_OBSERVATION,
    SEED,
    SITE,
    first_module_files,
    make_course,
    observation_files,
    open_submission,
)

STRICT_OBSERVATION = ["evidence=proficient", "patterns=proficient"]


def complete(repo: git.Repo, learner: str, module: str, files: dict[str, str], levels: list[str]) -> int:
    number = open_submission(repo, learner, module, files)
    assert main(["review", str(number), "--as", "coach-ana", "-q",
                 *[arg for level in levels for arg in ("--level", level)]]) == 0
    LocalForge(repo, "coach-ana").merge(number)
    assert main(["issue", "-q", "--pr", str(number)]) == 0
    return number


def test_each_learner_gets_a_badge_for_the_version_they_worked_on(
        course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    monkeypatch.chdir(course)
    repo = make_course(course)
    assert main(["release", "my-credential", "-q", "--notes", "First cohort."]) == 0

    # lea starts on v0.1.0
    complete(repo, "lea", "first-module", first_module_files("lea", "0.1.0"), PASS_FIRST)

    # the designer tightens the observation rubric and releases v0.2.0
    replace(course / "rubrics/observation.yml", "required: developing", "required: proficient")
    repo.git.commit("-qam", "Patterns must now be backed by tally data")
    assert main(["release", "my-credential", "--minor", "-q",
                 "--notes", "Patterns in the data now need the tally's numbers."]) == 0

    # a v0.2.0 review of lea's v0.1.0 work would not pass; on v0.1.0's rubric it does
    complete(repo, "lea", "observation", observation_files("lea", "0.1.0"), PASS_OBSERVATION)
    # leo works on v0.2.0 and must reach the stricter level
    complete(repo, "leo", "first-module", first_module_files("leo", "0.2.0"), PASS_FIRST)
    complete(repo, "leo", "observation", observation_files("leo", "0.2.0"), STRICT_OBSERVATION)

    files = read_ledger(course)
    old = json.loads(files[layout.badge_path("lea", "my-credential", "0.1.0")])
    new = json.loads(files[layout.badge_path("leo", "my-credential", "0.2.0")])
    assert old["credentialSubject"]["achievement"]["version"] == "0.1.0"
    assert new["credentialSubject"]["achievement"]["version"] == "0.2.0"
    page = f"{SITE}my-credential/v{{}}/credentials/my-credential/"
    assert old["credentialSubject"]["achievement"]["id"] == page.format("0.1.0")
    assert new["credentialSubject"]["achievement"]["id"] == page.format("0.2.0")
    required = {d["name"]: d["requiredValue"]
                for d in new["credentialSubject"]["achievement"]["resultDescription"]}
    assert required["Classroom observation: Patterns in the data"] == "Proficient"
    required_old = {d["name"]: d["requiredValue"]
                    for d in old["credentialSubject"]["achievement"]["resultDescription"]}
    assert required_old["Classroom observation: Patterns in the data"] == "Developing"

    # the same levels on a v0.2.0 submission are a 'not yet'
    number = open_submission(repo, "lia", "observation", observation_files("lia", "0.2.0"))
    assert main(["review", str(number), "--as", "coach-ana", "-q",
                 *[arg for level in PASS_OBSERVATION for arg in ("--level", level)]]) == 0
    assert "not yet — patterns below the required level" in capsys.readouterr().out

    assert main(["diff", "my-credential", "0.1.0", "0.2.0"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "credential: version 0.1.0 → 0.2.0",
        "module observation rubric: Patterns in the data: required level developing → proficient"]
