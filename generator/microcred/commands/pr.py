"""`microcred pr`: list, show, open and check pull requests on the configured forge."""

from __future__ import annotations

from pathlib import Path

import git

from microcred import output
from microcred.commands.check import check_range, emit, student_names
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.forge.base import Forge, PullRequest
from microcred.forge.select import open_forge
from microcred.model import Course
from microcred.review.summary import review_lines
from microcred.roster import coaches_for
from microcred.submission.comment import render_comment
from microcred.submission.report import CheckResult


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
    forge = open_forge(forge_kind, find_root(root or Path.cwd()), actor or "viewer")
    pull = forge.get_pull_request(number)
    files, reviews = forge.changed_files(number), forge.list_reviews(number)
    if fmt == "json":
        output.write_json({**_pull_dict(pull), "files": files, "reviews": [
            {"reviewer": r.reviewer, "state": r.state, "commit": r.commit_sha} for r in reviews]})
        return 0
    output.write(f"#{pull.number} {pull.title} ({pull.state})")
    output.write(f"author {pull.author}; {pull.head} -> {pull.base}; head {pull.head_sha[:12]}")
    for path in files:
        output.write(f"  {path}")
    for review in reviews:
        output.write(f"review: {review.reviewer} {review.state} at {review.commit_sha[:12]}")
    return 0


def pr_open(root: Path | None, forge_kind: str, actor: str | None, head: str, base: str,
            title: str | None) -> int:
    forge = open_forge(forge_kind, find_root(root or Path.cwd()), actor)
    pull = forge.open_pull_request(head, base, title or head, "Opened with microcred.")
    output.write(f"opened pull request #{pull.number}: {pull.head} -> {pull.base}")
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
    result, course = check_range(root, _base_ref(root, pull), head or pull.head_sha, pull.author,
                                 names)
    coaches = coaches_for(course, pull.author)
    reviews = reviews_read_back(forge, course, pull, result, coaches)
    forge.upsert_bot_comment(number, render_comment(result, course, coaches, reviews))
    if result.passed and coaches:
        requested = forge.request_reviewers(number, coaches)
        output.info(f"requested review from {', '.join(requested) or 'nobody new'}")
    return result


def reviews_read_back(forge: Forge, course: Course, pull: PullRequest, result: CheckResult,
                      coaches: list[str]) -> list[str]:
    """The comment's review lines for a pull request carrying one submission, else none."""
    if len(result.reports) != 1:
        return []
    report = result.reports[0]
    module = course.modules.get(report.module)
    rubric = course.rubrics.get(module.rubric) if module else None
    if module is None or rubric is None:
        return []
    learner = report.learner or pull.author
    return review_lines(pull, learner, forge.list_reviews(pull.number), module, rubric, coaches)


def _base_ref(root: Path, pull: PullRequest) -> str:
    """The base branch as this clone knows it (local branch, then remote), else its recorded tip."""
    repo = git.Repo(root)
    for ref in (pull.base, f"origin/{pull.base}"):
        try:
            repo.rev_parse(ref + "^{commit}")
            return ref
        except (git.BadName, ValueError):
            continue
    return pull.base_sha


def _pull_dict(p: PullRequest) -> dict[str, object]:
    return {"number": p.number, "title": p.title, "author": p.author, "state": p.state,
            "base": p.base, "head": p.head, "head_sha": p.head_sha, "from_fork": p.from_fork,
            "merge_sha": p.merge_sha}
