"""Whether a repository is set up as docs/administration.md says: one `SetupCheck` per setting.

Pure functions over what `github_settings.py` read (or over the local clone): each says what it
found and, when something is wrong, where to fix it. A setting the token could not read becomes a
check to make by hand, never a silent pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcred.forge.github_settings import (
    BranchSettings,
    EnvironmentSettings,
    Reading,
    RepositorySettings,
    Unreadable,
)

OK, FIX, BY_HAND = "ok", "FIX", "CHECK"
CHECK_NAME = "microcred check"  # the check workflow's job name: the status check to require
GATE_NAME = "microcred/decision"  # the merge gate's commit status (review/gate.py), required too
ENVIRONMENT = "badges"
SIGNING_SECRET = "MICROCRED_SIGNING_KEY"
WORKFLOWS = ("check.yml", "comment.yml", "issue.yml", "publish.yml", "remind.yml")

TOKEN_FIX = ("Settings > Actions > General > Workflow permissions: choose 'Read repository "
             "contents and packages permissions'")
APPROVE_FIX = ("Settings > Actions > General > Workflow permissions: untick 'Allow GitHub "
               "Actions to create and approve pull requests'")
RULESET_FIX = ("Settings > Rules > Rulesets > New branch ruleset, target the default branch, "
               "enforcement Active, no bypass list")
LEDGER_FIX = ("Settings > Rules > Rulesets > New branch ruleset for '{branch}': 'Restrict "
              "deletions' and 'Block force pushes'")
ENVIRONMENT_FIX = f"Settings > Environments > '{ENVIRONMENT}'"
PAGES_FIX = "Settings > Pages > Build and deployment > Source: 'GitHub Actions'"
CODEOWNERS_FIX = "run `microcred roster --write`, commit .github/CODEOWNERS and merge it"


@dataclass(frozen=True)
class SetupCheck:
    """One finding of `microcred doctor`: ok, to fix, or to check by hand."""

    status: str
    topic: str
    message: str
    fix: str = ""

    def render(self) -> str:
        fix = f" ({self.fix})" if self.fix else ""
        return f"{self.status:<5} {self.topic}: {self.message}{fix}"


def _by_hand(topic: str, reading: Unreadable, fix: str) -> SetupCheck:
    return SetupCheck(BY_HAND, topic, f"cannot read it through the API ({reading.why}); an "
                      "administrator's token can", f"check by hand: {fix}")


def github_checks(s: RepositorySettings, codeowners: str, ledger: str) -> list[SetupCheck]:
    """Every check of the repository's settings, in the order the checklist gives them."""
    return [*token_checks(s.workflow_permissions),
            *default_branch_checks(s.branches[s.default_branch]),
            *ledger_checks(s.branches[ledger]),
            *environment_checks(s.environment, s.repo_secrets, s.default_branch),
            *pages_checks(s.pages, s.pages_environment, s.default_branch, ledger),
            *codeowners_checks(s.codeowners, s.codeowners_errors, codeowners,
                               f"on '{s.default_branch}'"),
            *MANUAL]


# the workflow token


def token_checks(perms: Reading) -> list[SetupCheck]:
    topic = "workflow token"
    if not isinstance(perms, dict):
        return [_by_hand(topic, perms or Unreadable("no answer"), TOKEN_FIX)]
    out = [SetupCheck(OK, topic, "read-only unless a workflow asks for more")
           if perms.get("default_workflow_permissions") == "read" else
           SetupCheck(FIX, topic, "can write by default, so a workflow that asks for nothing "
                      "still gets write access", TOKEN_FIX)]
    out.append(SetupCheck(FIX, topic, "workflows may approve pull requests, and an approval "
                          "counts as a review", APPROVE_FIX)
               if perms.get("can_approve_pull_request_reviews") else
               SetupCheck(OK, topic, "workflows cannot approve pull requests"))
    return out


# the default branch


@dataclass(frozen=True)
class _Source:
    """Where a branch requirement comes from: classic protection, or one ruleset."""

    name: str
    bypass: str  # who may bypass it; "" for nobody


def _rules(branch: BranchSettings, kind: str) -> list[dict[str, Any]]:
    if not isinstance(branch.rules, list):
        return []
    return [r for r in branch.rules if isinstance(r, dict) and r.get("type") == kind]


