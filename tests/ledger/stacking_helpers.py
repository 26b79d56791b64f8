"""A learner earning one module of one credential on a real repository, for ledger tests."""

from __future__ import annotations

import git

from microcred.cli import main
from microcred.forge.local import LocalForge
from tests.ledger.cohort import (
    PASS_FIRST,
    PASS_OBSERVATION,
    first_module_files,
    observation_files,
    open_submission,
)


def earn(repo: git.Repo, module: str, credential: str) -> int:
    """lea submits `module` for `credential`; coach-ana passes it; it merges."""
    files = first_module_files("lea", credential=credential) if module == "first-module" else \
        _for(observation_files("lea"), credential)
    number = open_submission(repo, "lea", module, files, credential=credential)
    levels = PASS_FIRST if module == "first-module" else PASS_OBSERVATION
    assert main(["review", str(number), "--as", "coach-ana",
                 *[a for v in levels for a in ("--level", v)]]) == 0
    LocalForge(repo, "coach-ana").merge(number)
    return number


def _for(files: dict[str, str], credential: str) -> dict[str, str]:
    files["submission.yml"] = files["submission.yml"].replace("credential: my-credential",
                                                              f"credential: {credential}")
    return files
