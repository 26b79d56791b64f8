"""The check run again with this checkout's code, over what a pull request's own run says.

A pull request's check runs the workflow file as the pull request has it, so neither its
status nor its uploaded report proves anything. The merge gate (`pr comment`) and issuance
(`issue`) both stand on the check run here, from the default branch, on the pull request's
commits:

    recheck_report      -> a report held to the forge's own list of changed files
    trusted_over_report -> the check of the head, replacing the report when they disagree
    trusted_recheck     -> the errors of a merged head, for issuance
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import git

from microcred import output
from microcred.errors import ConfigError
from microcred.forge.base import ForgeError, PullRequest
from microcred.ledger.derive import Recheck
from microcred.model import Course
from microcred.submission.findings import ERROR
from microcred.submission.report import CheckResult
from microcred.submission.report_file import ReportError
from microcred.submission.run import check_range, has_commit, ownership, student_names
from microcred.submission.source import Change


def recheck_report(result: CheckResult, course: Course, pull: PullRequest,
                   changed: list[str]) -> None:
    """Hold a report to the pull request as the forge shows it; add what it should have found.

    Its folders must be ones the pull request changes; who may change what is decided again
    from the forge's list of changed files and the trusted roster, so a report from a pull
    request that rewrote the check workflow cannot hide a change outside the learner's folder.
    """
    if result.mode != "range":
        raise ReportError(f"the report checked '{result.mode}', not a pull request's changes")
    for report in result.reports:
        if not any(path.startswith(report.folder.rstrip("/") + "/") for path in changed):
            raise ReportError(f"the report checks {report.folder}, which pull request "
                              f"#{pull.number} does not change; nothing was posted")
    changes = [Change("M", path.encode("utf-8")) for path in changed]
    known = set(result.all_findings())
    result.general += [f for f in ownership(course, changes, pull.author) if f not in known]


def trusted_over_report(root: Path, pull: PullRequest, report: CheckResult) -> CheckResult:
    """The check run here, with this checkout's code, where the clone holds the pull request's
    head; it replaces the uploaded report when the two disagree on passing.

    The report comes from the pull request's own copy of the check workflow, which a pull
    request may rewrite to upload "passed" over missing evidence; the merge gate must not
    stand on that. Without the head commits here the report is all there is (issuance checks
    the merged head again either way).
    """
    if not _has_commit(root, pull.head_sha):
        return report
    trusted, _ = check_range(root, base_ref(root, pull), pull.head_sha, pull.author,
                             student_names(None))
    if trusted.passed == report.passed:
        return report
    output.warn(f"#{pull.number}: the uploaded report says {_verdict(report)}, the check run "
                f"here on {pull.head_sha[:12]} says {_verdict(trusted)}; posting the latter")
    return trusted


def _verdict(result: CheckResult) -> str:
    return "passed" if result.passed else "not passed"


def _has_commit(root: Path, sha: str) -> bool:
    try:
        return has_commit(git.Repo(root), sha)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False


def trusted_recheck(root: Path) -> Recheck:
    """The check of a merged pull request's head, run again here with this checkout's code.

    A pull request's own check ran the workflow file as the pull request had it, so its status
    proves nothing; this one runs from the default branch, on the commits that merged.
    """
    names = student_names(None)

    def recheck(pull: PullRequest) -> Sequence[str]:
        try:
            repo = git.Repo(root)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise ConfigError(f"{root}: not a git repository, so the evidence of #{pull.number} "
                              "cannot be checked again (run issue in a clone of the course)") from None
        for sha in (pull.base_sha, pull.head_sha):
            if not has_commit(repo, sha):
                raise ForgeError(f"#{pull.number}: commit {sha[:12]} is not in the clone at {root}, "
                                 f"so its evidence cannot be checked again (fetch it: git fetch "
                                 f"origin pull/{pull.number}/head)")
        result, _ = check_range(root, pull.base_sha, pull.head_sha, pull.author, names)
        return [f.render() for f in result.all_findings() if f.severity == ERROR]

    return recheck


def base_ref(root: Path, pull: PullRequest) -> str:
    """The base branch as this clone knows it (local branch, then remote), else its recorded tip."""
    repo = git.Repo(root)
    for ref in (pull.base, f"origin/{pull.base}"):
        try:
            repo.rev_parse(ref + "^{commit}")
            return ref
        except (git.BadName, ValueError):
            continue
    return pull.base_sha
