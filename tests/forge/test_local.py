"""The local forge on real git repositories: pull requests as branches, records in refs."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from microcred.forge.base import (
    APPROVED,
    BOT_MARKER,
    CHANGES_REQUESTED,
    CLOSED,
    COMMENTED,
    MERGED,
    OPEN,
    Conflict,
    ForgeError,
    bot_comment_of,
)
from microcred.forge.local import LocalForge

NOTES = "submissions/lea/my-credential/observation/notes.md"
WRITERS = 8


def _commit(repo: git.Repo, files: dict[str, str | None], message: str) -> str:
    root = Path(repo.working_dir)
    for path, text in files.items():
        if text is None:
            repo.index.remove([path], working_tree=True)
            continue
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        repo.index.add([path])
    return repo.index.commit(message).hexsha


@pytest.fixture
def repo(tmp_path: Path) -> git.Repo:
    """A course on `main` (checked out, clean) and Lea's submission on `lea/observation`."""
    repo = git.Repo.init(tmp_path / "course", initial_branch="main")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "T").release()
        cfg.set_value("user", "email", "t@example.org").release()
    _commit(repo, {"README.md": "# Course\n", "modules/observation/module.yml": "id: observation\n"},
            "course")
    repo.git.checkout("-b", "lea/observation")
    _commit(repo, {NOTES: "## Context\n"}, "submission")
    repo.git.checkout("main")
    return repo


def _opened(repo: git.Repo) -> int:
    return LocalForge(repo, "lea").open_pull_request("lea/observation", "main", "Observation",
                                                     "my evidence").number


def test_open_get_and_list(repo: git.Repo) -> None:
    opened = LocalForge(repo, "lea").open_pull_request("lea/observation", "main", "Observation", "")
    assert (opened.number, opened.author, opened.base, opened.head, opened.state) == \
        (1, "lea", "main", "lea/observation", OPEN)
    assert (opened.base_sha, opened.head_sha) == (repo.heads.main.commit.hexsha,
                                                  repo.heads["lea/observation"].commit.hexsha)
    bot = LocalForge(repo, "microcred-bot")
    assert bot.get_pull_request(1) == opened
    assert bot.list_pull_requests() == bot.list_pull_requests("all") == [opened]
    assert bot.list_pull_requests(CLOSED) == bot.list_pull_requests(MERGED) == []
    with pytest.raises(ForgeError, match="no pull request #7"):
        bot.get_pull_request(7)
    with pytest.raises(ForgeError, match="no branch 'nope'"):
        bot.open_pull_request("nope", "main", "", "")


def test_an_open_pull_request_follows_its_branch(repo: git.Repo) -> None:
    number = _opened(repo)
    repo.git.checkout("lea/observation")
    head = _commit(repo, {"submissions/lea/my-credential/observation/more.md": "more\n"}, "more")
    forge = LocalForge(repo, "coach-a")
    assert forge.get_pull_request(number).head_sha == head
    assert forge.changed_files(number) == ["submissions/lea/my-credential/observation/more.md", NOTES]


def test_changed_files_keep_names_as_they_are(repo: git.Repo) -> None:
    repo.git.checkout("-b", "léa/rename", "main")
    _commit(repo, {"README.md": None, "READ-ME.md": "# Course\n",
                   "submissions/léa/c/m/notes ü.md": "x\n"}, "rename and a non-ASCII name")
    number = LocalForge(repo, "léa").open_pull_request("léa/rename", "main", "t", "").number
    assert LocalForge(repo, "coach-a").changed_files(number) == [
        "READ-ME.md", "README.md", "submissions/léa/c/m/notes ü.md"]


def test_reviews(repo: git.Repo) -> None:
    number = _opened(repo)
    head = LocalForge(repo, "x").get_pull_request(number).head_sha
    coach = LocalForge(repo, "coach-a")
    submitted = [coach.submit_review(number, state, f"{state} body", head)
                 for state in (COMMENTED, CHANGES_REQUESTED, APPROVED)]
    assert [(r.id, r.reviewer, r.state, r.commit_sha) for r in submitted] == [
        (1, "coach-a", COMMENTED, head), (2, "coach-a", CHANGES_REQUESTED, head),
        (3, "coach-a", APPROVED, head)]
    assert LocalForge(repo, "lea").list_reviews(number) == submitted


