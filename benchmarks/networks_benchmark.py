"""Benchmark one repository per peer network: sync, check and issue over many network repositories.

Run: python benchmarks/networks_benchmark.py [--networks 100] [--out benchmarks/networks-results.json]

The example course with a synthetic cohort of --networks networks of 5 learners each
(issue_benchmark.make_cohort), then, on the local forge, in process:

  sync       `microcred networks sync`: every bare repository created and seeded at the pin
  resync     the same again: nothing changes
  list       every network's pull requests listed through the federated forge (what issue does once)
  check      `microcred networks check NET --pr N` on 10 networks' pull requests (rules of the
             course at the pin, loaded once and cached): median and slowest
  issue      `microcred issue --networks --all`: one learner per network with one approved, merged
             pull request per module of the credential (3), so 3 x networks decisions and
             networks badges, all in the course's ledger
  rerun      the same again: everything already decided

Setup (pull requests, reviews, merges in the network repositories) is not timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.issue_benchmark import CREDENTIAL, NETWORK, SEED, make_cohort
from benchmarks.report import machine, publish


def timed(argv: list[str]) -> tuple[float, str]:
    from microcred.cli import main

    out, err = StringIO(), StringIO()
    start = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    elapsed = time.perf_counter() - start
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({code}): {err.getvalue()}")
    return elapsed, out.getvalue()


def earn_in_networks(root: Path) -> dict[str, int]:
    """In every network, its first learner's three modules approved and merged; one pull
    request number per network (its first)."""
    from microcred.content.lint import lint_course
    from microcred.demo.evidence import demo_evidence
    from microcred.forge.base import APPROVED
    from microcred.networks import local
    from microcred.networks.registry import course_registry
    from microcred.review.format import ReviewBlock, render_review

    course = lint_course(root, releases=False)[0].course
    credential = course.credentials[CREDENTIAL]
    firsts = {}
    for record in course_registry(root, None, "main").load().networks:
        learner, coach = record.learners[0], record.coaches[0]
        as_learner = local.open_network(root, record, learner, local.PUSH)
        as_coach = local.open_network(root, record, coach, local.PUSH)
        for module_id in credential.modules:
            branch = f"{learner}/{module_id}"
            as_learner.create_branch(branch, as_learner.branch_sha("main") or "")
            folder = f"submissions/{learner}/{CREDENTIAL}/{module_id}"
            evidence = "".join(f"  {r.id}: {r.file}\n" for r in course.modules[module_id].evidence)
            manifest = (f"format: 1\nkind: submission\nlearner: {learner}\ncredential: {CREDENTIAL}\n"
                        f"credential_version: {credential.version}\nmodule: {module_id}\nattempt: 1\n"
                        f"evidence:\n{evidence}privacy:\n  deidentified: true\n")
            as_learner.commit_file(f"{folder}/submission.yml", manifest.encode(), branch, "submit",
                                   None)
            for req in course.modules[module_id].evidence:
                if not req.optional:
                    as_learner.commit_file(f"{folder}/{req.file}", demo_evidence(req), branch,
                                           "evidence", None)
            pull = as_learner.open_pull_request(branch, "main", f"{module_id} {learner}", "")
            firsts.setdefault(record.id, pull.number)
            rubric = course.rubrics[course.modules[module_id].rubric]
            block = ReviewBlock(module_id, {c.id: c.required for c in rubric.criteria})
            as_coach.submit_review(pull.number, APPROVED, render_review(block),
                                   as_coach.get_pull_request(pull.number).head_sha)
            as_coach.merge(pull.number)
    return firsts


def list_all(root: Path) -> tuple[float, int]:
    import git

    from microcred.forge.local import LocalForge
    from microcred.networks.federated import NetworkForges
    from microcred.networks.local import open_network
    from microcred.networks.registry import course_registry

    registry = course_registry(root, None, "main").load()
    forges = NetworkForges(LocalForge(git.Repo(root), "microcred-bot"), registry,
                           lambda r: open_network(root, r, "microcred-bot"))
    start = time.perf_counter()
    pulls = forges.list_pull_requests("all")
    return time.perf_counter() - start, len(pulls)


def measure(networks: int) -> dict[str, Any]:
    os.environ["MICROCRED_SIGNING_KEY"] = SEED
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        root.mkdir()
        make_cohort(root, networks * NETWORK)
        os.chdir(root)
        sync, _ = timed(["networks", "sync", "--root", str(root)])
        resync, _ = timed(["networks", "sync", "--root", str(root)])
        start = time.perf_counter()
        firsts = earn_in_networks(root)
        setup = time.perf_counter() - start
        listed, pulls = list_all(root)
        checks = [timed(["networks", "check", net, "--pr", str(n), "--root", str(root)])[0]
                  for net, n in list(firsts.items())[:10]]
        cold, out = timed(["issue", "--networks", "--all", "--root", str(root)])
        rerun, _ = timed(["issue", "--networks", "--all", "--root", str(root)])
        repos_mb = sum(f.stat().st_size for f in (root.parent / "course.networks").rglob("*")
                       if f.is_file()) / 1e6
    return {"networks": networks, "learners": networks * NETWORK, "pull_requests": pulls,
            "sync_s": round(sync, 1), "ms_per_network_sync": round(1000 * sync / networks),
            "resync_s": round(resync, 1), "network_repos_mb": round(repos_mb, 1),
            "setup_s": round(setup, 1), "list_all_pulls_s": round(listed, 2),
            "check_median_ms": round(1000 * statistics.median(checks)),
            "check_first_ms": round(1000 * checks[0]), "check_max_ms": round(1000 * max(checks)),
            "issue_cold_s": round(cold, 1), "issue_ms_per_pull_request": round(1000 * cold / pulls),
            "badges_issued": out.count("  issued "), "issue_rerun_s": round(rerun, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=100)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    out = args.out.resolve() if args.out else None  # measure() works in a temporary folder
    here = Path.cwd()
    try:
        result = measure(args.networks)
    finally:
        os.chdir(here)
    result["machine"] = machine()
    publish(result, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
