"""What the check reports: findings with a rule, a severity and a fix."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

ERROR, NOTICE = "error", "notice"
# Control, format (bidi overrides, zero widths) and line-separator characters: in a finding they
# could forge output lines, drive a terminal or reorder what a reader sees; lone surrogates
# (undecodable bytes) cannot even be printed.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def printable(text: str) -> str:
    """`text` with every control or invisible character written as an escape such as \\u202e."""
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch
                   for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class CheckFinding:
    """One result of the check. `message` never carries an unmasked personal detail."""

    path: str
    line: int
    rule: str
    message: str
    fix: str = ""
    severity: str = ERROR

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        fix = f" ({self.fix})" if self.fix else ""
        tag = "" if self.severity == ERROR else f" [{self.severity}]"
        return f"{where}: {self.rule}:{tag} {self.message}{fix}"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "rule": self.rule,
                "severity": self.severity, "message": self.message, "fix": self.fix}


@dataclass
class RequirementStatus:
    """Whether one evidence requirement is met, for the checklist."""

    id: str
    title: str
    kind: str
    file: str
    ok: bool
    optional: bool = False


@dataclass
class SubmissionReport:
    """Everything the check learned about one submission folder."""

    folder: str
    learner: str = ""
    credential: str = ""
    module: str = ""
    version: str = ""
    attempt: int = 0
    requirements: list[RequirementStatus] = field(default_factory=list)
    findings: list[CheckFinding] = field(default_factory=list)
    summaries: list[dict[str, object]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)
