"""The fake GitHub's answers for repositories made through the API (org.py): creating one in the
organisation, writing git objects (blobs, trees, commits, refs), collaborators and invitations,
and branch protection. Bodies start from GitHub's examples and are checked against its schemas.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any

from tests.github.org import ROLES, Access, Invitation, Org, descends, make_commit, make_tree
from tests.github.resources import node_id
from tests.github.routes import Call, Reply, route
from tests.github.settings import Protection
from tests.github.settings_routes import get_repo
from tests.github.state import ApiError

INVITATION_ROLES = {"read": "read", "write": "write", "admin": "admin", "triage": "triage",
                    "maintain": "maintain"}


def _org(call: Call) -> Org:
    assert call.org is not None
    return call.org


def _access(call: Call) -> Access:
    return _org(call).access[call.world.repo.full_name]


def _repo_url(call: Call) -> str:
    return f"{call.render.api}/repos/{call.world.repo.full_name}"


def _admin(call: Call) -> None:
    org, access = _org(call), _access(call)
    if call.login not in org.owners and access.collaborators.get(call.login) != "admin":
        raise ApiError(403, "Must have admin rights to Repository.")


@route("repos/create-in-org")
def create_in_org(call: Call) -> Reply:
    org = _org(call)
    if call.login not in org.owners:
        raise ApiError(403, "You need admin access to the organization before adding a repository")
    b = call.body
    full_name = f"{call.params['org']}/{b['name']}"
    world = org.create(full_name, bool(b.get("private")), bool(b.get("auto_init")), call.login)
    answer = get_repo(replace(call, world=world, render=org.renders[full_name]))
    return Reply(201, answer.body)


# git objects


@route("git/create-blob")
def create_blob(call: Call) -> Reply:
    b = call.body
    data = base64.b64decode(b["content"]) if b.get("encoding") == "base64" \
        else str(b["content"]).encode("utf-8")
    sha = call.world.store(data)
    return Reply(201, {"url": f"{_repo_url(call)}/git/blobs/{sha}", "sha": sha})


@route("git/create-tree")
def create_tree(call: Call) -> Reply:
    sha = make_tree(call.world, call.body.get("base_tree"), list(call.body["tree"]))
    files = call.world.made_trees[sha]  # type: ignore[attr-defined]
    return Reply(201, {**call.render.tree(files, recursive=False), "sha": sha,
                       "url": f"{_repo_url(call)}/git/trees/{sha}"})


@route("git/create-commit")
def create_commit(call: Call) -> Reply:
    b = call.body
    commit = make_commit(call.world, b["tree"], list(b.get("parents", [])), b["message"], call.login)
    body = call.render._example("git/create-commit", "201")
    who = {"name": call.login, "email": f"{call.login}@users.noreply.github.com",
           "date": commit.date}
    url = f"{_repo_url(call)}/git/commits/{commit.sha}"
    body.update(sha=commit.sha, node_id=node_id("Commit", len(call.world.commits)), url=url,
                html_url=f"{call.render.web}/{call.world.repo.full_name}/commit/{commit.sha}",
                author=who, committer=who, message=commit.message,
                tree={"sha": b["tree"], "url": f"{_repo_url(call)}/git/trees/{b['tree']}"},
                parents=[{"sha": p, "url": f"{_repo_url(call)}/git/commits/{p}",
                          "html_url": f"{call.render.web}/{call.world.repo.full_name}/commit/{p}"}
                         for p in commit.parents])
    return Reply(201, body)


@route("git/update-ref")
def update_ref(call: Call) -> Reply:
    world, ref = call.world, call.params["ref"]
    current = world.ref_sha(ref)
    new = call.body["sha"]
    if new not in world.commits:
        raise ApiError(422, "Object does not exist")
    if not call.body.get("force") and not descends(world, new, current):
        raise ApiError(422, "Update is not a fast forward")
    world.repo.branches[ref.removeprefix("heads/")] = new
    return Reply(200, call.render.ref(f"refs/{ref}", new))


# collaborators and invitations


@route("repos/list-collaborators")
def list_collaborators(call: Call) -> Reply:
    out = []
    template = call.render._example("repos/list-collaborators")[0]
    for login, role in sorted(_access(call).collaborators.items()):
        rank = ["read", "triage", "write", "maintain", "admin"].index(role)
        perms = {"pull": True, "triage": rank >= 1, "push": rank >= 2, "maintain": rank >= 3,
                 "admin": rank >= 4}
        out.append({**template, **call.render.user(login), "permissions": perms, "role_name": role})
    return Reply(200, out, paginate=True)


@route("repos/add-collaborator")
def add_collaborator(call: Call) -> Reply:
    _admin(call)
    access, login = _access(call), call.params["username"]
    role = ROLES[(call.body or {}).get("permission", "push")]
    if login in access.collaborators:
        access.collaborators[login] = role  # a collaborator's role changes at once
        return Reply(204, None)
    invitation = next((i for i in access.invitations if i.invitee == login), None)
    if invitation is None:
        invitation = Invitation(_org(call).invitation_id(), login, role)
        access.invitations.append(invitation)
    invitation.permission = role
    return Reply(201, _invitation(call, invitation))


@route("repos/remove-collaborator")
def remove_collaborator(call: Call) -> Reply:
    _admin(call)
    _access(call).collaborators.pop(call.params["username"], None)
    return Reply(204, None)


@route("repos/list-invitations")
def list_invitations(call: Call) -> Reply:
    _admin(call)
    return Reply(200, [_invitation(call, i) for i in _access(call).invitations], paginate=True)


@route("repos/update-invitation")
def update_invitation(call: Call) -> Reply:
    _admin(call)
    invitation = _find_invitation(call)
    invitation.permission = INVITATION_ROLES[call.body["permissions"]]
    return Reply(200, _invitation(call, invitation))


@route("repos/delete-invitation")
def delete_invitation(call: Call) -> Reply:
    _admin(call)
    _access(call).invitations.remove(_find_invitation(call))
    return Reply(204, None)


def _find_invitation(call: Call) -> Invitation:
    wanted = int(call.params["invitation_id"])
    found = next((i for i in _access(call).invitations if i.id == wanted), None)
    if found is None:
        raise ApiError(404, "Not Found")
    return found


def _invitation(call: Call, invitation: Invitation) -> dict[str, Any]:
    body = call.render._example("repos/list-invitations")[0]
    repo = call.world.repo
    body["repository"].update(id=repo.id, node_id=node_id("Repository", repo.id), name=repo.name,
                              full_name=repo.full_name, private=_access(call).private,
                              owner=call.render.user(repo.owner))
    body.update(id=invitation.id, node_id=node_id("RepositoryInvitation", invitation.id),
                invitee=call.render.user(invitation.invitee),
                inviter=call.render.user(call.login), permissions=invitation.permission,
                url=f"{call.render.api}/user/repository_invitations/{invitation.id}",
                html_url=f"{call.render.web}/{repo.full_name}/invitations")
    return body


def accept(org: Org, full_name: str, login: str) -> None:
    """The invitee accepts their invitation (in GitHub's web pages, not through this API)."""
    access = org.access[full_name]
    invitation = next(i for i in access.invitations if i.invitee == login)
    access.invitations.remove(invitation)
    access.collaborators[login] = invitation.permission


# branch protection


@route("repos/update-branch-protection")
def update_protection(call: Call) -> Reply:
    from tests.github.settings_routes import _protection

    _admin(call)
    b, branch = call.body, call.params["branch"]
    checks = b.get("required_status_checks") or {}
    reviews = b.get("required_pull_request_reviews")
    if b.get("restrictions") is not None:
        raise ApiError(422, "the fake GitHub takes no push restrictions")
    protection = Protection(
        required_checks=[*checks.get("contexts", []),
                         *(c["context"] for c in checks.get("checks", []))],
        pull_requests=reviews is not None,
        code_owner_reviews=bool((reviews or {}).get("require_code_owner_reviews")),
        required_approvals=int((reviews or {}).get("required_approving_review_count", 1)),
        enforce_admins=bool(b.get("enforce_admins")),
        allow_force_pushes=bool(b.get("allow_force_pushes")),
        allow_deletions=bool(b.get("allow_deletions")))
    call.world.settings.protection[branch] = protection
    return Reply(200, _protection(call, branch, protection))
