"""Benchmark `microcred issue`: the time to decide and issue badges for a whole cohort.

Run: python benchmarks/issue_benchmark.py [--learners 70] [--out benchmarks/issue-results.json]
     python benchmarks/issue_benchmark.py --race 20 --learners 10 [--out ...]

A copy of the example course whose cohort programme gets --learners synthetic learners (networks
of 5, one coach each from the roster). Every learner has one merged pull request per module of
the credential (3), each approved by their coach on its head commit with a valid review block,
all on the local forge (git refs, no network). Then, in process with a fixed signing key:

  cold   `microcred issue --all` on the fresh repository: every decision, completion, status
         index and badge is written (3 x learners pull requests, learners badges)
  rerun  `microcred issue --all` again: everything is already decided; nothing is written

Setup (pull requests, reviews, merges) is not timed.

With --race N, N `microcred issue --all` processes start at once on the fresh repository instead,
as concurrent workflow runs would: it records their exit codes, the badges issued and the status
indices reserved with no badge to show for them (orphaned), and the wall time until the last ends.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any

import git
import yaml

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import machine, publish

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROGRAMME = "content/programmes/instructional-leadership.yml"
CREDENTIAL = "equity-instructional-leadership"
NETWORK = 5
SEED = "5e" * 32


def make_cohort(root: Path, learners: int,
                size: int = NETWORK) -> tuple[git.Repo, list[tuple[str, str]]]:
    """The example course with a synthetic cohort in networks of `size` learners; returns the
    repo and (learner, coach) pairs."""
    # The example cohort's calendar and exchanges name its roster, replaced here.
    skip = shutil.ignore_patterns("calendars", "exchanges")
    for folder in ("content", "modules", "rubrics"):
        shutil.copytree(REPO / folder, root / folder, ignore=skip)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    programme = yaml.safe_load((root / PROGRAMME).read_text("utf-8"))
    programme.pop("min_coaching", None)  # the synthetic learners have no coaching logged
    coaches = programme["coaches"]
    logins = [f"learner-{n:04d}" for n in range(learners)]
    networks = [{"id": f"network-{i:03d}", "coach": coaches[i % len(coaches)],
                 "learners": logins[start:start + size]}
                for i, start in enumerate(range(0, learners, size))]
    if len(networks) > 1 and len(networks[-1]["learners"]) < 4:  # networks hold 4-6 learners
        networks[-2]["learners"] += networks.pop()["learners"]
    programme["cohorts"] = [{"id": "bench", "networks": networks}]
    (root / PROGRAMME).write_text(yaml.safe_dump(programme, sort_keys=False), encoding="utf-8")
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as config:
        config.set_value("user", "name", "Bench")
        config.set_value("user", "email", "bench@example.org")
    repo.git.add("--all")
    repo.git.commit("-q", "-m", "course")
    pairs = [(login, net["coach"]) for net in networks for login in net["learners"]]
    return repo, pairs


def merged_pull_requests(repo: git.Repo, pairs: list[tuple[str, str]]) -> int:
    """One approved, merged pull request per learner and module; returns how many."""
    from microcred.content.lint import lint_course
    from microcred.demo.evidence import demo_evidence
    from microcred.forge.base import APPROVED
    from microcred.forge.local import LocalForge
    from microcred.review.format import ReviewBlock, render_review

    course = lint_course(Path(repo.working_dir), releases=False)[0].course
    credential = course.credentials[CREDENTIAL]
    count = 0
    for learner, coach in pairs:
        for module_id in credential.modules:
            branch = f"{learner}/{module_id}"
            as_learner = LocalForge(repo, learner)
            as_learner.create_branch(branch, repo.head.commit.hexsha)
            folder = f"submissions/{learner}/{CREDENTIAL}/{module_id}"
            evidence = "".join(f"  {r.id}: {r.file}\n" for r in course.modules[module_id].evidence)
            manifest = (f"format: 1\nkind: submission\nlearner: {learner}\ncredential: {CREDENTIAL}\n"
                        f"credential_version: {credential.version}\nmodule: {module_id}\nattempt: 1\n"
                        f"evidence:\n{evidence}privacy:\n  deidentified: true\n")
            as_learner.commit_file(f"{folder}/submission.yml", manifest.encode(), branch, "submit", None)
            # Evidence that passes the check: issuing runs the check again before it awards.
            for req in course.modules[module_id].evidence:
                if not req.optional:
                    as_learner.commit_file(f"{folder}/{req.file}", demo_evidence(req), branch,
                                           "evidence", None)
            pull = as_learner.open_pull_request(branch, "main", f"{module_id} {learner}", "")
            rubric = course.rubrics[course.modules[module_id].rubric]
            block = ReviewBlock(module_id, {c.id: c.required for c in rubric.criteria})
            as_coach = LocalForge(repo, coach)
            as_coach.submit_review(pull.number, APPROVED, render_review(block),
                                   as_coach.get_pull_request(pull.number).head_sha)
            as_coach.merge(pull.number)
            count += 1
    return count


def run_issue(root: Path) -> tuple[float, int, str]:
    from microcred.cli import main

    out, err = StringIO(), StringIO()
    start = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["issue", "--all", "--root", str(root)])
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"issue failed ({code}): {err.getvalue()}")
    return elapsed, out.getvalue().count("  issued "), out.getvalue()


def measure(learners: int) -> dict[str, Any]:
    os.environ["MICROCRED_SIGNING_KEY"] = SEED
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        root.mkdir()
        repo, pairs = make_cohort(root, learners)
        start = time.perf_counter()
        pulls = merged_pull_requests(repo, pairs)
        setup = time.perf_counter() - start
        cold, issued, _ = run_issue(root)
        rerun, again, _ = run_issue(root)
        ledger_commits = int(subprocess.run(["git", "-C", str(root), "rev-list", "--count",
                                             "microcred-ledger", "^main"], capture_output=True,
                                            text=True, check=True).stdout)
    return {"learners": learners, "pull_requests": pulls, "setup_s": round(setup, 1),
            "cold_s": round(cold, 2), "badges_issued": issued,
            "ms_per_pull_request": round(1000 * cold / pulls, 1),
            "rerun_s": round(rerun, 2), "badges_issued_on_rerun": again,
            "ledger_commits": ledger_commits}


def race(learners: int, issuers: int) -> dict[str, Any]:
    """`issuers` processes of `microcred issue --all` at once over one cohort's merges."""
    from microcred.ledger import layout
    from microcred.ledger.snapshot import read_ledger

    env = {**os.environ, "MICROCRED_SIGNING_KEY": SEED}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        root.mkdir()
        repo, pairs = make_cohort(root, learners)
        pulls = merged_pull_requests(repo, pairs)
        argv = [sys.executable, "-m", "microcred", "issue", "-q", "--all", "--root", str(root)]
        start = time.perf_counter()
        runs = [subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for _ in range(issuers)]
        ended = [(run.wait(), run.communicate()[1].decode()) for run in runs]
        wall = time.perf_counter() - start
        files = read_ledger(root)
    badges = {p: json.loads(d) for p, d in files.items() if p.startswith(layout.BADGES)}
    reserved = json.loads(files.get(layout.ALLOCATIONS, b'{"badges": {}}'))["badges"]
    issued = {b["id"]: p for p, b in badges.items()}
    orphaned = [bid for bid, e in reserved.items() if issued.get(bid) != e["path"]]
    return {"learners": learners, "pull_requests": pulls, "issuers": issuers,
            "exit_codes": sorted(code for code, _ in ended),
            "errors": sorted({err.strip() for code, err in ended if code}),
            "badges_issued": len(badges), "indices_reserved": len(reserved),
            "orphaned_indices": len(orphaned), "wall_s": round(wall, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=70)
    parser.add_argument("--race", type=int, metavar="N", help="N concurrent issue runs instead")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = race(args.learners, args.race) if args.race else measure(args.learners)
    result["machine"] = machine()
    publish(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
