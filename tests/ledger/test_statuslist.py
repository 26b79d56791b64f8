"""Status indices, the signed status list and revocations on a real ledger branch (local forge)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import git
import pytest

from microcred.badge.keys import did_key_signer, parse_secret
from microcred.badge.status import create_status_list, is_set, update_status_list
from microcred.badge.verify import Context, check_signature
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.statuslist import (
    allocation_of,
    ensure_status_list,
    newest_list,
    reserve_index,
    revoke,
    status_list_history,
)
from microcred.ledger.store import LedgerError, LedgerStore, blob_sha, dump

KEY = did_key_signer(parse_secret("4f" * 32))
OTHER = did_key_signer(parse_secret("5e" * 32))
NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
LIST_URL = "https://school.example.org/course/status/revocation.json"
THREADS = 8


@pytest.fixture
def repo(tmp_path: Path) -> git.Repo:
    repo = git.Repo.init(tmp_path / "course", initial_branch="main")
    (tmp_path / "course" / "README.md").write_text("# Course\n", encoding="utf-8")
    repo.index.add(["README.md"])
    repo.index.commit("course")
    return repo


def store_of(repo: git.Repo) -> LedgerStore:
    """A client of its own, as a separate process would be."""
    return LedgerStore(LocalForge(git.Repo(repo.working_dir), "microcred-bot"),
                       layout.DEFAULT_BRANCH, "main")


@pytest.fixture
def store(repo: git.Repo) -> LedgerStore:
    store = store_of(repo)
    store.ensure()
    return store


def badge_id(n: int) -> str:
    return f"urn:uuid:00000000-0000-4000-8000-{n:012d}"


def at_once(work: Callable[[int], Any]) -> list[Any]:
    """Run `work(0..THREADS-1)` in threads released together; their results, in order."""
    start, results, failures = threading.Barrier(THREADS), [None] * THREADS, []

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except BaseException as exc:  # handed to the test below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return results


def test_indices_start_at_zero_and_are_handed_out_once(store: LedgerStore) -> None:
    assert reserve_index(store, "ledger/badges/a.json", badge_id(1)) == (badge_id(1), 0)
    assert reserve_index(store, "ledger/badges/b.json", badge_id(2)) == (badge_id(2), 1)
    # The reservation is per badge path: a re-run (with a new id in hand) gets the first one back.
    assert reserve_index(store, "ledger/badges/a.json", badge_id(3)) == (badge_id(1), 0)
    assert store.read_json(layout.ALLOCATIONS) == {"format": 1, "next": 2, "badges": {
        badge_id(1): {"index": 0, "path": "ledger/badges/a.json"},
        badge_id(2): {"index": 1, "path": "ledger/badges/b.json"}}}
    assert allocation_of(store, badge_id(2)).path == "ledger/badges/b.json"


def test_racing_allocations_get_distinct_indices_and_none_is_lost(repo: git.Repo,
                                                                  store: LedgerStore) -> None:
    indices = at_once(lambda i: reserve_index(store_of(repo), f"ledger/badges/{i}.json", badge_id(i))[1])
    assert sorted(indices) == list(range(THREADS))
    table = store.read_json(layout.ALLOCATIONS) or {}
    assert table["next"] == THREADS
    assert {b: e["index"] for b, e in table["badges"].items()} == {
        badge_id(i): indices[i] for i in range(THREADS)}


def test_the_status_list_is_created_once_even_by_racing_issuers(repo: git.Repo,
                                                                store: LedgerStore) -> None:
    lists = at_once(lambda i: ensure_status_list(store_of(repo), KEY, LIST_URL, NOW))
    stored = store.read_json(layout.STATUS_LIST)
    assert all(found == stored for found in lists)
    assert stored is not None and stored["id"] == LIST_URL and stored["issuer"] == KEY.controller
    assert check_signature(stored, Context(NOW)).passed
    commits = repo.git.log("--format=%s", layout.DEFAULT_BRANCH, "--", layout.STATUS_LIST).splitlines()
    assert commits == ["Create the revocation status list"]


def issued(store: LedgerStore, count: int) -> None:
    ensure_status_list(store, KEY, LIST_URL, NOW)
    for n in range(count):
        reserve_index(store, f"ledger/badges/{n}.json", badge_id(n))


def test_revoke_sets_the_bit_re_signs_and_records_why(store: LedgerStore) -> None:
    issued(store, 3)
    later = NOW.replace(hour=10, minute=0)
    result = revoke(store, KEY, badge_id(1), "awarded in error", "director", later)
    assert (result.allocation.index, result.already) == (1, False)
    listed = store.read_json(layout.STATUS_LIST) or {}
    assert [is_set(listed, i) for i in range(3)] == [False, True, False]
    assert listed["validFrom"] == "2025-03-01T10:00:00Z"
    assert check_signature(listed, Context(later)).passed
    assert store.read_json(result.record) == {
        "format": 1, "kind": "revocation", "badge": badge_id(1), "reason": "awarded in error",
        "revoked_by": "director", "revoked": "2025-03-01T10:00:00Z"}
    assert result.record == "ledger/revocations/00000000-0000-4000-8000-000000000001.json"


def test_revoking_twice_changes_nothing(repo: git.Repo, store: LedgerStore) -> None:
    issued(store, 2)
    revoke(store, KEY, badge_id(0), "first reason", "director", NOW)
    head = repo.rev_parse(layout.DEFAULT_BRANCH).hexsha
    again = revoke(store, KEY, badge_id(0), "second reason", "someone", NOW.replace(hour=11))
    assert again.already
    assert repo.rev_parse(layout.DEFAULT_BRANCH).hexsha == head
    assert (store.read_json(again.record) or {})["reason"] == "first reason"


def test_an_interrupted_revocation_gets_its_record_on_the_next_try(repo: git.Repo,
                                                                   store: LedgerStore) -> None:
    issued(store, 1)
    record = revoke(store, KEY, badge_id(0), "why", "director", NOW).record
    # As if the revocation stopped between its two writes: the bit is set, the record missing.
    repo.git.update_ref(f"refs/heads/{store.branch}", f"{store.branch}~1")
    assert store.read(record) is None
    again = revoke(store, KEY, badge_id(0), "why, again", "director", NOW)
    assert again.already and (store.read_json(record) or {})["reason"] == "why, again"


def test_racing_revocations_of_different_badges_all_land(repo: git.Repo, store: LedgerStore) -> None:
    issued(store, THREADS)
    at_once(lambda i: revoke(store_of(repo), KEY, badge_id(i), f"reason {i}", "director", NOW))
    listed = store.read_json(layout.STATUS_LIST) or {}
    assert all(is_set(listed, i) for i in range(THREADS))
    assert not is_set(listed, THREADS)
    assert all(store.read(layout.revocation_path(badge_id(i))) for i in range(THREADS))


def test_revoking_an_unknown_badge_names_it(store: LedgerStore) -> None:
    issued(store, 1)
    with pytest.raises(LedgerError) as caught:
        revoke(store, KEY, "urn:uuid:ffffffff-0000-4000-8000-000000000000", "x", "director", NOW)
    assert str(caught.value) == (
        "urn:uuid:ffffffff-0000-4000-8000-000000000000: no badge with this id in the ledger on "
        "'microcred-ledger'; copy the id from the badge's \"id\" field")


def test_revoking_with_another_key_is_refused(store: LedgerStore) -> None:
    issued(store, 1)
    with pytest.raises(LedgerError, match=f"issued by {KEY.controller}, but the key given is "
                       f"{OTHER.controller}; revoke with the issuer's key"):
        revoke(store, OTHER, badge_id(0), "x", "director", NOW)
    assert not is_set(store.read_json(layout.STATUS_LIST) or {}, 0)


def test_revoking_without_a_ledger_says_so(repo: git.Repo) -> None:
    with pytest.raises(LedgerError, match="there is no ledger branch 'microcred-ledger'"):
        revoke(store_of(repo), KEY, badge_id(0), "x", "director", NOW)


# Rollback: an older signed list put back on the branch cannot un-revoke a badge (issue 17, 3).


def put_back(repo: git.Repo, path: str, content: bytes | None, who: str = "a coach") -> None:
    """Commit `content` (None: delete) at `path` on the ledger branch, as a push by hand would."""
    store = LedgerStore(LocalForge(git.Repo(repo.working_dir), who), layout.DEFAULT_BRANCH, "main")
    if content is None:
        worktree = Path(repo.working_dir).parent / "by-hand"
        repo.git.worktree("add", str(worktree), layout.DEFAULT_BRANCH)
        hand = git.Repo(worktree)
        hand.index.remove([path], working_tree=True)
        hand.index.commit("Remove the status list")
        repo.git.worktree("remove", "--force", str(worktree))
        return
    current = store.read(path)
    store.forge.commit_file(path, content, store.branch, "Put the list back",
                            None if current is None else blob_sha(current))


def history(repo: git.Repo) -> list[dict[str, Any]]:
    return status_list_history(Path(repo.working_dir))


def test_a_list_put_back_after_a_revocation_is_restored_by_the_next_revocation(
        repo: git.Repo, store: LedgerStore) -> None:
    issued(store, 3)
    before = store.read(layout.STATUS_LIST)
    assert before is not None
    revoke(store, KEY, badge_id(1), "awarded in error", "director", NOW.replace(hour=10))
    put_back(repo, layout.STATUS_LIST, before)  # the list as it was: badge 1 not revoked
    rolled_back = store.read_json(layout.STATUS_LIST) or {}
    assert not is_set(rolled_back, 1)
    # Its signature is the issuer's, and it is older than one the history holds.
    assert newest_list(history(repo), KEY.controller)["validFrom"] == "2025-03-01T10:30:00Z"
    # The next revocation (even one dated earlier, by a skewed clock) restores the newest list.
    result = revoke(store, KEY, badge_id(2), "also in error", "director", NOW, history(repo))
    assert result.restored == "2025-03-01T10:30:00Z" and not result.already
    listed = store.read_json(layout.STATUS_LIST) or {}
    assert [is_set(listed, i) for i in range(3)] == [False, True, True]
    assert listed["validFrom"] == "2025-03-01T10:30:01Z"
    assert check_signature(listed, Context(NOW)).passed


def test_revoking_a_badge_whose_bit_the_rolled_back_list_already_has_still_restores(
        repo: git.Repo, store: LedgerStore) -> None:
    issued(store, 2)
    revoke(store, KEY, badge_id(0), "first", "director", NOW.replace(hour=10))
    after_first = store.read(layout.STATUS_LIST)
    revoke(store, KEY, badge_id(1), "second", "director", NOW.replace(hour=11))
    assert after_first is not None
    put_back(repo, layout.STATUS_LIST, after_first)  # badge 1 un-revoked, badge 0 still revoked
    result = revoke(store, KEY, badge_id(0), "again", "director", NOW.replace(hour=12), history(repo))
    assert result.restored == "2025-03-01T11:30:00Z"
    listed = store.read_json(layout.STATUS_LIST) or {}
    assert [is_set(listed, i) for i in range(2)] == [True, True]


def test_issuing_on_a_rolled_back_or_deleted_list_restores_it_first(repo: git.Repo,
                                                                   store: LedgerStore) -> None:
    issued(store, 2)
    before = store.read(layout.STATUS_LIST)
    assert before is not None
    revoke(store, KEY, badge_id(0), "why", "director", NOW.replace(hour=10))
    put_back(repo, layout.STATUS_LIST, before)
    restored = ensure_status_list(store, KEY, LIST_URL, NOW.replace(hour=12), history(repo))
    assert is_set(restored, 0) and restored["validFrom"] == "2025-03-01T12:30:00Z"
    assert store.read_json(layout.STATUS_LIST) == restored
    put_back(repo, layout.STATUS_LIST, None)  # deleted: an empty list must not take its place
    again = ensure_status_list(store, KEY, LIST_URL, NOW.replace(hour=13), history(repo))
    assert is_set(again, 0) and again["validFrom"] == "2025-03-01T13:30:00Z"


def test_a_newer_list_signed_with_another_key_is_no_floor_and_gives_way(
        repo: git.Repo, store: LedgerStore) -> None:
    issued(store, 2)
    revoke(store, KEY, badge_id(0), "why", "director", NOW.replace(hour=10))
    forged = create_status_list(LIST_URL, OTHER, NOW.replace(hour=20))
    put_back(repo, layout.STATUS_LIST, dump(forged))
    assert newest_list(history(repo), KEY.controller)["validFrom"] == "2025-03-01T10:30:00Z"
    assert newest_list(history(repo), OTHER.controller) == forged
    # The next revocation with the issuer's key puts the issuer's newest list back first.
    result = revoke(store, KEY, badge_id(1), "again", "director", NOW, history(repo))
    assert result.restored == "2025-03-01T10:30:00Z"
    listed = store.read_json(layout.STATUS_LIST) or {}
    assert listed["issuer"] == KEY.controller and [is_set(listed, i) for i in range(2)] == [True, True]
    # Without a list of the key's in the history, another key's list is refused, as before.
    with pytest.raises(LedgerError, match="issued by did:key:"):
        revoke(store, OTHER, badge_id(1), "x", "director", NOW, [])


def test_bits_of_a_list_another_key_signed_never_count(repo: git.Repo, store: LedgerStore) -> None:
    issued(store, 2)
    revoke(store, KEY, badge_id(0), "why", "director", NOW.replace(hour=10))
    forged = update_status_list(create_status_list(LIST_URL, OTHER, NOW), 1, True, OTHER,
                                NOW.replace(hour=20))  # "revokes" badge 1
    put_back(repo, layout.STATUS_LIST, dump(forged))
    restored = ensure_status_list(store, KEY, LIST_URL, NOW.replace(hour=12), history(repo))
    assert restored["issuer"] == KEY.controller
    assert [is_set(restored, i) for i in range(2)] == [True, False]
