"""The GitHub forge end to end: PyGithub over HTTP against the contract-checked fake GitHub."""

from __future__ import annotations

import json
import logging
import socket
import traceback
import urllib.error
import urllib.request

import pytest

from microcred.errors import ConfigError
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
from microcred.forge.github import COMMIT_ATTEMPTS, GitHubForge, from_environment
from tests.forge.conftest import COACH_TOKEN, FAST, LEARNER_TOKEN, REPO, forge_for, start_github
from tests.github.server import TOKEN, FakeGitHub

NOTES = "submissions/lea/my-credential/observation/notes.md"


def _submission(server: FakeGitHub, files: dict[str, bytes | None] | None = None,
                branch: str = "lea/observation") -> str:
    """A learner's branch off main with `files` (by default, one notes file); its head sha."""
    return server.world.commit(files or {NOTES: b"## Context\n"}, branch=branch, start="main",
                               author="lea", message="submission")


def _opened(server: FakeGitHub, files: dict[str, bytes | None] | None = None) -> int:
    _submission(server, files)
    return forge_for(server, LEARNER_TOKEN).open_pull_request("lea/observation", "main", "Observation",
                                                              "my evidence").number


# pull requests


def test_open_get_and_list_pull_requests(github_server: FakeGitHub, github_forge: GitHubForge) -> None:
    head = _submission(github_server)
    opened = forge_for(github_server, LEARNER_TOKEN).open_pull_request(
        "lea/observation", "main", "Observation", "my evidence")
    assert (opened.number, opened.title, opened.author, opened.base, opened.head) == \
        (1, "Observation", "lea", "main", "lea/observation")
    assert (opened.head_sha, opened.base_sha) == (head, github_server.world.repo.branches["main"])
    assert (opened.state, opened.from_fork, opened.merge_sha) == (OPEN, False, "")
    assert opened.head_repo == github_server.world.repo.full_name
    assert github_forge.get_pull_request(1) == opened
    assert github_forge.list_pull_requests() == [opened]
    assert github_forge.list_pull_requests(CLOSED) == github_forge.list_pull_requests(MERGED) == []
    assert github_forge.list_pull_requests("all") == [opened]


def test_pull_requests_list_in_number_order_across_pages(github_server: FakeGitHub,
                                                          github_forge: GitHubForge) -> None:
    for n in range(1, 104):
        _submission(github_server, {f"submissions/lea/c/m{n}/notes.md": b"x"}, branch=f"lea/m{n}")
        github_server.world.open_pull("lea", f"Module {n}", "", f"lea/m{n}", "main")
    listed = github_forge.list_pull_requests()
    assert [(p.number, p.title) for p in listed] == [(n, f"Module {n}") for n in range(1, 104)]
    assert len(github_server.calls("pulls/list")) == 2


def test_a_refused_pull_request_carries_githubs_reason(github_server: FakeGitHub,
                                                       github_forge: GitHubForge) -> None:
    github_server.world.commit({}, branch="empty", start="main")
    with pytest.raises(ForgeError) as caught:
        github_forge.open_pull_request("empty", "main", "Nothing", "")
    assert str(caught.value) == ("open a pull request from empty into main: GitHub answered 422: "
                                 "Validation Failed; No commits between main and empty")
    with pytest.raises(ForgeError, match="answered 404: Not Found"):
        github_forge.get_pull_request(99)


def test_a_fork_pull_request_is_flagged_and_readable_by_sha(github_server: FakeGitHub,
                                                            github_forge: GitHubForge) -> None:
    fork = github_server.world.fork("lea")
    head = github_server.world.commit({NOTES: b"from my fork\n"}, branch="observation", repo=fork,
                                      start="main", author="lea")
    pr = forge_for(github_server, LEARNER_TOKEN).open_pull_request("lea:observation", "main",
                                                                   "Observation", "")
    assert (pr.from_fork, pr.head, pr.head_sha, pr.head_repo) == (True, "observation", head,
                                                                  fork.full_name)
    assert github_forge.get_pull_request(pr.number).from_fork is True
    assert github_forge.changed_files(pr.number) == [NOTES]
    # The fork's branch is not in the course repository; its commits are, by sha.
    assert github_forge.read_file(NOTES, pr.head_sha) == b"from my fork\n"
    assert github_forge.read_file(NOTES, pr.head) is None


# changed files


def test_changed_files_follow_pagination_over_250_files(github_server: FakeGitHub,
                                                        github_forge: GitHubForge) -> None:
    files: dict[str, bytes | None] = {f"submissions/lea/c/m/{n:03}.md": b"%d" % n for n in range(250)}
    number = _opened(github_server, files)
    assert github_forge.changed_files(number) == sorted(files)
    pages = github_server.calls("pulls/list-files")
    assert len(pages) == 3  # 100 + 100 + 50, following GitHub's Link headers


