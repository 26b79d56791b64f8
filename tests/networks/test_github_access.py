"""Who may use a network repository on GitHub: the registry's people, nobody else (pure parts)."""

from __future__ import annotations

from typing import Any

from microcred.networks.github_access import (
    AccessChange,
    differences,
    protected,
    protection_body,
    wanted,
)
from microcred.networks.registry import NetworkRecord

RECORD = NetworkRecord("net-a", 1, "p", "c", "org/course-net-a", "0" * 40, ("Lea", "leo"),
                       ("coach-ana",), ("Lea", "leo", "coach-ana"), ("Lea", "leo", "coach-ana"))


def invitation(login: str, permission: str = "write") -> dict[str, Any]:
    return {"id": 7, "invitee": {"login": login}, "permissions": permission}


def test_everyone_listed_pushes_and_an_archived_network_only_reads() -> None:
    assert wanted(RECORD) == {"lea": "push", "leo": "push", "coach-ana": "push"}
    archived = NetworkRecord(**{**RECORD.__dict__, "pushers": (), "state": "archived"})
    assert set(wanted(archived).values()) == {"pull"}


def test_a_pending_invitation_counts_and_logins_ignore_case() -> None:
    changes = differences(RECORD, {"lea": "push", "coach-ana": "push"}, {"leo": invitation("Leo")})
    assert changes == []


def test_missing_people_are_invited_and_wrong_roles_changed() -> None:
    changes = differences(RECORD, {"lea": "pull"}, {"leo": invitation("leo", "read")})
    assert [c.render() for c in changes] == ["lea changed", "leo invited", "coach-ana invited"]


def test_people_no_longer_listed_are_removed_but_administrators_stay() -> None:
    people = {"lea": "push", "leo": "push", "coach-ana": "push", "lou": "push", "owner": "admin"}
    changes = differences(RECORD, people, {"max": invitation("max")})
    assert [c.render() for c in changes] == ["lou removed", "max withdrawn"]


def test_protection_is_read_back_as_set() -> None:
    body = protection_body()
    reading = {"required_status_checks": {"contexts": body["required_status_checks"]["contexts"]},
               "required_pull_request_reviews": {"required_approving_review_count": 1},
               "allow_force_pushes": {"enabled": False}, "allow_deletions": {"enabled": False}}
    assert protected(reading)
    assert not protected({**reading, "required_status_checks": None})
    assert not protected(None)


def test_doctor_words_each_change_as_what_is_wrong_and_leaves_the_login_alone() -> None:
    assert [AccessChange("changed-invited", action).finding()
            for action in ("invited", "removed", "withdrawn", "changed")] == [
        "changed-invited not invited", "changed-invited not in the roster",
        "changed-invited invited, not in the roster", "changed-invited has the wrong role"]
    assert AccessChange("lea", "invited").render() == "lea invited"
