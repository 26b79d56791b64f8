"""Benchmark `microcred progress`: a programme year of 10,000 learners x 8 modules.

Run: python benchmarks/progress_benchmark.py [--learners 10000] [--repeat 3]
     [--out benchmarks/progress-results.json]

The course is benchmarks/synthetic.py's one credential of 8 modules, with a programme of two
cohorts, networks of 5 learners and 200 coaches. Each learner works through the modules one
after another from 2025-09-01 at their own pace (25 to 55 days a module; 4% stop before each
module; all drawn at random, seeded): a pull request per
module on the local forge, a coach's first review after a log-normal delay (median 2.7 days),
each review a block with its own feedback (as `microcred review` writes it),
'not yet' on one criterion one time in five followed by a revision pushed to the same branch
and a second review, then the merge and the ledger's decision and completion; a learner with
all 8 modules has a badge. Progress is measured on 2026-06-30, so the last module of many is
still open: waiting for a review, not yet, or approved and not merged.

Everything is written with one `git fast-import`: main (the course and every merged
submission), a branch per open submission, a record ref per pull request as the local forge
keeps them, and the ledger branch. fast-import leaves every ref a file of its own; the local
forge packs its refs every 256 pull requests (forge/local.py), so the refs are then packed
(`git pack-refs --all`) as the forge would have left them. The badges are unsigned stand-ins
(an id and a date): progress reads them, it does not verify them. Setup is not timed. Then,
each in a fresh process, with its wall time, CPU time and peak memory (ru_maxrss from os.wait4):

  progress   microcred progress --format csv   (every learner x module, to /dev/null)
  text       microcred progress                 (the text report)
  json       microcred progress --format json   (written a few learners at a time)
  html       microcred progress --html DIR      (the staff report with its four charts)
  export     microcred progress --export DIR    (awards.csv and the badges)
  progress_loose_refs    the first again, before the refs are packed (a repository whose
                         60,000 record refs are each a file, as fast-import writes them)

Each is measured cold (no progress cache: the cache folder is removed before each run) and
warm (the cache the previous run wrote), as text, CSV and JSON.

With --repeat N each command runs N times and the fastest run is kept, with every run's wall
time and the load average before it. --keep DIR keeps the generated repository in DIR and
copies it on later runs instead of generating it again (about 1 to 2.5 minutes saved).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import machine, publish
from benchmarks.synthetic import credential_id, generate, module_id, programme_id

START = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
AS_OF = datetime(2026, 6, 30, 17, 0, tzinfo=UTC)
MODULES = 8
NETWORK = 5
COACHES = 200
NOT_YET_SHARE = 0.2
DROP_OUT = 0.04  # the chance, before each module, that a learner stops (and shows as inactive)
SEED = 20260630
_WHO = "Bench <bench@example.org>"


@dataclass
class Plan:
    """The year, as the records to write."""

    pulls: list[dict[str, Any]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # submission folders on main
    branches: list[tuple[str, str, datetime]] = field(default_factory=list)  # branch, folder, time
    ledger: dict[str, bytes] = field(default_factory=dict)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def make_course(root: Path, learners: int) -> tuple[list[str], dict[str, str]]:
    """The synthetic course with a two-cohort roster; (logins, login -> coach)."""
    generate(root, 1, MODULES)
    logins = [f"learner-{n:05d}" for n in range(learners)]
    coaches = [f"coach-{n:03d}" for n in range(COACHES)]
    networks = [{"id": f"network-{i:04d}", "coach": coaches[i % COACHES],
                 "learners": logins[start:start + NETWORK]}
                for i, start in enumerate(range(0, learners, NETWORK))]
    half = (len(networks) + 1) // 2
    path = root / "content" / "programmes" / f"{programme_id(0)}.yml"
    programme = yaml.safe_load(path.read_text("utf-8"))
    programme["coaches"] = coaches
    programme["cohorts"] = [{"id": "cohort-a", "title": "Cohort A", "networks": networks[:half]},
                            {"id": "cohort-b", "title": "Cohort B", "networks": networks[half:]}]
    path.write_text(yaml.safe_dump(programme, sort_keys=False), encoding="utf-8")
    return logins, {login: net["coach"] for net in networks for login in net["learners"]}


def plan_year(logins: list[str], coach_of: dict[str, str], rubric_ids: dict[str, list[str]]) -> Plan:
    """Every learner's pull requests, reviews, decisions and badges (seeded, so the same each run)."""
    from microcred.review.format import ReviewBlock, render_review

    rng = random.Random(SEED)
    plan = Plan()
    credential = credential_id(0)
    for login in logins:
        spacing, begin = rng.uniform(25, 55), rng.uniform(0, 20)
        completed = 0
        for m in range(MODULES):
            mid = module_id(0, m)
            opened = START + timedelta(days=begin + spacing * m + rng.uniform(0, 5))
            if opened > AS_OF or rng.random() < DROP_OUT:
                break
            number = len(plan.pulls) + 1
            coach = coach_of[login]
            criteria = rubric_ids[mid]
            passing = {c: "proficient" for c in criteria}
            reviews: list[dict[str, Any]] = []
            first = opened + timedelta(days=rng.lognormvariate(1.0, 0.7))
            head_time = opened - timedelta(hours=1)
            approve = first
            if rng.random() < NOT_YET_SHARE:
                reviews.append(_review(coach, "CHANGES_REQUESTED", first, render_review(ReviewBlock(
                    mid, {**passing, criteria[0]: "developing"},
                    {criteria[0]: f"Add the tally from lesson {number % 9 + 2} and say what it "
                                  f"shows about who answered, as in submission {number}."},
                    summary=f"Thank you, {login}. Nearly there."))))
                revised = first + timedelta(days=rng.uniform(1, 7))
                approve = revised + timedelta(days=rng.lognormvariate(1.0, 0.7))
                if revised <= AS_OF:
                    head_time = revised
            if approve <= AS_OF:
                reviews.append(_review(coach, "APPROVED", approve, render_review(ReviewBlock(
                    mid, passing, {criteria[-1]: f"Clear evidence, well argued ({number})."}))))
            reviews = [r for r in reviews if r["submitted_at"] <= _stamp(AS_OF)]
            decided = approve + timedelta(days=rng.uniform(0.05, 1))
            folder = f"submissions/{login}/{credential}/{mid}"
            branch = f"submit/{login}/{mid}-1"
            merged = decided <= AS_OF
            plan.pulls.append({
                "number": number, "title": f"{mid} ({login})", "body": "", "author": login,
                "base": "main", "head": branch, "base_sha": "", "head_sha": "",
                "state": "merged" if merged else "open", "merge_sha": "", "reviews": reviews,
                "comments": [], "requested_reviewers": [coach], "created_at": _stamp(opened),
                "_head_time": head_time})
            for r in reviews:
                r["id"] = reviews.index(r) + 1
            if not merged:
                plan.branches.append((branch, folder, head_time))
                break
            plan.merged.append(folder)
            completed += 1
            _decide(plan, number, login, credential, mid, decided, coach, passing, len(reviews))
        if completed == MODULES:
            plan.ledger[f"ledger/badges/{login}/{credential}/v1.0.0.json"] = _json(
                {"id": f"urn:uuid:{rng.getrandbits(128):032x}", "validFrom": _stamp(decided)})
    return plan


