"""Read a GitHub repository's settings for `microcred doctor`: what the administrator set up.

Each reading is GitHub's JSON as it came, `None` where GitHub says there is none (404), or
`Unreadable` with GitHub's reason (most settings need an administrator's token; a workflow's
token gets 403). Nothing here decides whether a setting is right: `setup_checks.py` does.
"""

from __future__ import annotations

import base64
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import github
import requests
from github.GithubException import GithubException

from microcred.forge.base import ForgeError
from microcred.forge.github import TOKEN_VARIABLES, Pacing, from_environment

CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")  # GitHub's search order


@dataclass(frozen=True)
class Unreadable:
    """GitHub would not show a setting to this token; `why` is GitHub's answer."""

    why: str


Reading = Any  # GitHub's JSON, None (there is none), or Unreadable


@dataclass(frozen=True)
class BranchSettings:
    """What protects one branch: classic protection, the active rules and their rulesets."""

    name: str
    protection: Reading
    rules: Reading
    rulesets: dict[int, Reading] = field(default_factory=dict)


@dataclass(frozen=True)
class EnvironmentSettings:
    name: str
    environment: Reading
    branch_policies: Reading
    secrets: Reading


@dataclass(frozen=True)
class RepositorySettings:
    """Everything `doctor` looks at, read once."""

    full_name: str
    default_branch: str
    workflow_permissions: Reading
    branches: dict[str, BranchSettings]
    environment: EnvironmentSettings
    pages_environment: EnvironmentSettings
    repo_secrets: Reading
    pages: Reading
    codeowners: Reading  # the file's text on the default branch
    codeowners_errors: Reading


class SettingsReader:
    """GET requests for one repository's settings, as the owner of the token."""

    def __init__(self, repo_full_name: str, token: str, base_url: str,
                 pacing: Pacing | None = None) -> None:
        self.full_name = repo_full_name
        pacing = pacing or Pacing()
        self._requester = github.Github(
            auth=github.Auth.Token(token), base_url=base_url, per_page=100,
            retry=pacing.retry(), timeout=pacing.timeout,
            seconds_between_requests=pacing.seconds_between_requests).requester

    def get(self, path: str, **query: str) -> Reading:
        """GitHub's JSON for GET /repos/OWNER/NAME/`path`; None on 404; Unreadable on refusal."""
        url = f"/repos/{self.full_name}" + (f"/{path}" if path else "")
        try:
            _, data = self._requester.requestJsonAndCheck("GET", url, parameters=query or None)
        except GithubException as exc:
            if exc.status == 404:
                return None
            message = exc.data.get("message") if isinstance(exc.data, dict) else None
            return Unreadable(f"GitHub answered {exc.status}: {message or 'no message'}")
        except requests.RequestException as exc:
            raise ForgeError(f"GET {url}: GitHub could not be reached "
                             f"({type(exc).__name__})") from None
        return data


def reader_from_environment(environ: Mapping[str, str] | None = None, *,
                            pacing: Pacing | None = None) -> SettingsReader:
    """The reader for the repository, token and API the environment names (as the forge's)."""
    env = os.environ if environ is None else environ
    pacing = pacing or Pacing()
    forge = from_environment(env, pacing=pacing)  # names every missing setting at once
    token = next(env[name] for name in TOKEN_VARIABLES if env.get(name))
    return SettingsReader(forge.repo_full_name, token, forge.base_url, pacing)


def read_settings(reader: SettingsReader, ledger_branch: str, environment: str,
                  pages_environment: str = "github-pages") -> RepositorySettings:
    """Read every setting `doctor` checks."""
    repo = reader.get("")
    default = repo.get("default_branch", "main") if isinstance(repo, dict) else "main"
    branches = {name: _branch(reader, name) for name in (default, ledger_branch)}
    codeowners, path = _codeowners(reader, default)
    return RepositorySettings(
        full_name=reader.full_name, default_branch=default,
        workflow_permissions=reader.get("actions/permissions/workflow"),
        branches=branches, environment=_environment(reader, environment),
        pages_environment=_environment(reader, pages_environment, secrets=False),
        repo_secrets=reader.get("actions/secrets"),
        pages=reader.get("pages"), codeowners=codeowners,
        codeowners_errors=reader.get("codeowners/errors", ref=default) if path else None)


def _branch(reader: SettingsReader, name: str) -> BranchSettings:
    quoted = urllib.parse.quote(name, safe="")
    rules = reader.get(f"rules/branches/{quoted}")
    ids = sorted({r["ruleset_id"] for r in rules if isinstance(r, dict) and "ruleset_id" in r}) \
        if isinstance(rules, list) else []
    return BranchSettings(name, reader.get(f"branches/{quoted}/protection"), rules,
                          {i: reader.get(f"rulesets/{i}") for i in ids})


def _environment(reader: SettingsReader, name: str, secrets: bool = True) -> EnvironmentSettings:
    quoted = urllib.parse.quote(name, safe="")
    environment = reader.get(f"environments/{quoted}")
    if environment is None or isinstance(environment, Unreadable):
        return EnvironmentSettings(name, environment, environment, environment)
    return EnvironmentSettings(name, environment,
                               reader.get(f"environments/{quoted}/deployment-branch-policies"),
                               reader.get(f"environments/{quoted}/secrets") if secrets else None)


def _codeowners(reader: SettingsReader, branch: str) -> tuple[Reading, str]:
    """The text of the CODEOWNERS file GitHub uses on `branch`, and its path."""
    for path in CODEOWNERS_PATHS:
        found = reader.get(f"contents/{path}", ref=branch)
        if isinstance(found, Unreadable):
            return found, ""
        if isinstance(found, dict) and found.get("type") == "file":
            return _decoded(found), path
    return None, ""


def _decoded(content: dict[str, Any]) -> Reading:
    if content.get("encoding") != "base64":
        return Unreadable("the contents API left the file out (over 1 MB)")
    try:
        return base64.b64decode(content.get("content", "")).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return Unreadable("the file is not UTF-8 text")
