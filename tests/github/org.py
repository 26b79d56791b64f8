"""The fake GitHub's organisation: repositories created through the API, each with its own
git objects, pull requests, collaborators, pending invitations and branch protection.

The course repository the server starts with is one of them. A private repository answers 404 to
anyone who is neither a collaborator nor an owner of the organisation, as GitHub does (a pending
invitation gives no access).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.github.contract import Contracts
from tests.github.resources import Render
from tests.github.state import ApiError, Commit, World


@dataclass
class Invitation:
    id: int
    invitee: str
    permission: str  # GitHub's name in invitations: read, triage, write, maintain, admin


@dataclass
class Access:
    """Who may use one repository: its direct collaborators (login -> role) and invitations."""

    private: bool = False
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> read/write/admin/...
    invitations: list[Invitation] = field(default_factory=list)


# PUT collaborators' `permission` -> the role GitHub then lists
ROLES = {"pull": "read", "triage": "triage", "push": "write", "maintain": "maintain",
         "admin": "admin"}


class Org:
    """Every repository the fake serves, by full name, with its renderer and access."""

    def __init__(self, contracts: Contracts, api: Callable[[], str], web: Callable[[], str],
                 owners: set[str]) -> None:
        self.contracts, self._api, self._web = contracts, api, web
        self.owners = owners  # organisation owners: see and administer every repository
        self.worlds: dict[str, World] = {}
        self.renders: dict[str, Render] = {}
        self.access: dict[str, Access] = {}
        self._ids = 500_000

    def add(self, world: World, private: bool = False) -> World:
        name = world.repo.full_name
        self.worlds[name] = world
        self.renders[name] = Render(world, self.contracts, self._api(), self._web())
        self.access[name] = Access(private)
        return world

    def create(self, full_name: str, private: bool, auto_init: bool, creator: str) -> World:
        if full_name in self.worlds:
            raise ApiError(422, "Repository creation failed.", [{
                "resource": "Repository", "code": "custom", "field": "name",
                "message": "name already exists on this account"}])
        world = World(full_name)
        self._ids += 1000
        world.repo.id = self._ids
        world.ids = iter(range(self._ids + 1, self._ids + 999_999))
        if auto_init:
            world.commit({"README.md": f"# {world.repo.name}\n".encode()}, message="Initial commit",
                         author=creator)
        self.add(world, private)
        self.access[full_name].collaborators[creator] = "admin"  # GitHub makes the creator admin
        return world

    def find(self, full_name: str, login: str) -> World:
        """The repository as `login` may see it (GitHub's 404 when they may not)."""
        world = self.worlds.get(full_name)
        if world is None:
            # A fork of a known repository is served by that repository's world.
            world = next((w for w in self.worlds.values() if full_name in w.repos), None)
        if world is None or not self.may_read(world.repo.full_name, login):
            raise ApiError(404, "Not Found")
        return world

    def may_read(self, full_name: str, login: str) -> bool:
        access = self.access.get(full_name)
        return (access is None or not access.private or login in self.owners
                or login in access.collaborators)

    def invitation_id(self) -> int:
        self._ids += 1
        return self._ids


def tree_id(files: dict[str, str]) -> str:
    """The id the fake gives the root tree of `files` (as Render.tree reports it)."""
    return hashlib.sha1("\0".join(f"{p} {b}" for p, b in sorted(files.items()))
                        .encode("utf-8")).hexdigest()


def find_tree(world: World, sha: str) -> dict[str, str]:
    """The files of the tree `sha` names (a tree the fake reported or made, or a commit)."""
    if sha in world.commits:
        return world.commits[sha].tree
    made: dict[str, dict[str, str]] = getattr(world, "made_trees", {})
    if sha in made:
        return made[sha]
    found = next((c.tree for c in world.commits.values() if tree_id(c.tree) == sha), None)
    if found is None:
        raise ApiError(422, "Invalid tree info", [f"base_tree {sha} does not exist"])
    return found


def make_tree(world: World, base: str | None, entries: list[dict[str, object]]) -> str:
    """POST git/trees: `base`'s files with `entries` applied (a null sha deletes the path)."""
    files = dict(find_tree(world, base)) if base else {}
    for entry in entries:
        path = str(entry["path"])
        if "content" in entry:
            files[path] = world.store(str(entry["content"]).encode("utf-8"))
        elif entry.get("sha") is None:
            files.pop(path, None)
        elif str(entry["sha"]) in world.blobs:
            files[path] = str(entry["sha"])
        else:
            raise ApiError(422, "Invalid tree info", [f"{path}: no blob {entry['sha']}"])
    sha = tree_id(files)
    made = getattr(world, "made_trees", {})
    made[sha] = files
    world.made_trees = made  # type: ignore[attr-defined]
    return sha


def make_commit(world: World, tree: str, parents: list[str], message: str, author: str) -> Commit:
    for parent in parents:
        if parent not in world.commits:
            raise ApiError(422, "Parent SHA does not exist or is not a commit object")
    sha = world._commit(dict(find_tree(world, tree)), parents, message, author)
    return world.commits[sha]


def descends(world: World, sha: str, ancestor: str) -> bool:
    seen, todo = set(), [sha]
    while todo:
        current = todo.pop()
        if current == ancestor:
            return True
        if current not in seen and current in world.commits:
            seen.add(current)
            todo += world.commits[current].parents
    return False
