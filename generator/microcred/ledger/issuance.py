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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from microcred.badge.credential import (
    Identity,
    Recipient,
    StatusEntry,
    build_credential,
    email_identity,
    new_badge_id,
    new_salt,
    part_of,
    recipient_from_login,
)
from microcred.badge.keys import SigningKey
from microcred.badge.sign import sign_credential, xsd_datetime
from microcred.badge.verify import verify_credential
from microcred.content.assessment import Editions, edition_for
from microcred.content.consent import consent_path, read_consent
from microcred.content.history import rubric_fingerprint
from microcred.content.stacking import stack_order
from microcred.forge.base import MERGED, Forge, PullRequest
from microcred.ledger import layout
from microcred.ledger.derive import Derived, Deriver, Recheck
from microcred.ledger.pending import pending_awards
from microcred.ledger.record import ensure_record, is_stale
from microcred.ledger.settings import Settings
from microcred.ledger.stacking import Award, Holdings, counting_completion, holdings, unlocked
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
    also: tuple[str, ...] = ()  # further badges the completion unlocked (shared, stacked)


class Issuer:
    """Decides merged pull requests against `course` and records them in `store`."""

    def __init__(self, forge: Forge, store: LedgerStore, course: Course, editions: Editions,
                 settings: Settings, key: Callable[[], SigningKey], recheck: Recheck,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 status_history: Sequence[dict[str, Any]] = (),
                 identities: Mapping[str, str] | None = None) -> None:
        self.forge, self.store, self.course, self.editions = forge, store, course, editions
        # login → email, from the private file outside the repository (ledger/identities.py)
        self.identities = identities or {}
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
                badges = self.finish(derived) if derived.decision.complete else ()
                return Outcome(n, "recorded", summary, derived.decision, *_split(badges))
            recorded = self._recorded(n)  # a concurrent issuer decided it first
        assert recorded is not None
        said = f"#{n} was decided before ({recorded.get('outcome')})"
        if dry_run or recorded.get("outcome") != COMPLETE or not self._unfinished(recorded):
            return Outcome(n, "already", f"{said}; nothing new")
        badges = self.finish(self._backed(n, layout.decision_path(n)))
        first, also = _split(badges)
        return Outcome(n, "already", said + ("" if first else "; its completion recorded"),
                       badge_path=first, also=also)

    def finish(self, derived: Derived) -> tuple[str, ...]:
        """Steps 2-5 for a complete decision: the completion, then every badge it unlocks (its
        own credential, credentials sharing the module, stacked credentials). Their paths."""
        learner, credential, version, module = derived.key
        self.store.create(layout.completion_path(learner, credential, version, module),
                          self._entry(derived, "completion"),
                          f"{derived.submission.learner} completed {module} ({credential} v{version})")
        own = self.award(Award(learner, credential, version), fresh=derived)
        return (own, *self.award_unlocked(learner)) if own else self.award_unlocked(learner)

    def award_unlocked(self, login: str) -> tuple[str, ...]:
        """Issue every award the learner's records unlock, parts before what stacks them, until
        nothing more unlocks (a new badge can unlock a credential built from it). Paths."""
        issued: list[str] = []
        tried: set[Award] = set()
        while awards := [a for a in self._unlocked(login.lower()) if a not in tried]:
            tried.update(awards)
            issued += [path for award in self._stack_ordered(awards) if (path := self.award(award))]
        # Last, the record of all their badges: a run stopped before it is caught up here.
        ensure_record(self.store, self.key, self.settings.site_url, login,
                      self.now().replace(microsecond=0))
        return tuple(issued)

    def pending(self) -> list[Award]:
        """Credential versions the ledger's records unlock but with no badge yet."""
        if not self.store.exists():
            return []
        files = self.store.forge.list_files(layout.ROOT, self.store.branch)
        return pending_awards(files, self.course, self.editions)

    def _unlocked(self, login: str, files: Iterable[str] | None = None) -> list[Award]:
        """What the learner's records unlock: from `files` (a listing taken earlier in the
        run), else from a fresh listing."""
        if files is None:
            files = self.store.forge.list_files(layout.ROOT, self.store.branch)
        held = holdings(files).get(login)
        return unlocked(held, self.course, self.editions) if held else []

    def _stack_ordered(self, awards: list[Award]) -> list[Award]:
        order = {cid: i for i, cid in enumerate(stack_order(self.course.credentials))}
        return sorted(awards, key=lambda a: (order.get(a.credential, -1), a))

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
        if edition is None or award.credential not in edition.credentials:
            return ""
        credential = edition.credentials[award.credential]
        path = layout.badge_path(award.login, credential.id, award.version)
        if self.store.read(path) is not None:
            return ""
        held = holdings(self.store.forge.list_files(layout.ROOT, self.store.branch)).get(
            award.login, Holdings(award.login))
        counted = [counting_completion(held, self.course, self.editions, edition, credential, m)
                   for m in credential.modules]
        paths = [layout.completion_path(award.login, *c) for c in counted if c is not None]
        records = [self.store.read_json(p) for p in paths]
        if len(paths) < len(counted) or any(r is None for r in records):
            return ""
        backed = [fresh if fresh is not None and fresh.key == (award.login, *c)
                  else self._backed_completion(p, r)
                  for c, p, r in zip(counted, paths, records, strict=True)
                  if c is not None and r is not None]
        parts = self._valid_parts(award.login, credential)
        if credential.requires and len(parts) < credential.requires.at_least:
            return ""  # a part is revoked or expired: see docs/badges.md, stacked credentials
        badge = self._signed_badge(backed, edition, credential, path, award.login, parts)
        return path if self.store.create(path, badge, f"Issue {credential.id} v{credential.version} "
                                         f"to {award.login}") else ""

    def _recipient(self, learner: str) -> Recipient:
        """The hashed login, a hashed email from the private mapping, and the learner's own
        DID from their consent file on the default branch (the learner's to set, by pull
        request): each where there is one."""
        return replace(recipient_from_login(learner, new_salt()), id=self._did_of(learner),
                       also=_email(self.identities, learner))

    def _did_of(self, learner: str) -> str:
        for login in dict.fromkeys((learner, learner.lower())):
            data = self.forge.read_file(consent_path(login), self.settings.default_branch)
            if data is not None:
                consent, _ = read_consent(data, consent_path(login))
                return consent.did if consent is not None else ""
        return ""

    def _valid_parts(self, login: str, credential: Credential) -> list[dict[str, Any]]:
        """The learner's badges of `credential`'s parts that verify now as this issuer's (signed,
        in date, not revoked), newest version of each part first; nothing from file names."""
        if credential.requires is None:
            return []
        now, key = self.now(), self.key()
        status = self.store.read_json(layout.STATUS_LIST)
        lists = {status["id"]: status} if status and "id" in status else {}
        files = self.store.forge.list_files(f"{layout.BADGES}/{login}", self.store.branch)
        found = []
        for part in credential.requires.credentials:
            for path in sorted((f for f in files if (p := layout.parse_badge_path(f))
                                and p[1] == part), reverse=True):
                badge = self.store.read_json(path)
                if badge and verify_credential(badge, now=now, status_lists=lists,
                                               issuer=key.controller).verified:
                    found.append(badge)
                    break
        return found

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
        return (not self._exists(layout.badge_path(learner, credential_id, version)) and all(
            self._exists(layout.completion_path(learner, credential_id, version, m))
            for m in edition.credentials[credential_id].modules)) or bool(
            self._unlocked(learner, self._listing())) or is_stale(self.store, learner,
                                                                  self._listing())

    def _exists(self, path: str) -> bool:
        """Whether the ledger has `path`: from one listing per run (records are never removed,
        so what it lists is there still), else read now."""
        return path in self._listing() or self.store.read(path) is not None

    def _listing(self) -> set[str]:
        if self._listed is None:
            self._listed = set(self.forge.list_files(layout.ROOT, self.store.branch))
        return self._listed

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
                      path: str, learner: str, parts: Sequence[dict[str, Any]] = ()
                      ) -> dict[str, Any]:
        key = self.key()
        if backed:
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
            recipient=self._recipient(learner),
            achieved={module.rubric: d.decision.levels for module, d in pairs},
            issued=now, base_url=self.settings.site_url, evidence_url="",
            status=StatusEntry(self.settings.status_list_url, index),
            evidence=[(self.settings.pull_request_url(d.pull.number),
                       f"Reviewed submission: {module.title}") for module, d in pairs],
            parts=[part_of(badge) for badge in parts],
            at_least=credential.requires.at_least if credential.requires else 0)
        badge = sign_credential(unsigned, key, now)
        # Checked as a verifier would check it now: a concurrent issuer may have created the
        # status list a moment after `now`.
        check = verify_credential(badge, now=max(self.now(), now),
                                  status_lists={status_list["id"]: status_list})
        if not check.verified:
            raise LedgerError(f"the badge for {learner} did not verify after signing ("
                              f"{'; '.join(check.errors)}); nothing was committed")
        return badge


def _email(identities: Mapping[str, str], login: str) -> tuple[Identity, ...]:
    email = identities.get(login.lower())
    return (email_identity(email, new_salt()),) if email else ()


def _split(badges: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The first badge (the outcome's own) and the others."""
    return (badges[0], badges[1:]) if badges else ("", ())


def _summary(derived: Derived) -> str:
    m, decision = derived.submission.manifest, derived.decision
    what = (f"#{derived.pull.number} {derived.submission.learner} · {m.credential} "
            f"v{m.credential_version} · {m.module}")
    if decision.complete:
        return f"{what}: complete (approved by @{decision.approver})"
    return f"{what}: not awarded — {'; '.join(decision.reasons)}"
