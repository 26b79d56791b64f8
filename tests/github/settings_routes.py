"""The fake GitHub's answers about repository settings (`settings.py`): workflow permissions,
branch protection and rulesets, environments and their secrets, Pages, CODEOWNERS errors.

Bodies start from GitHub's examples, like every other answer of the fake, and the server checks
them against GitHub's schemas before sending.
"""

from __future__ import annotations

from typing import Any

from tests.github.resources import Render, node_id
from tests.github.routes import Call, Reply, route
from tests.github.settings import Protection, Ruleset
from tests.github.state import ApiError, now

CODEOWNERS = ".github/CODEOWNERS"


def _example(render: Render, op_id: str, name: str = "") -> Any:
    return render._example(op_id, "200", name)


def _repo_url(call: Call) -> str:
    return f"{call.render.api}/repos/{call.world.repo.full_name}"


@route("repos/get")
def get_repo(call: Call) -> Reply:
    repo = call.world.repo
    body = _example(call.render, "repos/get", "default-response")
    body.update(id=repo.id, node_id=node_id("Repository", repo.id), name=repo.name,
                full_name=repo.full_name, owner=call.render.user(repo.owner),
                default_branch=repo.default_branch, fork=False,
                private=bool(call.org and call.org.access[repo.full_name].private),
                has_pages=call.world.settings.pages is not None)
    body.pop("parent", None)
    body.pop("source", None)
    return Reply(200, body)


@route("actions/get-github-actions-default-workflow-permissions-repository")
def workflow_permissions(call: Call) -> Reply:
    s = call.world.settings
    return Reply(200, {"default_workflow_permissions": s.workflow_permissions,
                       "can_approve_pull_request_reviews": s.actions_can_approve})


@route("repos/get-branch-protection")
def branch_protection(call: Call) -> Reply:
    branch = call.params["branch"]
    protection = call.world.settings.protection.get(branch)
    if protection is None:
        raise ApiError(404, "Branch not protected")
    return Reply(200, _protection(call, branch, protection))


def _protection(call: Call, branch: str, p: Protection) -> dict[str, Any]:
    url = f"{_repo_url(call)}/branches/{branch}/protection"
    body = _example(call.render, "repos/get-branch-protection")
    reviews = body["required_pull_request_reviews"]
    # GitHub's example lists an app whose owner does not fit GitHub's schema: leave it out.
    reviews.pop("dismissal_restrictions", None)
    reviews.update(url=f"{url}/required_pull_request_reviews", dismiss_stale_reviews=True,
                   require_code_owner_reviews=p.code_owner_reviews,
                   required_approving_review_count=p.required_approvals)
    body.update(url=url, enforce_admins={"url": f"{url}/enforce_admins", "enabled": p.enforce_admins},
                required_status_checks={
                    "url": f"{url}/required_status_checks", "strict": True,
                    "contexts": list(p.required_checks),
                    "contexts_url": f"{url}/required_status_checks/contexts",
                    "checks": [{"context": c, "app_id": None} for c in p.required_checks]},
                allow_force_pushes={"enabled": p.allow_force_pushes},
                allow_deletions={"enabled": p.allow_deletions})
    body.pop("restrictions", None)
    if not p.pull_requests:
        del body["required_pull_request_reviews"]
    if not p.required_checks:
        del body["required_status_checks"]
    return body


def _applies(ruleset: Ruleset, branch: str, default: str) -> bool:
    return ruleset.enforcement == "active" and any(
        b == branch or (b == "~DEFAULT_BRANCH" and branch == default) for b in ruleset.branches)


@route("repos/get-branch-rules")
def branch_rules(call: Call) -> Reply:
    world = call.world
    rules = [{**rule, "ruleset_source_type": "Repository", "ruleset_source": world.repo.full_name,
              "ruleset_id": ruleset.id}
             for ruleset in world.settings.rulesets
             if _applies(ruleset, call.params["branch"], world.repo.default_branch)
             for rule in ruleset.rules]
    return Reply(200, rules, paginate=True)


