"""Read what progress needs from a course repository: the ledger branch and the pull requests."""

from __future__ import annotations

from pathlib import Path

from microcred.analytics.ledger import read_facts
from microcred.analytics.pulls import from_forge, from_local
from microcred.analytics.records import LedgerFacts, PullHistory
from microcred.forge.base import Forge
from microcred.ledger import layout
from microcred.ledger.snapshot import read_ledger


def ledger_files(root: Path, branch: str | None) -> tuple[dict[str, bytes], str]:
    """The ledger's files as the local clone has them (the branch, else origin's), and the branch."""
    name = layout.branch(branch)
    return read_ledger(root, name), name


def ledger_facts(root: Path, branch: str | None) -> LedgerFacts:
    return read_facts(*ledger_files(root, branch))


def pull_histories(root: Path, forge: Forge, forge_kind: str, ledger: LedgerFacts) -> list[PullHistory]:
    """Every pull request with its reviews: in bulk from a local forge, else through the forge."""
    if forge_kind == "local":
        return from_local(root, forge, ledger.decisions)
    return from_forge(forge, ledger.decisions)
