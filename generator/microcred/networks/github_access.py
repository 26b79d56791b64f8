"""Who may use a network's repository on GitHub, and how its main branch is protected.

    collaborators  exactly the registry's readers (read) and pushers (write): invite who is
                   missing, change a role that differs, remove whoever the roster no longer lists
                   (a pending invitation counts as listed; an unwanted one is withdrawn). The
                   organisation's administrators (role admin) are left as they are.
    protection     main needs a pull request with an approving review and the check
                   `microcred check` (the network workflow's job); administrators are not
                   bound, so `networks sync` can bring the course's folders up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcred.forge.github_admin import AdminClient
from microcred.forge.setup_checks import CHECK_NAME
from microcred.networks.github_repos import MAIN
from microcred.networks.registry import NetworkRecord

READ, WRITE = "pull", "push"
# GitHub lists a collaborator's role and an invitation's permission in these words
ROLE_OF = {"read": READ, "write": WRITE, "triage": "triage", "maintain": "maintain",
           "admin": "admin"}
INVITATION_WORD = {READ: "read", WRITE: "write"}


@dataclass(frozen=True)
class AccessChange:
    login: str
    action: str  # invited, changed, removed, withdrawn

    def render(self) -> str:
        """What sync did: 'lea invited'."""
        return f"{self.login} {self.action}"

    def finding(self) -> str:
        """What is wrong before sync does it, as doctor says it: 'lea not invited'."""
        return f"{self.login} {_WRONG[self.action]}"


_WRONG = {"invited": "not invited", "removed": "not in the roster",
          "withdrawn": "invited, not in the roster", "changed": "has the wrong role"}


def wanted(record: NetworkRecord) -> dict[str, str]:
    """login (case folded) -> permission, from the registry."""
    out = {login.casefold(): READ for login in record.readers}
    out.update({login.casefold(): WRITE for login in record.pushers})
    return out


def current(client: AdminClient, record: NetworkRecord) -> tuple[dict[str, str], dict[str, Any]]:
    """(direct collaborators: login -> permission, pending invitations by login)."""
    people = client.get_all(f"/repos/{record.repo}/collaborators", affiliation="direct")
    invited = client.get_all(f"/repos/{record.repo}/invitations")
    return ({p["login"].casefold(): ROLE_OF.get(p.get("role_name", ""), READ) for p in people},
            {i["invitee"]["login"].casefold(): i for i in invited if i.get("invitee")})


def differences(record: NetworkRecord, people: dict[str, str],
                invited: dict[str, Any]) -> list[AccessChange]:
    """What would bring the repository's access to the registry's (pure)."""
    want = wanted(record)
    changes = []
    for login, permission in want.items():
        if login in people:
            if people[login] not in (permission, "admin"):
                changes.append(AccessChange(login, "changed"))
        elif login not in invited or ROLE_OF.get(invited[login]["permissions"]) != permission:
            changes.append(AccessChange(login, "invited"))
    changes += [AccessChange(login, "removed") for login, role in people.items()
                if login not in want and role != "admin"]
    changes += [AccessChange(login, "withdrawn") for login in invited
                if login not in want and login not in people]
    return changes


def set_access(client: AdminClient, record: NetworkRecord) -> list[AccessChange]:
    """Bring the collaborators and invitations to the registry's; what changed."""
    people, invited = current(client, record)
    changes = differences(record, people, invited)
    want = wanted(record)
    for change in changes:
        base = f"/repos/{record.repo}"
        if change.action in ("invited", "changed"):
            pending = invited.get(change.login)
            if pending is not None and change.login not in people:
                client.write("PATCH", f"{base}/invitations/{pending['id']}",
                             {"permissions": INVITATION_WORD[want[change.login]]})
            else:
                client.write("PUT", f"{base}/collaborators/{_original(record, change.login)}",
                             {"permission": want[change.login]})
        elif change.action == "removed":
            client.write("DELETE", f"{base}/collaborators/{change.login}")
        else:
            client.write("DELETE", f"{base}/invitations/{invited[change.login]['id']}")
    return changes


def _original(record: NetworkRecord, folded: str) -> str:
    return next((x for x in (*record.pushers, *record.readers) if x.casefold() == folded), folded)


def protection_body() -> dict[str, Any]:
    """Classic branch protection of main in every network repository."""
    return {"required_status_checks": {"strict": False, "contexts": [CHECK_NAME]},
            "enforce_admins": False,
            "required_pull_request_reviews": {"dismiss_stale_reviews": True,
                                              "require_code_owner_reviews": False,
                                              "required_approving_review_count": 1},
            "restrictions": None, "allow_force_pushes": False, "allow_deletions": False}


def protected(reading: Any) -> bool:
    """Whether GitHub's protection of main already is `protection_body()`'s."""
    if not isinstance(reading, dict):
        return False
    checks = reading.get("required_status_checks") or {}
    names = set(checks.get("contexts") or []) | {c.get("context") for c in checks.get("checks") or []}
    reviews = reading.get("required_pull_request_reviews") or {}
    return (CHECK_NAME in names and reviews.get("required_approving_review_count", 0) >= 1
            and not (reading.get("allow_force_pushes") or {}).get("enabled")
            and not (reading.get("allow_deletions") or {}).get("enabled"))


def protect_main(client: AdminClient, record: NetworkRecord) -> bool:
    """Protect main unless it already is; whether anything was written."""
    if protected(client.get(f"/repos/{record.repo}/branches/{MAIN}/protection")):
        return False
    client.write("PUT", f"/repos/{record.repo}/branches/{MAIN}/protection", protection_body())
    return True
