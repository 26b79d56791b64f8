"""The organisation client within GitHub's limits, against the contract-checked fake GitHub:
rate-limit answers injected, waits on a fake clock (never real sleeping), writes paced,
conditional re-reads answered 304, lists followed page by page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.forge.base import ForgeError
from microcred.forge.github_admin import AdminClient, EtagStore, Limits, RateLimited
from tests.github.clock import FakeClock
from tests.github.server import TOKEN, FakeGitHub

REPO = "course-org/course"
LIMITS = Limits(seconds_between_writes=0.8, max_wait=120, secondary_wait=60, retries=3, timeout=5)


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    fake = FakeGitHub(REPO).start()
    fake.world.commit({"README.md": b"# Course\n"})
    try:
        yield fake
    finally:
        fake.close()
    assert fake.violations == []


def client(server: FakeGitHub, clock: FakeClock, etags: Path | None = None) -> AdminClient:
    return AdminClient(TOKEN, server.base_url, clock=clock, limits=LIMITS,
                       etags=EtagStore(etags))


def test_retry_after_is_waited_on_the_clock_then_the_request_goes_through(
        server: FakeGitHub) -> None:
    clock = FakeClock()
    server.rate_limit("repos/get", status=429, retry_after="7")
    assert client(server, clock).get(f"/repos/{REPO}")["full_name"] == REPO
    assert clock.sleeps == [7.0]
    assert [s.status for s in server.calls("repos/get")] == [429, 200]


def test_a_spent_quota_waits_until_its_reset(server: FakeGitHub) -> None:
    clock = FakeClock()
    server.rate_limit("repos/get", status=403, retry_after=None, primary=True, reset_in=30)
    c = client(server, clock)
    assert c.get(f"/repos/{REPO}") is not None
    assert len(clock.sleeps) == 1 and 29 <= clock.sleeps[0] <= 32
    assert c.tally.waited == clock.sleeps[0]


def test_a_secondary_limit_naming_no_wait_waits_a_minute(server: FakeGitHub) -> None:
    clock = FakeClock()
    server.rate_limit("repos/get", status=403, retry_after=None)
    client(server, clock).get(f"/repos/{REPO}")
    assert clock.sleeps == [60.0]


def test_a_wait_beyond_the_bound_stops_with_when_to_run_again(server: FakeGitHub) -> None:
    clock = FakeClock()
    server.rate_limit("repos/get", status=403, retry_after=None, primary=True, reset_in=3600)
    with pytest.raises(RateLimited, match=r"wait of 360\d s, over this run's limit of 120 s; "
                                          r"run it again after \d\d:\d\d UTC"):
        client(server, clock).get(f"/repos/{REPO}")
    assert clock.sleeps == []


def test_a_limit_that_does_not_lift_gives_up_after_the_retries(server: FakeGitHub) -> None:
    server.rate_limit("repos/get", retry_after="1", times=10)
    with pytest.raises(RateLimited, match="still rate limited after 3 waits"):
        client(server, FakeClock()).get(f"/repos/{REPO}")
    assert len(server.calls("repos/get")) == 4


def test_a_refusal_that_is_no_rate_limit_is_not_retried(server: FakeGitHub) -> None:
    server.fail("repos/get", 403, "Resource not accessible by integration")
    with pytest.raises(ForgeError, match="403: Resource not accessible"):
        client(server, FakeClock()).get(f"/repos/{REPO}")
    assert len(server.calls("repos/get")) == 1


def test_writes_are_paced_apart_and_reads_are_not(server: FakeGitHub) -> None:
    clock = FakeClock()
    c = client(server, clock)
    for n in range(3):
        c.write("POST", f"/repos/{REPO}/git/blobs", {"content": f"blob {n}", "encoding": "utf-8"})
        c.get(f"/repos/{REPO}")
    assert clock.sleeps == pytest.approx([0.8, 0.8])  # the first write waits for nothing
    assert c.tally.writes == 3 and c.tally.requests == 6


def test_a_re_read_is_conditional_and_a_304_gives_the_kept_answer(
        server: FakeGitHub, tmp_path: Path) -> None:
    cache = tmp_path / "etags.json"
    first = client(server, FakeClock(), cache)
    body = first.get(f"/repos/{REPO}")
    first.etags.save()
    again = client(server, FakeClock(), cache)
    assert again.get(f"/repos/{REPO}") == body
    last = server.calls("repos/get")[-1]
    assert (last.status, last.conditional) == (304, True)
    assert again.tally.not_modified == 1
    server.world.repo.default_branch = "trunk"  # changed: a full answer again
    assert again.get(f"/repos/{REPO}")["default_branch"] == "trunk"


def test_a_damaged_etag_file_costs_full_reads_only(server: FakeGitHub, tmp_path: Path) -> None:
    cache = tmp_path / "etags.json"
    cache.write_text("{not json", encoding="utf-8")
    assert client(server, FakeClock(), cache).get(f"/repos/{REPO}") is not None


def test_lists_are_read_page_by_page(server: FakeGitHub) -> None:
    access = server.org.access[REPO]
    access.collaborators.update({f"learner-{n:03}": "write" for n in range(150)})
    people = client(server, FakeClock()).get_all(f"/repos/{REPO}/collaborators")
    assert len(people) == 150
    assert len(server.calls("repos/list-collaborators")) == 2


def test_a_paged_list_re_read_is_answered_304_page_by_page(server: FakeGitHub) -> None:
    server.org.access[REPO].collaborators.update({f"learner-{n:03}": "write" for n in range(150)})
    c = client(server, FakeClock())
    first = c.get_all(f"/repos/{REPO}/collaborators")
    server.seen.clear()
    assert c.get_all(f"/repos/{REPO}/collaborators") == first
    assert [s.status for s in server.seen] == [304, 304]
