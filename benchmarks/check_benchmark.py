"""Benchmark `microcred check` on a synthetic course repository of many learners.

Run: python benchmarks/check_benchmark.py [--learners 10000] [--out benchmarks/check-results.json]

Three repositories, with 4 valid submissions per submitting learner committed on `main`: small
(--small learners, all submitted), control (a roster of --learners, only --small submitted: what
the roster alone costs) and large (--learners, all submitted: 40,000 submissions by default):

  range    the pull-request check, in process (`microcred.cli.main`, output captured): a branch
           adding one submission of a roster learner who had none, checked with --base main
           --head <branch> --author <login>; median of --runs runs after one warm-up run.
           The same for a learner not on the roster (the look-alike login search covers every
           roster login then).
  cold     the same range check with the trusted-course cache (.git/microcred-cache) removed
           before each run, as for the first check of a base commit: median of --runs runs.
  phases   where the range-check time goes: trusted course (git archive + extract), load,
           cross-reference checks, context, git diff, ownership, the folder check; medians.
  profile  the top cProfile entries (cumulative) of one cold range check of the large repository.
  all      `microcred check --all --quiet` as a subprocess (not for the control): wall time, CPU
           time of the process and its pool workers, and peak RSS of the largest single process
           (os.wait4). On a shared machine, CPU seconds / cores is the fairer figure.

The repository is written with `git fast-import` (one pack), then checked out for --all.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import yaml

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import without_paths
from benchmarks.synthetic import credential_id, generate, module_id, programme_id

HERE = Path(__file__).resolve().parent
MODULES = 4
NETWORK = 5  # learners per peer network (the roster allows 4-6)
COACHES = 20
NEWCOMER = "newcomer-0001"  # on the roster, no submission on main: the pull request's author
STRANGER = "stranger-0001"  # not on the roster: the check finds them not enrolled (exit 1)
TARGET_RANGE_MS, TARGET_ALL_S, TARGET_FLAT = 500.0, 60.0, 1.5  # flat: large / small median
CORES = 2  # the target machine of --all
_TEXT = ("teacher learner coach lesson evidence observation classroom questioning feedback "
         "student talk pattern routine practice reflection goal inquiry discussion protocol "
         "planning strategy task criterion growth network peer voice participation wait time "
         "open conceptual recall prompt response group norm the a of to and in with for on "
         "records notices compares describes plans asks listens explains")
_WORDS = tuple(_TEXT.split())
_KINDS = ("recall", "procedural", "conceptual", "open")
_COMMITTER = "Bench <bench@example.org> 1795000000 +0000"


# -- the synthetic repository ---------------------------------------------------------------------


def login(i: int) -> str:
    return f"learner-{i + 1:05d}"


def modules() -> list[str]:
    return [module_id(0, m) for m in range(MODULES)]


def write_course(root: Path, learners: int, mode: str) -> None:
    """One programme, one credential of MODULES modules, and a roster of `learners` + NEWCOMER."""
    generate(root, credentials=1, modules_per_credential=MODULES)
    path = root / "content" / "programmes" / f"{programme_id(0)}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("cohorts", None)
    data |= roster(learners, mode)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def roster(learners: int, mode: str) -> dict[str, Any]:
    """Cohort networks of NETWORK (NEWCOMER joins the last), or a self-paced learner list."""
    logins = [login(i) for i in range(learners)]
    coaches = [f"coach-{k + 1:02d}" for k in range(COACHES)]
    if mode == "self-paced":
        return {"mode": mode, "coaches": coaches, "learners": [*logins, NEWCOMER]}
    if learners % NETWORK and learners > NETWORK:
        raise SystemExit(f"{learners} learners: give a multiple of {NETWORK} (or at most "
                         f"{NETWORK}) for networks of {NETWORK}")
    groups = [logins[i:i + NETWORK] for i in range(0, learners, NETWORK)]
    groups[-1] += [NEWCOMER]
    networks = [{"id": f"network-{n + 1}", "coach": coaches[n % COACHES], "learners": group}
                for n, group in enumerate(groups)]
    return {"mode": mode, "coaches": coaches,
            "cohorts": [{"id": "cohort-2026", "title": "2026-27 cohort", "networks": networks}]}


def submission(learner: str, module: str) -> dict[str, bytes]:
    """The files of one valid submission, varied by a seed so every blob is its own."""
    rng = random.Random(f"{learner}/{module}")
    manifest = (f"format: 1\nkind: submission\nlearner: {learner}\ncredential: {credential_id(0)}\n"
                f"credential_version: 1.0.0\nmodule: {module}\nattempt: 1\nevidence:\n"
                "  notes: notes.md\n  tally: tally.csv\n  video: video-link.txt\n"
                "privacy:\n  deidentified: true\n")
    return {"submission.yml": manifest.encode(), "notes.md": _notes(rng).encode(),
            "tally.csv": _tally(rng).encode(),
            "video-link.txt": f"https://vimeo.com/{rng.randrange(10**8, 10**9)}/"
                              f"{rng.getrandbits(40):010x}\n".encode()}


def _notes(rng: random.Random) -> str:
    def paragraph() -> str:
        return " ".join(rng.choices(_WORDS, k=120)).capitalize() + "."
    return "".join(f"## {h}\n\n{paragraph()}\n\n" for h in ("Context", "Evidence", "Patterns"))


def _tally(rng: random.Random) -> str:
    rows = [f"{m},S{rng.randint(1, 28):02d},{rng.choice(_KINDS)}" for m in range(1, 15)]
    return "minute,seat,question_type\n" + "\n".join(rows) + "\n"


def submissions(logins: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """Every file of every learner's MODULES submissions, as (path, bytes)."""
    for learner in logins:
        for module in modules():
            folder = f"submissions/{learner}/{credential_id(0)}/{module}/"
            for name, data in submission(learner, module).items():
                yield folder + name, data


