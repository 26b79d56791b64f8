"""`microcred issue`: decide merged pull requests, record them in the ledger, issue badges."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from microcred import output
from microcred.badge.keys import SigningKey
from microcred.commands.signing import issuer_key
from microcred.content.assessment import assessment_courses
from microcred.content.loader import find_root
from microcred.errors import MicrocredError, UsageError
from microcred.forge.base import MERGED, Forge, ForgeError, PullRequest
from microcred.forge.events import read_event
from microcred.forge.select import open_forge
from microcred.ledger import layout
from microcred.ledger.identities import load_identities
from microcred.ledger.issuance import Issuer
from microcred.ledger.settings import Settings, load_settings
from microcred.ledger.statuslist import status_list_history
from microcred.ledger.store import LedgerError, LedgerStore
from microcred.review.notify import notify, notify_badge
from microcred.submission.trusted import trusted_recheck


def issue(root: Path | None, forge_kind: str, actor: str | None, numbers: list[int],
          event: Path | None, all_: bool, dry_run: bool, ledger_branch: str | None,
          key_file: Path | None, dev_key: bool, networks: bool = False) -> int:
    root = find_root(root or Path.cwd())
    if not (numbers or event or all_):
        raise UsageError("say which merged pull requests to decide: --pr N, --event FILE or --all")
    settings = load_settings(root, ledger_branch)
    key = functools.cache(functools.partial(issuer_key, root, settings, key_file, dev_key))
    if networks:  # pull requests from every network repository; the ledger stays here
        from microcred.networks.issuing import networks_issuer

        issuer = networks_issuer(root, settings, key, forge_kind, report=output.info)
    else:
        issuer = issuer_for(root, open_forge(forge_kind, root, actor or "microcred-bot"),
                            settings, key)
    forge = issuer.forge
    pulls = _selected(forge, numbers, read_event(event) if event else None, all_)
    return decide_all(issuer, pulls, dry_run)


def decide_all(issuer: Issuer, pulls: list[PullRequest], dry_run: bool) -> int:
    """Decide each pull request, then issue the awards earlier runs left pending; exit code.

    One pull request's failure is told and the others go on. The worst failure sets the exit
    code: 2 for set-up or forge errors (a missing signing key, GitHub unreachable), 1 for awards
    refused because the forge does not back what the ledger says.
    """
    if not pulls:
        output.info("no merged pull request to decide")
    failed: list[MicrocredError] = []
    branch = issuer.settings.ledger_branch
    issued = sum(_one(issuer, pull, dry_run, branch, failed) for pull in pulls)
    if not dry_run:
        issued += _pending(issuer, branch, failed)
    output.info(f"{len(pulls)} pull request(s) looked at, {issued} badge(s) issued"
                + (" (dry run: nothing recorded)" if dry_run else "")
                + (f", {len(failed)} failed" if failed else ""))
    return max((f.exit_code for f in failed), default=0)


class Untold(MicrocredError):
    """A decision is recorded but its notice could not be posted; the next run posts it."""

    exit_code = 1


def issuer_for(root: Path, forge: Forge, settings: Settings,
               key: Callable[[], SigningKey]) -> Issuer:
    """The issuer for the course at `root`: trusted course, its releases, the trusted re-check."""
    course, editions = assessment_courses(root)
    store = LedgerStore(forge, settings.ledger_branch, settings.default_branch)
    return Issuer(forge, store, course, editions, settings, key, trusted_recheck(root),
                  status_history=status_list_history(root, settings.ledger_branch),
                  identities=load_identities(root))


def _one(issuer: Issuer, pull: PullRequest, dry_run: bool, branch: str,
         failed: list[MicrocredError]) -> int:
    """Decide one pull request; its failure is reported and the others go on. Badges issued."""
    try:
        outcome = issuer.process(pull, dry_run)
    except MicrocredError as exc:
        output.error(f"#{pull.number}: {exc}")
        failed.append(exc)
        return 0
    except Exception as exc:  # a bug on one pull request's data must not stop the others
        output.error(f"#{pull.number}: unexpected {type(exc).__name__}: {exc}; nothing more was "
                     "written for it (please report this with the pull request's reviews)")
        failed.append(LedgerError(str(exc)))
        return 0
    output.write(outcome.message)
    issued = [p for p in (outcome.badge_path, *outcome.also) if p]
    for path in issued:
        output.write(f"  issued {path} on {branch}")
        output.info(_how_to_get(path))
    if outcome.status in ("recorded", "already"):
        _tell(issuer, pull.number, failed)
        for path in outcome.also:
            _tell_badge(issuer, pull.number, path, failed)
    return len(issued)


def _tell_badge(issuer: Issuer, number: int, path: str, failed: list[MicrocredError]) -> None:
    """Post, once, the notice of a further badge the pull request's completion unlocked."""
    login, credential, _ = layout.parse_badge_path(path) or ("", "", "")
    try:
        if notify_badge(issuer.forge, issuer.store, issuer.course, issuer.settings, number,
                        login, credential):
            output.write(f"  told the learner on #{number} (badge notice: {credential})")
    except ForgeError as exc:
        output.warn(f"#{number}: {path} is issued, but its notice was not posted ({exc})")
        failed.append(Untold(str(exc)))


def _pending(issuer: Issuer, branch: str, failed: list[MicrocredError]) -> int:
    """Issue the badges earlier runs left pending (no key then, stopped, refused). Badges issued."""
    issued = 0
    try:
        awards = issuer.pending()
    except MicrocredError as exc:
        output.error(f"cannot look for pending awards: {exc}")
        failed.append(exc)
        return 0
    for award in awards:
        try:
            path = issuer.award(award)
            unlocked = issuer.award_unlocked(award.login) if path else ()
        except MicrocredError as exc:
            output.error(f"{award.describe()}: {exc}")
            failed.append(exc)
            continue
        if path:
            issued += 1
            output.write(f"{award.describe()}: complete since an earlier run\n"
                         f"  issued {path} on {branch}")
            output.info(_how_to_get(path))
            for also in unlocked:
                issued += 1
                output.write(f"  issued {also} on {branch} (unlocked by it)")
            last = issuer.completing_pull(award)
            if last is not None:
                _tell(issuer, last, failed)
    return issued


def _tell(issuer: Issuer, number: int, failed: list[MicrocredError]) -> None:
    """Post the decision's notice on its pull request (once); a refusal is told, not fatal."""
    try:
        posted = notify(issuer.forge, issuer.store, issuer.course, issuer.editions,
                        issuer.settings, number)
    except ForgeError as exc:
        output.warn(f"#{number}: the decision is recorded, but its notice was not posted ({exc}); "
                    "run `microcred issue` again to post it")
        failed.append(Untold(str(exc)))
        return
    for kind in posted.added:
        output.write(f"  told the learner on #{number} ({kind} notice)")


def _how_to_get(badge_path: str) -> str:
    """The command that hands the learner this badge, published on the site or not."""
    login, credential, version = layout.parse_badge_path(badge_path) or ("LOGIN", "", "")
    return (f"  {login} gets it with `microcred badge get {credential} --login {login} "
            f"--version {version}`")


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
