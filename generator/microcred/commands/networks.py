"""`microcred networks`: one repository per peer network (sync, list, check, move, add, archive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import git

from microcred import output
from microcred.commands.check import emit
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.forge.base import FAILURE, SUCCESS
from microcred.forge.local import LocalForge
from microcred.networks.issuing import check_network_range
from microcred.networks.local import open_network
from microcred.networks.plan import BOT
from microcred.networks.registry import NetworkRecord, Registry, RegistryStore, course_registry


def networks_sync(root: Path | None, actor: str | None, at: str, branch: str,
                  forge: str = "local", org: str = "") -> int:
    from microcred.networks.sync import sync_local

    root = find_root(root or Path.cwd())
    if forge == "github":
        return networks_sync_github(root, at, branch, org)
    registry = sync_local(root, course_registry(root, actor, branch), at or branch, output.write)
    output.info(f"{len(registry.networks)} network(s) in the registry "
                "(microcred-networks:networks.json)")
    return 0


def etag_file(root: Path) -> Path:
    """Where a clone keeps the ETags of its last GitHub answers (never committed)."""
    return Path(git.Repo(root).git_dir) / "microcred" / "github-etags.json"


def networks_sync_github(root: Path, at: str, branch: str, org: str) -> int:
    """`networks sync --forge github`: the network repositories in the organisation, the
    registry on the course repository's `microcred-networks` branch."""
    from microcred.forge.github import from_environment
    from microcred.forge.github_admin import EtagStore, admin_from_environment
    from microcred.networks.sync import GitHubTarget, sync_github

    course = from_environment()
    client = admin_from_environment(etags=EtagStore(etag_file(root)), report=output.info)
    target = GitHubTarget(course.repo_full_name, org or course.repo_full_name.split("/")[0])
    registry = sync_github(root, RegistryStore(course, branch), at or branch, target, client,
                           output.write)
    t = client.tally
    output.info(f"{len(registry.networks)} network(s) in the registry "
                f"(microcred-networks:networks.json on {course.repo_full_name}); "
                f"{t.requests} request(s) to GitHub besides the registry's: "
                f"{t.writes} write(s), {t.not_modified} answered 304 (not modified), "
                f"{t.waited:.0f} s waited")
    return 0


def registry_on(forge: str, root: Path, actor: str | None, branch: str) -> RegistryStore:
    """The registry on the course repository's local forge, or on GitHub (the environment's)."""
    if forge == "github":
        from microcred.forge.github import from_environment

        return RegistryStore(from_environment(), branch)
    return course_registry(root, actor, branch)


def networks_list(root: Path | None, branch: str, forge: str = "local") -> int:
    root = find_root(root or Path.cwd())
    registry = registry_on(forge, root, None, branch).load()
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
        return networks_sync(args.root, args.actor, args.at, args.branch, args.forge, args.org)
    if action == "list":
        return networks_list(args.root, args.branch, args.forge)
    if action in ("move", "add"):
        return networks_change(args)
    if action == "archive":
        return networks_archive(args.root, args.actor, args.branch, args.cohort, args.forge)
    if action == "check":
        return networks_check(args.root, args.actor, args.branch, args.network, args.number,
                              args.repo, args.base, args.head, args.author)
    raise UsageError(f"networks {action}: not available")


def networks_check(root: Path | None, actor: str | None, branch: str, network: str,
                   number: int | None, clone: Path | None, base: str | None, head: str | None,
                   author: str | None) -> int:
    """Check a network's pull request (--pr, on the local forge) or a range of a clone of the
    network repository (--repo, as its workflow does) by the course's rules at the pin."""
    root = find_root(root or Path.cwd())
    record = record_of(course_registry(root, None, branch).load(), network)
    if clone is not None:
        if not (base and head and author) or number is not None:
            raise UsageError("--repo needs --base, --head and --author (and no --pr)")
        result = check_network_range(root, record, _clone(clone), base, head, author)
    elif number is not None:
        forge = open_network(root, record, actor or BOT)
        pull = forge.get_pull_request(number)
        result = check_network_range(root, record, forge.repo, pull.base_sha, pull.head_sha,
                                     pull.author)
        state = SUCCESS if result.passed else FAILURE
        forge.set_status(pull.head_sha, "microcred/check", state,
                         f"rules of the course at {record.course_commit[:12]}: "
                         + ("passed" if result.passed else "problems found"))
    else:
        raise UsageError("say which pull request: --pr N (local forge) or --repo, --base, "
                         "--head and --author")
    emit(result, "text")
    return 0 if result.passed else 1


def _clone(path: Path) -> git.Repo:
    try:
        return git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ConfigError(f"--repo {path}: not a git repository (check out the network's pull "
                          "request there)") from None


def networks_change(args: Any) -> int:
    """`networks move` and `networks add`: edit the roster on the default branch, then sync."""
    from microcred.networks import changes
    from microcred.networks.sync import sync_local

    root = find_root(args.root or Path.cwd())
    forge = LocalForge(git.Repo(root), args.actor or BOT)
    if args.networks_command == "move":
        edit = changes.move(forge, args.branch, args.login, args.to)
    else:
        edit = changes.add(forge, args.branch, args.cohort, args.network, args.coach,
                           args.backup_coach, args.learners)
    changes.validate(forge.repo, args.branch, edit)
    changes.commit(forge, args.branch, edit)
    output.write(f"{edit.path}: {edit.message} (committed on {args.branch})")
    sync_local(root, course_registry(root, args.actor, args.branch), args.at or args.branch,
               output.write)
    return 0


def networks_archive(root: Path | None, actor: str | None, branch: str, cohort: str,
                     forge: str = "local") -> int:
    from microcred.networks.changes import archive

    root = find_root(root or Path.cwd())
    registry = archive(registry_on(forge, root, actor, branch), cohort)
    for n in registry.networks:
        if n.cohort == cohort:
            output.write(f"{n.id}: archived (read only for its {len(n.readers)} reader(s); its "
                         "pull requests and decisions stay)")
    if forge == "github":
        output.info("run `microcred networks sync --forge github` to make their collaborators "
                    "read only on GitHub")
    return 0
