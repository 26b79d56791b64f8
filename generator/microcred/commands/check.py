"""`microcred check`: check submissions by path, by git range, or all of them."""

from __future__ import annotations

import functools
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import git

from microcred import output
from microcred.commands.lint import lint_course
from microcred.content.cache import cached_course
from microcred.content.history import (
    COURSE_FOLDERS,
    course_files_at,
    load_course_at,
    open_repo,
    releases,
)
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.forge.events import pull_request_event
from microcred.markdown import SUMMARY_LIMIT, fit
from microcred.model import Course
from microcred.submission.check import Context, check_folder
from microcred.submission.consent import check_consents, consents_changed, consents_in
from microcred.submission.findings import CheckFinding, SubmissionReport
from microcred.submission.ownership import one_submission_findings, ownership_findings
from microcred.submission.report import CheckResult, to_annotations, to_json, to_markdown, to_text
from microcred.submission.scope import folders_changed, folders_in
from microcred.submission.source import Change, FsSource, GitSource, changed_paths

NAMES_ENV = "MICROCRED_STUDENT_NAMES_FILE"
PARALLEL_FROM = 200  # folders; below this a process pool costs more than it saves


def check(root: Path | None, paths: list[Path], base: str | None, head: str | None,
          all_: bool, author: str | None, fmt: str, names_file: Path | None,
          event: Path | None = None, report: Path | None = None) -> int:
    """Run the check in the mode the arguments select; print in `fmt`; exit 1 on findings.

    `event` is a pull_request or pull_request_review payload that gives base, head and author;
    `report` is a file to write the JSON report to as well.
    """
    root = find_root(root or Path.cwd())
    names = student_names(names_file)
    if event is not None:
        if base or head or author or all_ or paths:
            raise UsageError("--event gives the base, head and author: drop --base, --head, "
                             "--author, --all and paths")
        result = check_event(root, event, names)
    elif base or head:
        result, _ = check_range(root, base or "", head or "HEAD", author, names)
        if not (result.reports or result.general):
            _refuse_empty_range(root, base or "", head or "HEAD")
    elif all_ or paths:
        result = _check_paths(root, paths, all_, names)
    else:
        raise UsageError("say what to check: PATH..., --base REF [--head REF], --event FILE "
                         "or --all")
    if report is not None:
        write_report(result, report)
    emit(result, fmt)
    return 0 if result.passed else 1


def _refuse_empty_range(root: Path, base: str, head: str) -> None:
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
        if not _has_commit(repo, sha):
            raise ConfigError(f"{event}: pull_request.{key}.sha {sha}: not in the clone at {root} "
                              f"(fetch the pull request's commits first: git fetch origin "
                              f"pull/{pull.number}/head)")
    result, _ = check_range(root, pull.base_sha, pull.head_sha, pull.author, names)
    return result


def _has_commit(repo: git.Repo, sha: str) -> bool:
    try:
        repo.rev_parse(sha + "^{commit}")
    except (git.BadName, ValueError):
        return False
    return True


def write_report(result: CheckResult, path: Path) -> None:
    """Write the JSON report (schema: check-report) to `path`."""
    try:
        path.write_text(json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the report ({exc.strerror})") from None


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


def _trusted_at(repo: git.Repo, commit: str) -> Course:
    with course_files_at(repo, commit) as trusted_root:
        return _trusted(trusted_root)


def _trusted(root: Path) -> Course:
    loaded, findings = lint_course(root)
    if findings:
        raise ConfigError(f"the trusted course has {len(findings)} problem(s), first: "
                          f"{findings[0].render()} (run `microcred lint`)")
    return loaded.course


def _editions(repo: git.Repo | None, course: Course) -> dict[tuple[str, str], Course]:
    """The course at every earlier release of each credential (tags are trusted: a pull request
    cannot create them), for submissions pinned to those versions."""
    if repo is None:
        return {}
    out: dict[tuple[str, str], Course] = {}
    for credential in course.credentials.values():
        for tag in releases(repo, credential.id):
            if tag.version != credential.version:
                edition = cached_course(repo, tag.commit, COURSE_FOLDERS,
                                        functools.partial(_edition_at, repo, tag.commit))
                if credential.id in edition.credentials:
                    out[(credential.id, tag.version)] = edition
    return out


def _edition_at(repo: git.Repo, commit: str) -> Course:
    loaded = load_course_at(repo, commit)
    # A release that does not load cleanly cannot be assessed against: leave it out.
    return Course(loaded.course.root, {}, {}, {}, {}) if loaded.findings else loaded.course


def check_paths(root: Path, paths: list[Path], names: tuple[str, ...] = ()) -> CheckResult:
    """Check the submission folders at `paths` as they are in the working tree."""
    return _check_paths(root, paths, False, names)


def _check_paths(root: Path, paths: list[Path], all_: bool, names: tuple[str, ...]) -> CheckResult:
    course = _trusted(root)
    ctx = Context.of(course, names, _editions(open_repo(root), course))
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
    course = cached_course(repo, base_sha, COURSE_FOLDERS, lambda: _trusted_at(repo, base_sha))
    ctx = Context.of(course, names, _editions(repo, course))
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
    return result, course


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



def emit(result: CheckResult, fmt: str) -> None:
    if fmt == "json":
        output.write_json(to_json(result))
    elif fmt == "markdown":
        output.write(to_markdown(result))
    else:
        output.write(to_text(result))
    if fmt == "github" or os.environ.get("GITHUB_ACTIONS") == "true":
        output.write(to_annotations(result))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            output.append_file(Path(summary), fit(lambda most: to_markdown(result, most),
                                                  SUMMARY_LIMIT))


def assessment_courses(root: Path) -> tuple[Course, dict[tuple[str, str], Course]]:
    """The trusted course at `root` and the editions of earlier releases: what decisions use."""
    course = _trusted(root)
    return course, _editions(open_repo(root), course)
