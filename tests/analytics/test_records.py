"""The time reader every record goes through."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microcred.analytics.records import parse_time

NOON = datetime(2026, 9, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-09-04T12:00:00Z", "2026-09-04T12:00:00+00:00",
                                  "2026-09-04T14:00:00+02:00", "2026-09-04T07:00:00-05:00",
                                  "2026-09-04T12:00:00"])
def test_every_way_of_writing_a_moment_is_the_same_utc_time(text: str) -> None:
    moment = parse_time(text)
    assert moment == NOON and moment is not None and moment.tzinfo is UTC


@pytest.mark.parametrize("value", [None, "", "yesterday", "2026-13-01T00:00:00Z", 1700000000])
def test_what_is_not_a_time_is_none(value: object) -> None:
    assert parse_time(value) is None
