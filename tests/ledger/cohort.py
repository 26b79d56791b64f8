"""A real course repository with learners' pull requests on the local forge, for issuance tests.

The course is the test course (two modules: first-module and observation); `lea` is in
coach-ana's network (backup coach-ben). Nothing is mocked: branches, commits, reviews and
merges are git objects and refs in the repository.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import git

from microcred.forge.local import LocalForge
from tests.conftest import DATA
from tests.helpers import commit_all, replace

SITE = "https://school.example.org/course/"
# A fixed test seed, so the issuer is the same did:key in every run.
SEED = "4f" * 32
PASS_OBSERVATION = ["evidence=proficient", "patterns=developing"]
SHORT_OBSERVATION = ["evidence=developing", "patterns=developing"]
PASS_FIRST = ["reflection-depth=proficient"]

REFLECTION = """## What I tried

{words}

## What I learned

{words}
"""


def reflection(words: int = 90) -> str:
    text = " ".join(["I", "asked", "more", "open", "questions", "and", "waited", "longer", "for",
                     "answers"] * (words // 10))
    return REFLECTION.format(words=text)


def make_course(course: Path) -> git.Repo:
    """The test course with a site address (badges point to it), committed on main."""
    replace(course / "mkdocs.yml", "site_name:", f"site_url: {SITE}\nsite_name:")
    return commit_all(course)


SELF_PACED = """format: 1
kind: programme
id: self-paced
title: Self-paced programme
mode: self-paced
description: |
  A second programme, for tests of who may earn and assess which credential.
credentials: [other-credential]
designers: [designer-dee]
coaches: [coach-sol]
learners: [lea, sam]
"""


def add_self_paced_programme(course: Path) -> None:
    """A second programme (coach-sol; learners lea, also in the cohort, and sam) awarding
    `other-credential`, made of the same two modules as my-credential."""
    credentials = course / "content/credentials"
    (credentials / "other-credential.yml").write_text(
        (credentials / "my-credential.yml").read_text("utf-8")
        .replace("id: my-credential", "id: other-credential")
        .replace("title: My credential", "title: Other credential")
        .replace("programme: my-programme", "programme: self-paced"), encoding="utf-8")
    (course / "content/programmes/self-paced.yml").write_text(SELF_PACED, encoding="utf-8")


def first_module_files(learner: str, version: str = "0.1.0",
                       credential: str = "my-credential") -> dict[str, str]:
    manifest = (f"format: 1\nkind: submission\nlearner: {learner}\ncredential: {credential}\n"
                f"credential_version: {version}\nmodule: first-module\nattempt: 1\n"
                "evidence:\n  reflection: reflection.md\nprivacy:\n  deidentified: true\n")
    return {"submission.yml": manifest, "reflection.md": reflection()}


def observation_files(learner: str, version: str = "0.1.0") -> dict[str, str]:
    files = {p.name: p.read_text("utf-8") for p in (DATA / "good-submission").iterdir()}
    files["submission.yml"] = (files["submission.yml"].replace("learner: lea", f"learner: {learner}")
                               .replace("credential_version: 0.1.0", f"credential_version: {version}"))
    return files


def open_submission(repo: git.Repo, learner: str, module: str, files: dict[str, str],
                    version: str = "0.1.0", credential: str = "my-credential",
                    branch: str = "", opened: datetime | None = None) -> int:
    """Commit `files` into the learner's folder on a new branch off main; open a pull request
    (at `opened`, when given)."""
    root = Path(repo.working_dir)
    branch = branch or f"{learner}/{module}"
    repo.git.checkout("-b", branch, "main")
    folder = root / "submissions" / learner / credential / module
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    repo.git.add("--all")
    repo.index.commit(f"{learner}: {module}")
    repo.git.checkout("main")
    forge = LocalForge(repo, learner) if opened is None else LocalForge(repo, learner, lambda: opened)
    return forge.open_pull_request(branch, "main", f"{module} ({learner})", "").number


def revise(repo: git.Repo, branch: str, path: str, text: str) -> None:
    """A new commit on a learner's branch (the learner answering a 'not yet')."""
    repo.git.checkout(branch)
    (Path(repo.working_dir) / path).write_text(text, encoding="utf-8")
    repo.git.add("--all")
    repo.index.commit("revise")
    repo.git.checkout("main")
