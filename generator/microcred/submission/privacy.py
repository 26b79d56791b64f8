"""Find likely student-identifying details in evidence, and report them masked.

A detector is a small function from one line of text to the matched spans. Findings carry only
a masked excerpt, so the full value never reaches logs, annotations or pull-request comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from microcred.submission.evidence import split_url
from microcred.submission.findings import NOTICE, CheckFinding, printable
from microcred.submission.manifest import PrivacyException

# Every pattern starts only where a token starts and never has two quantifiers competing for
# the same characters: a match attempt at every position of a 1 MB line must stay linear.
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\w|\.\d)")
_DIGITS = re.compile(r"(?<![\w.:/-])\d{6,10}(?![\w:/-]|\.\d)")
# 'No.', 'number' and '#' only after student/pupil/learner: a room, lesson or page number is fine.
_ID_CONTEXT = re.compile(r"\b(?:(?:student|pupil|learner)\s*(?:id|no\.?|number|#)|id)\s*(?:[:#]\s*)?"
                         r"(\d{4,10})\b", re.IGNORECASE)
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2}|" \
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? (?:19|20)\d{2}|" \
        r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (?:19|20)\d{2})"
_DOB = re.compile(r"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born(?: on)?)\W{0,3}\s*(" +
                  _DATE + r")", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s)>\]]+")
_TOKEN = re.compile(r"\w+")
MAX_FINDINGS_PER_FILE = 20

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


_DIGIT = re.compile(r"\d")


def _has_digit(line: str) -> bool:
    return _DIGIT.search(line) is not None


def _has_at(line: str) -> bool:
    return "@" in line


def _regex(rule: str, pattern: re.Pattern[str], needs: Callable[[str], bool],
           group: int = 0) -> Detector:
    """A detector for `pattern`, skipping (cheaply) lines that lack what every match needs."""
    def detect(line: str) -> Iterator[Hit]:
        if not needs(line):
            return
        for m in pattern.finditer(line):
            yield Hit(rule, m.start(group), m.end(group))
    return detect


def _names(names: Sequence[str]) -> Detector:
    """Whole-word, case-insensitive matches of the listed names, in one pass over a line.

    A regex alternation of thousands of names tries each name at every word: minutes on a
    large file. Here each run of 1..n words is looked up in a set instead.
    """
    wanted: set[str] = set()
    for name in names:
        words = list(_TOKEN.finditer(name))
        if words and words[-1].end() - words[0].start() >= 2:
            wanted.add(_folded(name[words[0].start():words[-1].end()]))
    sizes = sorted({len(_TOKEN.findall(n)) for n in wanted}, reverse=True)
    if not wanted:
        return _nothing

    def detect(line: str) -> Iterator[Hit]:
        tokens = list(_TOKEN.finditer(line))
        i = 0
        while i < len(tokens):
            size = next((k for k in sizes if i + k <= len(tokens) and _folded(line[
                tokens[i].start():tokens[i + k - 1].end()]) in wanted), 0)
            if size:
                yield Hit("student-name", tokens[i].start(), tokens[i + size - 1].end())
            i += max(size, 1)
    return detect


def _nothing(line: str) -> Iterator[Hit]:
    return iter(())


def _folded(name: str) -> str:
    """A name compared without case and with any run of spaces as one."""
    return " ".join(name.split()).casefold()


def _public_videos(line: str) -> Iterator[Hit]:
    for m in _URL.finditer(line):
        if is_public_video(m.group(0)):
            yield Hit("public-video", m.start(), m.end())


def is_public_video(url: str) -> bool:
    """A video address that is public by its form: a YouTube channel, Short or playlist, or a
    Vimeo address without the hash that unlisted videos carry."""
    parts = split_url(url)
    if parts is None:
        return False
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
        _regex("email", _EMAIL, _has_at), _regex("date-of-birth", _DOB, _has_digit, 1),
        _regex("phone", _PHONE, _has_digit), _regex("student-id", _ID_CONTEXT, _has_digit, 1),
        _regex("student-id", _DIGITS, _has_digit), _names(names),
    ]
    if private_video:
        found.append(_public_videos)
    return found


@dataclass(frozen=True)
class Span:
    """One likely identifying detail: its line (from 1), columns in that line, and rule."""
    line: int
    start: int
    end: int
    rule: str


def find_spans(text: str, found_by: Sequence[Detector]) -> list[Span]:
    """Every detail the detectors find in `text`, in order; for evaluation and tools."""
    return [Span(number, hit.start, hit.end, hit.rule)
            for number, line in enumerate(text.splitlines(), start=1)
            for hit in _line_hits(line, list(found_by))]


def mask(value: str) -> str:
    """Keep the shape, hide the substance: at most the last two characters stay visible."""
    keep = 2 if len(value) > 6 else 0
    hidden = "".join("•" if ch.isalnum() else ch for ch in value[: len(value) - keep])
    return hidden + value[len(value) - keep:]


def scan(text: str, shown: str, file: str, found_by: list[Detector],
         exceptions: Sequence[PrivacyException]) -> list[CheckFinding]:
    """Findings for each line of `text` holding a likely identifying detail, at most
    MAX_FINDINGS_PER_FILE of them and then one that counts the rest."""
    out: list[CheckFinding] = []
    unlisted: list[bool] = []  # beyond the limit: whether each further detail is an exception
    # A reason is the learner's own text, echoed in the notice: mask it like the evidence.
    exceptions = [replace(e, reason=_masked(e.reason, found_by)) for e in exceptions]
    for number, line in enumerate(text.splitlines(), start=1):
        hits = _line_hits(line, found_by)
        listed = hits[:max(0, MAX_FINDINGS_PER_FILE - len(out))]
        rest = hits[len(listed):]
        if listed:  # every hit masked: an excerpt may reach into one that is not listed
            masked = _mask_hits(line, hits)
            out += [_finding(masked, hit, number, shown, file, exceptions) for hit in listed]
        unlisted += [_claimed(exceptions, file, number, hit) is not None for hit in rest]
    if unlisted:
        out.append(_more(shown, unlisted))
    return out


def _more(shown: str, unlisted: list[bool]) -> CheckFinding:
    if all(unlisted):
        return CheckFinding(shown, 0, "privacy/more", f"{len(unlisted)} more detail(s) listed as "
                            "exceptions in this file", "coach: confirm the exceptions before "
                            "approving", severity=NOTICE)
    return CheckFinding(shown, 0, "privacy/more", f"{len(unlisted)} more likely identifying "
                        "detail(s) in this file, not listed", "remove them too; the check lists "
                        f"only the first {MAX_FINDINGS_PER_FILE}")


def _masked(text: str, found_by: list[Detector]) -> str:
    return printable(_mask_hits(text, _line_hits(text, found_by)))


def _mask_hits(line: str, hits: list[Hit]) -> str:
    """The line with every hit masked; masking keeps lengths, so positions stay valid."""
    parts: list[str] = []
    at = 0
    for hit in hits:  # sorted and disjoint
        parts += [line[at:hit.start], mask(line[hit.start:hit.end])]
        at = hit.end
    parts.append(line[at:])
    return "".join(parts)


def _line_hits(line: str, found_by: list[Detector]) -> list[Hit]:
    """Disjoint hits by start; where two overlap, the earlier detector's wins."""
    taken: list[Hit] = []
    claimed = bytearray(len(line))
    for detect in found_by:
        for hit in detect(line):
            if not any(claimed[hit.start:hit.end]):
                claimed[hit.start:hit.end] = b"\1" * (hit.end - hit.start)
                taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


