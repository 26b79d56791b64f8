"""From a merged pull request to ledger records: decide, record the module, issue the badge.

The pipeline for one pull request, every step idempotent so a re-run issues nothing new:

    submission_of  -> which learner, credential version and module the merge carries
    decide_pull    -> the decision, from trusted data (rubric at the pinned version, roster,
                      the forge's reviews)
    record         -> ledger/decisions/pr-N.json, and on success the module's completion
    award          -> once every module of that credential version is complete: allocate a
                      status index, sign the badge, check it verifies, commit it
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.badge.credential import (
    StatusEntry,
    build_credential,
    new_badge_id,
    new_salt,
    recipient_from_login,
)
from microcred.badge.keys import SigningKey
from microcred.badge.sign import sign_credential, xsd_datetime
from microcred.badge.verify import verify_credential
from microcred.content.history import rubric_fingerprint
from microcred.forge.base import MERGED, Forge, PullRequest
from microcred.ledger import layout
from microcred.ledger.settings import Settings
from microcred.ledger.statuslist import allocate_index, ensure_status_list
from microcred.ledger.store import LedgerError, LedgerStore
from microcred.model import Course
from microcred.review.decide import COMPLETE, NOT_AWARDED, Decision, assess, decide, not_yet_count, same_login
from microcred.roster import coaches_for
from microcred.submission.manifest import Manifest, read_manifest
from microcred.submission.scope import folders_changed
from microcred.submission.source import Change

FORMAT = 1
Editions = Mapping[tuple[str, str], Course]


@dataclass(frozen=True)
class Outcome:
    """What happened to one pull request, for the command to report."""

    number: int
    status: str  # "skipped", "recorded", "already" (in the ledger before), "dry-run"
    message: str
    decision: Decision | None = None
    badge_path: str = ""


@dataclass(frozen=True)
class Submission:
    folder: str  # submissions/<login>/<credential>/<module>/
    manifest: Manifest

    @property
    def learner(self) -> str:
        """The folder's login: the one that counts (the check made the manifest agree)."""
        return self.folder.split("/")[1]