def _requires_check(branch: BranchSettings, name: str) -> list[_Source]:
    found = []
    p = branch.protection
    if isinstance(p, dict):
        checks = p.get("required_status_checks") or {}
        names = set(checks.get("contexts") or []) | {c.get("context") for c in checks.get("checks") or []}
        if name in names:
            found.append(_classic(p))
    for rule in _rules(branch, "required_status_checks"):
        names = {c.get("context") for c in rule.get("parameters", {}).get("required_status_checks", [])}
        if name in names:
            found.append(_ruleset(branch, rule))
    return found


def _requires_code_owners(branch: BranchSettings) -> list[_Source]:
    found = []
    p = branch.protection
    if isinstance(p, dict) and (p.get("required_pull_request_reviews") or {}).get(
            "require_code_owner_reviews"):
        found.append(_classic(p))
    found += [_ruleset(branch, rule) for rule in _rules(branch, "pull_request")
              if rule.get("parameters", {}).get("require_code_owner_review")]
    return found


def _classic(p: dict[str, Any]) -> _Source:
    admins = (p.get("enforce_admins") or {}).get("enabled")
    allowances = (p.get("required_pull_request_reviews") or {}).get("bypass_pull_request_allowances") or {}
    allowed = sum(len(allowances.get(k) or []) for k in ("users", "teams", "apps"))
    bypass = "" if admins and not allowed else (
        "administrators" if not admins else f"{allowed} account(s) allowed to skip pull requests")
    return _Source("classic branch protection", bypass)


def _ruleset(branch: BranchSettings, rule: dict[str, Any]) -> _Source:
    ruleset = branch.rulesets.get(rule.get("ruleset_id", -1))
    if not isinstance(ruleset, dict):
        why = ruleset.why if isinstance(ruleset, Unreadable) else "not readable from this repository"
        return _Source(f"ruleset {rule.get('ruleset_id')}", f"unknown ({why})")
    actors = ruleset.get("bypass_actors") or []
    return _Source(f"ruleset '{ruleset.get('name')}'", f"{len(actors)} bypass actor(s)" if actors else "")


def default_branch_checks(branch: BranchSettings) -> list[SetupCheck]:
    topic = f"branch {branch.name}"
    if isinstance(branch.protection, Unreadable) and isinstance(branch.rules, Unreadable):
        return [_by_hand(topic, branch.protection, RULESET_FIX)]
    if branch.protection is None and not branch.rules:
        return [SetupCheck(FIX, topic, "not protected: anyone with write access can push to it, "
                           "and pull requests merge without the check or a review",
                           f"{RULESET_FIX}; require the status checks '{CHECK_NAME}' and "
                           f"'{GATE_NAME}' and a pull request with review from Code Owners")]
    checks, gate = _requires_check(branch, CHECK_NAME), _requires_check(branch, GATE_NAME)
    owners = _requires_code_owners(branch)
    out = [SetupCheck(OK, topic, f"merging needs the check '{CHECK_NAME}' to pass") if checks else
           SetupCheck(FIX, topic, f"the check '{CHECK_NAME}' is not required",
                      f"in the branch's ruleset: 'Require status checks to pass', add '{CHECK_NAME}'"),
           SetupCheck(OK, topic, f"merging needs the merge gate '{GATE_NAME}': a merge that "
                      "would not complete the module is held") if gate else
           SetupCheck(FIX, topic, f"the merge gate '{GATE_NAME}' is not required, so a pull "
                      "request can merge before its review would complete the module",
                      f"in the branch's ruleset: 'Require status checks to pass', add '{GATE_NAME}'"),
           SetupCheck(OK, topic, "merging needs a review from a code owner") if owners else
           SetupCheck(FIX, topic, "a code owner's review is not required, so a coach need not "
                      "review a submission", "in the branch's ruleset: 'Require a pull request "
                      "before merging' with 'Require review from Code Owners'")]
    bypass = sorted({f"{s.name}: {s.bypass}" for s in checks + gate + owners if s.bypass})
    if checks or gate or owners:
        out.append(SetupCheck(FIX, topic, "these rules can be bypassed (" + "; ".join(bypass) + ")",
                              "empty the ruleset's bypass list, or tick 'Do not allow bypassing "
                              "the above settings' in classic protection") if bypass else
                   SetupCheck(OK, topic, "nobody can bypass these rules"))
    return out


