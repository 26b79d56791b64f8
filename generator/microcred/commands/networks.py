"""`microcred networks`: one repository per peer network (sync, list, check, move, add, archive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from microcred import output
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.forge.local import LocalForge
from microcred.networks.registry import NetworkRecord, Registry, RegistryStore


def course_registry(root: Path, actor: str | None, branch: str) -> RegistryStore:
    """The registry on the course repository's local forge."""
    import git

    return RegistryStore(LocalForge(git.Repo(root), actor or "microcred-bot"), branch)


def networks_sync(root: Path | None, actor: str | None, at: str, branch: str) -> int:
    from microcred.networks.sync import sync_local

    root = find_root(root or Path.cwd())
    registry = sync_local(root, course_registry(root, actor, branch), at or branch, output.write)
    output.info(f"{len(registry.networks)} network(s) in the registry "
                "(microcred-networks:networks.json)")
    return 0


def networks_list(root: Path | None, branch: str) -> int:
    root = find_root(root or Path.cwd())
    registry = course_registry(root, None, branch).load()
    if not registry.networks:
        output.info("no network repositories yet: run `microcred networks sync`")
    for n in registry.networks:
        output.write(f"{n.id}\t{n.state}\t{n.programme}/{n.cohort}\t{n.repo}\t"
                     f"rules {n.course_commit[:12]}\t{len(n.learners)} learner(s)"
                     + (f", {len(n.former)} moved out" if n.former else ""))
    return 0


def record_of(registry: Registry, network: str) -> NetworkRecord:
    found = registry.get(network)
    if found is None:
        known = ", ".join(n.id for n in registry.networks) or "none yet (run networks sync)"
        raise UsageError(f"no network '{network}' in the registry; known: {known}")
    return found


def dispatch(args: Any) -> int:
    """Call the action `args.networks_command` names."""
    action = args.networks_command
    if action == "sync":
        return networks_sync(args.root, args.actor, args.at, args.branch)
    if action == "list":
        return networks_list(args.root, args.branch)
    raise UsageError(f"networks {action}: not available")
