"""Checking and issuing across the network repositories, by the course's rules and key.

    check_network_range  a range of commits in a network repository, checked by the rules of
                         the course repository at the commit the registry pins for it
    network_recheck      issuance's trusted re-check of a merged network pull request
    networks_issuer      the course's issuer over every network repository (local or GitHub):
                         pull requests from the networks, decisions and badges in the course's
                         ledger, signed by the course's key only
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import git

from microcred.badge.keys import SigningKey
from microcred.content.assessment import assessment_courses
from microcred.errors import ConfigError, UsageError
from microcred.forge.base import PullRequest
from microcred.forge.local import LocalForge
from microcred.ledger.derive import Recheck
from microcred.ledger.issuance import Issuer
from microcred.ledger.settings import Settings
from microcred.ledger.statuslist import status_list_history
from microcred.ledger.store import LedgerStore
from microcred.networks.federated import NetworkForges, NetworkSettings, local_address
from microcred.networks.local import open_network
from microcred.networks.plan import BOT
from microcred.networks.registry import NetworkRecord, RegistryStore, course_registry
from microcred.submission.findings import ERROR
from microcred.submission.report import CheckResult
from microcred.submission.run import check_commits, course_and_editions_at, student_names

if TYPE_CHECKING:
    from microcred.forge.github_admin import AdminClient


def check_network_range(root: Path, record: NetworkRecord, network: git.Repo, base: str,
                        head: str, author: str) -> CheckResult:
    """The check of `head` since `base` in a network repository, by the rules of the course
    repository at the commit the course's registry pins for that network (never the network
    repository's own copy of them)."""
    course, editions = course_and_editions_at(git.Repo(root), record.course_commit)
    base_sha, head_sha = (_commit(network, ref, option) for ref, option in
                          ((base, "--base"), (head, "--head")))
    return check_commits(network, base_sha, head_sha, author, student_names(None), course,
                         editions)


def _commit(repo: git.Repo, ref: str, option: str) -> str:
    try:
        return repo.rev_parse(ref + "^{commit}").hexsha
    except (git.BadName, ValueError):
        raise UsageError(f"{option} {ref}: no such commit in {repo.working_dir}") from None


def network_recheck(root: Path, forges: NetworkForges,
                    client: AdminClient | None = None) -> Recheck:
    """Issuance's trusted re-check of a merged network pull request (see issue.trusted_recheck):
    on the local forge in the network's repository, on GitHub in the commits `client` reads."""
    def recheck(pull: PullRequest) -> Sequence[str]:
        record, forge = forges.route(pull.number)
        if isinstance(forge, LocalForge):
            result = check_network_range(root, record, forge.repo, pull.base_sha, pull.head_sha,
                                         pull.author)
        else:
            from microcred.networks.github_commits import fetched

            assert client is not None
            with fetched(client, record.repo, pull.base_sha, pull.head_sha) as commits:
                result = check_network_range(root, record, commits.repo, commits.base,
                                             commits.head, pull.author)
        return [f.render() for f in result.all_findings() if f.severity == ERROR]

    return recheck


def networks_issuer(root: Path, settings: Settings, key: Callable[[], SigningKey],
                    forge_kind: str = "local",
                    report: Callable[[str], None] = lambda message: None) -> Issuer:
    """The course's issuer over every network repository: pull requests from the networks,
    decisions and badges in the course's ledger, signed by the course's key only."""
    if forge_kind == "github":
        forges, client, urls = _github_networks(settings, report)
    else:
        registry = course_registry(root, None, settings.default_branch).load()
        forges = NetworkForges(LocalForge(git.Repo(root), BOT), registry,
                               lambda record: open_network(root, record, BOT))
        client, urls = None, tuple((n.serial, local_address(n)) for n in registry.networks)
    if not forges.registry.networks:
        raise ConfigError("no network repositories in the course's registry: run "
                          "`microcred networks sync` first")
    course, editions = assessment_courses(root)
    network_settings = NetworkSettings(**vars(settings), network_urls=urls)
    store = LedgerStore(forges, settings.ledger_branch, settings.default_branch)
    issuer = Issuer(forges, store, course, editions, network_settings, key,
                    network_recheck(root, forges, client),
                    status_history=status_list_history(root, settings.ledger_branch))
    issuer.deriver.also_authorised = forges.coaches_of
    return issuer


def _github_networks(settings: Settings, report: Callable[[str], None]
                     ) -> tuple[NetworkForges, AdminClient, tuple[tuple[int, str], ...]]:
    """The network repositories on GitHub as one forge (token, course repository and API from
    the environment; the token must read every network repository), the client the trusted
    re-check reads commits with, and each network's web address."""
    import os

    from microcred.forge.github import from_environment
    from microcred.forge.github_admin import admin_from_environment
    from microcred.networks.federated import github_address

    course = from_environment()
    registry = RegistryStore(course, settings.default_branch).load()
    client = admin_from_environment(report=report)
    forges = NetworkForges(course, registry, lambda record: course.sibling(record.repo))
    web = os.environ.get("GITHUB_SERVER_URL") or "https://github.com"
    return forges, client, tuple((n.serial, github_address(n, web)) for n in registry.networks)
