"""`microcred pr`: list, show, open and check pull requests on the configured forge."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from microcred import output
from microcred.commands.check import emit
from microcred.content.assessment import Editions, assessment_courses, edition_for
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.forge.base import OPEN, Forge, ForgeError, PullRequest
from microcred.forge.events import PULL_REQUEST_EVENTS, WorkflowRunEvent, workflow_run_event
from microcred.forge.select import open_forge
from microcred.ledger import layout
from microcred.ledger.derive import submission_at
from microcred.ledger.store import LedgerStore
from microcred.model import Course
from microcred.review.conversation import Conversation, conversation_lines
from microcred.review.decide import Decision
from microcred.review.gate import CONTEXT, forecast, set_gate
from microcred.review.summary import review_lines
from microcred.roster import coaches_for_credential
from microcred.submission.comment import render_comment
from microcred.submission.findings import printable
from microcred.submission.report import CheckResult, to_text
from microcred.submission.report_file import load_report
from microcred.submission.run import check_range, student_names
from microcred.submission.trusted import base_ref, recheck_report, trusted_over_report

LOCAL_BOT = "microcred-bot"  # who `pr check` and `issue` act as on the local forge by default


def pr_list(root: Path | None, forge_kind: str, actor: str | None, state: str, fmt: str) -> int:
    forge = open_forge(forge_kind, find_root(root or Path.cwd()), actor or "viewer")
    pulls = forge.list_pull_requests(state)
    if fmt == "json":
        output.write_json([_pull_dict(p) for p in pulls])
        return 0
    for p in pulls:
        output.write(f"#{p.number}\t{p.state}\t{p.author}\t{p.head} -> {p.base}\t{p.title}")
    if not pulls:
        output.info(f"no {state} pull requests")
    return 0


def pr_show(root: Path | None, forge_kind: str, actor: str | None, number: int, fmt: str) -> int:
    """One pull request and its conversation: the check comment, reviews, gate and decision."""
    root = find_root(root or Path.cwd())
    forge = open_forge(forge_kind, root, actor or "viewer")
    pull = forge.get_pull_request(number)
    files = forge.changed_files(number)
    talk = gather_conversation(forge, root, pull)
    if fmt == "json":
        output.write_json({**_pull_dict(pull), "files": files, "reviews": [
            {"id": r.id, "reviewer": r.reviewer, "state": r.state, "commit": r.commit_sha,
             "submitted_at": r.submitted_at, "body": r.body} for r in talk.reviews],
            "comments": [{"id": c.id, "author": c.author, "body": c.body} for c in talk.comments],
            "gate": talk.gate.__dict__ if talk.gate else None, "decision": talk.decision})
        return 0
    output.write(f"#{pull.number} {printable(pull.title)} ({pull.state})")
    output.write(f"author {pull.author}; {printable(pull.head)} -> {pull.base}; head {pull.head_sha[:12]}")
    for path in files:
        output.write(f"  {printable(path)}")
    for line in conversation_lines(talk, bot_login(forge)):
        output.write(line)
    return 0


def gather_conversation(forge: Forge, root: Path, pull: PullRequest) -> Conversation:
    """What `pr show` prints beyond the files: comments, reviews, the gate, the decision."""
    rubric = None
    found = submission_at(forge, pull.number, pull.merge_sha or pull.head_sha)
    try:
        course, editions = assessment_courses(root)
    except ConfigError as exc:  # a course with problems: show the reviews as written
        output.warn(f"levels are shown as written, not against the rubric: {exc}")
        found = str(exc)
    if not isinstance(found, str):
        m = found.manifest
        edition = edition_for(course, editions, m.credential, m.credential_version)
        if edition is not None and m.module in edition.modules:
            rubric = edition.rubrics[edition.modules[m.module].rubric]
    store = LedgerStore(forge, layout.branch(), pull.base)
    decision = store.read_json(layout.decision_path(pull.number)) if store.exists() else None
    gate = forge.get_status(pull.head_sha, CONTEXT) if pull.state == OPEN else None
    return Conversation(forge.list_reviews(pull.number), forge.list_comments(pull.number), rubric,
                        gate, decision)


def pr_open(root: Path | None, forge_kind: str, actor: str | None, head: str, base: str,
            title: str | None) -> int:
    forge = open_forge(forge_kind, find_root(root or Path.cwd()), actor)
    pull = forge.open_pull_request(head, base, title or head, "Opened with microcred.")
    output.write(f"opened pull request #{pull.number}: {pull.head} -> {pull.base}")
    return 0


def pr_merge(root: Path | None, forge_kind: str, actor: str | None, number: int,
             force: bool = False) -> int:
    """Merge a pull request once the merge gate says merging decides it (on GitHub, branch rules
    still decide whether it may); `force` merges anyway, e.g. a withdrawn submission."""
    root = find_root(root or Path.cwd())
    forge = open_forge(forge_kind, root, actor)
    pull = forge.get_pull_request(number)
    if pull.state == OPEN:
        course, editions = assessment_courses(root)
        gate = forecast(forge, course, editions, pull)
        if gate.blocks and not force:
            raise UsageError(f"#{number} is held by the merge gate ({CONTEXT}): {gate.description}. "
                             "Review it first (`microcred review`); to merge anyway, knowing the "
                             "merge will be recorded as not awarded, add --force")
        if gate.blocks:
            output.warn(f"#{number}: merging past the gate: {gate.description}")
    pull = forge.merge(number)
    output.write(f"merged #{pull.number} into {pull.base} ({pull.merge_sha[:12]}); next: "
                 f"`microcred issue --pr {pull.number}` decides it")
    return 0


def pr_close(root: Path | None, forge_kind: str, actor: str | None, number: int) -> int:
    """Close a pull request without merging it (one opened by mistake, or carrying two modules)."""
    forge = open_forge(forge_kind, find_root(root or Path.cwd()), actor)
    pull = forge.close(number)
    output.write(f"closed #{pull.number} without merging; its branch {pull.head} keeps the "
                 f"commits (delete it with `git branch -D {pull.head}` once you no longer need "
                 "them)")
    return 0


def pr_check(root: Path | None, forge_kind: str, actor: str | None, number: int, fmt: str,
             names_file: Path | None, head: str | None = None) -> int:
    """Check a pull request, update its one comment, and request the learner's coaches."""
    root = find_root(root or Path.cwd())
    forge = open_forge(forge_kind, root, actor or "microcred-bot")
    result = check_pull_request(forge, root, number, head, student_names(names_file))
    emit(result, fmt)
    return 0 if result.passed else 1