def _review(coach: str, state: str, when: datetime, body: str) -> dict[str, Any]:
    return {"reviewer": coach, "state": state, "body": body, "commit_sha": "",
            "submitted_at": _stamp(when)}


def _decide(plan: Plan, number: int, login: str, credential: str, mid: str, decided: datetime,
            coach: str, levels: dict[str, str], reviews: int) -> None:
    entry = {"format": 1, "kind": "decision", "pull_request": number, "merge_sha": "0" * 40,
             "head_sha": "0" * 40, "learner": login, "credential": credential,
             "credential_version": "1.0.0", "module": mid, "attempt": reviews,
             "outcome": "complete", "reasons": [], "approver": coach, "review": reviews,
             "levels": levels, "coaching_conversation": "", "rubric": mid,
             "rubric_fingerprint": "sha256:" + "0" * 64,
             "evidence": f"https://github.com/example-org/synthetic-course/pull/{number}",
             "decided": _stamp(decided)}
    plan.ledger[f"ledger/decisions/pr-{number}.json"] = _json(entry)
    plan.ledger[f"ledger/completions/{login}/{credential}/v1.0.0/{mid}.json"] = _json(
        {**entry, "kind": "completion"})


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2).encode() + b"\n"


# writing the repository


def write_repository(root: Path, plan: Plan) -> None:
    """main, the open submissions' branches, the forge's records and the ledger, in one import."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=root,
                            stdin=subprocess.PIPE)
    assert proc.stdin is not None
    with proc.stdin as stream:
        _import(stream, root, plan)
    if proc.wait() != 0:
        raise SystemExit(f"git fast-import failed in {root}")
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", "main"], check=True)
    heads = dict(_refs(root, "refs/heads/submit/"))
    main_sha = dict(_refs(root, "refs/heads/main"))["refs/heads/main"]
    # Records name real commits: the base, and each open submission's head.
    _records(root, plan, main_sha, heads)


def _import(stream: IO[bytes], root: Path, plan: Plan) -> None:
    manifest = b"format: 1\nkind: submission\n"
    stream.write(f"blob\nmark :1\ndata {len(manifest)}\n".encode() + manifest + b"\n")
    files = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in sorted(root.rglob("*"))
             if p.is_file() and ".git" not in p.relative_to(root).parts]
    _commit(stream, "refs/heads/main", ":2", None, START - timedelta(days=30), "course and merges")
    for path, data in files:
        stream.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    for folder in plan.merged:
        stream.write(f"M 100644 :1 {folder}/submission.yml\n".encode())
    for branch, folder, when in plan.branches:
        _commit(stream, f"refs/heads/{branch}", None, ":2", when, "submission")
        stream.write(f"M 100644 :1 {folder}/submission.yml\n".encode())
    _commit(stream, "refs/heads/microcred-ledger", None, ":2", AS_OF, "ledger")
    for path, data in sorted(plan.ledger.items()):
        stream.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    stream.write(b"done\n")


def _commit(stream: IO[bytes], ref: str, mark: str | None, parent: str | None, when: datetime,
            message: str) -> None:
    text = message.encode()
    stream.write(f"commit {ref}\n".encode() + (f"mark {mark}\n".encode() if mark else b"")
                 + f"committer {_WHO} {int(when.timestamp())} +0000\ndata {len(text)}\n".encode()
                 + text + b"\n" + (f"from {parent}\n".encode() if parent else b""))


def _refs(root: Path, prefix: str) -> Iterator[tuple[str, str]]:
    out = subprocess.run(["git", "-C", str(root), "for-each-ref", "--format=%(refname) %(objectname)",
                          prefix], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        name, sha = line.split()
        yield name, sha


def _records(root: Path, plan: Plan, main_sha: str, heads: dict[str, str]) -> None:
    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=root,
                            stdin=subprocess.PIPE)
    assert proc.stdin is not None
    with proc.stdin as stream:
        for pull in plan.pulls:
            head = heads.get(f"refs/heads/{pull['head']}", main_sha)
            record = {k: v for k, v in pull.items() if not k.startswith("_")}
            record.update(base_sha=main_sha, head_sha=head,
                          merge_sha=main_sha if pull["state"] == "merged" else "")
            for review in record["reviews"]:
                review["commit_sha"] = head
            if any(r["state"] == "CHANGES_REQUESTED" for r in record["reviews"]) and \
                    pull["state"] == "open" and pull["_head_time"] > _review_time(record):
                record["reviews"][0]["commit_sha"] = main_sha  # answered before the revision
            data = json.dumps(record, indent=2, sort_keys=True).encode() + b"\n"
            _commit(stream, f"refs/microcred/pulls/{pull['number']}", None, None,
                    datetime.fromisoformat(pull["created_at"].replace("Z", "+00:00")), "record")
            stream.write(f"M 100644 inline record.json\ndata {len(data)}\n".encode() + data + b"\n")
        stream.write(b"done\n")
    if proc.wait() != 0:
        raise SystemExit(f"git fast-import of the records failed in {root}")


def _review_time(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(record["reviews"][0]["submitted_at"].replace("Z", "+00:00"))


# measuring


def run(args: list[str], repeat: int = 1, output: Path | None = None,
        cold: Path | None = None) -> dict[str, Any]:
    """One command in a fresh process, `repeat` times: the fastest run's wall seconds, CPU seconds
    (the process and the git processes it waited for) and peak MB, with every run's wall and the
    1-minute load average before each (the machine may be shared: the fastest run is the least
    disturbed one). `output`, the folder the command writes, is removed before each run, and so
    is `cold`, the repository's progress cache, for a cold run."""
    runs = []
    for _ in range(repeat):
        for folder in (output, cold):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        runs.append(_once(args))
    best = min(runs, key=lambda r: r["wall_s"])
    return {**best, "runs_wall_s": [r["wall_s"] for r in runs],
            "load_before": [r["load_before"] for r in runs]}


