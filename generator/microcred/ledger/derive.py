"""The decision on one merged pull request, derived from the forge and the trusted course only.

Nothing here reads the ledger. Issuance derives each new decision here, and derives again every
completion a badge rests on before it signs, so a file pushed to the ledger branch can never
stand in for a merged, approved, checked submission:

    submission_at  -> the one submission folder the merge carries, and its manifest
    decide_pull    -> enrolment in the credential's programme, that programme's coaches, the
                      approval of the merged head, the coaching rule (review/decide.py),
                      the programme's minimum of logged coaching (coaching/rule.py)
    recheck        -> the whole check run again with trusted code on the merged head
                      (completeness, privacy, ownership, protected paths); any error withholds
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from microcred.coaching.load import load_records, parse_log_entry
from microcred.coaching.records import LogEntry
from microcred.coaching.rule import missing_coaching
from microcred.content.assessment import Editions, edition_for
from microcred.forge.base import MERGED, Forge, PullRequest
from microcred.ledger.layout import COACHING_LOGS
from microcred.ledger.layout import branch as ledger_branch
from microcred.model import Course, Programme
from microcred.review.decide import NOT_AWARDED, Decision, decide, not_yet_elsewhere, same_login
from microcred.roster import coaches_for, enrolled
from microcred.submission.manifest import Manifest, read_manifest
from microcred.submission.scope import folders_changed
from microcred.submission.source import Change

# The trusted check of a merged pull request's head: the errors it finds (none: it passes).
Recheck = Callable[[PullRequest], Sequence[str]]


@dataclass(frozen=True)
class Submission:
    folder: str  # submissions/<login>/<credential>/<module>/
    manifest: Manifest

    @property
    def learner(self) -> str:
        """The folder's login: the one that counts (the check made the manifest agree)."""
        return self.folder.split("/")[1]


@dataclass(frozen=True)
class Derived:
    """What the forge says about one merged pull request."""

    pull: PullRequest
    submission: Submission
    decision: Decision
    edition: Course | None  # the course as released at the submission's version

    @property
    def key(self) -> tuple[str, str, str, str]:
        """(login, credential, version, module): where its completion belongs."""
        m = self.submission.manifest
        return self.submission.learner.lower(), m.credential, m.credential_version, m.module


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


class Deriver:
    """Derives decisions on `forge`'s pull requests by `course`; each one once per run."""

    def __init__(self, forge: Forge, course: Course, editions: Editions, recheck: Recheck) -> None:
        self.forge, self.course, self.editions, self.recheck = forge, course, editions, recheck
        self._pulls: list[PullRequest] | None = None
        self._derived: dict[int, Derived | str] = {}
        # Coaches authorised for one pull request beyond the learner's today (a network's own
        # coaches keep the decisions they made for a learner who has since moved network).
        self.also_authorised: Callable[[PullRequest, str], Sequence[str]] = lambda _p, _l: ()
        self._logs: tuple[LogEntry, ...] | None = None

    def derive(self, pull: PullRequest) -> Derived | str:
        """The decision on merged `pull`, or why it carries no decision for a coach."""
        if pull.number not in self._derived:
            self._derived[pull.number] = self._derive(pull)
        return self._derived[pull.number]

    def forecast(self, pull: PullRequest) -> Derived | str:
        """The decision open `pull` would get if it merged now, at its current head: issuance's
        own rules (roster, approvals, the coaching rule, the trusted re-check), for a merge gate
        or a comment's "if merged now" line. Never cached: the head can move."""
        return self._derive(replace(pull, state=MERGED, merge_sha=""))

    def _derive(self, pull: PullRequest) -> Derived | str:
        found = submission_at(self.forge, pull.number, pull.merge_sha or pull.head_sha)
        return found if isinstance(found, str) else self._decided(pull, found)

    def _decided(self, pull: PullRequest, sub: Submission) -> Derived:
        decision, edition = self.decide_pull(pull, sub)
        if decision.complete:
            problems = list(self.recheck(pull))
            if problems:
                decision = replace(decision, outcome=NOT_AWARDED, reasons=(
                    *decision.reasons, "the check of the merged commit, run again with trusted "
                    "code, found: " + "; ".join(problems)))
        return Derived(pull, sub, decision, edition)

    def decide_pull(self, pull: PullRequest, sub: Submission) -> tuple[Decision, Course | None]:
        """The rubric decision (review/decide.py) with this course's roster and history."""
        m, learner = sub.manifest, sub.learner
        edition = edition_for(self.course, self.editions, m.credential, m.credential_version)
        if edition is None:
            return Decision(NOT_AWARDED, (f"{m.credential} v{m.credential_version} is not a released "
                                          "version of a credential in this course",)), None
        module, credential = edition.modules.get(m.module), edition.credentials[m.credential]
        if module is None or m.module not in credential.modules:
            return Decision(NOT_AWARDED, (f"{m.module!r} is not a module of {m.credential} "
                                          f"v{m.credential_version}",)), None
        # Today's roster decides who is enrolled and who coaches, in the programme that awards
        # the credential (a learner's coaches in another programme do not count here).
        if not enrolled(self.course, learner, credential.programme):
            return Decision(NOT_AWARDED, (f"{learner} is not enrolled in the programme "
                                          f"'{credential.programme}', which awards {m.credential}",)), edition
        rubric = edition.rubrics[module.rubric]
        authorised = coaches_for(self.course, learner, credential.programme)
        authorised += [c for c in self.also_authorised(pull, learner) if c not in authorised]
        programme = self.course.programmes.get(credential.programme)
        coaching_after = programme.coaching_after_not_yet if programme else 2
        coaches = [c for c in authorised if not same_login(c, learner)]
        attempts = [(other.number, self.forge.list_reviews(other.number))
                    for other in self._all_pulls()
                    if other.number != pull.number and same_login(other.author, learner)]
        earlier = not_yet_elsewhere(pull.number, attempts, module, rubric, coaches)
        reviews = self.forge.list_reviews(pull.number)
        decision = decide(pull, learner, reviews, module, rubric, authorised, earlier,
                          coaching_after)
        need = programme.min_coaching.get(module.id) if programme else None
        if decision.complete and programme and need:
            approved = next((r.submitted_at[:10] for r in reviews if r.id == decision.review_id), "")
            missing = missing_coaching(self._coaching_logs(programme), learner, module.id, need,
                                       coaches, approved)
            if missing:
                decision = replace(decision, outcome=NOT_AWARDED,
                                   reasons=(*decision.reasons, *missing))
        return decision, edition

    def _coaching_logs(self, programme: Programme) -> tuple[LogEntry, ...]:
        """The coaching logged in the trusted checkout, and on the ledger branch when the
        programme records logs there; read once per run."""
        if self._logs is None:
            self._logs = load_records(self.course.root).records.logs
        if programme.coaching_logs != "ledger":
            return self._logs
        on_ledger = []
        for path in self.forge.list_files(COACHING_LOGS + "/", ledger_branch()):
            data = self.forge.read_file(path, ledger_branch())
            entry, _ = parse_log_entry(data.decode("utf-8", "replace") if data else "", path)
            if entry is not None:
                on_ledger.append(entry)
        return (*self._logs, *on_ledger)

    def _all_pulls(self) -> list[PullRequest]:
        """Every pull request, listed once per run (the forge call is the expensive part)."""
        if self._pulls is None:
            self._pulls = self.forge.list_pull_requests("all")
        return self._pulls
