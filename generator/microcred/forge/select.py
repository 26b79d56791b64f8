"""Pick the forge a command talks to: the local repository (default) or GitHub."""

from __future__ import annotations

import os
from pathlib import Path

import git

from microcred.errors import ConfigError, UsageError
from microcred.forge.base import Forge

ACTOR_ENV = "MICROCRED_LOGIN"


def open_forge(kind: str, root: Path, actor: str | None) -> Forge:
    """A forge for the repository at `root`, acting as `actor` on the local forge."""
    if kind == "github":
        from microcred.forge.github import from_environment

        return from_environment()
    from microcred.forge.local import LocalForge

    who = actor or os.environ.get(ACTOR_ENV)
    if not who:
        raise UsageError(f"on the local forge, say who you are: --as LOGIN (or set {ACTOR_ENV})")
    try:
        return LocalForge(git.Repo(root), who)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ConfigError(f"{root}: not a git repository (run `git init` first)") from exc
