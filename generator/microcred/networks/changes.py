"""Changes during the year that lose nothing: move a learner, add a network, archive a cohort.

A move or an addition is a roster edit committed on the course's default branch (the roster is
the one source of truth), then a sync at that commit: the moved learner's evidence is copied to
the new network, their pull requests stay where they were (the old network lists them as
`former`, and its coaches' decisions stay valid). Archiving makes a cohort's repositories read
only; nothing is deleted, and issuing still reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import git

from microcred.content.crossref import check_references
from microcred.content.history import course_files_at
from microcred.content.loader import load_course
from microcred.errors import UsageError
from microcred.forge.base import Forge
from microcred.ledger.store import blob_sha
from microcred.networks.registry import ARCHIVED, Registry, RegistryStore
from microcred.networks.roster_edit import add_network, move_learner

PROGRAMMES = "content/programmes"

Edit = Callable[[str, str], str]  # (text, file) -> new text; UsageError when it does not apply


@dataclass(frozen=True)
class RosterEdit:
    path: str
    old: bytes
    new: bytes
    message: str


def edit_roster(forge: Forge, branch: str, edit: Edit, message: str) -> RosterEdit:
    """`edit` applied to the one programme file on `branch` it applies to (nothing written)."""
    applied: list[RosterEdit] = []
    refusals: list[str] = []
    for path in sorted(forge.list_files(PROGRAMMES, branch)):
        if not path.endswith((".yml", ".yaml")):
            continue
        data = forge.read_file(path, branch) or b""
        try:
            applied.append(RosterEdit(path, data, edit(data.decode("utf-8"), path).encode(),
                                      message))
        except UsageError as exc:
            refusals.append(str(exc))
    if not applied:
        raise UsageError(f"{message}: no programme file takes the change, so nothing was "
                         "changed:\n" + "\n".join(f"  {reason}" for reason in refusals))
    if len(applied) != 1:
        raise UsageError(f"{message}: several programme files match "
                         f"({', '.join(a.path for a in applied)}); nothing was changed")
    return applied[0]


def validate(repo: git.Repo, branch: str, change: RosterEdit) -> None:
    """Refuse the edit if the course with it would not lint clean (before anything is written)."""
    with course_files_at(repo, branch) as root:
        (root / change.path).write_bytes(change.new)
        loaded = load_course(root)
        findings = loaded.findings + check_references(loaded)
    if findings:
        raise UsageError(f"{change.message}: the roster would then have {len(findings)} "
                         f"problem(s), first: {findings[0].render()}; nothing was changed")


def commit(forge: Forge, branch: str, change: RosterEdit) -> str:
    """Commit the edit on `branch` (refused if the file changed since it was read)."""
    return forge.commit_file(change.path, change.new, branch, change.message, blob_sha(change.old))


def move(forge: Forge, branch: str, login: str, target: str) -> RosterEdit:
    return edit_roster(forge, branch, lambda text, path: move_learner(text, path, login, target),
                       f"Move {login} to network {target}")


def add(forge: Forge, branch: str, cohort: str, network: str, coach: str, backup: str,
        learners: list[str]) -> RosterEdit:
    return edit_roster(forge, branch, lambda text, path: add_network(
        text, path, cohort, network, coach, backup, learners), f"Add network {network} to {cohort}")


def archive(store: RegistryStore, cohort: str) -> Registry:
    """Make every network of `cohort` read only (pushers none); readers and history stay."""
    def change(registry: Registry) -> Registry:
        nets = [n for n in registry.networks if n.cohort == cohort]
        if not nets:
            known = sorted({n.cohort for n in registry.networks}) or ["none"]
            raise UsageError(f"no networks of cohort '{cohort}' in the registry; cohorts: "
                             f"{', '.join(known)}")
        for net in nets:
            registry = registry.put(replace(net, state=ARCHIVED, pushers=()))
        return registry

    return store.change(change, f"Archive the networks of {cohort}")
