"""Acting in network repositories as a learner or coach would, through the access-checked layer."""

from __future__ import annotations

from pathlib import Path

import git

from microcred.forge.local import LocalForge
from microcred.networks import local
from microcred.networks.registry import NetworkRecord, Registry, RegistryStore


def registry_of(course: Path) -> Registry:
    return RegistryStore(LocalForge(git.Repo(course), "microcred-bot"), "main").load()


def record(course: Path, network: str) -> NetworkRecord:
    found = registry_of(course).get(network)
    assert found is not None
    return found


def submit(course: Path, tmp: Path, network: str, learner: str, module: str,
           files: dict[str, str], credential: str = "my-credential", branch: str = "") -> int:
    """Clone the network's repository as `learner`, commit the files into their folder on a
    branch, push it and open a pull request; its number in the network."""
    rec = record(course, network)
    branch = branch or f"{learner}/{module}"
    work = tmp / f"clone-{network}-{learner}-{branch.replace('/', '-')}"
    repo = git.Repo(work) if work.exists() else local.clone(course, rec, learner, work)
    repo.git.checkout("-B", branch, "origin/main")
    folder = work / "submissions" / learner / credential / module
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    repo.git.add("--all")
    repo.index.commit(f"{learner}: {module}")
    local.push(course, rec, learner, repo, branch)
    forge = local.open_network(course, rec, learner, local.PUSH)
    return forge.open_pull_request(branch, "main", f"{module} ({learner})", "").number


def approve(course: Path, network: str, coach: str, number: int, module: str,
            levels: dict[str, str]) -> None:
    """`coach` approves the network's pull request with a review block, then merges it."""
    from microcred.forge.base import APPROVED
    from microcred.review.format import ReviewBlock, render_review

    forge = local.open_network(course, record(course, network), coach, local.PUSH)
    pull = forge.get_pull_request(number)
    forge.submit_review(number, APPROVED, render_review(ReviewBlock(module, levels)), pull.head_sha)
    forge.merge(number)
