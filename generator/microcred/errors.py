"""Findings and the errors the CLI turns into exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file, with where it is and how to fix it."""

    path: str
    line: int
    key: str
    message: str
    fix: str = ""

    def render(self) -> str:
        """Format as `path:line: key: message (fix)`."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        key = f" {self.key}:" if self.key else ""
        fix = f" ({self.fix})" if self.fix else ""
        return f"{where}:{key} {self.message}{fix}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "key": self.key,
            "message": self.message,
            "fix": self.fix,
        }


class MicrocredError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback."""

    exit_code = 2


class UsageError(MicrocredError):
    """The command was called wrongly."""


class ConfigError(MicrocredError):
    """The repository or its configuration cannot be used."""