def course_files(root: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(root).parts:
            yield path.relative_to(root).as_posix(), path.read_bytes()


def fast_import(root: Path, branch: str, parent: str | None, files: Iterable[tuple[str, bytes]],
                message: str) -> None:
    """Commit `files` on top of `parent` (or as a root commit) as refs/heads/`branch`."""
    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=root,
                            stdin=subprocess.PIPE)
    assert proc.stdin is not None
    with proc.stdin as stream:
        _commit_stream(stream, branch, parent, files, message)
    if proc.wait() != 0:
        raise SystemExit(f"git fast-import failed in {root}")


def _commit_stream(stream: IO[bytes], branch: str, parent: str | None,
                   files: Iterable[tuple[str, bytes]], message: str) -> None:
    text = message.encode()
    stream.write(f"commit refs/heads/{branch}\ncommitter {_COMMITTER}\n"
                 f"data {len(text)}\n".encode() + text + b"\n")
    if parent:
        stream.write(f"from {parent}^0\n".encode())
    for path, data in files:
        stream.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    stream.write(b"\ndone\n")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_repo(root: Path, learners: int, mode: str, submitted: int | None = None) -> float:
    """Write the repository with its two pull-request branches; return the seconds it took.

    The roster has `learners` (+ NEWCOMER); the first `submitted` (default: all) have submitted
    every module on `main`.
    """
    started = time.perf_counter()
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    write_course(root, learners, mode)
    files = list(course_files(root))
    count = learners if submitted is None else submitted
    fast_import(root, "main", None, [*files, *submissions(login(i) for i in range(count))],
                f"{count} learners x {MODULES} submissions")
    git(root, "reset", "-q", "--hard", "main")
    for author in (NEWCOMER, STRANGER):
        new = submission(author, modules()[0])
        folder = f"submissions/{author}/{credential_id(0)}/{modules()[0]}/"
        fast_import(root, f"pr-{author}", "main", [(folder + n, d) for n, d in new.items()],
                    f"{author}: first submission")
    return time.perf_counter() - started


# -- the range check, in process ------------------------------------------------------------------


def range_argv(root: Path, author: str) -> list[str]:
    return ["check", "--root", str(root), "--base", "main", "--head", f"pr-{author}",
            "--author", author, "--quiet"]


def check_in_process(argv: list[str]) -> tuple[int, str]:
    """Run `microcred` in this process; return its exit code and what it printed."""
    from microcred.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


def time_range(root: Path, author: str, runs: int, cold: bool = False) -> dict[str, Any]:
    """Median and spread of `runs` range checks after one warm-up run; all must end as expected
    (pass, or for STRANGER the one finding that they are not enrolled).

    `cold` removes the trusted-course cache before each run, so each loads the base commit's
    course as the first check of that commit does.
    """
    times: list[float] = []
    for i in range(runs + 1):
        if cold:
            shutil.rmtree(root / ".git" / "microcred-cache", ignore_errors=True)
        started = time.perf_counter()
        code, printed = check_in_process(range_argv(root, author))
        if code != (1 if author == STRANGER else 0):
            raise SystemExit(f"range check by {author} in {root} failed ({code}):\n{printed}")
        if i:
            times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times),
            "runs": runs}


