"""Run the check: submission folders by path, all of them, a git range, or a pull request's
event; what `check`, `submit`, `pr` and `issue` share."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import git

from microcred import output
from microcred.content.assessment import editions, trusted_course, trusted_course_at
from microcred.content.cache import cached_course
from microcred.content.history import COURSE_FOLDERS, open_repo
from microcred.errors import ConfigError, UsageError
from microcred.forge.events import pull_request_event
from microcred.model import Course
from microcred.submission.check import Context, check_folder
from microcred.submission.consent import check_consents, consents_changed, consents_in
from microcred.submission.findings import CheckFinding, SubmissionReport
from microcred.submission.ownership import one_submission_findings, ownership_findings
from microcred.submission.report import CheckResult
from microcred.submission.scope import folders_changed, folders_in
from microcred.submission.source import Change, FsSource, GitSource, changed_paths

NAMES_ENV = "MICROCRED_STUDENT_NAMES_FILE"
PARALLEL_FROM = 200  # folders; below this a process pool costs more than it saves


def refuse_empty_range(root: Path, base: str, head: str) -> None:
    """Say so when a range holds no change at all, rather than 'passed' (nothing committed)."""
    repo = _repo(root)
    if changed_paths(repo, _resolve(repo, base, "--base"), _resolve(repo, head, "--head")):
        return
    raise UsageError(f"nothing to check: {head} changes nothing since {base}; a range check reads "
                     "commits, not files you have not committed (commit them first, or check "
                     "the folder itself: microcred check PATH)")


def check_event(root: Path, event: Path, names: tuple[str, ...]) -> CheckResult:
    """Check the pull request an event payload describes, by the rules of its base commit."""
    pull = pull_request_event(event)
    output.info(f"checking {pull.describe()}")
    repo = _repo(root)
    for key, sha in (("base", pull.base_sha), ("head", pull.head_sha)):
        if not has_commit(repo, sha):
            raise ConfigError(f"{event}: pull_request.{key}.sha {sha}: not in the clone at {root} "
                              f"(fetch the pull request's commits first: git fetch origin "
                              f"pull/{pull.number}/head)")
    result, _ = check_range(root, pull.base_sha, pull.head_sha, pull.author, names)
    return result


def has_commit(repo: git.Repo, sha: str) -> bool:
    try:
        repo.rev_parse(sha + "^{commit}")
    except (git.BadName, ValueError):
        return False
    return True


def student_names(names_file: Path | None) -> tuple[str, ...]:
    path = names_file or (Path(os.environ[NAMES_ENV]) if os.environ.get(NAMES_ENV) else None)
    if path is None:
        return ()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the student names file ({exc}); give a UTF-8 "
                          "file with one name per line") from exc
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def check_paths(root: Path, paths: list[Path], names: tuple[str, ...] = ()) -> CheckResult:
    """Check the submission folders at `paths` as they are in the working tree."""
    return check_all_or_paths(root, paths, False, names)


def check_all_or_paths(root: Path, paths: list[Path], all_: bool,
                       names: tuple[str, ...]) -> CheckResult:
    """Check every submission folder (`all_`) or those at `paths`, as in the working tree."""
    course = trusted_course(root)
    ctx = Context.of(course, names, editions(open_repo(root), course))
    folders, stray = folders_in(root) if all_ else _folders_for(root, paths)
    starts = ["submissions"] if all_ else [_relative(root, path) for path in paths]
    consents = dict.fromkeys(c for start in starts for c in consents_in(root, start))
    stray += check_consents(FsSource(root), list(consents))
    result = CheckResult("all" if all_ else "paths", general=stray)
    result.reports = _run(root, folders, ctx)
    return result


def _folders_for(root: Path, paths: list[Path]) -> tuple[list[str], list[CheckFinding]]:
    folders: list[str] = []
    stray: list[CheckFinding] = []
    for path in paths:
        rel = _relative(root, path)
        if not rel.startswith("submissions/") and rel != "submissions":
            raise UsageError(f"{path}: not under submissions/ (give a submission folder)")
        found, misplaced = folders_in(root, rel)
        if not (root / rel).is_dir():
            raise UsageError(f"{path}: no such folder")
        folders += found
        stray += misplaced
    return sorted(set(folders)), stray


def _relative(root: Path, path: Path) -> str:
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(root).as_posix().rstrip("/")
    except ValueError as exc:
        raise UsageError(f"{path}: outside the course repository {root}") from exc


def _run(root: Path, folders: list[str], ctx: Context) -> list[SubmissionReport]:
    if len(folders) < PARALLEL_FROM:
        source = FsSource(root)
        return [check_folder(source, folder, ctx) for folder in folders]
    chunks = [folders[i:i + 500] for i in range(0, len(folders), 500)]
    reports: list[SubmissionReport] = []
    # The context (course, roster) goes to each worker once, not pickled again with every chunk.
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2, initializer=_start_worker,
                             initargs=(root, ctx)) as pool:
        for done, part in enumerate(pool.map(_check_chunk, chunks), 1):
            reports += part
            output.progress(done, len(chunks), "checking")
    return reports


_worker: list[tuple[FsSource, Context]] = []  # in a pool worker: what _start_worker was given


def _start_worker(root: Path, ctx: Context) -> None:
    _worker[:] = [(FsSource(root), ctx)]


def _check_chunk(folders: list[str]) -> list[SubmissionReport]:
    source, ctx = _worker[0]
    return [check_folder(source, folder, ctx) for folder in folders]


def check_range(root: Path, base: str, head: str, author: str | None,
                names: tuple[str, ...]) -> tuple[CheckResult, Course]:
    """Check what `head` changes since `base`, by the rules of the course at `base`."""
    repo = _repo(root)
    base_sha, head_sha = _resolve(repo, base, "--base"), _resolve(repo, head, "--head")
    course, found = course_and_editions_at(repo, base_sha)
    return check_commits(repo, base_sha, head_sha, author, names, course, found), course


def course_and_editions_at(repo: git.Repo, commit: str) -> tuple[Course, dict[tuple[str, str], Course]]:
    """The trusted course at `commit` of `repo` (cached by commit) and its earlier editions."""
    course = cached_course(repo, commit, COURSE_FOLDERS, lambda: trusted_course_at(repo, commit))
    return course, editions(repo, course)


def check_commits(repo: git.Repo, base_sha: str, head_sha: str, author: str | None,
                  names: tuple[str, ...], course: Course,
                  found: dict[tuple[str, str], Course]) -> CheckResult:
    """Check what `head_sha` changes since `base_sha` in `repo`, by the rules of `course` (which
    may come from another repository: a network's checks use the course's)."""
    ctx = Context.of(course, names, found)
    changes = changed_paths(repo, base_sha, head_sha)
    folders, stray = folders_changed(changes)
    result = CheckResult("range", general=stray)
    source = GitSource(repo, head_sha)
    present = [f for f in folders if source.entries(f)]
    if author:
        result.general += ownership(course, changes, author)
        learners = {x for p in course.programmes.values() for x in p.all_learners()}
        result.general += one_submission_findings(present, _canonical(author, learners),
                                                  _designers(course))
    result.general += check_consents(source, consents_changed(changes, source))
    result.reports = [check_folder(source, f, ctx) for f in present]
    result.drop_repeats()
    return result


def ownership(course: Course, changes: list[Change], author: str) -> list[CheckFinding]:
    """Findings for each change `author` may not make, by the roster of `course`."""
    learners = {x for p in course.programmes.values() for x in p.all_learners()}
    coaches = {c for p in course.programmes.values() for c in p.coaches}
    return ownership_findings(changes, _canonical(author, learners), learners, _designers(course),
                              coaches)


def _designers(course: Course) -> set[str]:
    return {d for p in course.programmes.values() for d in p.designers}


def _canonical(author: str, learners: set[str]) -> str:
    """GitHub logins ignore case; use the roster's spelling when it has one."""
    return next((x for x in learners if x.casefold() == author.casefold()), author)


def _repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ConfigError(f"{root}: not a git repository (range checks need git)") from exc


def _resolve(repo: git.Repo, ref: str, option: str) -> str:
    if not ref or ref.startswith("-"):
        raise UsageError(f"{option}: give a branch, tag or commit")
    try:
        return repo.rev_parse(ref + "^{commit}").hexsha
    except (git.BadName, ValueError) as exc:
        raise UsageError(f"{option} {ref}: no such commit in {repo.working_dir}") from exc