def check_pull_request(forge: Forge, root: Path, number: int, head: str | None,
                       names: tuple[str, ...]) -> CheckResult:
    """The check of pull request `number` in the clone at `root`, reported on the forge.

    `head` names the pull request's head in this clone when the forge's head commit is not
    there under its own name (a CI checkout of a fork's branch, say).
    """
    pull = forge.get_pull_request(number)
    if pull.state != "open":
        raise UsageError(f"pull request #{number} is {pull.state}; only open ones are checked")
    result, course = check_range(root, base_ref(root, pull), head or pull.head_sha, pull.author,
                                 names)
    _, editions = assessment_courses(root)
    # The rules are the base commit's; the coaching logged so far (coaching/, which that
    # extraction leaves out) is read from this clone, as `pr merge` and `issue` read it.
    report_on_pull(forge, dataclasses.replace(course, root=root), editions, pull, result)
    return result


def report_on_pull(forge: Forge, course: Course, editions: Editions, pull: PullRequest,
                   result: CheckResult) -> None:
    """Update the pull request's one comment and its merge gate; request the learner's coaches
    once it passes."""
    coaches = _coaches(course, pull, result)
    gate = forecast(forge, course, editions, pull, result.passed)
    reviews = reviews_read_back(forge, course, pull, result, coaches, gate.decision)
    forge.upsert_bot_comment(pull.number, render_comment(result, course, coaches, reviews))
    set_gate(forge, pull, gate)
    output.info(f"#{pull.number}: {CONTEXT} {gate.state}: {gate.description}")
    if result.passed and coaches:
        requested = forge.request_reviewers(pull.number, coaches)
        output.info(f"requested review from {', '.join(requested) or 'nobody new'}")