def test_the_bot_comment_is_sticky(repo: git.Repo) -> None:
    number = _opened(repo)
    bot = LocalForge(repo, "microcred-bot")
    upserted = [bot.upsert_bot_comment(number, body)
                for body in ("check: 2 problems", "check: 1 problem", f"{BOT_MARKER}\ncheck: passed")]
    assert len({c.id for c in upserted}) == 1
    comments = bot.list_comments(number)
    assert [(c.author, c.body) for c in comments] == [("microcred-bot", f"{BOT_MARKER}\ncheck: passed")]
    assert bot_comment_of(comments, "microcred-bot") == upserted[-1]


def test_a_notice_is_written_once_per_marker(repo: git.Repo) -> None:
    number = _opened(repo)
    marker = "<!-- microcred:decision pr-1 -->"
    LocalForge(repo, "lea").comment_once(number, marker, "fake notice")
    bot = LocalForge(repo, "microcred-bot")
    first, new = bot.comment_once(number, marker, "module complete")
    again, new_again = bot.comment_once(number, marker, "edited")
    assert (new, new_again) == (True, False) and again == first
    assert first.body == f"{marker}\nmodule complete"
    assert [c.author for c in bot.list_comments(number)] == ["lea", "microcred-bot"]


def test_commit_statuses_keep_the_latest_per_context(repo: git.Repo) -> None:
    forge = LocalForge(repo, "microcred-bot")
    head = repo.rev_parse("lea/observation").hexsha
    assert forge.get_status(head, "microcred/decision") is None
    forge.set_status(head, "microcred/decision", "failure", "not yet")
    forge.set_status(head, "other", "pending", "waiting")
    forge.set_status(head, "microcred/decision", "success", "complete")
    status = forge.get_status(head, "microcred/decision")
    assert status is not None and (status.state, status.description, status.creator) == \
        ("success", "complete", "microcred-bot")
    with pytest.raises(ForgeError, match="no commit"):
        forge.set_status("f" * 40, "microcred/decision", "success", "")
    with pytest.raises(ForgeError, match="status state"):
        forge.set_status(head, "microcred/decision", "green", "")


def test_request_reviewers_skips_the_author(repo: git.Repo) -> None:
    number = _opened(repo)
    bot = LocalForge(repo, "microcred-bot")
    assert bot.request_reviewers(number, ["lea", "coach-a", "coach-b", "coach-a"]) == \
        ["coach-a", "coach-b"]
    assert bot.request_reviewers(number, ["coach-c"]) == ["coach-a", "coach-b", "coach-c"]
    assert bot.requested_reviewers(number) == ["coach-a", "coach-b", "coach-c"]


def test_read_file(repo: git.Repo) -> None:
    forge = LocalForge(repo, "coach-a")
    assert forge.read_file("README.md", "main") == b"# Course\n"
    assert forge.read_file(NOTES, "lea/observation") == b"## Context\n"
    assert forge.read_file(NOTES, "main") is None
    assert forge.read_file("modules", "main") is None  # a folder is not a file


def test_commit_file_against_the_expected_blob(repo: git.Repo) -> None:
    forge = LocalForge(repo, "microcred-bot")
    old_main = repo.heads.main.commit.hexsha
    created = forge.commit_file("badges/lea.json", b"{}\n", "main", "Issue badge", None)
    assert repo.commit(created).parents[0].hexsha == old_main
    assert (Path(repo.working_dir) / "badges/lea.json").read_text() == "{}\n"  # checkout follows
    assert not repo.is_dirty(untracked_files=True)
    blob = repo.commit(created).tree["badges/lea.json"].hexsha
    forge.commit_file("badges/lea.json", b'{"v": 2}\n', "main", "Reissue", blob)
    with pytest.raises(Conflict, match=r"badges/lea\.json on main changed since it was read"):
        forge.commit_file("badges/lea.json", b"3", "main", "Reissue again", blob)
    with pytest.raises(Conflict):
        forge.commit_file("badges/lea.json", b"3", "main", "Issue again", None)
    with pytest.raises(Conflict):
        forge.commit_file("badges/new.json", b"3", "main", "Issue", blob)
    with pytest.raises(ForgeError, match="no branch 'nope'"):
        forge.commit_file("a.txt", b"a", "nope", "add", None)
    assert forge.read_file("badges/lea.json", "main") == b'{"v": 2}\n'


