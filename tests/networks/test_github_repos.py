"""`networks sync --forge github`: one private repository per network in the organisation, seeded
at the pin through the Git Data API, collaborators exactly the registry's, main protected, the
registry saved after each network; re-runs send conditional requests and write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.forge.base import ForgeError
from microcred.forge.github import GitHubForge
from microcred.networks.plan import BOT
from microcred.networks.seed import CHECK_WORKFLOW, NETWORK_FILE
from tests.forge.conftest import FAST, LEARNER_TOKEN
from tests.github.org_routes import accept
from tests.helpers import commit_all, replace
from tests.networks.github_setup import COURSE, GitHubCourse, start

SYNC = ["networks", "sync", "--forge", "github"]
NETWORKS = ("course-org/course-net-a", "course-org/course-net-b")


@pytest.fixture
def gh(course_repo: git.Repo, course: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubCourse]:
    yield from start(course, monkeypatch)


def writes(gh: GitHubCourse, since: int = 0) -> list[str]:
    return [f"{s.method} {s.path}" for s in gh.server.seen[since:] if s.method != "GET"]


def test_first_sync_creates_private_seeded_protected_repositories(
        gh: GitHubCourse, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(SYNC) == 0
    out = capsys.readouterr()
    assert "net-a: created; " in out.out and "main protected" in out.out
    head = git.Repo(course).head.commit.hexsha
    for name in NETWORKS:
        world = gh.server.repo(name)
        assert gh.server.org.access[name].private
        files = world.tree(world.repo.branches["main"])
        assert "rubrics/observation.yml" in files and "modules/observation/module.yml" in files
        workflow = world.blobs[files[CHECK_WORKFLOW]].decode()
        assert f"ref: {head}" in workflow and f"repository: {COURSE}" in workflow
        assert NETWORK_FILE in files and "README.md" in files
        protection = world.settings.protection["main"]
        assert protection.required_checks == ["microcred check"] and protection.pull_requests
    registry = gh.registry()
    assert [(n.id, n.repo) for n in registry.networks] == [("net-a", NETWORKS[0]),
                                                           ("net-b", NETWORKS[1])]
    net_a = registry.get("net-a")
    assert net_a is not None
    invited = {i.invitee: i.permission for i in gh.server.org.access[NETWORKS[0]].invitations}
    # the token's own account created the repository, so it is an administrator already
    assert invited == {login: "write" for login in net_a.readers if login != BOT}
    assert gh.server.org.access[NETWORKS[0]].collaborators == {BOT: "admin"}
    # one commit on microcred-networks per network: a stop midway keeps what was done
    assert len(gh.server.calls("repos/create-or-update-file-contents")) == 2
    assert "request(s) to GitHub" in out.err


def test_a_re_sync_sends_conditional_requests_and_writes_nothing(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(SYNC) == 0
    first = len(gh.server.seen)
    assert main(SYNC) == 0  # reads again what the first run changed, and keeps their ETags
    assert writes(gh, first) == []
    before = len(gh.server.seen)
    capsys.readouterr()
    assert main(SYNC) == 0
    out = capsys.readouterr()
    assert writes(gh, before) == []
    network_reads = [s for s in gh.server.seen[before:] if "/course-net-" in s.path]
    assert len(network_reads) == 2 * 6  # repository, main's ref and tree, collaborators,
    # invitations, protection
    assert all(s.status == 304 and s.conditional for s in network_reads)
    assert out.out.count("up to date") == 2
    assert "0 write(s), 13 answered 304" in out.err  # and the course's commit on GitHub


def test_roster_changes_reach_the_collaborators_and_the_course_folders(
        gh: GitHubCourse, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(SYNC) == 0
    access = gh.server.org.access[NETWORKS[0]]
    accept(gh.server.org, NETWORKS[0], "lea")
    programme = next((course / "content" / "programmes").glob("*.yml"))
    replace(programme, "lou", "lou-new")  # lou leaves net-a before accepting; lou-new joins
    replace(course / "rubrics" / "observation.yml", "observation", "observation")
    commit_all(course)
    gh.push()
    before = len(gh.server.seen)
    capsys.readouterr()
    assert main(SYNC) == 0
    out = capsys.readouterr().out
    assert "lou withdrawn" in out and "lou-new invited" in out
    assert {i.invitee for i in access.invitations} >= {"lou-new"}
    assert "lou" not in {i.invitee for i in access.invitations}
    assert access.collaborators["lea"] == "write"
    # the course moved on: net-a's main follows it in one tree, one commit, one ref update
    assert sum("/git/" in w for w in writes(gh, before)) == 6  # both networks


def test_a_learner_reads_only_their_own_network(gh: GitHubCourse) -> None:
    assert main(SYNC) == 0
    accept(gh.server.org, NETWORKS[0], "lea")
    own = GitHubForge(NETWORKS[0], LEARNER_TOKEN, gh.server.base_url, pacing=FAST)
    assert own.read_file(CHECK_WORKFLOW, "main") is not None
    other = GitHubForge(NETWORKS[1], LEARNER_TOKEN, gh.server.base_url, pacing=FAST)
    assert other.read_file(CHECK_WORKFLOW, "main") is None  # GitHub's 404: no such repository
    with pytest.raises(ForgeError, match="404"):
        other.list_pull_requests()


def test_a_public_repository_of_the_same_name_is_refused(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    gh.server.org.create(NETWORKS[0], private=False, auto_init=True, creator=BOT)
    assert main(SYNC) == 2
    assert "is public" in capsys.readouterr().err


def test_a_run_stopped_by_a_rate_limit_is_finished_by_the_next(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    # net-a's repository is made; then GitHub's quota is spent for an hour
    gh.server.rate_limit("repos/create-in-org", status=403, retry_after=None, primary=True,
                         reset_in=3600, after=1)
    assert main(SYNC) == 2
    err = capsys.readouterr().err
    assert "over this run's limit of 120 s; run it again after" in err
    assert "what is done is saved" in err
    assert [n.id for n in gh.registry().networks] == ["net-a"]
    assert NETWORKS[1] not in gh.server.org.worlds
    before = len(gh.server.seen)
    assert main(SYNC) == 0
    assert [n.id for n in gh.registry().networks] == ["net-a", "net-b"]
    assert not any("course-net-a" in w for w in writes(gh, before))  # net-a: nothing to redo
    assert any(w == "POST /orgs/course-org/repos" for w in writes(gh, before))


def test_a_secondary_limit_midway_is_waited_out_on_the_clock(gh: GitHubCourse) -> None:
    gh.server.rate_limit("git/create-tree", status=403, retry_after="45")
    assert main(SYNC) == 0
    assert 45.0 in gh.clock.sleeps
    # content-creating requests go at least 0.8 s apart (GitHub's 80 a minute)
    assert all(s >= 0.8 - 1e-9 for s in gh.clock.sleeps)
    assert len(gh.registry().networks) == 2


def test_a_pin_that_is_not_on_github_is_refused_before_anything_is_written(
        gh: GitHubCourse, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(course / "rubrics" / "observation.yml", "observation", "observation")
    (course / "content" / "unpushed.md").write_text("# Not pushed\n", encoding="utf-8")
    commit_all(course)
    assert main(SYNC) == 2
    assert "is not on course-org/course on GitHub: push it first" in capsys.readouterr().err
    assert writes(gh) == []


def test_list_and_archive_read_and_write_the_registry_on_github(
        gh: GitHubCourse, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(SYNC) == 0
    capsys.readouterr()
    assert main(["networks", "list", "--forge", "github"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[3] for line in listed] == list(NETWORKS)
    cohort = listed[0].split("\t")[2].split("/")[1]
    assert main(["networks", "archive", cohort, "--forge", "github"]) == 0
    assert all(n.state == "archived" for n in gh.registry().networks)
    assert main(SYNC) == 0
    access = gh.server.org.access[NETWORKS[0]]
    assert {i.permission for i in access.invitations} == {"read"}
    assert "archived, read only" in capsys.readouterr().out


def test_a_moved_learner_keeps_their_evidence_in_the_new_network(
        gh: GitHubCourse, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(SYNC) == 0
    old = gh.server.repo(NETWORKS[1])
    evidence = {"submissions/mu/my-credential/first-module/reflection.md": b"My reflection\n",
                "submissions/mu/my-credential/first-module/submission.yml": b"format: 1\n"}
    old.commit(evidence, message="Merge mu's first module", author="coach-ben")
    programme = course / "content" / "programmes" / "my-programme.yml"
    replace(programme, "[mae, max, mia, moe, mu]", "[mae, max, mia, moe]")
    replace(programme, "[lea, leo, lia, lou]", "[lea, leo, lia, lou, mu]")
    commit_all(course)
    gh.push()
    capsys.readouterr()
    assert main(SYNC) == 0
    assert "mu: moved net-b -> net-a; 2 evidence file(s) copied, pull requests stay in net-b" \
        in capsys.readouterr().out
    new = gh.server.repo(NETWORKS[0])
    files = new.tree(new.repo.branches["main"])
    assert {path: new.blobs[files[path]] for path in evidence} == evidence
    assert "mu" not in {i.invitee for i in gh.server.org.access[NETWORKS[1]].invitations}
    registry = gh.registry()
    net_b = registry.get("net-b")
    assert net_b is not None and net_b.former == ("mu",)
    before = len(gh.server.seen)
    assert main(SYNC) == 0  # the move is recorded: nothing to copy again
    assert writes(gh, before) == []
