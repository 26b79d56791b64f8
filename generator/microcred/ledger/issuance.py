"""From a merged pull request to ledger records: decide, record the module, issue the badge.

The ledger is written as a journal, one file at a time (the forges commit one file per write),
in an order where every prefix is a state the next run completes:

    1. ledger/decisions/pr-N.json      the decision, derived from the forge (ledger/derive.py)
    2. ledger/completions/...          the module's completion, when the decision is complete
    3. ledger/status/revocation.json   the status list, the first time any badge needs it
    4. ledger/status/allocations.json  the badge's id and status index, reserved for its path
    5. ledger/badges/...               the signed badge, with that id and index

A run stopped anywhere (an error, a cancelled job, a killed process) leaves a prefix; the next
run of the same pull request, or any later run (`pending`), picks up where it stopped, and a
concurrent issuer that loses a race reuses the winner's records. Nothing is signed from ledger
data alone: before signing, every completion the badge rests on is derived again from the forge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from microcred.content.assessment import Editions, edition_for
from microcred.content.history import rubric_fingerprint
from microcred.forge.base import MERGED, Forge, PullRequest
from microcred.ledger import layout
from microcred.ledger.derive import Derived, Deriver, Recheck
from microcred.ledger.pending import Award, pending_awards
from microcred.ledger.settings import Settings
from microcred.ledger.statuslist import ensure_status_list, reserve_index
from microcred.ledger.store import LedgerError, LedgerStore
from microcred.model import Course, Credential
from microcred.review.decide import COMPLETE, Decision

FORMAT = 1


class NotBacked(LedgerError):
    """The ledger claims a completion the forge does not back: nothing is signed for it."""

    exit_code = 1


@dataclass(frozen=True)
class Outcome:
    """What happened to one pull request, for the command to report."""

    number: int
    status: str  # "skipped", "recorded", "already" (in the ledger before), "dry-run"
    message: str
    decision: Decision | None = None
    badge_path: str = ""


class Issuer:
    """Decides merged pull requests against `course` and records them in `store`."""

    def __init__(self, forge: Forge, store: LedgerStore, course: Course, editions: Editions,
                 settings: Settings, key: Callable[[], SigningKey], recheck: Recheck,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 status_history: Sequence[dict[str, Any]] = ()) -> None:
        self.forge, self.store, self.course, self.editions = forge, store, course, editions
        self.settings, self.key, self.now = settings, key, now
        # The signed list's earlier versions on the branch: a rolled-back list is restored.
        self.status_history = status_history
        self.deriver = Deriver(forge, course, editions, recheck)
        self._listed: set[str] | None = None

    def process(self, pull: PullRequest, dry_run: bool = False) -> Outcome:
        """Decide `pull` and record it (steps 1-5), or finish what an earlier run started."""
        n = pull.number
        if pull.state != MERGED:
            return Outcome(n, "skipped", f"#{n} is {pull.state}, not merged")
        recorded = self._recorded(n)
        if recorded is None:
            derived = self.deriver.derive(pull)
            if isinstance(derived, str):
                return Outcome(n, "skipped", f"#{n}: {derived}")
            summary = _summary(derived)
            if dry_run:
                return Outcome(n, "dry-run", summary, derived.decision)
            self.store.ensure()
            if self.store.create(layout.decision_path(n), self._entry(derived, "decision"),
                                 f"Decide #{n}: {derived.decision.outcome}"):
                badge = self.finish(derived) if derived.decision.complete else ""
                return Outcome(n, "recorded", summary, derived.decision, badge)
            recorded = self._recorded(n)  # a concurrent issuer decided it first
        assert recorded is not None
        said = f"#{n} was decided before ({recorded.get('outcome')})"
        if dry_run or recorded.get("outcome") != COMPLETE or not self._unfinished(recorded):
            return Outcome(n, "already", f"{said}; nothing new")
        badge = self.finish(self._backed(n, layout.decision_path(n)))
        return Outcome(n, "already", said + ("" if badge else "; its completion recorded"),
                       badge_path=badge)

    def finish(self, derived: Derived) -> str:
        """Steps 2-5 for a complete decision: the completion, then the badge once every module
        of the credential version is complete. The badge's path, or ''."""
        learner, credential, version, module = derived.key
        self.store.create(layout.completion_path(learner, credential, version, module),
                          self._entry(derived, "completion"),
                          f"{derived.submission.learner} completed {module} ({credential} v{version})")
        return self.award(Award(learner, credential, version), fresh=derived)

    def pending(self) -> list[Award]:
        """Credentials whose every module is complete in the ledger but with no badge yet."""
        if not self.store.exists():
            return []
        files = self.store.forge.list_files(layout.ROOT, self.store.branch)
        return pending_awards(files, self.course, self.editions)

    def completing_pull(self, award: Award) -> int | None:
        """The latest pull request among the completions `award` rests on (whose notice tells
        of the badge), or None when the ledger names none."""
        edition = edition_for(self.course, self.editions, award.credential, award.version)
        if edition is None or award.credential not in edition.credentials:
            return None
        numbers = [r.get("pull_request") for r in (
            self.store.read_json(layout.completion_path(award.login, award.credential,
                                                        award.version, m))
            for m in edition.credentials[award.credential].modules) if r is not None]
        return max((n for n in numbers if isinstance(n, int)), default=None)

    def award(self, award: Award, fresh: Derived | None = None) -> str:
        """Issue `award`'s badge once all its modules are complete; its path, or ''.

        Every completion is derived again from the forge (`fresh` is one just derived), and the
        badge is signed from what the forge says, never from the ledger's copy.
        """
        edition = edition_for(self.course, self.editions, award.credential, award.version)
        if edition is None:
            return ""
        credential = edition.credentials[award.credential]
        path = layout.badge_path(award.login, credential.id, award.version)
        paths = [layout.completion_path(award.login, credential.id, award.version, m)
                 for m in credential.modules]
        records = [self.store.read_json(p) for p in paths]
        if any(r is None for r in records) or self.store.read(path) is not None:
            return ""
        backed = [fresh if fresh is not None and fresh.key[3] == m else self._backed_completion(p, r)
                  for m, p, r in zip(credential.modules, paths, records, strict=True) if r is not None]
        badge = self._signed_badge(backed, edition, credential, path)
        learner = backed[0].submission.learner
        return path if self.store.create(path, badge, f"Issue {credential.id} v{credential.version} "
                                         f"to {learner}") else ""

    # the forge's word on ledger records

    def _backed(self, number: int, where: str) -> Derived:
        """The forge's own complete decision on pull request `number`, which the ledger file
        `where` says completed a module; NotBacked if the forge says otherwise."""
        derived = self.deriver.derive(self.forge.get_pull_request(number))
        if isinstance(derived, str):
            raise NotBacked(f"{self.store.branch}:{where} says #{number} completed a module, but "
                              f"the forge says #{number} {derived}; nothing was issued (see who wrote "
                              f"it: git log {self.store.branch} -- {where})")
        if not derived.decision.complete:
            raise NotBacked(f"{self.store.branch}:{where} says complete, but deciding #{number} "
                              f"again from the forge gives: {'; '.join(derived.decision.reasons)}; "
                              f"nothing was issued (see who wrote it: git log {self.store.branch} "
                              f"-- {where})")
        return derived

    def _backed_completion(self, path: str, record: dict[str, Any]) -> Derived:
        number = record.get("pull_request")
        if not isinstance(number, int) or isinstance(number, bool):
            raise NotBacked(f"{self.store.branch}:{path} names no pull request; nothing was "
                              "issued")
        derived = self._backed(number, path)
        expected = path.removeprefix(layout.COMPLETIONS + "/")
        got = layout.completion_path(*derived.key).removeprefix(layout.COMPLETIONS + "/")
        if got != expected:
            raise NotBacked(f"{self.store.branch}:{path} names #{number}, but #{number} carries "
                              f"{got.removesuffix('.json')}; nothing was issued (see who wrote it: "
                              f"git log {self.store.branch} -- {path})")
        return derived

    # ledger records

    def _recorded(self, number: int) -> dict[str, Any] | None:
        return self.store.read_json(layout.decision_path(number)) if self.store.exists() else None

    def _unfinished(self, recorded: dict[str, Any]) -> bool:
        """Whether a complete decision's later steps are still to do (a run stopped midway)."""
        try:
            learner, credential_id = str(recorded["learner"]), str(recorded["credential"])
            version, module = str(recorded["credential_version"]), str(recorded["module"])
        except KeyError:
            return True  # not a record this tool wrote: let the forge decide
        if not self._exists(layout.completion_path(learner, credential_id, version, module)):
            return True
        edition = edition_for(self.course, self.editions, credential_id, version)
        if edition is None or credential_id not in edition.credentials:
            return False
        return not self._exists(layout.badge_path(learner, credential_id, version)) and all(
            self._exists(layout.completion_path(learner, credential_id, version, m))
            for m in edition.credentials[credential_id].modules)

    def _exists(self, path: str) -> bool:
        """Whether the ledger has `path`: from one listing per run (records are never removed,
        so what it lists is there still), else read now."""
        if self._listed is None:
            self._listed = set(self.forge.list_files(layout.ROOT, self.store.branch))
        return path in self._listed or self.store.read(path) is not None

    def _entry(self, derived: Derived, kind: str) -> dict[str, Any]:
        pull, sub, decision, edition = derived.pull, derived.submission, derived.decision, derived.edition
        m = sub.manifest
        rubric = None
        if edition is not None and m.module in edition.modules:
            rubric = edition.rubrics[edition.modules[m.module].rubric]
        return {
            "format": FORMAT, "kind": kind, "pull_request": pull.number,
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

    def _signed_badge(self, backed: list[Derived], edition: Course, credential: Credential,
                      path: str) -> dict[str, Any]:
        key = self.key()
        learner = backed[0].submission.learner
        rubrics = [edition.rubrics[edition.modules[mid].rubric] for mid in credential.modules]
        now = self.now().replace(microsecond=0)
        status_list = ensure_status_list(self.store, key, self.settings.status_list_url, now,
                                         self.status_history)
        badge_id, index = reserve_index(self.store, path, new_badge_id())
        modules = [edition.modules[d.submission.manifest.module] for d in backed]
        pairs = list(zip(modules, backed, strict=True))
        unsigned = build_credential(
            credential, rubrics, badge_id=badge_id, issuer_id=key.controller,
            recipient=recipient_from_login(learner, new_salt()),
            achieved={module.rubric: d.decision.levels for module, d in pairs},
            issued=now, base_url=self.settings.site_url, evidence_url="",
            status=StatusEntry(self.settings.status_list_url, index),
            evidence=[(self.settings.pull_request_url(d.pull.number),
                       f"Reviewed submission: {module.title}") for module, d in pairs])
        badge = sign_credential(unsigned, key, now)
        # Checked as a verifier would check it now: a concurrent issuer may have created the
        # status list a moment after `now`.
        check = verify_credential(badge, now=max(self.now(), now),
                                  status_lists={status_list["id"]: status_list})
        if not check.verified:
            raise LedgerError(f"the badge for {learner} did not verify after signing ("
                              f"{'; '.join(check.errors)}); nothing was committed")
        return badge


def _summary(derived: Derived) -> str:
    m, decision = derived.submission.manifest, derived.decision
    what = (f"#{derived.pull.number} {derived.submission.learner} · {m.credential} "
            f"v{m.credential_version} · {m.module}")
    if decision.complete:
        return f"{what}: complete (approved by @{decision.approver})"
    return f"{what}: not awarded — {'; '.join(decision.reasons)}"