class Issuer:
    """Decides merged pull requests against `course` and records them in `store`."""

    def __init__(self, forge: Forge, store: LedgerStore, course: Course, editions: Editions,
                 settings: Settings, key: Callable[[], SigningKey],
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 status_history: Sequence[dict[str, Any]] = ()) -> None:
        self.forge, self.store, self.course, self.editions = forge, store, course, editions
        self.settings, self.key, self.now = settings, key, now
        # The signed list's earlier versions on the branch: a rolled-back list is restored.
        self.status_history = status_history
        self._pulls: list[PullRequest] | None = None

    def process(self, pull: PullRequest, dry_run: bool = False) -> Outcome:
        if pull.state != MERGED:
            return Outcome(pull.number, "skipped", f"#{pull.number} is {pull.state}, not merged")
        earlier = self.store.read_json(layout.decision_path(pull.number)) if self.store.exists() else None
        if earlier is not None:
            # Decided before; a badge that could not be issued then (no key, say) is issued now.
            badge = "" if dry_run or earlier["outcome"] != COMPLETE else self.award(
                earlier["learner"], earlier["credential"], earlier["credential_version"])
            return Outcome(pull.number, "already", f"#{pull.number} was decided before "
                           f"({earlier['outcome']})" + ("" if badge else "; nothing new"),
                           badge_path=badge)
        found = self.submission_of(pull)
        if isinstance(found, str):
            return Outcome(pull.number, "skipped", f"#{pull.number}: {found}")
        decision, edition = self.decide_pull(pull, found)
        if dry_run:
            return Outcome(pull.number, "dry-run", _summary(pull, found, decision), decision)
        self.store.ensure()
        self.record(pull, found, decision, edition)
        m, learner = found.manifest, found.learner
        badge = self.award(learner, m.credential, m.credential_version) if decision.complete else ""
        return Outcome(pull.number, "recorded", _summary(pull, found, decision), decision, badge)

    # the steps

    def submission_of(self, pull: PullRequest) -> Submission | str:
        """The one submission the merge carries, read at the merge commit; or why there is none."""
        return self.submission_at(self.forge, pull.number, pull.merge_sha or pull.head_sha)

    @staticmethod
    def submission_at(forge: Forge, number: int, commit: str) -> Submission | str:
        """The one submission pull request `number` carries, read at `commit`; or why not."""
        # The check's own rule for which submission folders a change touches (stray files and
        # unsafe names were the check's to refuse before the merge).
        folders, _ = folders_changed([Change("M", p.encode()) for p in forge.changed_files(number)])
        if not folders:
            return "changes no submission; not a decision for a coach"
        if len(folders) > 1:
            return f"carries {len(folders)} submission folders ({', '.join(folders)}); one per pull request"
        shown = f"{folders[0]}submission.yml"
        data = forge.read_file(shown, commit)
        if data is None:
            return f"{shown} is missing at the merged commit"
        manifest, problems = read_manifest(data, shown)
        if manifest is None:
            return f"{shown} cannot be read: {problems[0].message}"
        return Submission(folders[0], manifest)

    def decide_pull(self, pull: PullRequest, sub: Submission) -> tuple[Decision, Course | None]:
        m = sub.manifest
        learner = sub.learner
        edition = self._edition(m.credential, m.credential_version)
        if edition is None:
            return Decision(NOT_AWARDED, (f"{m.credential} v{m.credential_version} is not a released "
                                          "version of a credential in this course",)), None
        module, credential = edition.modules.get(m.module), edition.credentials[m.credential]
        if module is None or m.module not in credential.modules:
            return Decision(NOT_AWARDED, (f"{m.module!r} is not a module of {m.credential} "
                                          f"v{m.credential_version}",)), None
        rubric = edition.rubrics[module.rubric]
        authorised = coaches_for(self.course, learner)
        programme = self.course.programmes.get(credential.programme)
        coaching_after = programme.coaching_after_not_yet if programme else 2
        earlier = self._not_yet_elsewhere(pull, learner, module.id, authorised, edition)
        decision = decide(pull, learner, self.forge.list_reviews(pull.number), module, rubric,
                          authorised, earlier, coaching_after)
        return decision, edition

    def record(self, pull: PullRequest, sub: Submission, decision: Decision,
               edition: Course | None) -> None:
        m = sub.manifest
        rubric = None
        if edition is not None and m.module in edition.modules:
            rubric = edition.rubrics[edition.modules[m.module].rubric]
        entry: dict[str, Any] = {
            "format": FORMAT, "kind": "decision", "pull_request": pull.number,
            "merge_sha": pull.merge_sha, "head_sha": pull.head_sha,
            "learner": sub.learner, "credential": m.credential,
            "credential_version": m.credential_version, "module": m.module,
            "attempt": decision.not_yet_before + 1, "outcome": decision.outcome,
            "reasons": list(decision.reasons), "approver": decision.approver,
            "review": decision.review_id, "levels": decision.levels,
            "coaching_conversation": decision.coaching_conversation,
            "rubric": rubric.id if rubric else "",
            "rubric_fingerprint": rubric_fingerprint(rubric) if rubric else "",
            "evidence": self.settings.pull_request_url(pull.number),
            "decided": xsd_datetime(self.now()),
        }
        self.store.create(layout.decision_path(pull.number), entry,
                          f"Decide #{pull.number}: {decision.outcome}")
        if decision.outcome == COMPLETE:
            learner, version = entry["learner"], m.credential_version
            path = layout.completion_path(learner, m.credential, version, m.module)
            self.store.create(path, {**entry, "kind": "completion"},
                              f"{learner} completed {m.module} ({m.credential} v{version})")

    def award(self, learner: str, credential_id: str, version: str) -> str:
        """Issue the credential's badge once all its modules are complete; its path, or ''."""
        edition = self._edition(credential_id, version)
        if edition is None:
            return ""
        credential = edition.credentials[credential_id]
        login = learner.lower()
        completions = [self.store.read_json(
            layout.completion_path(login, credential.id, credential.version, mid))
            for mid in credential.modules]
        path = layout.badge_path(login, credential.id, credential.version)
        if any(c is None for c in completions) or self.store.read(path) is not None:
            return ""
        done = [c for c in completions if c is not None]
        badge = self._signed_badge(learner, credential.id, edition, done, path)
        return path if self.store.create(path, badge, f"Issue {credential.id} v{credential.version} "
                                         f"to {learner}") else ""

    # internals

    def _signed_badge(self, learner: str, credential_id: str, edition: Course,
                      done: list[dict[str, Any]], path: str) -> dict[str, Any]:
        key = self.key()
        credential = edition.credentials[credential_id]
        rubrics = [edition.rubrics[edition.modules[mid].rubric] for mid in credential.modules]
        now = self.now().replace(microsecond=0)
        badge_id = new_badge_id()
        status_list = ensure_status_list(self.store, key, self.settings.status_list_url, now,
                                         self.status_history)
        index = allocate_index(self.store, badge_id, path)
        unsigned = build_credential(
            credential, rubrics, badge_id=badge_id, issuer_id=key.controller,
            recipient=recipient_from_login(learner, new_salt()),
            achieved={edition.modules[c["module"]].rubric: c["levels"] for c in done},
            issued=now, base_url=self.settings.site_url, evidence_url="",
            status=StatusEntry(self.settings.status_list_url, index),
            evidence=[(c["evidence"], f"Reviewed submission: {edition.modules[c['module']].title}")
                      for c in done])
        badge = sign_credential(unsigned, key, now)
        # Checked as a verifier would check it now: a concurrent issuer may have created the
        # status list a moment after `now`.
        check = verify_credential(badge, now=max(self.now(), now),
                                  status_lists={status_list["id"]: status_list})
        if not check.verified:
            raise LedgerError(f"the badge for {learner} did not verify after signing ("
                              f"{'; '.join(check.errors)}); nothing was committed")
        return badge

    def _all_pulls(self) -> list[PullRequest]:
        """Every pull request, listed once per run (the forge call is the expensive part)."""
        if self._pulls is None:
            self._pulls = self.forge.list_pull_requests("all")
        return self._pulls

    def _edition(self, credential_id: str, version: str) -> Course | None:
        return edition_for(self.course, self.editions, credential_id, version)

    def _not_yet_elsewhere(self, pull: PullRequest, learner: str, module_id: str,
                           authorised: list[str], edition: Course) -> int:
        """'Not yet' decisions on the learner's earlier pull requests for this module."""
        module = edition.modules[module_id]
        rubric = edition.rubrics[module.rubric]
        coaches = {c.casefold() for c in authorised if not same_login(c, learner)}
        count = 0
        for other in self._all_pulls():
            if other.number >= pull.number or not same_login(other.author, learner):
                continue
            reviews = [r for r in self.forge.list_reviews(other.number)
                       if r.reviewer.casefold() in coaches]
            count += not_yet_count(a for a in (assess(r, module, rubric) for r in reviews)
                                   if a.block is not None and a.block.module == module_id)
        return count


def edition_for(course: Course, editions: Editions, credential_id: str, version: str) -> Course | None:
    """The course as released at `version` of the credential (the current one, or a tag's)."""
    current = course.credentials.get(credential_id)
    if current is not None and current.version == version:
        return course
    return editions.get((credential_id, version))


def _summary(pull: PullRequest, sub: Submission, decision: Decision) -> str:
    m = sub.manifest
    what = f"#{pull.number} {sub.learner} · {m.credential} v{m.credential_version} · {m.module}"
    if decision.complete:
        return f"{what}: complete (approved by @{decision.approver})"
    return f"{what}: not awarded — {'; '.join(decision.reasons)}"
