"""Build a corpus case into a real git repository: the sample course on main, the case on a branch.

A case is a YAML file under corpus/: who the author is, which files the pull request adds
(text, hex bytes, text repeated between a `before` and an `after`, a symlink, a submodule, a
non-UTF-8 name), the exact findings expected, and text (`absent`) that no output format may
contain.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git
import yaml

DATA = Path(__file__).parent.parent / "data"
CORPUS = Path(__file__).parent / "corpus"
GOOD_FOLDER = "submissions/lea/my-credential/observation"


@dataclass(frozen=True)
class Case:
    name: str
    author: str
    files: list[dict[str, Any]]
    expect: list[str]
    base_files: list[dict[str, Any]]
    names: list[str]
    start_from_good: bool
    absent: list[str]  # text that must appear in no output format (personal details, controls)


def load_case(path: Path) -> Case:
    d = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Case(path.stem, d.get("author", "lea"), d.get("files", []), d.get("expect", []),
                d.get("base_files", []), d.get("student_names", []), d.get("start_from_good", True),
                d.get("absent", []))


def good_submission() -> dict[str, bytes]:
    """A complete, valid submission by 'lea' for the sample course's observation module."""
    folder = DATA / "good-submission"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def course_repo(tmp: Path) -> Path:
    """A repository with the sample course committed on main: built once, copied per case."""
    root = tmp / "course-repo"
    shutil.copytree(DATA / "course", root)
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "Course Designer")
        cfg.set_value("user", "email", "designer@example.org")
    repo.git.add("--all")
    repo.git.commit("-q", "-m", "course")
    return root


def build_repo(tmp: Path, case: Case, template: Path | None = None) -> tuple[Path, str, str]:
    """Create the repository (from `template`, a `course_repo`, when given); return (root,
    base ref, head ref)."""
    root = tmp / "repo"
    shutil.copytree(template or course_repo(tmp), root, symlinks=True)
    repo = git.Repo(root)
    for spec in case.base_files:
        _write(repo, root, spec)
    if case.base_files:
        repo.git.add("--all")
        # `git commit`, not GitPython's index, which cannot hold non-UTF-8 path names.
        repo.git.commit("-q", "-m", "earlier submissions")
    repo.git.checkout("-q", "-b", "pr")
    if case.start_from_good:
        for name, data in good_submission().items():
            _write(repo, root, {"path": f"{GOOD_FOLDER}/{name}", "bytes": data})
    for spec in case.files:
        if "submodule" not in spec:
            _write(repo, root, spec)
    repo.git.add("--all")
    # After `add --all`, which would drop a gitlink that has no folder in the work tree.
    for spec in case.files:
        if "submodule" in spec:
            _write(repo, root, spec)
    repo.git.commit("-q", "--allow-empty", "-m", "submission")
    return root, "main", "pr"


def _write(repo: git.Repo, root: Path, spec: dict[str, Any]) -> None:
    if "submodule" in spec:
        # A gitlink entry, as `git submodule add` would record, without fetching anything.
        sha = spec["submodule"]
        repo.git.update_index("--add", "--cacheinfo", f"160000,{sha},{spec['path']}")
        return
    raw = bytes.fromhex(spec["path_hex"]) if "path_hex" in spec else spec["path"].encode("utf-8")
    target = Path(str(root)) / raw.decode("utf-8", "surrogateescape")
    target.parent.mkdir(parents=True, exist_ok=True)
    if spec.get("delete"):
        target.unlink()
        return
    if "symlink" in spec:
        target.symlink_to(spec["symlink"])
        return
    target.write_bytes(_content(spec))


def _content(spec: dict[str, Any]) -> bytes:
    if "bytes" in spec:
        return bytes(spec["bytes"])
    if "hex" in spec:
        return bytes.fromhex(spec["hex"].replace(" ", ""))
    if "repeat" in spec:
        text = spec.get("before", "") + spec["repeat"] * int(spec["times"]) + spec.get("after", "")
        return text.encode("utf-8")
    if "from_good" in spec:
        text = good_submission()[spec["from_good"]].decode("utf-8")
        for old, new in spec.get("replace", {}).items():
            assert old in text, f"{old!r} not in {spec['from_good']}"
            text = text.replace(old, new)
        return text.encode("utf-8")
    return str(spec.get("text", "")).encode("utf-8")