def _once(args: list[str]) -> dict[str, float]:
    load = os.getloadavg()[0]
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "microcred", *args], stdout=sink,
                                stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"microcred {' '.join(args)} failed: {err}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "load_before": round(load, 2)}


def build(root: Path, learners: int) -> Plan:
    """Write the programme year into `root` (an empty folder); the plan it wrote."""
    logins, coach_of = make_course(root, learners)
    rubric_ids = {module_id(0, m): [c["id"] for c in yaml.safe_load(
        (root / "rubrics" / f"{module_id(0, m)}.yml").read_text("utf-8"))["criteria"]]
        for m in range(MODULES)}
    plan = plan_year(logins, coach_of, rubric_ids)
    write_repository(root, plan)
    return plan


def prepare(root: Path, learners: int, keep: Path | None) -> tuple[Plan, float]:
    """The repository in `root`, built (and copied to `keep` when given) or copied from `keep`
    when it already holds one of this size; (the plan, seconds spent building it or copying)."""
    setup = time.perf_counter()
    stored = keep / f"course-{learners}" if keep else None
    if stored is not None and (stored / ".git").is_dir():
        shutil.copytree(stored, root, symlinks=True)
        plan = Plan()
        with tempfile.TemporaryDirectory() as scratch:  # the same seeded plan, not written
            logins, coach_of = make_course(Path(scratch), learners)
            rubric_ids = {module_id(0, m): [c["id"] for c in yaml.safe_load(
                (Path(scratch) / "rubrics" / f"{module_id(0, m)}.yml").read_text("utf-8"))
                ["criteria"]] for m in range(MODULES)}
            plan = plan_year(logins, coach_of, rubric_ids)
        return plan, time.perf_counter() - setup
    root.mkdir()
    plan = build(root, learners)
    if stored is not None:
        shutil.rmtree(stored, ignore_errors=True)
        shutil.copytree(root, stored, symlinks=True)
    return plan, time.perf_counter() - setup


