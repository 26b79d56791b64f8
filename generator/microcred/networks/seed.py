"""The files microcred puts in a network repository beside the course's folders.

    .microcred/network.yml                             which course and commit it follows (for people)
    .github/workflows/microcred-network-check.yml      the check, pinned to that commit
    .github/microcred-requirements.txt                 the course's pin file at that commit

`.microcred/network.yml` is for people and workflows to read; no decision trusts it: the course
keeps its own record of each network's pin (registry.py).
"""

from __future__ import annotations

from importlib import resources

import git
import jinja2
import yaml

from microcred import __version__
from microcred.networks.registry import NetworkRecord
from microcred.setup.generated import with_header
from microcred.setup.render import PIN_PATH

NETWORK_FILE = ".microcred/network.yml"
CHECK_WORKFLOW = ".github/workflows/microcred-network-check.yml"
_ENV = jinja2.Environment(variable_start_string="[[", variable_end_string="]]",
                          block_start_string="[%", block_end_string="%]",
                          keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                          autoescape=False)


def seed_files(course: git.Repo, record: NetworkRecord, course_repo_name: str) -> dict[str, str]:
    """Path -> text of each file microcred writes into the network repository."""
    files = {NETWORK_FILE: network_file(record, course_repo_name),
             CHECK_WORKFLOW: check_workflow(record, course_repo_name)}
    pin = _file_at(course, record.course_commit, PIN_PATH)
    if pin is not None:
        files[PIN_PATH] = pin
    return files


def network_file(record: NetworkRecord, course_repo_name: str) -> str:
    data = {"format": 1, "network": record.id, "programme": record.programme,
            "cohort": record.cohort, "course": course_repo_name,
            "course_commit": record.course_commit}
    return ("# Written by `microcred networks sync`; the course keeps its own copy of this, and\n"
            "# checks and decisions use that one, never this file.\n"
            + yaml.safe_dump(data, sort_keys=False))


def check_workflow(record: NetworkRecord, course_repo_name: str) -> str:
    template = (resources.files("microcred.networks") / "templates/network-check.yml").read_text(
        encoding="utf-8")
    body = _ENV.from_string(template).render(course=course_repo_name, commit=record.course_commit,
                                             network=record.id)
    return with_header(body, __version__)


def _file_at(repo: git.Repo, commit: str, path: str) -> str | None:
    try:
        return str(repo.git.show(f"{commit}:{path}", strip_newline_in_stdout=False))
    except git.GitCommandError:
        return None
