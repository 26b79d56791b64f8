"""What of a network pull request the trusted re-check reads from GitHub (github_commits.py)."""

from __future__ import annotations

from microcred.networks.github_commits import Entry, paths_that_matter

BASE = {"README.md": Entry("100644", "a" * 40),
        "submissions/lea/my-credential/first-module/reflection.md": Entry("100644", "b" * 40),
        "submissions/lea/my-credential/observation/notes.md": Entry("100644", "c" * 40),
        "submissions/leo/my-credential/observation/notes.md": Entry("100644", "d" * 40)}


def test_changed_paths_and_the_whole_folders_they_touch_matter() -> None:
    head = {**BASE, "submissions/lea/my-credential/observation/video.md": Entry("100644", "e" * 40)}
    assert paths_that_matter(BASE, head) == {
        "submissions/lea/my-credential/observation/video.md",
        "submissions/lea/my-credential/observation/notes.md"}


def test_a_mode_change_alone_matters_and_a_change_outside_submissions_is_kept() -> None:
    head = {**BASE, "README.md": Entry("100755", "a" * 40)}
    assert paths_that_matter(BASE, head) == {"README.md"}


def test_a_deleted_file_matters() -> None:
    head = {k: v for k, v in BASE.items() if "leo" not in k}
    assert paths_that_matter(BASE, head) == {"submissions/leo/my-credential/observation/notes.md"}
