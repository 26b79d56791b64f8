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


@dataclass(frozen=True)
class Gated:
    """A detector, with a cheap test that every line it can match passes (a digit, '@', a
    keyword). The test only asks whether something is in the text, so a text that fails it
    holds no such line: the scan skips the detector for the whole text at once."""

    detect: Detector
    needs: Callable[[str], bool]

    def __call__(self, line: str) -> Iterator[Hit]:
        return self.detect(line)
