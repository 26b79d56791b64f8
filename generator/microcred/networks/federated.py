"""Every network repository's pull requests as one forge, for the course's issuing job.

The network repositories are on the local forge (LocalForge each) or on GitHub (GitHubForge
each): `opener` makes one per network, only when a pull request of that network is asked for.

Pull request N of the network with serial S is pull request S*SPAN+N here (registry.py), so the
ledger, its decisions and the deriver work unchanged. Files and branches are the course's: the
ledger is written in the course repository only, where only the course's key signs. A file read
at a commit goes to the network repository that holds the commit (the merged evidence).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from microcred.forge.base import (
    Comment,
    CommitStatus,
    Forge,
    ForgeError,
    PullRequest,
    Review,
)
from microcred.forge.local import LocalForge
from microcred.ledger.settings import Settings
from microcred.networks.registry import NetworkRecord, Registry, global_number, split_number

_SHA = re.compile(r"^[0-9a-f]{40}$")


class NetworkForges:
    """The Forge protocol over the network repositories of `registry` and the course's forge."""

    def __init__(self, course: Forge, registry: Registry,
                 opener: Callable[[NetworkRecord], Forge]) -> None:
        self.course, self.registry, self.opener = course, registry, opener
        self._open: dict[str, Forge] = {}
        # Which network holds a commit, learned from the pull requests handed out: a read at a
        # merged commit then costs no search through every repository.
        self._holders: dict[str, NetworkRecord] = {}

    # routing

    def forge_of(self, record: NetworkRecord) -> Forge:
        if record.id not in self._open:
            self._open[record.id] = self.opener(record)
        return self._open[record.id]

    def route(self, number: int) -> tuple[NetworkRecord, Forge]:
        """The network and forge holding ledger pull request `number`."""
        serial, _ = split_number(number)
        record = self.registry.by_serial(serial)
        if record is None:
            raise ForgeError(f"no pull request #{number}: no network has serial {serial} in the "
                             "course's registry")
        return record, self.forge_of(record)

    def _local(self, number: int) -> tuple[NetworkRecord, Forge, int]:
        record, forge = self.route(number)
        return record, forge, split_number(number)[1]

    def _global(self, record: NetworkRecord, pull: PullRequest) -> PullRequest:
        for sha in (pull.merge_sha, pull.head_sha, pull.base_sha):
            if sha:
                self._holders.setdefault(sha, record)
        return replace(pull, number=global_number(record.serial, pull.number), head_repo=record.repo)

    def _holder(self, ref: str) -> Forge:
        """The forge a read at `ref` goes to: a network holding commit `ref`, else the course."""
        if ref in self._holders:
            return self.forge_of(self._holders[ref])
        if _SHA.match(ref):
            # Asking each repository on the local forge is cheap; on GitHub it would cost a
            # request per network, and the pull requests handed out have taught us the holders.
            for record in self.registry.networks:
                forge = self.forge_of(record)
                if isinstance(forge, LocalForge) and \
                        forge.repo.git.cat_file("-t", ref, with_exceptions=False) == "commit":
                    return forge
        return self.course

    def coaches_of(self, pull: PullRequest, learner: str) -> Sequence[str]:
        """Coaches authorised by the network that holds `pull`, for a learner who is or was in it
        (a learner who moved keeps the decisions their old coach made there)."""
        record, _ = self.route(pull.number)
        return record.coaches if record.held(learner) else ()

    # pull requests

    def open_pull_request(self, head: str, base: str, title: str, body: str) -> PullRequest:
        raise ForgeError("open pull requests in a network's own repository")

    def get_pull_request(self, number: int) -> PullRequest:
        record, forge, n = self._local(number)
        return self._global(record, forge.get_pull_request(n))

    def list_pull_requests(self, state: str = "open") -> list[PullRequest]:
        return [self._global(record, pull) for record in self.registry.networks
                for pull in self.forge_of(record).list_pull_requests(state)]

    def changed_files(self, number: int) -> list[str]:
        _, forge, n = self._local(number)
        return forge.changed_files(n)

    def list_reviews(self, number: int) -> list[Review]:
        _, forge, n = self._local(number)
        return forge.list_reviews(n)

    def submit_review(self, number: int, state: str, body: str, commit_sha: str) -> Review:
        _, forge, n = self._local(number)
        return forge.submit_review(n, state, body, commit_sha)

    def list_comments(self, number: int) -> list[Comment]:
        _, forge, n = self._local(number)
        return forge.list_comments(n)

    def upsert_bot_comment(self, number: int, body: str) -> Comment:
        _, forge, n = self._local(number)
        return forge.upsert_bot_comment(n, body)

    def comment_once(self, number: int, marker: str, body: str) -> tuple[Comment, bool]:
        _, forge, n = self._local(number)
        return forge.comment_once(n, marker, body)

    def request_reviewers(self, number: int, logins: list[str]) -> list[str]:
        _, forge, n = self._local(number)
        return forge.request_reviewers(n, logins)

    def merge(self, number: int) -> PullRequest:
        record, forge, n = self._local(number)
        return self._global(record, forge.merge(n))

    def close(self, number: int) -> PullRequest:
        record, forge, n = self._local(number)
        return self._global(record, forge.close(n))

    def set_status(self, sha: str, context: str, state: str, description: str) -> CommitStatus:
        return self._holder(sha).set_status(sha, context, state, description)

    def get_status(self, sha: str, context: str) -> CommitStatus | None:
        return self._holder(sha).get_status(sha, context)

    # files and branches: the course's, except reads at a network's commit

    def read_file(self, path: str, ref: str) -> bytes | None:
        return self._holder(ref).read_file(path, ref)

    def list_files(self, prefix: str, ref: str) -> list[str]:
        return self._holder(ref).list_files(prefix, ref)

    def commit_file(self, path: str, content: bytes, branch: str, message: str,
                    expected_blob: str | None) -> str:
        return self.course.commit_file(path, content, branch, message, expected_blob)

    def branch_sha(self, name: str) -> str | None:
        return self.course.branch_sha(name)

    def create_branch(self, name: str, sha: str) -> None:
        self.course.create_branch(name, sha)


@dataclass(frozen=True)
class NetworkSettings(Settings):
    """The course's settings, with evidence addresses in the network repositories."""

    network_urls: tuple[tuple[int, str], ...] = ()  # serial -> the repository's address

    def pull_request_url(self, number: int) -> str:
        serial, n = split_number(number)
        base = dict(self.network_urls).get(serial)
        return f"{base}/pull/{n}" if base else super().pull_request_url(number)


def local_address(record: NetworkRecord) -> str:
    """A network repository's address on the local forge (no web address: a URN)."""
    return f"urn:microcred:network:{record.id}"


def github_address(record: NetworkRecord, web: str = "https://github.com") -> str:
    """A network repository's web address on GitHub (GITHUB_SERVER_URL on Enterprise Server)."""
    return f"{web.rstrip('/')}/{record.repo}"