def phases(root: Path, author: str) -> dict[str, float]:
    """One range check cut into its steps, each timed in ms (mirrors submission.run)."""
    from microcred.content.crossref import check_references
    from microcred.content.history import course_files_at
    from microcred.content.loader import load_course
    from microcred.submission import run as cmd
    from microcred.submission.check import Context, check_folder
    from microcred.submission.ownership import ownership_findings
    from microcred.submission.scope import folders_changed
    from microcred.submission.source import GitSource, changed_paths

    clock = _Clock()
    repo = cmd._repo(root)
    base, head = cmd._resolve(repo, "main", "--base"), cmd._resolve(repo, f"pr-{author}", "--head")
    clock.lap("resolve refs")
    with course_files_at(repo, base) as trusted:
        clock.lap("trusted course: git archive + extract")
        loaded = load_course(trusted)
        clock.lap("lint: load + schema")
        check_references(loaded)
        clock.lap("lint: cross-references")
    clock.lap("trusted course: remove the temporary copy")
    ctx = Context.of(loaded.course)
    clock.lap("context (roster)")
    changes = changed_paths(repo, base, head)
    folders, _ = folders_changed(changes)
    clock.lap("git diff + folders")
    learners = set(ctx.learners)
    ownership_findings(changes, cmd._canonical(author, learners), learners, set())
    clock.lap("ownership")
    source = GitSource(repo, head)
    for folder in folders:
        check_folder(source, folder, ctx)
    clock.lap("folder check (ls-tree, read, check)")
    return clock.laps


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = (now - self.last) * 1000
        self.last = now


def median_phases(root: Path, author: str, runs: int) -> dict[str, float]:
    samples = [phases(root, author) for _ in range(runs)]
    return {name: round(statistics.median(s[name] for s in samples), 2) for name in samples[0]}


def profile_top(root: Path, author: str, top: int = 15) -> list[str]:
    """The `top` entries of a cProfile of one cold range check, by cumulative time."""
    shutil.rmtree(root / ".git" / "microcred-cache", ignore_errors=True)
    profiler = cProfile.Profile()
    profiler.runcall(check_in_process, range_argv(root, author))
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    lines = without_paths(text.getvalue()).splitlines()
    return [line for line in lines if line.strip()][-(top + 1):]


# -- the full check, as a subprocess ----------------------------------------------------------------


def time_all(root: Path) -> dict[str, float]:
    """Wall and CPU seconds (pool workers included) and peak RSS of `microcred check --all`."""
    cmd = [sys.executable, "-m", "microcred", "check", "--all", "--quiet", "--root", str(root)]
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # this child and the workers it waited for
        seconds = time.perf_counter() - started
        out.seek(0)
        printed = out.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{printed}")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_mb": round(usage.ru_maxrss / 1024, 1)}  # ru_maxrss: KiB, largest process


def lint_ms(root: Path) -> float:
    from microcred.content.lint import lint_findings

    seconds, findings = _timed(lambda: lint_findings(root))
    if findings:
        raise SystemExit(f"{root}: the synthetic course has problems: {findings[0].render()}")
    return round(seconds * 1000, 1)


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


# -- one size, then the report --------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """A repository to measure: roster learners, and how many of them submitted everything."""

    learners: int
    submitted: int

    @property
    def name(self) -> str:
        return f"repo-{self.learners}-{self.submitted}"


@dataclass(frozen=True)
class Options:
    mode: str
    runs: int
    all_: bool
    profile: bool


def measure(size: Size, work: Path, opts: Options) -> dict[str, Any]:
    """Generate the repository of `size` and take every measurement on it."""
    root = work / size.name
    generate_seconds = make_repo(root, size.learners, opts.mode, size.submitted)
    progress(f"{size.learners} learners, {size.submitted} submitted: generated in "
             f"{generate_seconds:.1f} s")
    result: dict[str, Any] = {
        "learners": size.learners, "submissions": size.submitted * MODULES,
        "roster_mode": opts.mode, "load_average": round(os.getloadavg()[0], 2),
        "roster_kb": round((root / "content" / "programmes" / f"{programme_id(0)}.yml")
                           .stat().st_size / 1024, 1),
        "generate_seconds": round(generate_seconds, 1), "lint_ms": lint_ms(root),
        "range": time_range(root, NEWCOMER, opts.runs),
        "range_unlisted": time_range(root, STRANGER, opts.runs),
        "range_cold": time_range(root, NEWCOMER, opts.runs, cold=True),
        "phases_ms": median_phases(root, NEWCOMER, opts.runs)}
    progress(f"  range check {result['range']['median_ms']:.0f} ms, cold "
             f"{result['range_cold']['median_ms']:.0f} ms (medians)")
    if opts.profile:
        result["profile"] = profile_top(root, NEWCOMER)
    if opts.all_:
        result["all"] = time_all(root)
        progress(f"  --all {result['all']['seconds']:.1f} s, {result['all']['peak_mb']:.0f} MB")
    return result


