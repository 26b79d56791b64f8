"""The course's record of its network repositories: `networks.json` on the branch
`microcred-networks` of the course repository, written through the forge with compare-and-swap,
so every change is a commit (`git log microcred-networks -- networks.json`) and two writers never
lose each other's work.

Each network keeps a serial number for life (never reused, archived or not): pull request N of
the network with serial S is pull request S*SPAN+N in the course's ledger, so numbers from
different repositories never collide and the ledger's format stays as it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import git

from microcred.errors import ConfigError
from microcred.forge.base import Forge
from microcred.forge.local import LocalForge
from microcred.ledger.store import LedgerStore

FORMAT = 1
BRANCH = "microcred-networks"
PATH = "networks.json"
SPAN = 100_000  # pull request numbers per network in the ledger
ACTIVE, ARCHIVED = "active", "archived"


@dataclass(frozen=True)
class NetworkRecord:
    """One network repository as the course last set it up."""

    id: str
    serial: int
    programme: str
    cohort: str
    repo: str  # local: path relative to the course's parent folder; GitHub: owner/name
    course_commit: str  # the course commit whose rules its checks use
    learners: tuple[str, ...]
    coaches: tuple[str, ...]
    readers: tuple[str, ...]
    pushers: tuple[str, ...]
    former: tuple[str, ...] = ()  # learners who moved out: their pull requests stay here
    state: str = ACTIVE

    def may_read(self, login: str) -> bool:
        return _has(self.readers, login)

    def may_push(self, login: str) -> bool:
        return self.state == ACTIVE and _has(self.pushers, login)

    def held(self, login: str) -> bool:
        """Whether `login` is or was a learner of this network."""
        return _has(self.learners, login) or _has(self.former, login)


def _has(logins: tuple[str, ...], login: str) -> bool:
    return any(x.casefold() == login.casefold() for x in logins)


@dataclass(frozen=True)
class Registry:
    networks: tuple[NetworkRecord, ...] = field(default=())

    def get(self, network_id: str) -> NetworkRecord | None:
        return next((n for n in self.networks if n.id == network_id), None)

    def by_serial(self, serial: int) -> NetworkRecord | None:
        return next((n for n in self.networks if n.serial == serial), None)

    def next_serial(self) -> int:
        return max((n.serial for n in self.networks), default=0) + 1

    def put(self, record: NetworkRecord) -> Registry:
        """This registry with `record` added or replacing the one with its id."""
        kept = tuple(n for n in self.networks if n.id != record.id)
        return Registry(tuple(sorted((*kept, record), key=lambda n: n.serial)))


def global_number(serial: int, number: int) -> int:
    return serial * SPAN + number


def split_number(number: int) -> tuple[int, int]:
    """(serial, the network's own number) of a ledger pull request number."""
    return divmod(number, SPAN)


def to_json(registry: Registry) -> dict[str, Any]:
    return {"format": FORMAT, "networks": [asdict(n) for n in registry.networks]}


def from_json(data: dict[str, Any] | None, where: str = f"{BRANCH}:{PATH}") -> Registry:
    if data is None:
        return Registry()
    if data.get("format") != FORMAT or not isinstance(data.get("networks"), list):
        raise ConfigError(f"{where}: expected format {FORMAT} with a list 'networks'; restore it "
                          f"from its history (git log {BRANCH} -- {PATH})")
    records = []
    for i, item in enumerate(data["networks"]):
        try:
            fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                      for k, v in item.items()}
            records.append(NetworkRecord(**fields))
        except TypeError as exc:
            raise ConfigError(f"{where}: networks[{i}]: {exc}; restore it from its history") from None
    return Registry(tuple(records))


class RegistryStore:
    """The registry on the course repository's forge."""

    def __init__(self, forge: Forge, default_branch: str) -> None:
        self.store = LedgerStore(forge, BRANCH, default_branch)

    def load(self) -> Registry:
        return from_json(self.store.read_json(PATH) if self.store.exists() else None)

    def save(self, registry: Registry, message: str) -> Registry:
        """Write `registry` (replacing whatever is there; callers read, change and save)."""
        self.store.ensure()
        return from_json(self.store.update(PATH, lambda _old: to_json(registry), message))

    def change(self, edit: Any, message: str) -> Registry:
        """Read-modify-write: `edit(registry) -> registry`, retried on a concurrent write."""
        self.store.ensure()
        return from_json(self.store.update(PATH, lambda old: to_json(edit(from_json(old))), message))


def course_registry(root: Path, actor: str | None, branch: str) -> RegistryStore:
    """The registry on the course repository's local forge."""
    return RegistryStore(LocalForge(git.Repo(root), actor or "microcred-bot"), branch)
