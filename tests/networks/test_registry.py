"""The registry's format, numbers and access rules."""

from __future__ import annotations

import pytest

from microcred.errors import ConfigError
from microcred.networks.registry import (
    ARCHIVED,
    SPAN,
    NetworkRecord,
    Registry,
    from_json,
    global_number,
    split_number,
    to_json,
)

NET = NetworkRecord("net-a", 1, "p", "c", "course.networks/net-a.git", "0" * 40, ("lea",),
                    ("coach-ana",), ("lea", "coach-ana"), ("lea", "coach-ana"), ("old",))


def test_numbers_round_trip_and_never_collide() -> None:
    assert global_number(3, 7) == 3 * SPAN + 7
    assert split_number(global_number(3, 7)) == (3, 7)
    assert global_number(1, SPAN - 1) < global_number(2, 1)


def test_json_round_trip() -> None:
    registry = Registry((NET,))
    assert from_json(to_json(registry)) == registry


def test_access_follows_the_lists_and_an_archive_stops_pushes() -> None:
    assert NET.may_read("LEA") and NET.may_push("lea") and not NET.may_read("mae")
    assert NET.held("old") and not NET.may_read("old")
    from dataclasses import replace

    assert not replace(NET, state=ARCHIVED).may_push("lea")


def test_serials_are_never_reused() -> None:
    registry = Registry((NET,)).put(NetworkRecord("net-b", 2, "p", "c", "r", "0" * 40, (), (), (), ()))
    assert registry.next_serial() == 3 and registry.by_serial(2) is not None


@pytest.mark.parametrize(("data", "message"), [
    ({"format": 2, "networks": []}, "expected format 1"),
    ({"format": 1, "networks": [{"id": "x"}]}, r"networks\[0\]"),
])
def test_a_damaged_registry_is_refused_with_the_fix(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        from_json(data)
