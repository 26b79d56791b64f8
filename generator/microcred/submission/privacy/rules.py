"""The privacy rules: what each finds, how to fix it, and the detectors that run them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from microcred.submission.privacy import patterns
from microcred.submission.privacy.family import family
from microcred.submission.privacy.gazetteer import lexicon
from microcred.submission.privacy.hits import Detector, Gated, Hit
from microcred.submission.privacy.initials import initials
from microcred.submission.privacy.names import NameRules, name_detector
from microcred.submission.privacy.roster import matcher

_SEAT = "replace it by a seat code such as S07"
RULE_TEXT = {
    "student-name": ("what looks like a student's name", f"{_SEAT}, or by a role ('a student')"),
    "parent-name": ("what looks like a parent's name", "refer to them as 'a parent'"),
    "email": ("an email address", "remove it; refer to people by role or seat code"),
    "phone": ("a phone number", "remove it"),
    "student-id": ("what looks like a student ID or login", f"remove it or {_SEAT}"),
    "date-of-birth": ("a date of birth", "remove it; age or grade level is enough"),
    "address": ("what looks like a home address", "remove it; the neighbourhood is enough, "
                "if it matters at all"),
    "social-handle": ("a social media handle", "remove it"),
    "disability": ("a disability, health or support status tied to a student",
                   "keep the support needed ('a student with extra reading support') and drop "
                   "what identifies the student, or the status itself"),
    "family-circumstance": ("a family circumstance tied to a student (custody, foster care, "
                            "housing, immigration status, free or reduced-price lunch)",
                            "leave it out of the evidence; if it matters, say what support "
                            "the student needs"),
    "quasi-identifier": ("a description that singles out one student",
                         "describe the student so that nobody at the school could tell who"),
    "public-video": ("a video link that can be public", "share the recording as unlisted or "
                     "private (for example a Vimeo link with its privacy hash, or a Drive link "
                     "shared with your coach)"),
}


@dataclass(frozen=True)
class Settings:
    """What the trusted course says about privacy: who is not a student, and the rosters."""

    allow: frozenset[str] = frozenset()  # case-folded names, phrases, emails, numbers
    staff_domains: frozenset[str] = frozenset()
    rosters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (salt, hashes) per programme
    student_names: tuple[str, ...] = field(default=())  # a plain list, from a local file


def detectors(names: Iterable[str] = (), private_video: bool = False,
              settings: Settings | None = None, in_text: bool | None = None) -> list[Detector]:
    """The detectors to run; order decides which rule wins when two match the same text.

    `private_video` adds the video rule as it applies to a link file (only links public by
    their form); `in_text` (the default with `private_video`) applies it as in free text, where
    any YouTube or public Vimeo link is flagged.
    """
    settings = settings or Settings()
    on_roster = matcher([*settings.student_names, *names], settings.rosters)
    people = name_detector(NameRules(settings.allow, on_roster))
    found: list[Detector] = [
        patterns.emails(settings.staff_domains), patterns.date_of_birth, patterns.phones,
        patterns.addresses, patterns.student_ids, patterns.logins, patterns.handles,
        patterns.health(people), family(people), patterns.quasi_identifiers, people, initials,
    ]
    if private_video:
        found.insert(0, patterns.videos(in_text if in_text is not None else True))
    return [_allowing(d, settings.allow) for d in found] if settings.allow else found


def allowed_forms(names: Iterable[str], logins: Iterable[str] = ()) -> set[str]:
    """The case-folded forms under which allowed names, logins and numbers are looked up.

    An allowed name (privacy.allow) is allowed whole and word by word. A login is allowed as
    written, and so are those of its parts that are surnames and no given name ('amaral' in
    'coach-amaral', 'park' in 'jpark'): a part such as 'ana' may be a student's name too.
    """
    lex = lexicon()
    forms: set[str] = set()
    for value in names:
        folded = " ".join(value.casefold().split())
        forms.add(folded)
        if sum(ch.isdigit() for ch in value) >= 7:  # a number: with and without area code
            forms.update((_digits(value), _digits(value)[-7:]))
        words = [w.strip(".") for w in folded.split()]
        forms.update(w for w in words if len(w) > 1 and w not in _TITLE_WORDS)
        if words and words[0] in _TITLE_WORDS:
            forms.add(" ".join(words[1:]))
    for login in logins:
        folded = login.casefold()
        parts = [p for p in re.split(r"[^a-z]+", folded) if p]
        forms.update((folded, " ".join(parts)))  # 'coach-ana' is read as 'coach ana'
        for part in parts:
            if len(part) > 2 and part in lex.surnames and part not in lex.first:
                forms.add(part)
            elif len(part) > 4 and part not in lex.first and part not in lex.words and \
                    lex.first.get(part[1:], 1 << 30) > 2000:  # 'jpark': an initial, a surname
                forms.add(part[1:])
    return forms


_TITLE_WORDS = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "coach", "principal"])


def _allowing(detect: Detector, allow: frozenset[str]) -> Detector:
    """`detect`, less what the course allows (its office number, its public email)."""
    def detect_allowed(line: str) -> Iterator[Hit]:
        for hit in detect(line):
            text = line[hit.start:hit.end]
            if text.casefold() not in allow and _digits(text) not in allow:
                yield hit
    return Gated(detect_allowed, detect.needs) if isinstance(detect, Gated) else detect_allowed


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit()) or text
