"""The workflows and the pin file, rendered from the templates in the package.

One set of templates serves every course repository and this one. `Install` says how a workflow
gets microcred: from the pin file alone (a course), or the repository's own tree with its
dependencies from the pin file (the microcred repository, which is also the reference course).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from microcred import __version__
from microcred.setup.generated import with_header

WORKFLOWS_DIR = ".github/workflows"
PIN_PATH = ".github/microcred-requirements.txt"
# The workflows a course runs, in the order the pipeline uses them.
WORKFLOWS = ("lint.yml", "check.yml", "comment.yml", "issue.yml", "publish.yml", "remind.yml",
             "progress.yml")
# GitHub's own expressions use {{ }}, so the templates use [[ ]] and [% %].
_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("microcred.setup", "templates"),
    variable_start_string="[[", variable_end_string="]]",
    block_start_string="[%", block_end_string="%]",
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined, autoescape=False,
)


@dataclass(frozen=True)
class Install:
    """How the workflows install microcred: `tree` for this repository's own source, else the
    `microcred` requirement line (a version with its hash, or a wheel's address with its hash)."""

    tree: bool = False
    microcred: str = ""


def tool_tree(root: Path) -> bool:
    """Whether `root` is microcred's own repository, whose workflows install its tree."""
    return (root / "pyproject.toml").is_file() and (root / "generator/microcred").is_dir()


def workflows(install: Install) -> dict[str, str]:
    """Each workflow's path and text."""
    return {f"{WORKFLOWS_DIR}/{name}": with_header(
        _ENV.get_template(f"workflows/{name}").render(tree=install.tree), __version__)
        for name in WORKFLOWS}


def pin_file(install: Install) -> str:
    """The requirements file the workflows install with --require-hashes."""
    lock = _data("requirements.txt")
    if install.tree:
        body = ("# The dependencies of this repository's microcred, and setuptools to build it, "
                "each pinned\n# with its hashes; the workflows install the tree itself beside "
                "them.\n" + lock + _data("build-requirements.txt"))
    else:
        body = ("# microcred and every package it needs, each pinned with its hashes: the "
                "workflows install\n# exactly this (pip install --require-hashes). To upgrade, "
                "install the new microcred and\n# run `microcred init --update`.\n"
                f"{install.microcred}\n" + lock)
    return with_header(body, __version__)


def generated_files(install: Install) -> dict[str, str]:
    """Every file the workflows depend on, by path: the pin file and the workflows."""
    return {PIN_PATH: pin_file(install), **workflows(install)}


def staff_readme(title: str, credential: str, version: str) -> str:
    return _ENV.get_template("README.md").render(title=title, credential=credential,
                                                 version=version, microcred=__version__)


def _data(name: str) -> str:
    return (resources.files("microcred.setup") / name).read_text(encoding="utf-8")
