"""`microcred badge get`: a learner's own badge from the ledger, on a real repository."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.snapshot import read_ledger
from tests.ledger.cohort import (
    PASS_FIRST,
    PASS_OBSERVATION,
    first_module_files,
    observation_files,
    open_submission,
)


def _complete(repo: git.Repo, module: str, files: dict[str, str], levels: list[str]) -> None:
    number = open_submission(repo, "lea", module, files)
    args = [arg for value in levels for arg in ("--level", value)]
    assert main(["review", str(number), "--as", "coach-ana", *args, "-q"]) == 0
    LocalForge(repo, "coach-ana").merge(number)
    assert main(["issue", "--pr", str(number), "-q"]) == 0


def test_a_learner_gets_their_badge_without_a_public_page(
        repo: git.Repo, course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not (course / "submissions/lea/consent.yml").exists()  # no public page for lea
    _complete(repo, "first-module", first_module_files("lea"), PASS_FIRST)
    assert main(["badge", "get", "my-credential", "--login", "lea"]) == 2
    assert capsys.readouterr().err == (
        "error: no my-credential badge (any version) for lea on the ledger branch "
        "microcred-ledger: a badge is issued once every module of the credential is complete "
        "and `microcred issue` has run\n")
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    args = [arg for value in PASS_OBSERVATION for arg in ("--level", value)]
    assert main(["review", str(number), "--as", "coach-ana", *args, "-q"]) == 0
    LocalForge(repo, "coach-ana").merge(number)
    capsys.readouterr()
    assert main(["issue", "--pr", str(number)]) == 0
    assert "  lea gets it with `microcred badge get my-credential --login lea --version 0.1.0`\n" \
        in capsys.readouterr().err

    assert main(["badge", "get", "my-credential", "--login", "lea"]) == 0
    target = Path("lea-my-credential-v0.1.0.json")
    assert capsys.readouterr().out == (
        f"wrote {target}: your My credential v0.1.0 badge, as issued; check it with "
        f"`microcred verify {target}`\n")
    issued = read_ledger(course)[layout.badge_path("lea", "my-credential", "0.1.0")]
    assert (course / target).read_bytes() == issued
    assert main(["verify", str(target), "-q"]) == 0
    assert main(["badge", "get", "my-credential", "--login", "lea", "-q"]) == 0  # same file: fine

    elsewhere = tmp_path / "other.json"
    elsewhere.write_text("mine")
    assert main(["badge", "get", "my-credential", "--login", "lea", "--out", str(elsewhere)]) == 2
    assert "a different file is already there" in capsys.readouterr().err
    assert elsewhere.read_text() == "mine"