# the ledger branch


def ledger_checks(branch: BranchSettings) -> list[SetupCheck]:
    topic = f"branch {branch.name}"
    fix = LEDGER_FIX.format(branch=branch.name)
    if isinstance(branch.protection, Unreadable) and isinstance(branch.rules, Unreadable):
        return [_by_hand(topic, branch.protection, fix)]
    p = branch.protection if isinstance(branch.protection, dict) else None
    kinds = {r.get("type") for r in branch.rules if isinstance(r, dict)} \
        if isinstance(branch.rules, list) else set()
    guarded = {"non_fast_forward", "deletion"} <= kinds or (
        p is not None and not (p.get("allow_force_pushes") or {}).get("enabled")
        and not (p.get("allow_deletions") or {}).get("enabled"))
    out = [SetupCheck(OK, topic, "force pushes and deletion are blocked") if guarded else
           SetupCheck(FIX, topic, "nothing stops a force push or the branch's deletion, which "
                      "would rewrite the record of issued badges", fix)]
    if "pull_request" in kinds or (p is not None and p.get("required_pull_request_reviews")):
        out.append(SetupCheck(FIX, topic, "requires pull requests, so the issue workflow cannot "
                              "commit badges to it", "remove that rule from this branch"))
    updates = _rules(branch, "update")
    if updates:
        out.append(SetupCheck(BY_HAND, topic, "'Restrict updates' is on: the issue workflow must "
                              "commit as one of the ruleset's bypass actors", "the workflow "
                              "token cannot be one; use a GitHub App's token, or turn it off"))
    return out


# the environment that holds the signing key


def environment_checks(env: EnvironmentSettings, repo_secrets: Reading,
                       default_branch: str) -> list[SetupCheck]:
    topic = f"environment {env.name}"
    if isinstance(env.environment, Unreadable):
        return [_by_hand(topic, env.environment, ENVIRONMENT_FIX), *_repo_secret(repo_secrets)]
    if env.environment is None:
        return [SetupCheck(FIX, topic, "missing: the issue workflow signs badges in it",
                           f"Settings > Environments > New environment '{env.name}', with "
                           f"required reviewers, deployment branch '{default_branch}' and the "
                           f"secret {SIGNING_SECRET}"), *_repo_secret(repo_secrets)]
    rules = {r.get("type") for r in env.environment.get("protection_rules") or []}
    out = [SetupCheck(OK, topic, "each run waits for a required reviewer")
           if "required_reviewers" in rules else
           SetupCheck(FIX, topic, "no required reviewers: any push to the default branch runs "
                      "the signing job unattended", f"{ENVIRONMENT_FIX} > Required reviewers")]
    out.append(_deployment_branches(env, default_branch))
    out.append(_environment_secret(env))
    return out + _repo_secret(repo_secrets)


def _deployment_branches(env: EnvironmentSettings, default_branch: str) -> SetupCheck:
    topic = f"environment {env.name}"
    fix = f"{ENVIRONMENT_FIX} > Deployment branches and tags: Selected branches, only '{default_branch}'"
    policy = env.environment.get("deployment_branch_policy")
    if not policy:
        return SetupCheck(FIX, topic, "every branch may deploy to it", fix)
    if policy.get("protected_branches"):
        return SetupCheck(OK, topic, "only protected branches may deploy to it")
    if isinstance(env.branch_policies, Unreadable):
        return _by_hand(topic, env.branch_policies, fix)
    names = sorted(p.get("name", "") for p in (env.branch_policies or {}).get("branch_policies", []))
    if names == [default_branch]:
        return SetupCheck(OK, topic, f"only '{default_branch}' may deploy to it")
    others = ", ".join(repr(n) for n in names if n != default_branch) or "none"
    return SetupCheck(FIX, topic, f"deployment branches other than '{default_branch}': {others}", fix)


def _secret_names(reading: Reading) -> set[str] | None:
    if not isinstance(reading, dict):
        return None
    return {s.get("name") for s in reading.get("secrets") or []}