def targets(sizes: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's targets: range check under 0.5 s and flat in repo size; --all under 60 s
    (wall; CPU seconds / cores is shown too, the wall time of an otherwise idle machine).

    Flatness is shown twice: large against small (roster and submissions both grow), and, with
    the control, large against control (only the submissions grow).
    """
    small, large = sizes[0], sizes[-1]
    worst = max(large["range"]["median_ms"], large["range_unlisted"]["median_ms"])
    cold = large["range_cold"]["median_ms"]
    out: dict[str, Any] = {"range_ms": {"median_ms": round(worst, 1), "target": TARGET_RANGE_MS,
                                        "met": worst < TARGET_RANGE_MS},
                           "range_cold_ms": {"median_ms": round(cold, 1),
                                             "target": TARGET_RANGE_MS,
                                             "met": cold < TARGET_RANGE_MS},
                           "range_flat": _flat(small, large)}
    if len(sizes) == 3:
        out["range_flat_in_submissions"] = _flat(sizes[1], large)
    if "all" in large:
        seconds = large["all"]["seconds"]
        out["all_seconds"] = {"seconds": seconds, "target": TARGET_ALL_S,
                              "cpu_per_core": round(large["all"]["cpu_seconds"] / CORES, 1),
                              "met": seconds < TARGET_ALL_S}
    return out


def _flat(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    ratio = after["range"]["median_ms"] / before["range"]["median_ms"]
    return {"submissions": [before["submissions"], after["submissions"]],
            "learners": [before["learners"], after["learners"]], "ratio": round(ratio, 2),
            "target": TARGET_FLAT, "met": ratio <= TARGET_FLAT}


HEADER = ("roster learners", "submissions", "range ms (median)", "unlisted author ms",
          "cold range ms", "--all s", "--all CPU s", "peak MB", "lint ms", "roster KB")


def markdown_table(sizes: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---:|" * len(HEADER)]
    for s in sizes:
        done = s.get("all", {})
        row = (f"{s['learners']:,}", f"{s['submissions']:,}", f"{s['range']['median_ms']:.0f}",
               f"{s['range_unlisted']['median_ms']:.0f}",
               f"{s['range_cold']['median_ms']:.0f}",
               f"{done['seconds']:.1f}" if done else "–",
               f"{done['cpu_seconds']:.0f}" if done else "–",
               f"{done['peak_mb']:.0f}" if done else "–",
               f"{s['lint_ms']:.0f}", f"{s['roster_kb']:.0f}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def report(sizes: list[dict[str, Any]], out: Path) -> None:
    """Print the table, phases and targets; write everything as JSON to `out`."""
    result: dict[str, Any] = {"format": 1, "date": date.today().isoformat(), "machine": _machine(),
                              "sizes": sizes, "targets": targets(sizes)}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown_table(sizes))
    for s in sizes:
        print(f"\nrange-check phases, {s['learners']:,} learners, {s['submissions']:,} "
              "submissions (median ms):")
        print("\n".join(f"  {name:<40} {ms:8.1f}" for name, ms in s["phases_ms"].items()))
    for name, t in result["targets"].items():
        print(f"{name}: {'met' if t['met'] else 'NOT met'} {t}")
    print(f"\nwritten {out}")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.processor()}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10_000, help="learners of the large repo")
    parser.add_argument("--small", type=int, default=10, help="learners of the small repo")
    parser.add_argument("--no-control", action="store_true", help="skip the control: the large "
                        "roster with only the small repo's submissions (no --all)")
    parser.add_argument("--roster", choices=("cohort", "self-paced"), default="cohort")
    parser.add_argument("--runs", type=int, default=5, help="timed range checks (median kept)")
    parser.add_argument("--skip-all", action="store_true", help="do not time --all")
    parser.add_argument("--no-profile", action="store_true", help="do not profile a range check")
    parser.add_argument("--out", type=Path, default=HERE / "check-results.json")
    parser.add_argument("--workdir", type=Path, help="where to write the repositories (default: "
                        "a temporary folder, removed afterwards; must not hold repo-<N>/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    opts = Options(args.roster, args.runs, not args.skip_all, not args.no_profile)
    quick = Options(opts.mode, opts.runs, opts.all_, profile=False)
    with tempfile.TemporaryDirectory(prefix="microcred-check-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sizes = [measure(Size(args.small, args.small), work, quick)]
        if not args.no_control:
            control = Options(opts.mode, opts.runs, all_=False, profile=False)
            sizes.append(measure(Size(args.learners, args.small), work, control))
        sizes.append(measure(Size(args.learners, args.learners), work, opts))
        report(sizes, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
