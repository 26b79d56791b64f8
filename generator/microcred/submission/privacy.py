"""Find likely student-identifying details in evidence, and report them masked.

A detector is a small function from one line of text to the matched spans. Findings carry only
a masked excerpt, so the full value never reaches logs, annotations or pull-request comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from microcred.submission.findings import NOTICE, CheckFinding
from microcred.submission.manifest import PrivacyException

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w|\.\d)")
_DIGITS = re.compile(r"(?<![\w.:/-])\d{6,10}(?![\w:/-]|\.\d)")
_ID_CONTEXT = re.compile(r"\b(?:student|pupil|learner)?\s*(?:id|no\.?|number|#)\s*[:#]?\s*(\d{4,10})\b",
                         re.IGNORECASE)
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2}|" \
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? (?:19|20)\d{2}|" \
        r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (?:19|20)\d{2})"
_DOB = re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born(?: on)?)\W{0,3}\s*(" +
                  _DATE + r")", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s)>\]]+")

RULE_TEXT = {
    "email": ("an email address", "remove it; refer to people by role or seat code"),
    "phone": ("a phone number", "remove it"),
    "student-id": ("a number that looks like a student ID", "remove it or replace it by a seat code"),
    "date-of-birth": ("a date of birth", "remove it; age or grade level is enough"),
    "student-name": ("a name on the programme's list of student names",
                     "replace the name by a seat code such as S07"),
    "public-video": ("a video link that can be public", "share the recording as unlisted or "
                     "private (for example a Vimeo link with its privacy hash, or a Drive link "
                     "shared with your coach)"),
}


@dataclass(frozen=True)
class Hit:
    rule: str
    start: int
    end: int


Detector = Callable[[str], Iterator[Hit]]


def _regex(rule: str, pattern: re.Pattern[str], group: int = 0) -> Detector:
    def detect(line: str) -> Iterator[Hit]:
        for m in pattern.finditer(line):
            yield Hit(rule, m.start(group), m.end(group))
    return detect


def _names(names: Sequence[str]) -> Detector:
    words = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not words:
        return lambda line: iter(())
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    return _regex("student-name", pattern)


def _public_videos(line: str) -> Iterator[Hit]:
    for m in _URL.finditer(line):
        if is_public_video(m.group(0)):
            yield Hit("public-video", m.start(), m.end())


def is_public_video(url: str) -> bool:
    """A video address that is public by its form: a YouTube channel, Short or playlist, or a
    Vimeo address without the hash that unlisted videos carry."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if host in ("youtube.com", "youtu.be"):
        return bool(segments) and (segments[0].startswith("@") or segments[0] in
                                   ("shorts", "channel", "c", "user", "playlist", "live"))
    if host == "vimeo.com":
        return len(segments) == 1 and segments[0].isdigit() and "h=" not in parts.query
    return False


def detectors(names: Sequence[str], private_video: bool) -> list[Detector]:
    """The detectors to run; order decides which rule wins when two match the same text."""
    found: list[Detector] = [
        _regex("email", _EMAIL), _regex("date-of-birth", _DOB, 1), _regex("phone", _PHONE),
        _regex("student-id", _ID_CONTEXT, 1), _regex("student-id", _DIGITS), _names(names),
    ]
    if private_video:
        found.append(_public_videos)
    return found


def mask(value: str) -> str:
    """Keep the shape, hide the substance: at most the last two characters stay visible."""
    keep = 2 if len(value) > 6 else 0
    hidden = "".join("•" if ch.isalnum() else ch for ch in value[: len(value) - keep])
    return hidden + value[len(value) - keep:]


def scan(text: str, shown: str, file: str, found_by: list[Detector],
         exceptions: Sequence[PrivacyException]) -> list[CheckFinding]:
    """Findings for each line of `text` holding a likely identifying detail."""
    out: list[CheckFinding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        hits = _line_hits(line, found_by)
        masked = _mask_hits(line, hits)
        out.extend(_finding(masked, hit, number, shown, file, exceptions) for hit in hits)
    return out


def _mask_hits(line: str, hits: list[Hit]) -> str:
    """The line with every hit masked; masking keeps lengths, so positions stay valid."""
    for hit in hits:
        line = line[:hit.start] + mask(line[hit.start:hit.end]) + line[hit.end:]
    return line


def _line_hits(line: str, found_by: list[Detector]) -> list[Hit]:
    taken: list[Hit] = []
    for detect in found_by:
        for hit in detect(line):
            if not any(hit.start < t.end and t.start < hit.end for t in taken):
                taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


def _finding(line: str, hit: Hit, number: int, shown: str, file: str,
             exceptions: Sequence[PrivacyException]) -> CheckFinding:
    what, fix = RULE_TEXT[hit.rule]
    excerpt = _excerpt(line, hit)
    claimed = next((e for e in exceptions if e.file == file and e.line == number
                    and e.rule == hit.rule), None)
    if claimed:
        return CheckFinding(shown, number, f"privacy/{hit.rule}", f"{what} ({excerpt}) is listed "
                            f"as an exception: “{_clip(claimed.reason)}”",
                            "coach: confirm the exception before approving", severity=NOTICE)
    return CheckFinding(shown, number, f"privacy/{hit.rule}", f"{what}: {excerpt}", fix)


def _excerpt(masked: str, hit: Hit) -> str:
    """Up to 24 characters either side of the (already masked) match."""
    around = (masked[max(0, hit.start - 24): hit.start] + "«" + masked[hit.start:hit.end] + "»"
              + masked[hit.end: hit.end + 24])
    return "“" + " ".join(around.split()) + "”"


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 120 else flat[:117] + "..."
