"""What a detector reports: a rule and where in the line it matched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    rule: str
    start: int
    end: int


Detector = Callable[[str], Iterator[Hit]]
