"""Who the person at the terminal is: a GitHub login, from the option, the environment or git."""

from __future__ import annotations

import os
from pathlib import Path

import git

from microcred.errors import UsageError

LOGIN_ENV = "MICROCRED_LOGIN"


def who_am_i(root: Path, login: str | None) -> str:
    """`login`, else $MICROCRED_LOGIN, else `git config github.user`; ask for it when none."""
    login = login or os.environ.get(LOGIN_ENV) or _git_github_user(root)
    if not login:
        raise UsageError(f"who are you? pass --login YOUR-GITHUB-LOGIN (or set {LOGIN_ENV}, or "
                         "`git config github.user YOUR-LOGIN`)")
    return login


def _git_github_user(root: Path) -> str:
    try:
        return str(git.Repo(root).config_reader().get_value("github", "user", ""))
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return ""
