"""`networks sync`: one bare repository per network, seeded at the pin, access from the roster."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from microcred.cli import main
from microcred.networks import local
from microcred.networks.plan import BOT
from microcred.networks.registry import Registry
from microcred.networks.seed import CHECK_WORKFLOW, NETWORK_FILE
from tests.helpers import commit_all, replace
from tests.networks.helpers import record, registry_of


def tree(bare: Path, ref: str = "main") -> list[str]:
    return git.Repo(bare).git.ls_tree("-r", "--name-only", ref).splitlines()


def test_sync_creates_one_bare_repository_per_network_beside_the_course(
        synced: Registry, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [n.id for n in synced.networks] == ["net-a", "net-b"]
    assert [n.serial for n in synced.networks] == [1, 2]
    for network in ("net-a", "net-b"):
        bare = course.parent / f"course.networks/{network}.git"
        assert git.Repo(bare).bare
        files = tree(bare)
        assert "rubrics/observation.yml" in files and "modules/observation/module.yml" in files
        assert NETWORK_FILE in files and CHECK_WORKFLOW in files
        assert not any(f.startswith("submissions/") for f in files)
    head = git.Repo(course).head.commit.hexsha
    assert all(n.course_commit == head for n in synced.networks)
    net_a = synced.get("net-a")
    assert net_a is not None
    assert net_a.learners == ("lea", "leo", "lia", "lou")
    assert set(net_a.readers) == {"lea", "leo", "lia", "lou", "coach-ana", "coach-ben",
                                  "designer-dee", BOT}


def test_sync_again_changes_nothing_and_keeps_serials(
        synced: Registry, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    heads = {n.id: git.Repo(local.repo_path(course, n)).heads.main.commit.hexsha
             for n in synced.networks}
    assert main(["networks", "sync"]) == 0
    assert "net-a: up to date" in capsys.readouterr().out
    again = registry_of(course)
    assert [n.serial for n in again.networks] == [1, 2]
    assert {n.id: git.Repo(local.repo_path(course, n)).heads.main.commit.hexsha
            for n in again.networks} == heads


def test_the_pinned_workflow_names_the_course_commit(synced: Registry, course: Path) -> None:
    net = record(course, "net-a")
    text = git.Repo(local.repo_path(course, net)).git.show(f"main:{CHECK_WORKFLOW}")
    assert f"ref: {net.course_commit}" in text
    assert "microcred networks check net-a" in text


def test_new_rules_reach_the_networks_on_the_next_sync_keeping_their_submissions(
        synced: Registry, course: Path, tmp_path: Path) -> None:
    from tests.ledger.cohort import first_module_files
    from tests.networks.helpers import submit

    net = record(course, "net-a")
    number = submit(course, tmp_path, "net-a", "lea", "first-module", first_module_files("lea"))
    local.open_network(course, net, "coach-ana").merge(number)
    replace(course / "rubrics/observation.yml", "title:", "title: Revised —")
    commit_all(course, "revise a rubric")
    assert main(["networks", "sync"]) == 0
    files = tree(local.repo_path(course, net))
    assert "submissions/lea/my-credential/first-module/submission.yml" in files
    assert record(course, "net-a").course_commit == git.Repo(course).head.commit.hexsha
    shown = git.Repo(local.repo_path(course, net)).git.show("main:rubrics/observation.yml")
    assert "Revised —" in shown


def test_a_course_that_does_not_lint_is_refused_before_anything_is_written(
        course_repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(course / "modules/observation/module.yml", "rubric: observation", "rubric: nosuch")
    commit_all(course, "break it")
    assert main(["networks", "sync"]) == 2
    assert "the course at" in capsys.readouterr().err
    assert not (course.parent / "course.networks").exists()