def _environment_secret(env: EnvironmentSettings) -> SetupCheck:
    topic = f"environment {env.name}"
    fix = f"{ENVIRONMENT_FIX} > Environment secrets > Add {SIGNING_SECRET}: the issuer's key"
    names = _secret_names(env.secrets)
    if names is None:
        return _by_hand(topic, env.secrets if isinstance(env.secrets, Unreadable)
                        else Unreadable("no answer"), fix)
    if SIGNING_SECRET in names:
        return SetupCheck(OK, topic, f"holds the secret {SIGNING_SECRET}")
    return SetupCheck(FIX, topic, f"has no secret {SIGNING_SECRET}: badges cannot be signed", fix)


def _repo_secret(reading: Reading) -> list[SetupCheck]:
    names = _secret_names(reading)
    if names is None or SIGNING_SECRET not in names:
        return []
    return [SetupCheck(FIX, "repository secrets", f"{SIGNING_SECRET} is a repository secret, "
                       "which every workflow can read", "delete it under Settings > Secrets and "
                       f"variables > Actions; keep it only in the '{ENVIRONMENT}' environment")]


# Pages and CODEOWNERS


def pages_checks(pages: Reading, env: EnvironmentSettings, default_branch: str,
                 ledger: str) -> list[SetupCheck]:
    if isinstance(pages, Unreadable):
        return [_by_hand("pages", pages, PAGES_FIX)]
    if pages is None:
        return [SetupCheck(FIX, "pages", "GitHub Pages is off, so the site is not published",
                           PAGES_FIX)]
    if pages.get("build_type") != "workflow":
        return [SetupCheck(FIX, "pages", "Pages publishes a branch, not what the publish "
                           "workflow builds", PAGES_FIX)]
    return [SetupCheck(OK, "pages", "deployed by the publish workflow"),
            *_pages_branches(env, default_branch, ledger)]


def _pages_branches(env: EnvironmentSettings, default_branch: str, ledger: str) -> list[SetupCheck]:
    """The publish workflow deploys from the default branch and when the ledger branch moves."""
    topic = f"environment {env.name}"
    fix = (f"Settings > Environments > '{env.name}' > Deployment branches and tags: add "
           f"'{ledger}' beside '{default_branch}'")
    if not isinstance(env.environment, dict):
        return []  # GitHub creates it on the first deployment, for the default branch
    policy = env.environment.get("deployment_branch_policy")
    if not policy or policy.get("protected_branches"):
        return []
    if isinstance(env.branch_policies, Unreadable):
        return [_by_hand(topic, env.branch_policies, fix)]
    names = {p.get("name") for p in (env.branch_policies or {}).get("branch_policies", [])}
    if ledger in names:
        return [SetupCheck(OK, topic, f"the ledger branch '{ledger}' may deploy the site too")]
    return [SetupCheck(FIX, topic, f"a push to '{ledger}', such as a revocation, cannot deploy the "
                       "site", fix)]


def codeowners_checks(text: Reading, errors: Reading, wanted: str,
                      where: str) -> list[SetupCheck]:
    """`where` says where the file was read: "on 'main'", "in this clone"."""
    topic = "CODEOWNERS"
    if isinstance(text, Unreadable):
        return [_by_hand(topic, text, CODEOWNERS_FIX)]
    if text is None:
        return [SetupCheck(FIX, topic, f"no file {where}: nobody is asked to review",
                           CODEOWNERS_FIX)]
    out = [SetupCheck(OK, topic, f"the file {where} is current with the roster") if text == wanted
           else SetupCheck(FIX, topic, f"the file {where} is out of date with the roster",
                           CODEOWNERS_FIX)]
    for error in errors.get("errors", []) if isinstance(errors, dict) else []:
        out.append(SetupCheck(FIX, topic, f"line {error.get('line')}: {error.get('kind')}: "
                              f"{str(error.get('source', '')).strip()}",
                              error.get("suggestion") or "each owner must be a user or team "
                              "with write access to the repository"))
    return out


MANUAL = [
    SetupCheck(BY_HAND, "learners' access", "learners need no write access: they open pull "
               "requests from forks, so none can push to a branch", "Settings > Collaborators "
               "and teams: learners read (or none, for a public repository)"),
    SetupCheck(BY_HAND, "fork workflows", "a first-time contributor's pull request should wait "
               "for approval before its workflows run", "Settings > Actions > General > Approval "
               "for running fork pull request workflows from contributors"),
]