def measure(learners: int, repeat: int = 1, keep: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        plan, setup_s = prepare(root, learners, keep)
        common = ["progress", "--root", str(root), "--as-of", _stamp(AS_OF)]
        cache = root / ".git" / "microcred" / "progress-cache"
        report, export = Path(tmp) / "report", Path(tmp) / "export"
        loose = {"progress_loose_refs": run([*common, "--format", "csv"], repeat, cold=cache),
                 "progress_loose_refs_warm": run([*common, "--format", "csv"], repeat)}
        subprocess.run(["git", "-C", str(root), "pack-refs", "--all"], check=True)
        # Cold: no cache (the first run on a clone, or after the cache was cleared); warm: the
        # cache the run before wrote, nothing changed since (a rerun; a weekly run re-reads the
        # week's few hundred records on top).
        figures = {"progress": run([*common, "--format", "csv"], repeat, cold=cache),
                   "progress_warm": run([*common, "--format", "csv"], repeat),
                   "text": run(common, repeat, cold=cache),
                   "text_warm": run(common, repeat),
                   "json": run([*common, "--format", "json"], repeat, cold=cache),
                   "json_warm": run([*common, "--format", "json"], repeat),
                   "html": run([*common, "--html", str(report), "--quiet"], repeat, report, cache),
                   "html_warm": run([*common, "--html", str(report), "--quiet"], repeat, report),
                   "export": run([*common, "--export", str(export), "--quiet"], repeat, export,
                                 cache)}
        report_kb = sum(p.stat().st_size for p in report.rglob("*") if p.is_file())
        figures.update(loose)
        shutil.rmtree(root)
    opened = sum(p["state"] == "open" for p in plan.pulls)
    not_yet = sum(any(r["state"] == "CHANGES_REQUESTED" for r in p["reviews"]) for p in plan.pulls)
    return {"learners": learners, "modules": MODULES, "pull_requests": len(plan.pulls),
            "open": opened, "with_not_yet": not_yet, "ledger_files": len(plan.ledger),
            "badges": sum(1 for k in plan.ledger if k.startswith("ledger/badges/")),
            "setup_s": round(setup_s, 1), **figures, "report_kb": math.ceil(report_kb / 1024),
            "targets": {"progress_s": 5, "html_s": 15, "peak_mb": 500},
            "self_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command; the fastest is kept")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the generated repository in DIR and reuse it on later runs "
                             "(each run measures a fresh copy)")
    args = parser.parse_args(argv)
    result = measure(args.learners, args.repeat, args.keep)
    result["machine"] = machine()
    publish(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