def _coaches(course: Course, pull: PullRequest, result: CheckResult) -> list[str]:
    """The coaches of the programme awarding each credential the pull request submits towards."""
    found = [c for r in result.reports
             for c in coaches_for_credential(course, r.learner or pull.author, r.credential)]
    return list(dict.fromkeys(found))


def pr_comment(root: Path | None, forge_kind: str, actor: str | None, report: Path,
               event: Path) -> int:
    """Post a check report from the check workflow on its pull request (exit 0 once posted).

    The report is untrusted: the pull request is found by the run's head commit, never by
    anything the report says, and what it changes is checked again from the forge.
    """
    root = find_root(root or Path.cwd())
    run = workflow_run_event(event)
    if run.event not in PULL_REQUEST_EVENTS:
        raise UsageError(f"{event}: the run was started by '{run.event}', not by a pull request; "
                         "trigger this only on runs of the check workflow")
    result = load_report(report)
    forge = open_forge(forge_kind, root, actor or "microcred-bot")
    pull = pull_for_run(forge, run)
    if pull is None:
        output.info(f"no open pull request has head {run.head_sha[:12]} any more (pushed again "
                    "or closed since the check ran); nothing to post")
        return 0
    course, editions = assessment_courses(root)
    recheck_report(result, course, pull, forge.changed_files(pull.number))
    result = trusted_over_report(root, pull, result)
    report_on_pull(forge, course, editions, pull, result)
    output.write(f"#{pull.number}: {to_text(result).splitlines()[-1]}")
    return 0


def pull_for_run(forge: Forge, run: WorkflowRunEvent) -> PullRequest | None:
    """The open pull request the run checked: same head commit, head repository and branch.

    Fork runs list no pull requests themselves. A commit is public once pushed, so a copycat fork
    can open a pull request with the same head commit and even the same branch name; only the
    head repository tells them apart.
    """
    found = [p for p in forge.list_pull_requests(OPEN) if p.head_sha == run.head_sha
             and p.head_repo.casefold() == run.head_repo.casefold()]
    if len(found) > 1:
        found = [p for p in found if p.head == run.head_branch]
    if len(found) > 1:
        numbers = ", ".join(f"#{p.number}" for p in found)
        raise ForgeError(f"pull requests {numbers} all have head {run.head_sha[:12]} on branch "
                         f"{run.head_branch}; comment on them with `microcred pr check N`")
    return found[0] if found else None


def reviews_read_back(forge: Forge, course: Course, pull: PullRequest, result: CheckResult,
                      coaches: list[str], outlook: Decision | None) -> list[str]:
    """The comment's review lines for a pull request carrying one submission, else none."""
    if len(result.reports) != 1:
        return []
    report = result.reports[0]
    module = course.modules.get(report.module)
    rubric = course.rubrics.get(module.rubric) if module else None
    if module is None or rubric is None:
        return []
    learner = report.learner or pull.author
    return review_lines(pull, learner, forge.list_reviews(pull.number), module, rubric, coaches,
                        outlook)


def bot_login(forge: Forge) -> str:
    """Whose comment is microcred's: the GitHub forge knows; locally it is microcred-bot."""
    return str(getattr(forge, "bot_login", LOCAL_BOT))


def _pull_dict(p: PullRequest) -> dict[str, object]:
    return {"number": p.number, "title": p.title, "author": p.author, "state": p.state,
            "base": p.base, "head": p.head, "head_sha": p.head_sha, "from_fork": p.from_fork,
            "merge_sha": p.merge_sha}
