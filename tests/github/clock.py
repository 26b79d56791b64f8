"""A clock for tests of waiting: `sleep` moves time on at once and remembers each wait."""

from __future__ import annotations

import time


class FakeClock:
    def __init__(self, start: float | None = None) -> None:
        self.at = time.time() if start is None else start
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.at += seconds
