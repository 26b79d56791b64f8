"""Count the requests `networks sync --forge github` makes at 100 networks, against the fake GitHub.

Run: python benchmarks/networks_github_benchmark.py [--networks 100] [--size 5]
         [--out benchmarks/networks-github-results.json]

The example course with a synthetic cohort of --networks networks of --size learners
(issue_benchmark.make_cohort), its network repositories in the contract-checked fake GitHub of
tests/github (every request and answer validated against GitHub's published schemas), time on
a fake clock so the pacing and rate-limit waits are counted, not slept:

  first      the first sync: every repository created, seeded, its people invited, main protected
  second     a sync right after: writes nothing; re-reads in full what the first run changed
  steady     a third sync with nothing changed: every read conditional, GitHub answers 304

For each: every request and how many spent quota (all but the 304 answers); the requests of the
organisation client (to the network repositories, by operation, plus one to check the pin is on
GitHub), its writes and 304 answers, the time its writes are paced to (GitHub's 80
content-creating requests a minute); and the requests to the course repository (the registry,
microcred-networks:networks.json, saved after each network, and the pin check).
The figures then map onto GitHub's published limits (docs/networks.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.issue_benchmark import make_cohort
from benchmarks.report import machine, publish

COURSE = "course-org/course"
WRITES_PER_HOUR = 500  # GitHub's secondary limit on content-creating requests
WRITES_PER_MINUTE = 80
REQUESTS_PER_HOUR = 5000  # a user token's primary limit (15,000 for a GitHub App in an
# Enterprise Cloud organisation)


def run(root: Path, server: Any, label: str) -> dict[str, Any]:
    from tests.github.clock import FakeClock
    from tests.github.server import BOT, TOKEN

    from microcred.forge.github import GitHubForge, Pacing
    from microcred.forge.github_admin import AdminClient, EtagStore, Limits
    from microcred.networks.registry import RegistryStore
    from microcred.networks.sync import GitHubTarget, sync_github

    clock = FakeClock()
    client = AdminClient(TOKEN, server.base_url, clock=clock, limits=Limits(),
                         etags=EtagStore(root / ".git" / "microcred" / "github-etags.json"))
    fast = Pacing(seconds_between_requests=None, seconds_between_writes=None)
    course = GitHubForge(COURSE, TOKEN, server.base_url, pacing=fast, bot_login=BOT)
    before = len(server.seen)
    start = time.perf_counter()
    sync_github(root, RegistryStore(course, "main"), "main", GitHubTarget(COURSE, "course-org"),
                client, lambda _line: None)
    elapsed = time.perf_counter() - start
    seen = server.seen[before:]
    course_calls = [s for s in seen if s.path.startswith(f"/repos/{COURSE}/")]
    t = client.tally
    return {"run": label, "requests": len(seen), "quota_spent": sum(s.status != 304 for s in seen),
            "network_requests": t.requests, "writes": t.writes,
            "answered_304": t.not_modified, "full_reads": t.requests - t.writes - t.not_modified,
            "paced_minutes": round(t.waited / 60, 1),
            # the registry's reads and writes, and the check that the pin is on GitHub
            "course_requests": len(course_calls),
            "registry_writes": sum(s.method != "GET" for s in course_calls),
            "by_operation": dict(sorted(t.by_operation.items())),
            "wall_s_against_the_fake": round(elapsed, 1)}


def limits(first: dict[str, Any], steady: dict[str, Any]) -> dict[str, Any]:
    """What the counts mean against GitHub's published limits."""
    writes = first["writes"] + first["registry_writes"]
    return {"first_sync_writes": writes,
            "first_sync_hours_at_500_writes_an_hour": round(writes / WRITES_PER_HOUR, 1),
            "first_sync_minutes_at_80_writes_a_minute": round(writes / WRITES_PER_MINUTE),
            "first_sync_share_of_hourly_quota": round(first["quota_spent"] / REQUESTS_PER_HOUR, 2),
            "steady_resync_quota_spent": steady["quota_spent"],
            "steady_resync_requests": steady["requests"]}


def measure(networks: int, size: int) -> dict[str, Any]:
    from tests.github.server import BOT, FakeGitHub

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        root.mkdir()
        repo, _ = make_cohort(root, networks * size, size)
        server = FakeGitHub(COURSE, owners={BOT}).start()
        try:
            # the course's commit on GitHub too, as `git push` would put it there
            server.world.commit({"README.md": b"# Course\n"}, message="course",
                                sha=repo.head.commit.hexsha)
            runs = [run(root, server, label) for label in ("first", "second", "steady")]
        finally:
            server.close()
        if server.violations:
            raise SystemExit("the fake GitHub saw contract violations:\n"
                             + "\n".join(server.violations[:10]))
    return {"networks": networks, "learners_per_network": size, "learners": networks * size,
            "runs": runs, "against_github_limits": limits(runs[0], runs[2])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=100)
    parser.add_argument("--size", type=int, default=5, help="learners per network")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    out = args.out.resolve() if args.out else None
    here = Path.cwd()
    try:
        result = measure(args.networks, args.size)
    finally:
        os.chdir(here)
    result["machine"] = machine()
    publish(result, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
