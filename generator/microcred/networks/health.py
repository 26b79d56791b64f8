"""`doctor`'s checks of the network repositories on the local forge: each one is there, follows
the registry's pin with the check workflow sync writes, and its access matches today's roster."""

from __future__ import annotations

from pathlib import Path

import git

from microcred.forge.setup_checks import FIX, OK, SetupCheck
from microcred.model import Course
from microcred.networks import local
from microcred.networks.plan import plan_networks
from microcred.networks.registry import ARCHIVED, NetworkRecord, Registry
from microcred.networks.seed import CHECK_WORKFLOW, check_workflow

SYNC = "run `microcred networks sync`"


def network_checks(course_root: Path, registry: Registry, course: Course) -> list[SetupCheck]:
    """One check per network of the registry, plus one for networks the roster names but the
    registry lacks."""
    plans = {p.id: p for p in plan_networks(course)}
    checks = [_one(course_root, record, plans.get(record.id)) for record in registry.networks]
    missing = sorted(set(plans) - {n.id for n in registry.networks})
    if missing:
        checks.append(SetupCheck(FIX, "networks", f"the roster names {', '.join(missing)}, "
                                 "which have no repository yet", SYNC))
    return checks


def _one(course_root: Path, record: NetworkRecord, plan: object) -> SetupCheck:
    topic = f"network {record.id}"
    path = local.repo_path(course_root, record)
    try:
        repo = git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return SetupCheck(FIX, topic, f"{path} is missing", SYNC)
    if record.state == ARCHIVED:
        return SetupCheck(OK, topic, f"archived, read only, rules at {record.course_commit[:12]}")
    try:
        shown = repo.git.show(f"main:{CHECK_WORKFLOW}", strip_newline_in_stdout=False)
    except git.GitCommandError:
        shown = ""
    if shown != check_workflow(record, course_root.name):
        return SetupCheck(FIX, topic, f"{CHECK_WORKFLOW} on main is missing or not the one "
                          f"pinned to {record.course_commit[:12]}", SYNC)
    members = getattr(plan, "members", None)
    if members is not None and set(members) != set(record.readers):
        return SetupCheck(FIX, topic, "its readers differ from today's roster", SYNC)
    return SetupCheck(OK, topic, f"{len(record.readers)} reader(s), rules at "
                      f"{record.course_commit[:12]}")
