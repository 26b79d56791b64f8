"""The minimum of logged coaching: counted per learner, module, kind, coach and day."""

from __future__ import annotations

from microcred.coaching.records import NETWORK, ONE_TO_ONE, LogEntry
from microcred.coaching.rule import missing_coaching


def entry(day: str, meeting: str = ONE_TO_ONE, coach: str = "coach-ana",
          module: str = "first-module", who: tuple[str, ...] = ("lea",)) -> LogEntry:
    return LogEntry("p", "c", day, meeting, coach, who, ("agreed",), module)


def test_enough_coaching_leaves_nothing_missing() -> None:
    logs = [entry("2026-09-15"), entry("2026-10-13"), entry("2026-09-29", NETWORK)]
    assert missing_coaching(logs, "lea", "first-module", {ONE_TO_ONE: 2, NETWORK: 1},
                            ["coach-ana"], "2026-11-01") == []


def test_what_is_missing_is_named_with_what_is_logged() -> None:
    assert missing_coaching([entry("2026-09-15")], "lea", "first-module", {ONE_TO_ONE: 2},
                            ["coach-ana", "coach-ben"], "2026-11-01") == [
        "1 more one-to-one coaching meeting(s) to log with lea for first-module: it needs 2 "
        "before the assessment (2026-11-01), 1 logged (2026-09-15); coach-ana or coach-ben "
        "records it with `microcred log lea --meeting one-to-one --module first-module ...`"]


def test_meetings_that_do_not_count() -> None:
    logs = [entry("2026-11-02"),                       # after the assessment
            entry("2026-09-15", coach="coach-zed"),    # not the learner's coach
            entry("2026-09-15", module="observation"),  # another module
            entry("2026-09-15", who=("leo",)),         # another learner
            entry("2026-09-15", NETWORK)]              # another kind
    [reason] = missing_coaching(logs, "lea", "first-module", {ONE_TO_ONE: 1}, ["coach-ana"],
                                "2026-11-01")
    assert ", none logged;" in reason
