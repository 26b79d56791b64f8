"""Who is at the terminal: the option, then $MICROCRED_LOGIN, then git's github.user."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.errors import UsageError
from microcred.login import LOGIN_ENV, who_am_i
from tests.helpers import commit_all


def test_the_option_then_the_environment_then_git(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "README.md").write_text("course\n")
    repo = commit_all(tmp_path)
    with repo.config_writer() as config:
        config.set_value("github", "user", "from-git")
    monkeypatch.setenv(LOGIN_ENV, "from-env")
    assert who_am_i(tmp_path, "from-option") == "from-option"
    assert who_am_i(tmp_path, None) == "from-env"
    monkeypatch.delenv(LOGIN_ENV)
    assert who_am_i(tmp_path, None) == "from-git"


def test_nobody_is_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LOGIN_ENV, raising=False)
    with pytest.raises(UsageError, match="who are you\\? pass --login YOUR-GITHUB-LOGIN"):
        who_am_i(tmp_path, None)  # not even a git repository
