"""`microcred doctor`: the set-up checks, against the fake GitHub (held to GitHub's contracts)
and on a local clone."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.cli import main
from microcred.forge import github_settings
from microcred.forge.local import LocalForge
from microcred.roster import CODEOWNERS_PATH
from tests.forge.conftest import FAST, TOKENS
from tests.github.server import TOKEN, FakeGitHub
from tests.github.settings import Environment, Protection, Ruleset
from tests.ledger.cohort import (
    PASS_FIRST,
    PASS_OBSERVATION,
    first_module_files,
    make_course,
    observation_files,
    open_submission,
)

REPOSITORY = "course-org/course"
KEY = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"  # RFC 8032 test 1


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    server = FakeGitHub(REPOSITORY, tokens=dict(TOKENS)).start()
    monkeypatch.setenv("MICROCRED_GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPOSITORY)
    monkeypatch.setenv("GITHUB_API_URL", server.base_url)
    monkeypatch.delenv("MICROCRED_LEDGER_BRANCH", raising=False)
    monkeypatch.setattr(github_settings, "reader_from_environment",
                        functools.partial(github_settings.reader_from_environment, pacing=FAST))
    try:
        yield server
    finally:
        server.close()
    assert server.violations == []


def _codeowners(course: Path, capsys: pytest.CaptureFixture[str]) -> bytes:
    assert main(["roster", "--root", str(course), "--write"]) == 0
    capsys.readouterr()
    return (course / CODEOWNERS_PATH).read_bytes()


def _well_configured(server: FakeGitHub, codeowners: bytes) -> None:
    server.world.commit({"README.md": b"# Course\n", CODEOWNERS_PATH: codeowners})
    s = server.world.settings
    s.rulesets = [
        Ruleset(1, "main", ["~DEFAULT_BRANCH"], [
            {"type": "deletion"}, {"type": "non_fast_forward"},
            {"type": "pull_request", "parameters": {
                "required_approving_review_count": 1, "dismiss_stale_reviews_on_push": True,
                "require_code_owner_review": True, "require_last_push_approval": False,
                "required_review_thread_resolution": False}},
            {"type": "required_status_checks", "parameters": {
                "strict_required_status_checks_policy": False,
                "required_status_checks": [{"context": "microcred check"},
                                           {"context": "microcred/decision"}]}}]),
        Ruleset(2, "ledger", ["microcred-ledger"], [{"type": "deletion"},
                                                    {"type": "non_fast_forward"}])]
    s.environments["badges"] = Environment(reviewers=["designer-dee"], branches=["main"],
                                           secrets=["MICROCRED_SIGNING_KEY"])
    s.environments["github-pages"] = Environment(branches=["main", "microcred-ledger"])
    s.pages = "workflow"


def test_a_well_configured_repository_passes(course: Path, github: FakeGitHub,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _well_configured(github, _codeowners(course, capsys))
    code = main(["doctor", "--root", str(course), "--forge", "github"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines() == [
        "ok    workflow token: read-only unless a workflow asks for more",
        "ok    workflow token: workflows cannot approve pull requests",
        "ok    branch main: merging needs the check 'microcred check' to pass",
        "ok    branch main: merging needs the merge gate 'microcred/decision': a merge that would "
        "not complete the module is held",
        "ok    branch main: merging needs a review from a code owner",
        "ok    branch main: nobody can bypass these rules",
        "ok    branch microcred-ledger: force pushes and deletion are blocked",
        "ok    environment badges: each run waits for a required reviewer",
        "ok    environment badges: only 'main' may deploy to it",
        "ok    environment badges: holds the secret MICROCRED_SIGNING_KEY",
        "ok    pages: deployed by the publish workflow",
        "ok    environment github-pages: the ledger branch 'microcred-ledger' may deploy the site too",
        "ok    CODEOWNERS: the file on 'main' is current with the roster",
        "CHECK learners' access: learners need no write access: they open pull requests from "
        "forks, so none can push to a branch (Settings > Collaborators and teams: learners read "
        "(or none, for a public repository))",
        "CHECK fork workflows: a first-time contributor's pull request should wait for approval "
        "before its workflows run (Settings > Actions > General > Approval for running fork pull "
        "request workflows from contributors)",
        "doctor: 13 ok, 0 to fix, 2 to check by hand"]


def test_classic_branch_protection_counts_too(course: Path, github: FakeGitHub,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _well_configured(github, _codeowners(course, capsys))
    s = github.world.settings
    s.rulesets = []
    s.protection["main"] = Protection(["microcred check", "microcred/decision"], code_owner_reviews=True,
                                      enforce_admins=True)
    s.protection["microcred-ledger"] = Protection(pull_requests=False)
    assert main(["doctor", "--root", str(course), "--forge", "github"]) == 0
    out = capsys.readouterr().out
    assert "ok    branch main: nobody can bypass these rules" in out
    assert "ok    branch microcred-ledger: force pushes and deletion are blocked" in out


def test_a_misconfigured_repository_gets_a_fix_for_each_problem(
        course: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    _well_configured(github, b"* @someone-else\n")
    s = github.world.settings
    s.workflow_permissions, s.actions_can_approve = "write", True
    s.rulesets = [Ruleset(1, "main", ["~DEFAULT_BRANCH"], [
        {"type": "pull_request", "parameters": {
            "required_approving_review_count": 1, "dismiss_stale_reviews_on_push": True,
            "require_code_owner_review": True, "require_last_push_approval": False,
            "required_review_thread_resolution": False}}],
        bypass=[{"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"}])]
    s.environments["badges"] = Environment(branches=["main", "release/*"])
    s.environments["github-pages"] = Environment(branches=["main"])
    s.repo_secrets = ["MICROCRED_SIGNING_KEY"]
    s.pages = "workflow"
    s.codeowners_errors = [{"line": 1, "column": 3, "kind": "Unknown owner",
                            "source": "* @someone-else", "suggestion": None,
                            "message": "Unknown owner on line 1", "path": CODEOWNERS_PATH}]
    code = main(["doctor", "--root", str(course), "--forge", "github"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    fixes = [line.split(" (")[0] for line in lines if line.startswith("FIX")]
    assert fixes == [
        "FIX   workflow token: can write by default, so a workflow that asks for nothing still "
        "gets write access",
        "FIX   workflow token: workflows may approve pull requests, and an approval counts as a "
        "review",
        "FIX   branch main: the check 'microcred check' is not required",
        "FIX   branch main: the merge gate 'microcred/decision' is not required, so a pull request "
        "can merge before its review would complete the module",
        "FIX   branch main: these rules can be bypassed",
        "FIX   branch microcred-ledger: nothing stops a force push or the branch's deletion, "
        "which would rewrite the record of issued badges",
        "FIX   environment badges: no required reviewers: any push to the default branch runs "
        "the signing job unattended",
        "FIX   environment badges: deployment branches other than 'main': 'release/*'",
        "FIX   environment badges: has no secret MICROCRED_SIGNING_KEY: badges cannot be signed",
        "FIX   repository secrets: MICROCRED_SIGNING_KEY is a repository secret, which every "
        "workflow can read",
        "FIX   environment github-pages: a push to 'microcred-ledger', such as a revocation, cannot "
        "deploy the site",
        "FIX   CODEOWNERS: the file on 'main' is out of date with the roster",
        "FIX   CODEOWNERS: line 1: Unknown owner: * @someone-else"]
    assert lines[-1] == "doctor: 2 ok, 13 to fix, 2 to check by hand"


def test_pages_from_a_branch(course: Path, github: FakeGitHub,
                             capsys: pytest.CaptureFixture[str]) -> None:
    _well_configured(github, _codeowners(course, capsys))
    github.world.settings.pages = "legacy"
    assert main(["doctor", "--root", str(course), "--forge", "github"]) == 1
    assert ("FIX   pages: Pages publishes a branch, not what the publish workflow builds "
            "(Settings > Pages > Build and deployment > Source: 'GitHub Actions')"
            ) in capsys.readouterr().out


def test_a_bare_repository(course: Path, github: FakeGitHub,
                           capsys: pytest.CaptureFixture[str]) -> None:
    github.world.commit({"README.md": b"# Course\n"})
    assert main(["doctor", "--root", str(course), "--forge", "github"]) == 1
    out = capsys.readouterr().out
    for start in ("FIX   branch main: not protected", "FIX   environment badges: missing",
                  "FIX   pages: GitHub Pages is off", "FIX   CODEOWNERS: no file on 'main'"):
        assert start in out


def test_settings_the_token_cannot_read_are_left_to_check_by_hand(
        course: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]) -> None:
    _well_configured(github, _codeowners(course, capsys))
    for op in ("actions/get-github-actions-default-workflow-permissions-repository",
               "repos/get-environment"):
        github.fail(op, 403, "Resource not accessible by integration")
    assert main(["doctor", "--root", str(course), "--forge", "github"]) == 0
    out = capsys.readouterr().out
    assert ("CHECK workflow token: cannot read it through the API (GitHub answered 403: Resource "
            "not accessible by integration); an administrator's token can (check by hand: "
            "Settings > Actions > General > Workflow permissions: choose 'Read repository "
            "contents and packages permissions')") in out
    assert "CHECK environment badges: cannot read it through the API (GitHub answered 403" in out


def test_without_a_token_doctor_says_what_to_set(course: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    assert main(["doctor", "--root", str(course), "--forge", "github"]) == 2
    err = capsys.readouterr().err
    assert "MICROCRED_GITHUB_TOKEN: no GitHub token" in err and "GITHUB_REPOSITORY" in err


def test_local_checks_and_what_needs_github(course: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _codeowners(course, capsys)
    workflows = course / ".github/workflows"
    workflows.mkdir()
    for name in ("check.yml", "comment.yml", "issue.yml", "remind.yml"):
        (workflows / name).write_text("on: push\n", encoding="utf-8")
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", KEY)
    code = main(["doctor", "--root", str(course), "--forge", "local"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0] == "ok    CODEOWNERS: the file in this clone is current with the roster"
    assert lines[1].startswith("ok    signing key: MICROCRED_SIGNING_KEY holds the key of did:key:z6Mk")
    assert lines[2] == ("FIX   microcred pin: no .github/microcred-requirements.txt: the "
                        "workflows cannot install microcred (run `microcred init --update`, "
                        "review the diff, commit it)")
    assert lines[3:10] == [
        "FIX   workflows: .github/workflows/lint.yml is missing (run `microcred init --update`, "
        "review the diff, commit it)",
        "CHECK workflows: .github/workflows/check.yml was edited by hand (`microcred init "
        "--update` shows how it differs from what microcred generates)",
        "CHECK workflows: .github/workflows/comment.yml was edited by hand (`microcred init "
        "--update` shows how it differs from what microcred generates)",
        "CHECK workflows: .github/workflows/issue.yml was edited by hand (`microcred init "
        "--update` shows how it differs from what microcred generates)",
        "FIX   workflows: .github/workflows/publish.yml is missing (run `microcred init "
        "--update`, review the diff, commit it)",
        "CHECK workflows: .github/workflows/remind.yml was edited by hand (`microcred init "
        "--update` shows how it differs from what microcred generates)",
        "FIX   workflows: .github/workflows/progress.yml is missing (run `microcred init "
        "--update`, review the diff, commit it)"]
    assert lines[10].startswith("CHECK needs GitHub: the workflow token, branch rules, the "
                               "'badges' environment and Pages are settings on GitHub")
    assert lines[-1] == "doctor: 2 ok, 4 to fix, 5 to check by hand"


def test_local_without_a_signing_key(course: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("MICROCRED_SIGNING_KEY", raising=False)
    assert main(["doctor", "--root", str(course), "--forge", "local"]) == 1
    out = capsys.readouterr().out
    assert "FIX   CODEOWNERS: no file in this clone: nobody is asked to review" in out
    assert "CHECK signing key: MICROCRED_SIGNING_KEY is not set here" in out
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", "not a key")
    assert main(["doctor", "--root", str(course), "--forge", "local"]) == 1
    assert "FIX   signing key: MICROCRED_SIGNING_KEY: signing key is neither" in capsys.readouterr().out


def test_doctor_reports_awards_left_pending_on_the_ledger(
        course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(course)
    repo = make_course(course)
    for module, files, values in (("first-module", first_module_files("lea"), PASS_FIRST),
                                  ("observation", observation_files("lea"), PASS_OBSERVATION)):
        number = open_submission(repo, "lea", module, files)
        assert main(["review", str(number), "--as", "coach-ana",
                     *[arg for v in values for arg in ("--level", v)]]) == 0
        LocalForge(repo, "coach-ana").merge(number)
    monkeypatch.delenv("MICROCRED_SIGNING_KEY", raising=False)
    assert main(["issue", "--all"]) == 2  # decided and recorded, but nothing to sign with
    capsys.readouterr()
    assert main(["doctor", "--forge", "local"]) == 1
    assert ("FIX   pending awards: lea · my-credential v0.1.0: every module complete on "
            "'microcred-ledger', no badge (run `microcred issue --all` where the signing key is") \
        in capsys.readouterr().out
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", KEY)
    assert main(["issue", "--all"]) == 0
    main(["doctor", "--forge", "local"])
    assert ("ok    pending awards: every credential complete on 'microcred-ledger' has its badge"
            in capsys.readouterr().out)
