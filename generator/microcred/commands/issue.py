"""`microcred issue`: decide merged pull requests, record them in the ledger, issue badges."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from microcred import output
from microcred.commands.check import assessment_courses
from microcred.commands.signing import issuer_key
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.forge.base import MERGED, Forge, ForgeError, PullRequest
from microcred.forge.events import read_event
from microcred.forge.select import open_forge
from microcred.ledger.issuance import Editions, Issuer
from microcred.ledger.settings import Settings, load_settings
from microcred.ledger.statuslist import status_list_history
from microcred.ledger.store import LedgerStore
from microcred.model import Course
from microcred.review.notify import notify


def issue(root: Path | None, forge_kind: str, actor: str | None, numbers: list[int],
          event: Path | None, all_: bool, dry_run: bool, ledger_branch: str | None,
          key_file: Path | None, dev_key: bool) -> int:
    root = find_root(root or Path.cwd())
    if not (numbers or event or all_):
        raise UsageError("say which merged pull requests to decide: --pr N, --event FILE or --all")
    settings = load_settings(root, ledger_branch)
    forge = open_forge(forge_kind, root, actor or "microcred-bot")
    course, editions = assessment_courses(root)
    store = LedgerStore(forge, settings.ledger_branch, settings.default_branch)
    key = functools.cache(functools.partial(issuer_key, root, settings, key_file, dev_key))
    issuer = Issuer(forge, store, course, editions, settings, key,
                    status_history=status_list_history(root, settings.ledger_branch))
    pulls = _selected(forge, numbers, read_event(event) if event else None, all_)
    if not pulls:
        output.info("no merged pull request to decide")
    issued, untold = 0, 0
    for pull in pulls:
        outcome = issuer.process(pull, dry_run)
        output.write(outcome.message)
        if outcome.badge_path:
            issued += 1
            output.write(f"  issued {outcome.badge_path} on {settings.ledger_branch}")
        if outcome.status in ("recorded", "already"):
            untold += not _tell(forge, store, course, editions, settings, pull.number)
    output.info(f"{len(pulls)} pull request(s) looked at, {issued} badge(s) issued"
                + (" (dry run: nothing recorded)" if dry_run else ""))
    return 1 if untold else 0


def _tell(forge: Forge, store: LedgerStore, course: Course, editions: Editions,
          settings: Settings, number: int) -> bool:
    """Post the decision's notice on its pull request (once); False if the forge refused."""
    try:
        posted = notify(forge, store, course, editions, settings, number)
    except ForgeError as exc:
        output.warn(f"#{number}: the decision is recorded, but its notice was not posted ({exc}); "
                    "run `microcred issue` again to post it")
        return False
    for kind in posted.added:
        output.write(f"  told the learner on #{number} ({kind} notice)")
    return True


def _selected(forge: Forge, numbers: list[int], event: dict[str, Any] | None,
              all_: bool) -> list[PullRequest]:
    """The merged pull requests to decide: named, carried by a push, or every one."""
    if all_ or (event is not None and "inputs" in event and "commits" not in event):
        return forge.list_pull_requests(MERGED)  # --all, or a manual (workflow_dispatch) run
    wanted = [forge.get_pull_request(n) for n in numbers]
    if event is not None:
        pull = event.get("pull_request")
        if isinstance(pull, dict) and isinstance(pull.get("number"), int):
            wanted.append(forge.get_pull_request(pull["number"]))
        shas = _pushed(event)
        if shas:
            wanted += [p for p in forge.list_pull_requests(MERGED) if p.merge_sha in shas]
    return list({p.number: p for p in wanted}.values())


def _pushed(event: dict[str, Any]) -> set[str]:
    """Commit ids a push event carries (its head and every listed commit)."""
    commits = event.get("commits") or []
    shas = {c["id"] for c in commits if isinstance(c, dict) and isinstance(c.get("id"), str)}
    if isinstance(event.get("after"), str):
        shas.add(event["after"])
    return shas
