"""One `git cat-file --batch` for many objects: the same bytes as reading them one at a time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import git
import pytest

from microcred.analytics.gitread import contents
from microcred.analytics.gitread import git as run_git


@pytest.fixture()
def repo(tmp_path: Path) -> git.Repo:
    repo = git.Repo.init(tmp_path, initial_branch="main")
    files = {"a.json": b'{"a": 1}\n', "b/c.txt": b"line\n\nwith \xc3\xa9 and no end",
             "empty": b"", "d/e.bin": bytes(range(256)) * 40}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    repo.index.add(list(files))
    repo.index.commit("files")
    return repo


def test_a_batch_reads_what_one_at_a_time_reads_in_the_order_asked(repo: git.Repo) -> None:
    root = Path(repo.working_dir)
    names = ["d/e.bin", "empty", "a.json", "b/c.txt", "a.json"]
    one_by_one = [subprocess.run(["git", "-C", str(root), "cat-file", "blob", f"HEAD:{n}"],
                                 capture_output=True, check=True).stdout for n in names]
    assert list(contents(root, [f"HEAD:{n}" for n in names])) == one_by_one
    blobs = [repo.head.commit.tree[n].hexsha for n in names]
    assert list(contents(root, blobs)) == one_by_one


def test_a_missing_object_is_none_and_the_rest_still_line_up(repo: git.Repo) -> None:
    root = Path(repo.working_dir)
    out = contents(root, ["HEAD:a.json", "HEAD:nowhere.json", "0" * 40, "HEAD:empty"])
    assert list(out) == [b'{"a": 1}\n', None, None, b""]


def test_nothing_asked_runs_nothing(repo: git.Repo) -> None:
    assert list(contents(Path(repo.working_dir), [])) == []


def test_a_failing_command_raises(tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError):
        run_git(tmp_path / "not-a-repository", "ls-tree", "HEAD")


def test_input_and_a_large_output_pass_whole_and_a_failure_keeps_git_s_words(repo: git.Repo) -> None:
    root = Path(repo.working_dir)
    data = bytes(range(256)) * 8000  # 2 MB: far more than a pipe holds
    blob = run_git(root, "hash-object", "-w", "--stdin", data=data).strip().decode()
    assert run_git(root, "cat-file", "blob", blob) == data
    with pytest.raises(subprocess.CalledProcessError) as failed:
        run_git(root, "rev-parse", "--verify", "no-such-branch")
    assert b"no-such-branch" in failed.value.stderr or b"fatal" in failed.value.stderr


def test_contents_read_in_parts_are_the_batch_s_objects_in_order(repo: git.Repo) -> None:
    root = Path(repo.working_dir)
    names = ["d/e.bin", "empty", "HEAD:nowhere", "a.json", "b/c.txt", "a.json", "d/e.bin"]
    asked = [n if ":" in n else f"HEAD:{n}" for n in names]
    whole = list(contents(root, asked, len(asked)))  # one part
    assert whole[2] is None and len(whole) == 7
    for part in (1, 2, 3, 7, 100):
        assert list(contents(root, asked, part)) == whole
    assert list(contents(root, [], 2)) == []