def _claimed(exceptions: Sequence[PrivacyException], file: str, number: int,
             hit: Hit) -> PrivacyException | None:
    return next((e for e in exceptions if e.file == file and e.line == number
                 and e.rule == hit.rule), None)


def _finding(line: str, hit: Hit, number: int, shown: str, file: str,
             exceptions: Sequence[PrivacyException]) -> CheckFinding:
    what, fix = RULE_TEXT[hit.rule]
    excerpt = _excerpt(line, hit)
    claimed = _claimed(exceptions, file, number, hit)
    if claimed:
        return CheckFinding(shown, number, f"privacy/{hit.rule}", f"{what} ({excerpt}) is listed "
                            f"as an exception: “{_clip(claimed.reason)}”",
                            "coach: confirm the exception before approving", severity=NOTICE)
    return CheckFinding(shown, number, f"privacy/{hit.rule}", f"{what}: {excerpt}", fix)


def _excerpt(masked: str, hit: Hit) -> str:
    """Up to 24 characters either side of the (already masked) match."""
    around = (masked[max(0, hit.start - 24): hit.start] + "«" + masked[hit.start:hit.end] + "»"
              + masked[hit.end: hit.end + 24])
    return "“" + printable(" ".join(around.split())) + "”"


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 120 else flat[:117] + "..."
