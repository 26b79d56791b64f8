"""`networks sync`: bring the network repositories and the course's registry to the roster.

    course at the pin  -> the roster, trusted (lint-clean) at the commit the networks follow
    plan               -> one NetworkPlan per network (plan.py)
    next_registry      -> records: serials kept, access from the roster, moves found (pure)
    apply              -> create each repository, seed it at the pin, copy moved evidence
    save               -> the registry, last: a run stopped midway is finished by the next
                          (on GitHub, after each network: sync_github)

Nothing is deleted: a network that leaves the roster keeps its repository and record (archive it),
and a learner who moves keeps their pull requests where they were (listed as `former`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import git

from microcred.content.assessment import trusted_course_at
from microcred.content.history import course_files_at
from microcred.errors import ConfigError, UsageError
from microcred.networks import local
from microcred.networks.plan import NetworkPlan, plan_networks
from microcred.networks.registry import ARCHIVED, NetworkRecord, Registry, RegistryStore

if TYPE_CHECKING:
    from microcred.forge.github_admin import AdminClient


@dataclass(frozen=True)
class Move:
    login: str
    source: str  # network id
    target: str


@dataclass(frozen=True)
class Planned:
    registry: Registry
    moves: tuple[Move, ...]
    orphans: tuple[str, ...]  # networks in the registry the roster no longer names


def pinned_commit(repo: git.Repo, ref: str) -> str:
    """The commit `ref` names in the course repository."""
    try:
        return repo.rev_parse(ref + "^{commit}").hexsha
    except (git.BadName, ValueError):
        raise UsageError(f"--at {ref}: no such branch, tag or commit in {repo.working_dir}") from None


def next_registry(plans: list[NetworkPlan], registry: Registry, commit: str,
                  repo_of: Callable[[str], str]) -> Planned:
    """The registry the roster asks for, and the learners who changed network (pure)."""
    before = {login.casefold(): n.id for n in registry.networks for login in n.learners}
    out, serial, moves = registry, registry.next_serial(), []
    for plan in plans:
        old = registry.get(plan.id)
        if old is None:
            old = NetworkRecord(plan.id, serial, plan.programme, plan.cohort, repo_of(plan.id),
                                commit, (), (), (), ())
            serial += 1
        gone = tuple(x for x in old.learners if x.casefold() not in
                     {y.casefold() for y in plan.learners})
        former = tuple(dict.fromkeys((*old.former, *gone)))
        # An archived network stays archived (read only) whatever the roster says.
        archived = old.state == ARCHIVED
        pushers = () if archived else plan.members
        out = out.put(replace(old, programme=plan.programme, cohort=plan.cohort,
                              course_commit=old.course_commit if archived else commit,
                              learners=plan.learners, coaches=plan.coaches,
                              readers=plan.members, pushers=pushers, former=former))
        moves += [Move(x, before[x.casefold()], plan.id) for x in plan.learners
                  if before.get(x.casefold(), plan.id) != plan.id]
    named = {p.id for p in plans}
    orphans = tuple(n.id for n in registry.networks if n.id not in named)
    return Planned(out, tuple(moves), orphans)


def sync_local(course_root: Path, store: RegistryStore, ref: str,
               report: Callable[[str], None]) -> Registry:
    """Create or update every network repository on the local forge; the saved registry."""
    repo = git.Repo(course_root)
    commit = pinned_commit(repo, ref)
    plans = plan_networks(trusted_course_at(repo, commit))
    planned = next_registry(plans, store.load(), commit,
                            lambda network: local.repo_name(course_root, network))
    with course_files_at(repo, commit) as files:  # extracted once for every network
        for record in planned.registry.networks:
            if record.id in {p.id for p in plans}:
                _seed(course_root, record, files, report)
    for move in planned.moves:
        _move_evidence(course_root, planned.registry, move, report)
    for orphan in planned.orphans:
        report(f"{orphan}: not in the roster any more; its repository and record stay as they "
               f"are (archive its cohort with `microcred networks archive`)")
    return store.change(lambda _old: planned.registry,
                        f"Sync networks to the roster at {commit[:12]}")


def _seed(course_root: Path, record: NetworkRecord, files: Path,
          report: Callable[[str], None]) -> None:
    if record.state == ARCHIVED:
        report(f"{record.id}: archived; left as it is (rules at {record.course_commit[:12]})")
        return
    created = local.ensure_repo(course_root, record)
    seeded = local.seed(course_root, record, course_root.name, files)
    report(f"{record.id}: " + ("created" if created else "updated" if seeded else "up to date")
           + f" ({record.repo}, rules at {record.course_commit[:12]}, "
           f"{len(record.learners)} learner(s), {len(record.readers)} reader(s))")


def _move_evidence(course_root: Path, registry: Registry, move: Move,
                   report: Callable[[str], None]) -> None:
    source, target = registry.get(move.source), registry.get(move.target)
    assert source is not None and target is not None
    folder = f"submissions/{move.login}"
    src, dst = local.repo_path(course_root, source), local.repo_path(course_root, target)
    if not local.has_path(src, folder):
        report(f"{move.login}: moved {move.source} -> {move.target} (no evidence to copy)")
        return
    local.copy_folder(src, dst, folder, f"Copy {move.login}'s evidence from network {move.source}")
    report(f"{move.login}: moved {move.source} -> {move.target}; evidence copied, pull requests "
           f"stay in {move.source}")


def sync_github(course_root: Path, store: RegistryStore, ref: str, target: GitHubTarget,
                client: AdminClient, report: Callable[[str], None]) -> Registry:
    """Create or update every network repository on GitHub, saving the registry after each
    network: a run stopped midway (a rate limit, a network error) is finished by the next, and a
    run that finds everything as the roster says writes nothing."""
    from microcred.networks import github_repos

    repo = git.Repo(course_root)
    commit = pinned_commit(repo, ref)
    plans = plan_networks(trusted_course_at(repo, commit))
    if client.get(f"/repos/{target.course}/git/trees/{commit}") is None:
        # The network workflows check the course out at the pin: it must be on GitHub.
        raise ConfigError(f"{ref} ({commit[:12]}) is not on {target.course} on GitHub: push it "
                          "first, as the network repositories' checks read the course there")
    saved = store.load()
    planned = next_registry(plans, saved, commit, lambda network: github_repos.repo_name(
        target.course, network, target.org))
    named = {p.id for p in plans}
    with course_files_at(repo, commit) as folder:  # read once for every network
        course_files = github_repos.wanted_files(folder, {})
    # Moves first, before any record is saved: a run stopped here finds the same moves again,
    # and copying what is already there writes nothing.
    for move in planned.moves:
        _github_move(client, planned.registry, move, report)
    for record in planned.registry.networks:
        if record.id in named:
            _github_one(client, repo, record, course_files, target.course, report)
            if saved.get(record.id) != record:
                saved = store.change(lambda reg, r=record: reg.put(r),
                                     f"Network {record.id}: repository {record.repo} at the "
                                     f"roster's access, rules at {commit[:12]}")
        client.etags.save()
    for orphan in planned.orphans:
        report(f"{orphan}: not in the roster any more; its repository and record stay as they "
               f"are (archive its cohort with `microcred networks archive`)")
    return saved


def _github_move(client: AdminClient, registry: Registry, move: Move,
                 report: Callable[[str], None]) -> None:
    from microcred.networks import github_repos

    source, target = registry.get(move.source), registry.get(move.target)
    assert source is not None and target is not None
    github_repos.ensure_repo(client, target)
    copied = github_repos.copy_folder(client, source, target, f"submissions/{move.login}")
    report(f"{move.login}: moved {move.source} -> {move.target}; "
           + (f"{copied} evidence file(s) copied" if copied else "no evidence to copy")
           + f", pull requests stay in {move.source}")


@dataclass(frozen=True)
class GitHubTarget:
    course: str  # the course repository, owner/name
    org: str  # the organisation the network repositories live in


def _github_one(client: AdminClient, course: git.Repo, record: NetworkRecord,
                course_files: dict[str, bytes], course_name: str,
                report: Callable[[str], None]) -> None:
    from microcred.networks import github_access, github_repos
    from microcred.networks.seed import seed_files

    created = github_repos.ensure_repo(client, record)
    seeded = None
    if record.state != ARCHIVED:
        files = {**course_files, **{p: t.encode("utf-8") for p, t in
                                    seed_files(course, record, course_name).items()}}
        seeded = github_repos.seed(client, record, files)
    access = github_access.set_access(client, record)
    protected = github_access.protect_main(client, record)
    done = (["created"] if created else []) + \
        ([f"{seeded.changed} file(s) seeded"] if seeded and seeded.changed else []) + \
        ([", ".join(c.render() for c in access)] if access else []) + \
        (["main protected"] if protected else [])
    state = "archived, read only; " if record.state == ARCHIVED else ""
    report(f"{record.id}: {state}{'; '.join(done) or 'up to date'} ({record.repo}, rules at "
           f"{record.course_commit[:12]}, {len(record.learners)} learner(s), "
           f"{len(record.readers)} reader(s))")