def test_merge_writes_a_merge_commit_and_the_clean_checkout_follows(repo: git.Repo) -> None:
    number = _opened(repo)
    forge = LocalForge(repo, "coach-a")
    forge.commit_file("badges/other.json", b"{}\n", "main", "meanwhile on main", None)
    old_main, head = repo.heads.main.commit.hexsha, forge.get_pull_request(number).head_sha
    merged = forge.merge(number)
    assert (merged.state, merged.head_sha) == (MERGED, head)
    merge = repo.commit(merged.merge_sha)
    assert [p.hexsha for p in merge.parents] == [old_main, head]
    assert merge.message.startswith(f"Merge pull request #{number} from lea/observation")
    assert repo.heads.main.commit == merge and repo.active_branch.name == "main"
    assert (Path(repo.working_dir) / NOTES).read_text() == "## Context\n"
    assert not repo.is_dirty(untracked_files=True)
    assert forge.list_pull_requests(MERGED) == [merged] and forge.list_pull_requests() == []
    with pytest.raises(ForgeError, match="pull request #1 is merged"):
        forge.merge(number)


def test_merge_leaves_a_dirty_checkout_alone(repo: git.Repo) -> None:
    number = _opened(repo)
    (Path(repo.working_dir) / "README.md").write_text("# my unsaved edit\n")
    merged = LocalForge(repo, "coach-a").merge(number)
    assert repo.heads.main.commit.hexsha == merged.merge_sha
    assert (Path(repo.working_dir) / "README.md").read_text() == "# my unsaved edit\n"
    assert not (Path(repo.working_dir) / NOTES).exists()


def test_a_conflicting_merge_is_refused(repo: git.Repo) -> None:
    repo.git.checkout("-b", "lea/readme", "main")
    _commit(repo, {"README.md": "# Lea's course\n"}, "edit readme")
    repo.git.checkout("main")
    number = LocalForge(repo, "lea").open_pull_request("lea/readme", "main", "t", "").number
    forge = LocalForge(repo, "coach-a")
    forge.commit_file("README.md", b"# Our course\n", "main", "edit readme",
                      repo.heads.main.commit.tree["README.md"].hexsha)
    with pytest.raises(ForgeError, match="#1 does not merge cleanly into main"):
        forge.merge(number)
    assert forge.get_pull_request(number).state == OPEN


def _at_once(work: Callable[[int], None]) -> None:
    """Run `work(0..WRITERS-1)` in threads released together; re-raise the first failure."""
    start, failures = threading.Barrier(WRITERS), []

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
        except BaseException as exc:  # handed to the test below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_concurrent_writers_lose_nothing_and_duplicate_nothing(repo: git.Repo) -> None:
    number = _opened(repo)
    head = LocalForge(repo, "x").get_pull_request(number).head_sha
    path = repo.working_dir
    repo.git.branch("badges", "main")
    for i in range(WRITERS):
        repo.git.branch(f"lea/m{i}", "lea/observation")

    def write(i: int) -> None:
        # Each writer is its own client, as separate processes would be.
        coach = LocalForge(git.Repo(path), f"coach-{i}")
        coach.submit_review(number, COMMENTED, f"review {i}", head)
        LocalForge(coach.repo, "microcred-bot").upsert_bot_comment(number, f"run {i}")
        coach.request_reviewers(number, [f"coach-{i}", "lea"])
        # The same bytes from every writer: the same blob, written at the same moment.
        coach.commit_file(f"badges/{i}.json", b"{}\n", "badges", f"badge {i}", None)
        LocalForge(coach.repo, "lea").open_pull_request(f"lea/m{i}", "main", f"Module {i}", "")

    _at_once(write)
    forge = LocalForge(repo, "x")
    reviews = forge.list_reviews(number)
    assert sorted(r.body for r in reviews) == [f"review {i}" for i in range(WRITERS)]
    assert sorted(r.id for r in reviews) == list(range(1, WRITERS + 1))
    comments = forge.list_comments(number)
    assert len(comments) == 1 and comments[0].body in {f"{BOT_MARKER}\nrun {i}" for i in range(WRITERS)}
    assert sorted(forge.requested_reviewers(number)) == [f"coach-{i}" for i in range(WRITERS)]
    badges = repo.heads.badges.commit
    assert sorted(b.name for b in badges.tree["badges"].blobs) == [f"{i}.json" for i in range(WRITERS)]
    assert len(list(repo.iter_commits(f"main..{badges.hexsha}"))) == WRITERS
    pulls = forge.list_pull_requests()
    assert [p.number for p in pulls] == list(range(1, WRITERS + 2))
    assert sorted(p.title for p in pulls[1:]) == [f"Module {i}" for i in range(WRITERS)]
    assert not list(Path(repo.git_dir).glob("microcred-index-*"))