@route("repos/get-repo-ruleset")
def get_ruleset(call: Call) -> Reply:
    wanted = int(call.params["ruleset_id"])
    ruleset = next((r for r in call.world.settings.rulesets if r.id == wanted), None)
    if ruleset is None:
        raise ApiError(404, "Not Found")
    body = _example(call.render, "repos/get-repo-ruleset")
    refs = [b if b.startswith("~") else f"refs/heads/{b}" for b in ruleset.branches]
    body.update(id=ruleset.id, name=ruleset.name, source=call.world.repo.full_name,
                enforcement=ruleset.enforcement, bypass_actors=list(ruleset.bypass),
                conditions={"ref_name": {"include": refs, "exclude": []}},
                rules=list(ruleset.rules), current_user_can_bypass="never")
    body["_links"] = {"self": {"href": f"{_repo_url(call)}/rulesets/{ruleset.id}"},
                      "html": {"href": f"{call.render.web}/{call.world.repo.full_name}/rules/{ruleset.id}"}}
    return Reply(200, body)


def _environment(call: Call) -> Any:
    env = call.world.settings.environments.get(call.params["environment_name"])
    if env is None:
        raise ApiError(404, "Not Found")
    return env


@route("repos/get-environment")
def get_environment(call: Call) -> Reply:
    name = call.params["environment_name"]
    env = _environment(call)
    body = _example(call.render, "repos/get-environment")
    _wait_timer, reviewers, policy = body["protection_rules"]
    rules = []
    if env.reviewers:
        reviewers["reviewers"] = [{"type": "User", "reviewer": call.render.user(login)}
                                  for login in env.reviewers]
        rules.append(reviewers)
    if env.branches is not None or env.protected_branches:
        rules.append(policy)
    body.update(name=name, url=f"{_repo_url(call)}/environments/{name}",
                html_url=f"{call.render.web}/{call.world.repo.full_name}/deployments/activity_log"
                f"?environments_filter={name}", protection_rules=rules,
                deployment_branch_policy=None if env.branches is None and not env.protected_branches
                else {"protected_branches": env.protected_branches,
                      "custom_branch_policies": env.branches is not None})
    return Reply(200, body)


@route("repos/list-deployment-branch-policies")
def branch_policies(call: Call) -> Reply:
    env = _environment(call)
    policies = [{"id": 361000 + i, "node_id": node_id("GateBranchPolicy", 361000 + i), "name": name,
                 "type": "branch"} for i, name in enumerate(env.branches or [])]
    return Reply(200, {"total_count": len(policies), "branch_policies": policies})


def _secrets(names: list[str]) -> dict[str, Any]:
    return {"total_count": len(names),
            "secrets": [{"name": n, "created_at": now(), "updated_at": now()} for n in names]}


@route("actions/list-environment-secrets")
def environment_secrets(call: Call) -> Reply:
    return Reply(200, _secrets(_environment(call).secrets))


@route("actions/list-repo-secrets")
def repo_secrets(call: Call) -> Reply:
    return Reply(200, _secrets(call.world.settings.repo_secrets))


@route("repos/get-pages")
def get_pages(call: Call) -> Reply:
    build_type = call.world.settings.pages
    if build_type is None:
        raise ApiError(404, "Not Found")
    body = _example(call.render, "repos/get-pages")
    owner, name = call.world.repo.owner, call.world.repo.name
    body.update(url=f"{_repo_url(call)}/pages", build_type=build_type, cname=None,
                html_url=f"https://{owner}.github.io/{name}/")
    return Reply(200, body)


@route("repos/codeowners-errors")
def codeowners_errors(call: Call) -> Reply:
    world = call.world
    ref = call.query.get("ref", world.repo.default_branch)
    if CODEOWNERS not in world.tree(world.resolve(world.repo, ref)):
        raise ApiError(404, "Not Found")
    return Reply(200, {"errors": list(world.settings.codeowners_errors)})
