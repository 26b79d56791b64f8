"""`doctor --forge github`'s checks of the network repositories on GitHub: each one exists, is
private, has exactly the registry's collaborators, protects main with the required check, and
runs the check workflow pinned to the registry's course commit."""

from __future__ import annotations

import base64
from typing import Any

from microcred.forge.base import ForgeError
from microcred.forge.github_admin import AdminClient
from microcred.forge.setup_checks import BY_HAND, CHECK_NAME, FIX, OK, SetupCheck
from microcred.model import Course
from microcred.networks import github_access
from microcred.networks.github_repos import MAIN
from microcred.networks.plan import plan_networks
from microcred.networks.registry import ARCHIVED, NetworkRecord, Registry
from microcred.networks.seed import CHECK_WORKFLOW, check_workflow

SYNC = "run `microcred networks sync --forge github`"


def network_checks(client: AdminClient, registry: Registry, course: Course,
                   course_repo: str) -> list[SetupCheck]:
    """One check per network of the registry, plus one for networks the roster names but the
    registry lacks."""
    plans = {p.id: p for p in plan_networks(course)}
    checks = [_one(client, record, course_repo, plans.get(record.id) is not None)
              for record in registry.networks]
    missing = sorted(set(plans) - {n.id for n in registry.networks})
    if missing:
        checks.append(SetupCheck(FIX, "networks", f"the roster names {', '.join(missing)}, "
                                 "which have no repository yet", SYNC))
    return checks


def _one(client: AdminClient, record: NetworkRecord, course_repo: str,
         in_roster: bool) -> SetupCheck:
    topic = f"network {record.id}"
    try:
        problem = _problem(client, record, course_repo)
    except ForgeError as exc:
        return SetupCheck(BY_HAND, topic, f"cannot read {record.repo}'s settings ({exc})",
                          "run doctor with an organisation owner's token")
    if problem:
        return SetupCheck(FIX, topic, problem, SYNC)
    state = "archived, read only, " if record.state == ARCHIVED else ""
    extra = "" if in_roster else "; no longer in the roster (archive its cohort)"
    return SetupCheck(OK, topic, f"{state}private, {len(record.readers)} collaborator(s) as the "
                      f"registry says, main protected, rules at {record.course_commit[:12]}"
                      + extra)


def _problem(client: AdminClient, record: NetworkRecord, course_repo: str) -> str:
    """What is wrong with the repository, in the order a fix would go; "" when nothing."""
    repo = client.get(f"/repos/{record.repo}")
    if repo is None:
        return f"{record.repo} is missing"
    if not repo.get("private"):
        return f"{record.repo} is public: learners' evidence would be open to anyone"
    if record.state != ARCHIVED and \
            _workflow(client, record) != check_workflow(record, course_repo):
        return (f"{CHECK_WORKFLOW} on main is missing or not the one pinned to "
                f"{record.course_commit[:12]}")
    people, invited = github_access.current(client, record)
    changes = github_access.differences(record, people, invited)
    if changes:
        shown = ", ".join(c.finding() for c in changes[:5])
        more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
        return f"its collaborators differ from the registry: {shown}{more}"
    if not github_access.protected(client.get(f"/repos/{record.repo}/branches/{MAIN}/protection")):
        return (f"main is not protected with a reviewed pull request and the check "
                f"'{CHECK_NAME}'")
    return ""


def _workflow(client: AdminClient, record: NetworkRecord) -> str | None:
    found: Any = client.get(f"/repos/{record.repo}/contents/{CHECK_WORKFLOW}", ref=MAIN)
    if not isinstance(found, dict) or found.get("encoding") != "base64":
        return None
    return base64.b64decode(found.get("content", "")).decode("utf-8", errors="replace")