def test_a_learner_planted_marker_comment_is_never_edited(repo: git.Repo) -> None:
    number = _opened(repo)
    LocalForge(repo, "lea").upsert_bot_comment(number, "all checks passed")
    bot = LocalForge(repo, "microcred-bot")
    bot.upsert_bot_comment(number, "check: 2 problems")
    assert [(c.author, c.body.splitlines()[1]) for c in bot.list_comments(number)] == [
        ("lea", "all checks passed"), ("microcred-bot", "check: 2 problems")]


def test_list_files_names_every_file_under_a_folder(repo: git.Repo) -> None:
    forge = LocalForge(repo, "bot")
    forge.create_branch("ledger-branch", repo.head.commit.hexsha)
    forge.commit_file("ledger/a/one.json", b"{}\n", "ledger-branch", "one", None)
    forge.commit_file("ledger/two.json", b"{}\n", "ledger-branch", "two", None)
    assert forge.list_files("ledger", "ledger-branch") == ["ledger/a/one.json", "ledger/two.json"]
    assert forge.list_files("ledger", "no-such-branch") == []


def test_index_files_left_by_a_killed_process_are_swept_and_live_ones_kept(repo: git.Repo) -> None:
    # What a process killed while building a tree leaves: its private index and git's lock.
    dead_pid = subprocess.Popen(["true"])  # a process id that has ended
    dead_pid.wait()
    git_dir = Path(repo.git_dir)
    dead = [git_dir / f"microcred-index-{dead_pid.pid}-{'a' * 32}",
            git_dir / f"microcred-index-{dead_pid.pid}-{'a' * 32}.lock"]
    live = git_dir / f"microcred-index-{os.getpid()}-{'b' * 32}.lock"
    old = git_dir / f"microcred-index-{'c' * 32}.lock"  # an older name with no process id
    for path in (*dead, live, old):
        path.write_bytes(b"")
    os.utime(old, (time.time() - 2 * 3600,) * 2)
    LocalForge(repo, "bot")
    assert [p.exists() for p in (*dead, live, old)] == [False, False, True, False]
    live.unlink()


def _loose_pull_refs(repo: git.Repo) -> list[str]:
    folder = Path(repo.git_dir) / "refs" / "microcred" / "pulls"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_refs_are_packed_every_few_pull_requests_and_stay_readable_and_writable(
        repo: git.Repo) -> None:
    forge = LocalForge(repo, "lea", pack_every=3)
    for i in range(4):
        repo.git.branch(f"lea/m{i}", "lea/observation")
        forge.open_pull_request(f"lea/m{i}", "main", f"Module {i}", "")
    # The third packed the first three; the fourth is written loose, as git writes any ref.
    assert _loose_pull_refs(repo) == ["4"]
    packed = (Path(repo.git_dir) / "packed-refs").read_text()
    assert all(f"refs/microcred/pulls/{n}\n" in packed for n in (1, 2, 3))
    # A packed pull request is read and updated as any other (its new value written loose).
    coach = forge.as_actor("coach")
    coach.submit_review(2, APPROVED, "fine", coach.get_pull_request(2).head_sha)
    assert [r.body for r in forge.list_reviews(2)] == ["fine"]
    assert _loose_pull_refs(repo) == ["2", "4"]
    assert [p.number for p in forge.list_pull_requests()] == [1, 2, 3, 4]
    assert forge.open_pull_request("lea/observation", "main", "Again", "").number == 5


def test_a_packing_that_git_refuses_does_not_stop_the_pull_request(repo: git.Repo) -> None:
    lock = Path(repo.git_dir) / "packed-refs.lock"  # another process is packing right now
    lock.write_text("")
    forge = LocalForge(repo, "lea", pack_every=1)
    assert forge.open_pull_request("lea/observation", "main", "Observation", "").number == 1
    assert _loose_pull_refs(repo) == ["1"] and lock.exists()
    lock.unlink()
    repo.git.branch("lea/again", "lea/observation")
    forge.open_pull_request("lea/again", "main", "Again", "")
    assert _loose_pull_refs(repo) == []