def test_changed_files_name_both_sides_of_a_rename(github_server: FakeGitHub,
                                                   github_forge: GitHubForge) -> None:
    number = _opened(github_server, {"README.md": None, "READ-ME.md": b"# Course\n", NOTES: b"x"})
    assert github_forge.changed_files(number) == ["READ-ME.md", "README.md", NOTES]


def test_changed_files_refuse_a_list_github_cut_short(github_server: FakeGitHub,
                                                     github_forge: GitHubForge) -> None:
    github_server.files_limit = 120  # GitHub's cap is 3,000 files
    number = _opened(github_server, {f"f{n}.md": b"x" for n in range(130)})
    with pytest.raises(ForgeError, match="changes 130 files but GitHub lists only 120"):
        github_forge.changed_files(number)


# reviews


def test_reviews_in_each_state_on_the_reviewed_commit(github_server: FakeGitHub,
                                                      github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    reviewed = github_forge.get_pull_request(number).head_sha
    coach = forge_for(github_server, COACH_TOKEN)
    github_server.world.commit({NOTES: b"changed after the review\n"}, branch="lea/observation")
    submitted = [coach.submit_review(number, state, f"{state} body", reviewed)
                 for state in (COMMENTED, CHANGES_REQUESTED, APPROVED)]
    assert [(r.reviewer, r.state, r.commit_sha) for r in submitted] == [
        ("coach-a", COMMENTED, reviewed), ("coach-a", CHANGES_REQUESTED, reviewed),
        ("coach-a", APPROVED, reviewed)]
    assert github_forge.list_reviews(number) == submitted
    sent = [json.loads(b) for b in github_server.bodies("pulls/create-review")]
    assert [(b["event"], b["commit_id"]) for b in sent] == [
        ("COMMENT", reviewed), ("REQUEST_CHANGES", reviewed), ("APPROVE", reviewed)]


def test_review_refusals(github_server: FakeGitHub, github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    head = github_forge.get_pull_request(number).head_sha
    with pytest.raises(ForgeError, match="review state 'LGTM'"):
        github_forge.submit_review(number, "LGTM", "", head)
    with pytest.raises(ForgeError, match="answered 422: Can not approve your own pull request"):
        forge_for(github_server, LEARNER_TOKEN).submit_review(number, APPROVED, "", head)


# comments


def test_the_bot_comment_is_updated_not_duplicated(github_server: FakeGitHub,
                                                   github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    github_server.world.add_comment(number, "coach-a", "Nice start")
    bodies = ["check: 2 problems", "check: 1 problem", f"{BOT_MARKER}\ncheck: passed"]
    upserted = [github_forge.upsert_bot_comment(number, body) for body in bodies]
    assert len({c.id for c in upserted}) == 1
    comments = github_forge.list_comments(number)
    assert [(c.author, c.body) for c in comments] == [
        ("coach-a", "Nice start"), ("microcred-bot", f"{BOT_MARKER}\ncheck: passed")]
    assert bot_comment_of(comments, "microcred-bot") == upserted[-1]
    assert (len(github_server.calls("issues/create-comment")),
            len(github_server.calls("issues/update-comment"))) == (1, 2)
    github_forge.upsert_bot_comment(number, "check: passed")  # unchanged: nothing to send
    assert len(github_server.calls("issues/update-comment")) == 2


def test_a_notice_is_written_once_per_marker(github_server: FakeGitHub,
                                             github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    marker = "<!-- microcred:decision pr-1 -->"
    # a learner pasting the marker does not stop the bot's own notice
    forge_for(github_server, LEARNER_TOKEN).comment_once(number, marker, "fake notice")
    first, new = github_forge.comment_once(number, marker, "module complete")
    again, new_again = github_forge.comment_once(number, marker, "module complete, edited")
    assert (new, new_again) == (True, False) and again == first
    assert first.body == f"{marker}\nmodule complete"
    assert [c.author for c in github_forge.list_comments(number)] == ["lea", "microcred-bot"]


# commit statuses


def test_a_commit_status_is_set_and_its_latest_read_back(github_server: FakeGitHub,
                                                          github_forge: GitHubForge) -> None:
    head = _submission(github_server)
    assert github_forge.get_status(head, "microcred/decision") is None
    github_forge.set_status(head, "microcred/decision", "failure", "not yet: evidence")
    made = github_forge.set_status(head, "microcred/decision", "success", "x" * 200)
    assert (made.context, made.state, made.creator) == ("microcred/decision", "success", "microcred-bot")
    assert len(made.description) == 140
    read = github_forge.get_status(head, "microcred/decision")
    assert read is not None and (read.state, read.description) == ("success", made.description)
    with pytest.raises(ForgeError, match="status state 'green'"):
        github_forge.set_status(head, "microcred/decision", "green", "")
    with pytest.raises(ForgeError, match="answered 422"):
        github_forge.set_status("f" * 40, "microcred/decision", "success", "")


# reviewers


def test_request_reviewers_skips_the_author(github_server: FakeGitHub,
                                            github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    assert github_forge.request_reviewers(number, ["LEA", "coach-a", "coach-b", "coach-a"]) == \
        ["coach-a", "coach-b"]
    assert [json.loads(b) for b in github_server.bodies("pulls/request-reviewers")] == \
        [{"reviewers": ["coach-a", "coach-b"]}]
    assert github_forge.request_reviewers(number, ["lea"]) == ["coach-a", "coach-b"]
    assert len(github_server.calls("pulls/request-reviewers")) == 1  # nothing left to ask


# files


def test_read_file_at_a_ref(github_server: FakeGitHub, github_forge: GitHubForge) -> None:
    head = _submission(github_server)
    assert github_forge.read_file("README.md", "main") == b"# Course\n"
    assert github_forge.read_file(NOTES, head) == b"## Context\n"
    assert github_forge.read_file(NOTES, "main") is None
    assert github_forge.read_file("modules", "main") is None  # a folder is not a file


def test_read_file_above_the_contents_api_limit_comes_from_the_blob(github_server: FakeGitHub,
                                                                   github_forge: GitHubForge) -> None:
    github_server.inline_limit = 100  # GitHub's is 1 MB
    data = bytes(range(256)) * 4
    github_server.world.commit({"evidence/photo.jpg": data})
    assert github_forge.read_file("evidence/photo.jpg", "main") == data
    assert len(github_server.calls("git/get-blob")) == 1


def test_commit_file_creates_and_updates_against_the_expected_blob(github_server: FakeGitHub,
                                                                   github_forge: GitHubForge) -> None:
    created = github_forge.commit_file("badges/lea.json", b"{}", "main", "Issue badge", None)
    assert github_server.world.repo.branches["main"] == created
    blob = github_server.world.tree(created)["badges/lea.json"]
    updated = github_forge.commit_file("badges/lea.json", b'{"v": 2}', "main", "Reissue", blob)
    assert github_server.world.commits[updated].parents == [created]
    assert github_forge.read_file("badges/lea.json", "main") == b'{"v": 2}'
    assert [s.status for s in github_server.calls("repos/create-or-update-file-contents")] == [201, 200]


def test_commit_file_on_a_stale_blob_is_a_conflict(github_server: FakeGitHub,
                                                   github_forge: GitHubForge) -> None:
    first = github_forge.commit_file("badges/lea.json", b"1", "main", "Issue", None)
    stale = github_server.world.tree(first)["badges/lea.json"]
    github_forge.commit_file("badges/lea.json", b"2", "main", "Reissue", stale)
    with pytest.raises(Conflict, match=r"badges/lea\.json on main changed since it was read"):
        github_forge.commit_file("badges/lea.json", b"3", "main", "Reissue again", stale)  # 409
    with pytest.raises(Conflict):
        github_forge.commit_file("badges/lea.json", b"3", "main", "Issue again", None)  # 422
    with pytest.raises(Conflict):
        github_forge.commit_file("badges/new.json", b"3", "main", "Issue", stale)
    assert github_forge.read_file("badges/lea.json", "main") == b"2"


def test_commit_file_retries_a_409_from_a_moving_branch(github_server: FakeGitHub,
                                                        github_forge: GitHubForge) -> None:
    github_server.fail("repos/create-or-update-file-contents", 409, "reference update failed", times=2)
    sha = github_forge.commit_file("badges/lea.json", b"{}", "main", "Issue", None)
    assert github_server.world.repo.branches["main"] == sha
    assert [s.status for s in github_server.calls("repos/create-or-update-file-contents")] == \
        [409, 409, 201]


def test_commit_file_gives_up_after_bounded_409s(github_server: FakeGitHub,
                                                 github_forge: GitHubForge) -> None:
    github_server.fail("repos/create-or-update-file-contents", 409, "reference update failed", times=99)
    with pytest.raises(Conflict, match="the branch kept moving"):
        github_forge.commit_file("badges/lea.json", b"{}", "main", "Issue", None)
    assert len(github_server.calls("repos/create-or-update-file-contents")) == COMMIT_ATTEMPTS


def test_commit_file_to_a_missing_branch_is_not_a_conflict(github_server: FakeGitHub,
                                                           github_forge: GitHubForge) -> None:
    with pytest.raises(ForgeError, match="answered 404: Branch nope not found") as caught:
        github_forge.commit_file("a.txt", b"a", "nope", "add", None)
    assert not isinstance(caught.value, Conflict)


# merging


def test_merge_makes_a_merge_commit_on_the_base(github_server: FakeGitHub,
                                                github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    before = github_forge.get_pull_request(number)
    base_tip = github_server.world.repo.branches["main"]
    merged = github_forge.merge(number)
    assert (merged.state, merged.head_sha) == (MERGED, before.head_sha)
    assert github_server.world.repo.branches["main"] == merged.merge_sha
    assert github_server.world.commits[merged.merge_sha].parents == [base_tip, before.head_sha]
    assert github_forge.read_file(NOTES, "main") == b"## Context\n"
    assert github_forge.list_pull_requests(MERGED) == [merged]
    assert github_forge.list_pull_requests() == github_forge.list_pull_requests(CLOSED) == []
    with pytest.raises(ForgeError, match="pull request #1 is merged"):
        github_forge.merge(number)
    assert json.loads(github_server.bodies("pulls/merge")[0]) == {"merge_method": "merge",
                                                                  "sha": before.head_sha}


def test_merge_of_a_head_that_moved_is_a_conflict(github_server: FakeGitHub,
                                                  github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    github_server.fail("pulls/merge", 409, "Head branch was modified. Review and try the merge again.")
    with pytest.raises(Conflict, match="answered 409: Head branch was modified"):
        github_forge.merge(number)
    assert github_forge.get_pull_request(number).state == OPEN


def test_close_leaves_the_pull_request_closed_and_unmerged(github_server: FakeGitHub,
                                                          github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    before = github_forge.get_pull_request(number)
    closed = github_forge.close(number)
    assert (closed.state, closed.head_sha, closed.merge_sha) == (CLOSED, before.head_sha, "")
    assert github_forge.list_pull_requests() == [] and github_forge.list_pull_requests(CLOSED) == [closed]
    assert json.loads(github_server.bodies("pulls/update")[0]) == {"state": "closed"}
    with pytest.raises(ForgeError, match="pull request #1 is closed"):
        github_forge.close(number)


# rate limits


@pytest.mark.parametrize("status", [429, 403])
def test_a_rate_limited_request_waits_for_retry_after(github_server: FakeGitHub,
                                                     github_forge: GitHubForge, status: int) -> None:
    number = _opened(github_server)
    github_server.rate_limit("issues/create-comment", status=status, retry_after="1")
    github_forge.upsert_bot_comment(number, "check: passed")
    refused, served = github_server.calls("issues/create-comment")
    assert (refused.status, served.status) == (status, 201)
    assert served.at - refused.at >= 1.0
    assert len(github_forge.list_comments(number)) == 1  # retried once, posted once


def test_rate_limit_retries_are_bounded(github_server: FakeGitHub, github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    github_server.rate_limit("pulls/get", status=429, retry_after="0", times=99)
    with pytest.raises(ForgeError, match="answered 429: You have exceeded a secondary rate limit"):
        github_forge.get_pull_request(number)
    assert len(github_server.calls("pulls/get")) == 1 + FAST.rate_limit_retries


def test_a_spent_primary_rate_limit_fails_instead_of_waiting_an_hour(
        github_server: FakeGitHub, github_forge: GitHubForge) -> None:
    github_server.rate_limit("pulls/list", status=403, retry_after=None, primary=True)
    with pytest.raises(ForgeError, match=r"rate limit is spent \(API rate limit exceeded"):
        github_forge.list_pull_requests()


# GitHub Enterprise Server, configuration and secrets


def test_github_enterprise_base_url() -> None:
    server = start_github(prefix="/api/v3")
    try:
        forge = GitHubForge(REPO, TOKEN, f"{server.origin}/api/v3", pacing=FAST)
        files = {f"submissions/lea/c/m/{n:03}.md": b"x" for n in range(105)}
        _submission(server, files)
        number = forge.open_pull_request("lea/observation", "main", "Observation", "").number
        assert forge.changed_files(number) == sorted(files)
        forge.upsert_bot_comment(number, "check: passed")
        forge.upsert_bot_comment(number, "check: passed again")
        assert forge.merge(number).state == MERGED
        assert all(s.path.startswith("/api/v3/repos/course-org/course/") for s in server.seen)
    finally:
        server.close()
    assert server.violations == []


def test_from_environment_reads_token_repository_and_api_url() -> None:
    forge = from_environment({"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": "org/course",
                              "GITHUB_API_URL": "https://ghe.example.org/api/v3/"})
    assert (forge.repo_full_name, forge.base_url) == ("org/course", "https://ghe.example.org/api/v3")
    forge = from_environment({"MICROCRED_GITHUB_TOKEN": TOKEN, "GITHUB_TOKEN": "",
                              "GITHUB_REPOSITORY": "org/course"})
    assert forge.base_url == "https://api.github.com"
    assert TOKEN not in repr(forge) and TOKEN not in str(vars(forge))


def test_from_environment_names_every_missing_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    monkeypatch.setenv("GITHUB_API_URL", "ghe.example.org")
    with pytest.raises(ConfigError) as caught:
        from_environment()
    assert str(caught.value).splitlines() == [
        "environment: MICROCRED_GITHUB_TOKEN: no GitHub token (set MICROCRED_GITHUB_TOKEN, or "
        "GITHUB_TOKEN as GitHub Actions provides it: `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`)",
        "environment: GITHUB_REPOSITORY: '' is not owner/name (GitHub Actions sets it; elsewhere set "
        "it, e.g. GITHUB_REPOSITORY=my-org/my-course)",
        "environment: GITHUB_API_URL: 'ghe.example.org' is not a URL (GitHub Enterprise Server: "
        "https://HOST/api/v3; leave it unset for github.com)"]


def test_the_token_never_reaches_errors_or_logs(github_server: FakeGitHub,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    number = _opened(github_server)
    forge = forge_for(github_server)
    forge.upsert_bot_comment(number, "check: passed")
    github_server.rate_limit("pulls/get", status=429, retry_after="0")
    forge.get_pull_request(number)
    failures: list[BaseException] = []
    for failing in (lambda: forge.get_pull_request(42),
                    lambda: forge.commit_file("README.md", b"x", "main", "m", None),
                    lambda: GitHubForge(REPO, "ghp_notAValidToken000", github_server.base_url,
                                        pacing=FAST).list_pull_requests()):
        with pytest.raises(ForgeError) as caught:
            failing()
        failures.append(caught.value)
    assert "answered 401: Bad credentials" in str(failures[-1])
    texts = [caplog.text, *("".join(traceback.format_exception(f)) for f in failures)]
    assert "GET " in caplog.text  # PyGithub did log each request, at debug level
    for text in texts:
        assert TOKEN not in text and "ghp_notAValidToken000" not in text


def test_an_unreachable_github_is_a_forge_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    forge = GitHubForge(REPO, TOKEN, f"http://127.0.0.1:{port}", pacing=FAST)
    with pytest.raises(ForgeError, match=r"read pull request #1: GitHub could not be reached"):
        forge.get_pull_request(1)


# the fake GitHub itself


def test_the_fake_github_holds_requests_and_itself_to_the_contracts(github_server: FakeGitHub) -> None:
    def send(method: str, path: str, body: object) -> int:
        request = urllib.request.Request(
            f"{github_server.base_url}{path}", method=method, data=json.dumps(body).encode(),
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request) as response:
                return int(response.status)
        except urllib.error.HTTPError as refused:
            return refused.code

    number = _opened(github_server)
    assert send("POST", f"/repos/{REPO}/issues/{number}/comments", {"text": "no body"}) == 422
    assert send("DELETE", f"/repos/{REPO}/pulls/{number}", {}) == 404
    op = github_server.contracts.operations["issues/create-comment"]
    assert github_server.contracts.response_problems(op, 201, {"id": "one"}) != []
    assert github_server.violations == [
        f"POST /repos/{REPO}/issues/1/comments: request: issues/create-comment request body: $: "
        "'body' is a required property",
        f"DELETE /repos/{REPO}/pulls/1: no GitHub contract for this request"]
    github_server.violations.clear()


def test_a_learner_planted_marker_comment_is_never_edited(github_server: FakeGitHub,
                                                         github_forge: GitHubForge) -> None:
    number = _opened(github_server)
    planted = github_server.world.add_comment(number, "lea", f"{BOT_MARKER}\nall checks passed")
    mine = github_forge.upsert_bot_comment(number, "check: 2 problems")
    assert mine.id != planted.id and mine.author == "microcred-bot"
    bodies = {c.author: c.body for c in github_forge.list_comments(number)}
    assert bodies["lea"] == f"{BOT_MARKER}\nall checks passed"
