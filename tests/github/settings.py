"""Repository settings an administrator makes in GitHub's web pages, as the fake GitHub holds them.

Tests set these directly (`server.world.settings`); `settings_routes.py` serves them through the
REST operations `microcred doctor --forge github` reads. The defaults are a new repository's:
nothing protected, no environments, no Pages, a read-only workflow token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Protection:
    """Classic branch protection of one branch."""

    required_checks: list[str] = field(default_factory=list)
    pull_requests: bool = True  # 'Require a pull request before merging'
    code_owner_reviews: bool = False
    required_approvals: int = 1
    enforce_admins: bool = False
    allow_force_pushes: bool = False
    allow_deletions: bool = False


@dataclass
class Ruleset:
    """A repository ruleset: GitHub's rule objects, the branches it targets, who may bypass it."""

    id: int
    name: str
    branches: list[str]
    rules: list[dict[str, Any]]
    bypass: list[dict[str, Any]] = field(default_factory=list)
    enforcement: str = "active"


@dataclass
class Environment:
    """A deployment environment: required reviewers, the branches that may deploy, its secrets.

    `branches` None lets every branch deploy; a list sets custom branch policies.
    """

    reviewers: list[str] = field(default_factory=list)
    branches: list[str] | None = None
    protected_branches: bool = False
    secrets: list[str] = field(default_factory=list)


@dataclass
class Settings:
    workflow_permissions: str = "read"
    actions_can_approve: bool = False
    protection: dict[str, Protection] = field(default_factory=dict)
    rulesets: list[Ruleset] = field(default_factory=list)
    environments: dict[str, Environment] = field(default_factory=dict)
    repo_secrets: list[str] = field(default_factory=list)
    pages: str | None = None  # Pages' build_type ("workflow" or "legacy"), None when off
    codeowners_errors: list[dict[str, Any]] = field(default_factory=list)


def required_checks(settings: Settings, branch: str, default: str) -> list[str]:
    """The status checks merging into `branch` needs: classic protection's and active rulesets'."""
    names = list(settings.protection[branch].required_checks) if branch in settings.protection else []
    for ruleset in settings.rulesets:
        applies = ruleset.enforcement == "active" and any(
            b == branch or (b == "~DEFAULT_BRANCH" and branch == default) for b in ruleset.branches)
        for rule in ruleset.rules if applies else []:
            if rule.get("type") == "required_status_checks":
                names += [c["context"] for c in rule["parameters"]["required_status_checks"]]
    return list(dict.fromkeys(names))
