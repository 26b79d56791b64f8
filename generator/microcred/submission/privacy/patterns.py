"""Detectors of identifying details that have a shape: emails, phones, IDs, dates of birth,
addresses, social handles, video links, and health or disability status.

Every pattern starts only where a token starts and never has two quantifiers competing for
the same characters, so a match attempt at every position of a 1 MB line stays linear; each
detector first checks cheaply for what every match needs (a digit, '@', a keyword), and is
`Gated` by the same check, so that a text without it is skipped once rather than line by line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from microcred.submission.evidence import split_url
from microcred.submission.privacy.gazetteer import lexicon
from microcred.submission.privacy.hits import Detector, Gated, Hit

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:19|20)\d{2}"
_YEAR_IN = re.compile(r"\b\d{4}\b")
# 'the ninth of September, 2021'; Spanish months ('12 de marzo de 2019').
_ORDINAL = (r"(?:the )?(?:(?:twenty|thirty)[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|"
            r"eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
            r"seventeenth|eighteenth|nineteenth|twentieth|thirtieth)")
_MES = (r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
        r"noviembre|diciembre)")
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:{_YEAR}|\d{{2}})|{_YEAR}-\d{{1,2}}-\d{{1,2}}|"
         rf"{_MONTH},? {_YEAR}|{_MONTH} {_DAY}(?:,? \d{{4}})?|"
         rf"{_DAY} (?:of )?{_MONTH}(?:,? \d{{4}})?|{_ORDINAL} (?:of )?{_MONTH}(?:,? \d{{4}})?|"
         rf"{_MONTH} (?:the )?{_ORDINAL}(?:,? \d{{4}})?|\d{{1,2}} de {_MES}(?: de(?:l)? \d{{4}})?)")
_AGE_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
             r"fourteen|fifteen|sixteen|seventeen|eighteen)")
_AGE = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|" \
       r"fourteen|fifteen|sixteen|seventeen|eighteen)"
_DOB = re.compile(
    r"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|b-?day|born(?: on| in)?|"
    r"naci[oó](?: el)?|fecha de nacimiento|cumpleaños(?: es)?(?: el)?|"
    rf"(?:(?:turn(?:s|ed|ing)?|will turn|be|is|was) )?{_AGE_WORD}(?: years old)? on|"
    rf"(?:turn(?:s|ed|ing)?|will turn|be|is|was) {_AGE}(?: years old)?(?: on| last| this))"
    rf"(?: is| was| on| the| as| listed|:|,|\s){{0,6}}({_DATE})", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                    r"\.[A-Za-z]{2,})")
# "maya.c [at] school [dot] org", "maya at school dot org": written out to dodge a filter.
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.])[A-Za-z0-9._-]+\s*(?:\[at\]|\(at\)|\{at\}| at )\s*[A-Za-z0-9-]+"
    r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\}| dot |\.)\s*[A-Za-z0-9-]+)+", re.IGNORECASE)
_SPELLED_DOT = re.compile(r"\[dot\]|\(dot\)|\{dot\}| dot ", re.IGNORECASE)
# A mailbox named for a role, not a person: nobody's detail.
_ROLE_MAILBOX = re.compile(r"office|info|admin|coach|principal|attendance|counsel|frontdesk|"
                           r"contact|support|help|reply|registrar|nurse|team|programme|program",
                           re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w.])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
                    r"(?!\w|\.\d)")
_LOCAL_PHONE = re.compile(r"(?<![\w./:-])\d{3}[.-]\d{4}(?![\w/:-]|\.\d)")
_OFFICE = re.compile(r"\b(?:office|front desk|main line|school line|switchboard|reception|"
                     r"district|attendance line|fax|hotline|helpline)\b", re.IGNORECASE)
_HOME = re.compile(r"\b(?:home|cell|mom|mother|dad|father|parent|guardian|grandma|aunt|uncle)",
                   re.IGNORECASE)
_EXTENSION = re.compile(r"\s*(?:,\s*)?(?:ext|x)\.?\s*\d", re.IGNORECASE)  # an office line's
_DIGITS = re.compile(r"(?<![\w.:/#-])\d{6,10}(?![\w:/-]|\.\d)")
# A number is an ID by what it is called: 'student ID', 'lunch number', not 'room 214'.
_ID_CONTEXT = re.compile(
    r"\b(?:(?:student|pupil|learner|lunch|locker|library|badge|state|district|school|sis|"
    r"his|her|their|'s|’s)\s*(?:id|no\.?|number|num|#|pin|code)|id|pin)(?:\b|(?<=\.))\s*"
    r"(?:is\s+|was\s+|number\s+)?(?:[:#=]\s*)?([A-Za-z]{0,3}-?\d[\dA-Za-z-]{2,14})\b",
    re.IGNORECASE)
_NOT_ID_BEFORE = re.compile(r"\b(?:meeting|zoom|room|order|ticket|invoice|isbn|course|section|"
                            r"lesson|page|standard|serial|model|version|item|task|question|"
                            r"problem|case|policy|grant|passcode|code|channel|ext|extension|"
                            r"bus|route|call|no)\s*(?:id|number|no\.?|#)?\s*[:#=]?\s*$",
                            re.IGNORECASE)
_LOGIN = re.compile(r"\b(?:login|log-in|log in|username|user name|user id|userid|handle|"
                    r"screen name|gamertag|account|sign-in)\b(?:\s*(?:is|was|reads|:|=|,))?\s*"
                    r"(@?[A-Za-z][A-Za-z0-9._-]{2,30})", re.IGNORECASE)
_LOGIN_WORDS = frozenset((
    "is", "was", "the", "a", "an", "and", "or", "to", "for", "on", "in", "with", "from", "of",
    "this", "that",
))
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_][A-Za-z0-9_.]{2,29}(?![\w@])")
_SOCIAL_URL = re.compile(r"(?<![\w./@-])(?:https?://)?(?:www\.)?(?:instagram\.com|tiktok\.com|twitter\.com|x\.com|"
                         r"facebook\.com|snapchat\.com/add|threads\.net)/@?[A-Za-z0-9_.]{2,40}",
                         re.IGNORECASE)
_STREETS = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|"
            r"Way|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Hollow|"
            r"Row|Loop|Pike|Crescent|Close")
# Street words are capitalised ('12 Maple Street'): '3 steps to the court' is no address.
_ADDRESS = re.compile(
    rf"(?<![\w.#:/-])\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:(?:[A-Z][a-z'’]*|\d{{1,3}}(?:st|nd|rd|th))"
    rf"\s+){{1,3}}(?:{_STREETS})\b\.?(?:,?\s*(?:[Aa]pt|[Aa]partment|[Uu]nit|[Ss]uite|#)\.?\s*[\w-]{{1,6}})?"
    rf"(?:,\s*[A-Z][a-z]+(?: [A-Z][a-z]+)?(?:,?\s*[A-Z]{{2}})?(?:\s+\d{{5}}(?:-\d{{4}})?)?)?")
# Street words that come before the street's name: '2270 Calle Sombra, Apt 5'.
_ADDRESS_WORD_FIRST = re.compile(
    r"(?<![\w.#:/-])\d{1,6}[A-Za-z]?\s+(?:Calle|Avenida|Camino|Paseo|Carrera|Rua|Rue|Via|Strada)"
    r"\s+(?:(?:de |del |la |los |las )?[A-Z][\w'’]*\s*){1,3}(?:,?\s*(?:[Aa]pt|[Uu]nit|#)\.?\s*"
    r"[\w-]{1,6})?")
# The number after the street's name, then a postcode and a town, as across Europe:
# 'Lindenweg 14, 10115 Berlin', 'Kestenova ulica 14, 10000 Zagreb' (a year is no postcode).
_ADDRESS_NUMBER_AFTER = re.compile(
    r"(?<![\w.#:/-])[A-Z][\w'’-]+(?: [a-zA-Z][\w'’-]+){0,2} \d{1,4}[a-zA-Z]?,\s*"
    r"(?!(?:19|20)\d{2}\b)\d{4,5} [A-Z][\w-]+")
_POSTCODE = re.compile(r",\s*\d{4,5} [A-Z]")  # what that form needs: most lines lack it
_PO_BOX = re.compile(r"\bp\.?\s?o\.?\s+box\s+\d{1,6}\b", re.IGNORECASE)
_LIVES = re.compile(r"\b(?:lives|living|lived|moved|address is|stays|staying|live)\s+(?:at|on|off)\s+"
                    rf"((?:[A-Z][a-z]+\s+){{1,3}}(?:{_STREETS})\b\.?)")
_URL = re.compile(r"https?://[^\s)>\]\"'<]+", re.IGNORECASE)
_BARE_VIDEO = re.compile(r"(?<![\w./])(?:www\.|m\.)?(?:youtube\.com|youtu\.be|vimeo\.com)/"
                         r"[^\s)>\]\"'<]+", re.IGNORECASE)
_HEALTH = re.compile(
    r"\b(?:(?:glucose|diabetes|heart) monitor|type [12] diabetes|IEPs?|504(?: plan)?|"
    r"individuali[sz]ed education (?:program|plan)|special ed(?:ucation)?|"
    r"SPED|autism|autistic|ASD|ADHD|dyslexi[ac]|dyscalculia|down syndrome|cerebral palsy|"
    r"hearing[- ]impaired|visually[- ]impaired|deaf|blind|learning disabilit(?:y|ies)|"
    r"disabilit(?:y|ies)|behaviou?r (?:intervention )?plan|BIP|seizures?|epilep(?:sy|tic)|"
    r"diabet(?:es|ic)|anxiety disorder|depression|medication|on the spectrum|"
    r"speech therapy|occupational therapy|counseling services|"
    r"(?:speech|language|developmental) (?:delay|impairment|disorder)|speech IEP|asthma|"
    r"(?:food |nut |peanut )?allerg(?:y|ies|ic)|wheelchair|hearing aids?|cochlear implant|"
    r"insulin|inhaler|epipen|sickle cell(?: disease| anemia)?|leukemia|cancer|cystic fibrosis|"
    r"spina bifida|celiac disease|crohn'?s disease|hemophilia|concussion|traumatic brain injury|"
    r"dyscalculia|dysgraphia|tourette'?s|ocd|ptsd|eating disorder)\b",
    re.IGNORECASE)
# The words before a status that tie it to one student ('her IEP', 'has a 504 plan').
_HEALTH_TIE = re.compile(r"\b(?:his|her|has|had|with|needs|gets|uses|wears|diagnosed|"
                         r"diagnosis|qualifies|qualified)\b[^.;]{0,30}$|\bon an? (?:\w+ )?$",
                         re.IGNORECASE)
# ...unless the subject is a group or a seat code: 'students with an IEP', 'S09 has an IEP'.
_HEALTH_GROUP = re.compile(r"\b(?:students|kids|children|pupils|learners|number of|all|S-?\d{1,3}|"
                           r"(?:a|one|any|each|every) (?:student|child|kid|learner|pupil))"
                           r"\b[^.;]{0,30}$", re.IGNORECASE)
_KIN_WORDS = (r"(?:mom|mother|dad|father|parents?|grandmother|grandma|grandfather|grandpa|aunt|"
              r"uncle|sister|brother|cousin|stepmom|stepdad)")
_QUASI = re.compile("|".join((
    # 'the twins whose mother teaches here', 'the one whose dad is the football coach'
    r"\bthe (?:twins?|triplets|one|kid|boy|girl|student|two kids|two|three|siblings)\b"
    rf"(?: [\w-]+){{0,4}}? (?:whose|with the|who(?:se)? {_KIN_WORDS}) {_KIN_WORDS}?\b[^.;\"”]{{0,60}}",
    # 'the only student in the building who uses a wheelchair', 'only 4th grader from ...'
    r"\b(?:the )?only (?:[\w-]+ ){0,3}?(?:student|kid|child|children|boy|girl|grader|one|"
    r"speaker|newcomer)s? (?:in (?:the|our|this) (?:[\w-]+ ){0,2}?(?:building|school|district|"
    r"grade|class)|(?:who|that) (?:uses|rides|lives|"
    r"speaks|has|wears|came|arrived|moved|is|was)|whose|from|living|at the)\b[^.;:\"”)]{0,60}",
    # 'the exchange student from Krakow'
    r"\b(?:the |an? )?(?:new |exchange |foreign |transfer )+(?:student|kid|boy|girl)"
    r"(?: who (?:just )?(?:moved|came|arrived|transferred))? from "
    r"[A-Z][\w-]+[^.;:\"”)]{0,40}",
    # "Mr. Lindgren's daughter", 'the family runs the bakery on Main Street'
    r"\b(?:Mr|Mrs|Ms|Dr|Coach)\.? [A-Z][\w'’-]+(?:'s|’s) (?:daughter|son|child|kid|niece|nephew|"
    r"grandson|granddaughter|stepson|stepdaughter)\b[^.;\"”]{0,60}",
    rf"\b(?:family|{_KIN_WORDS}) (?:runs|owns|run|own|manages|works at) (?:the|a) [^.;\"”]{{3,60}}",
    # 'dad = asst varsity football coach', 'her mother is the school nurse'
    rf"\b{_KIN_WORDS} ?(?:=|is|was) ?(?:the |our |an? )?(?:asst\.? |assistant |head )?"
    r"(?:[\w-]+ ){0,3}?(?:coach|teacher|principal|nurse|secretary|custodian|counselor|"
    r"superintendent|board member|crossing guard|librarian|bus driver|pastor|mayor)\b",
)), re.IGNORECASE)
_QUASI_HINTS = ("twin", "triplet", "only ", "whose", "student from", "kid from", "=", " is ",
                " was ", "'s ", "’s ", " run", " own", " manage", " works")
# Two more descriptions, each behind a keyword of its own (rarer than the hints above): a
# newcomer by origin and arrival ('arrived from Aleppo last week') and a family member's legal
# status ('her father was deported').
_QUASI_RARE = (
    (("arrived", "fled", "immigrated", "here from"), re.compile(
        r"\b(?:arrived|immigrated|fled|(?:moved|came) here) from (?-i:[A-Z])[\w-]+"
        r"[^.;:\"”)]{0,40}", re.IGNORECASE)),
    (("deported", "detained", "arrested", "jail", "prison", "incarcerated"), re.compile(
        rf"\b{_KIN_WORDS} (?:was|were|got|has been|had been|is) (?:deported|detained|arrested|"
        r"jailed|incarcerated|imprisoned|in prison|in jail)\b", re.IGNORECASE)),
)
_DIGIT = re.compile(r"\d")


def _has_digit(line: str) -> bool:
    # On ASCII text '\d' is 0-9, and ten substring searches are far quicker than the pattern.
    if line.isascii():
        return any(digit in line for digit in "0123456789")
    return _DIGIT.search(line) is not None


def any_of(hints: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a line holds one of `hints`, ignoring case.

    A line is lower-cased and searched for each hint as a substring, many times faster than
    one case-insensitive alternation (above all over a whole text that holds none). Only a line
    holding one of the few letters whose case folding gives an ASCII letter that lower-casing
    does not ('ſ' for 's', the Kelvin sign, dotted and dotless i) goes through that alternation.
    """
    folded = re.compile("|".join(re.escape(h) for h in hints), re.IGNORECASE)

    def holds(line: str) -> bool:
        if line.isascii() or not any(odd in line for odd in _ODD_CASES):
            lowered = line.lower()
            return any(hint in lowered for hint in hints)
        return folded.search(line) is not None
    return holds


_ODD_CASES = ("ſ", "\u212a", "İ", "ı")


def regex(rule: str, pattern: re.Pattern[str], needs: Callable[[str], bool],
          group: int = 0) -> Detector:
    """A detector for `pattern`, skipping (cheaply) lines that lack what every match needs."""
    def detect(line: str) -> Iterator[Hit]:
        if not needs(line):
            return
        for m in pattern.finditer(line):
            yield Hit(rule, m.start(group), m.end(group))
    return Gated(detect, needs)


_dob_hint = any_of(("dob", "d.o.b", "birth", "bday", "b-day", "born", "turn", " on ", "naci",
                    "cumple"))


def _maybe_birth_date(text: str) -> bool:
    return _has_digit(text) and _dob_hint(text)


def _date_of_birth(line: str) -> Iterator[Hit]:
    """Birth dates; not those of people born long before any student ('born in 1867')."""
    if _maybe_birth_date(line):
        for m in _DOB.finditer(line):
            year = _YEAR_IN.search(m.group(1))
            if year is None or int(year.group(0)) >= 1950:
                yield Hit("date-of-birth", m.start(1), m.end(1))


date_of_birth = Gated(_date_of_birth, _maybe_birth_date)


def emails(staff_domains: frozenset[str]) -> Detector:
    """Email addresses, written plainly or spelled out, except at the staff's own domains."""
    def detect(line: str) -> Iterator[Hit]:
        if "@" in line:
            for m in _EMAIL.finditer(line):
                if not _staff(m.group(1), staff_domains) and not _ROLE_MAILBOX.search(
                        line, m.start(), m.start(1)):
                    yield Hit("email", m.start(), m.end())
        if _maybe_spelled(line):
            for m in _SPELLED_EMAIL.finditer(line):
                if _spelled(m.group(0)):
                    yield Hit("email", m.start(), m.end())
    return Gated(detect, _maybe_email)


def _maybe_spelled(text: str) -> bool:
    lowered = text.lower()
    return " at " in lowered or "[at]" in lowered or "(at)" in lowered or "{at}" in lowered


def _maybe_email(text: str) -> bool:
    return "@" in text or _maybe_spelled(text)


def _spelled(text: str) -> bool:
    """A spelled-out email has a spelled-out '@' and either brackets or a spelled 'dot'."""
    at_bracketed = any(b in text.lower() for b in ("[at]", "(at)", "{at}"))
    return at_bracketed or _SPELLED_DOT.search(text) is not None


def _staff(domain: str, staff_domains: frozenset[str]) -> bool:
    return domain.lower() in staff_domains


def _phones(line: str) -> Iterator[Hit]:
    """Phone numbers, with or without an area code; a school office's line is not flagged."""
    if not _has_digit(line):
        return
    office = _OFFICE.search(line) is not None
    for pattern in (_PHONE, _LOCAL_PHONE):
        for m in pattern.finditer(line):
            if not (office and _OFFICE.search(line, max(0, m.start() - 40), m.start())
                    and not _HOME.search(line, max(0, m.start() - 40), m.start())) and \
                    not _EXTENSION.match(line, m.end(), m.end() + 8):
                yield Hit("phone", m.start(), m.end())


phones = Gated(_phones, _has_digit)


def _student_ids(line: str) -> Iterator[Hit]:
    """Numbers called an ID, and long bare numbers that are nothing else."""
    if not _has_digit(line):
        return
    for m in _ID_CONTEXT.finditer(line):
        if any(ch.isdigit() for ch in m.group(1)) and not _NOT_ID_BEFORE.search(
                line, max(0, m.start() - 30), m.start()):
            yield Hit("student-id", m.start(1), m.end(1))
    for m in _DIGITS.finditer(line):
        if not _NOT_ID_BEFORE.search(line, max(0, m.start() - 30), m.start()):
            yield Hit("student-id", m.start(), m.end())


student_ids = Gated(_student_ids, _has_digit)


_LOGIN_SHAPE = re.compile(r"(?<![\w@./-])([a-z]{4,})\d{2,4}(?![\w@-])")


def _logins(line: str) -> Iterator[Hit]:
    """Logins after a word that names them, and words shaped like one ('jbrooks12') that are
    no English word followed by a number."""
    if _has_digit(line):
        for m in _LOGIN_SHAPE.finditer(line):
            if m.group(1) not in lexicon().words:
                yield Hit("student-id", m.start(), m.end())
    yield from _named_logins(line)


_LOGIN_HINTS = ("log", "user", "handle", "account", "name", "password", "gamertag", "sign")


def _maybe_named_login(text: str) -> bool:
    lowered = text.lower()
    return any(w in lowered for w in _LOGIN_HINTS)


def _maybe_login(text: str) -> bool:
    return _has_digit(text) or _maybe_named_login(text)


def _named_logins(line: str) -> Iterator[Hit]:
    if not _maybe_named_login(line):
        return
    for m in _LOGIN.finditer(line):
        value = m.group(1).rstrip("._-")
        if value.casefold() not in _LOGIN_WORDS and any(ch.isdigit() or ch in "._@" for ch in value):
            yield Hit("student-id", m.start(1), m.start(1) + len(value))


logins = Gated(_logins, _maybe_login)


def _handles(line: str) -> Iterator[Hit]:
    if "@" in line:
        for m in _HANDLE.finditer(line):
            yield Hit("social-handle", m.start(), m.end())
    if ".com/" in line or ".net/" in line or "://" in line:
        for m in _SOCIAL_URL.finditer(line):
            yield Hit("social-handle", m.start(), m.end())


handles = Gated(_handles, lambda text: "@" in text or ".com/" in text or ".net/" in text
                or "://" in text)
# Every way _LIVES starts holds one of these (it is case-sensitive).
_LIVES_WORDS = ("liv", "moved", "address is", "stay")


def _maybe_lives(text: str) -> bool:
    return (" on " in text or " at " in text) and any(w in text for w in _LIVES_WORDS)


def _addresses(line: str) -> Iterator[Hit]:
    if _has_digit(line):
        for pattern in (_ADDRESS, _PO_BOX):
            for m in pattern.finditer(line):
                yield Hit("address", m.start(), m.end())
        if _POSTCODE.search(line):
            for m in _ADDRESS_NUMBER_AFTER.finditer(line):
                yield Hit("address", m.start(), m.end())
        if _maybe_word_first(line):
            for m in _ADDRESS_WORD_FIRST.finditer(line):
                yield Hit("address", m.start(), m.end())
    if _maybe_lives(line):
        for m in _LIVES.finditer(line):
            yield Hit("address", m.start(1), m.end(1))


addresses = Gated(_addresses, lambda text: _has_digit(text) or _maybe_lives(text))


def videos(in_text: bool) -> Detector:
    """Video links that can be public: in free text any YouTube or public Vimeo address; in a
    link file, only the forms that are public by their shape (unlisted ones are fine there)."""
    def detect(line: str) -> Iterator[Hit]:
        if not _maybe_video(line):
            return
        for pattern in (_URL, _BARE_VIDEO):
            for m in pattern.finditer(line):
                link = m.group(0).rstrip(".,;:!?")
                url = link if "://" in link else "https://" + link
                if is_public_video(url, in_text):
                    yield Hit("public-video", m.start(), m.start() + len(link))
    return Gated(detect, _maybe_video)


_VIDEO_HOST_HINTS = ("youtu", "vimeo", "dailymotion", "dai.ly", "fb.watch", "facebook.",
                     "instagram.", "tiktok.", "twitch.", "rumble.", "streamable.")


def _maybe_video(text: str) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in _VIDEO_HOST_HINTS)


def is_public_video(url: str, in_text: bool = False) -> bool:
    """A video address that is public by its form: a YouTube channel, Short or playlist, or a
    Vimeo address without the hash that unlisted videos carry; in free text also any YouTube
    video (a watch or youtu.be link says nothing of how it is shared)."""
    parts = split_url(url)
    if parts is None:
        return False
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if host in ("youtube.com", "youtu.be", "youtube-nocookie.com"):
        if in_text:
            return bool(segments)
        return bool(segments) and (segments[0].startswith("@") or segments[0] in
                                   ("shorts", "channel", "c", "user", "playlist", "live"))
    if host in ("vimeo.com", "player.vimeo.com"):
        ids = [s for s in segments if s.isdigit()]
        return bool(ids) and segments[-1] == ids[0] and "h=" not in parts.query
    return _public_platform_video(host, segments)


# Video platforms with no unlisted form a link could show: a video, reel or clip address
# there is public (a profile address is a social handle's, found by that rule).
_PUBLIC_VIDEO_PATHS = {
    "dailymotion.com": ("video",), "dai.ly": (), "fb.watch": (),
    "facebook.com": ("watch", "reel", "videos"), "instagram.com": ("reel", "reels", "tv", "p"),
    "tiktok.com": ("video", "t"), "vm.tiktok.com": (), "twitch.tv": ("videos", "clip", "clips"),
    "clips.twitch.tv": (), "rumble.com": (), "streamable.com": (),
}


def _public_platform_video(host: str, segments: list[str]) -> bool:
    paths = _PUBLIC_VIDEO_PATHS.get(host)
    if paths is None or not segments:
        return False
    return not paths or any(s in paths for s in segments[:3])


def health(names: Detector) -> Detector:
    """Disability, health or support status tied to a student: in a line that names someone,
    or after 'his', 'her', 'has an' ('her IEP', 'has a 504 plan')."""
    return tied_phrase(names, "disability", _HEALTH, _maybe_health, _HEALTH_TIE, _HEALTH_GROUP, 40,
                       skip=lambda m: m.group(0).lower().endswith(("ieps", "ies")))


def tied_phrase(names: Detector, rule: str, phrases: re.Pattern[str], maybe: Callable[[str], bool],
                tie: re.Pattern[str], group: re.Pattern[str], window: int,
                skip: Callable[[re.Match[str]], bool] = lambda m: False) -> Detector:
    """`phrases` about one student: flagged in a line that names someone, or when `tie` ends
    the `window` characters before the phrase; never when `group` does (a group or a seat code
    is its subject), nor when `skip` says so. `maybe` is the cheap gate of the line."""
    def detect(line: str) -> Iterator[Hit]:
        found = list(phrases.finditer(line)) if maybe(line) else []
        if not found:
            return
        named = any(True for _ in names(line))
        for m in found:
            before = max(0, m.start() - window)
            if skip(m) or group.search(line, before, m.start()):
                continue
            if named or tie.search(line, before, m.start()):
                yield Hit(rule, m.start(), m.end())
    return Gated(detect, maybe)


_HEALTH_HINTS = ("iep", "504", "individuali", "special ed", "sped", "autis", "asd", "adhd", "dys",
                 "delay", "impair", "disorder", "asthma", "allerg", "wheelchair", "hearing",
                 "cochlear", "insulin", "inhaler", "epipen", "monitor", "tourette", "ocd",
                 "ptsd", "eating",
                 "syndrome", "palsy", "impaired", "deaf", "blind", "disab", "behavio", "bip",
                 "seizure", "epilep", "diabet", "anxiety", "depression", "medication", "spectrum",
                 "therapy", "counseling", "sickle", "leukemia", "cancer", "cystic", "spina",
                 "celiac", "crohn", "hemophilia", "concussion", "brain injury")


_maybe_health = any_of(_HEALTH_HINTS)
_maybe_word_first = any_of(("calle ", "avenida ", "camino ", "paseo ", "carrera ", "rua ",
                             "rue ", "via ", "strada "))
_maybe_quasi = any_of(_QUASI_HINTS)
_QUASI_RARE_CHECKED = tuple((any_of(hints), pattern) for hints, pattern in _QUASI_RARE)
# What some branch of _QUASI needs: 'who', 'with the', 'only ', ' from ', a possessive, or a
# family word. Most lines pass the hints above on ' is ' alone.
_quasi_possible = any_of(("who", "with the", "only ", " from ", "'s ", "’s ", "family", "mom",
                           "mother", "dad", "father", "parent", "grand", "aunt", "uncle", "sister",
                           "brother", "cousin", "step"))


def _maybe_singled_out(text: str) -> bool:
    return _maybe_quasi(text) and _quasi_possible(text)


def _quasi_identifiers(line: str) -> Iterator[Hit]:
    """A description that singles a child out: 'the twins whose mother teaches here'."""
    if _maybe_singled_out(line):
        for m in _QUASI.finditer(line):
            yield Hit("quasi-identifier", m.start(), m.end())
    for maybe, pattern in _QUASI_RARE_CHECKED:
        if maybe(line):
            for m in pattern.finditer(line):
                yield Hit("quasi-identifier", m.start(), m.end())


def _maybe_quasi_identifier(text: str) -> bool:
    return _maybe_singled_out(text) or any(maybe(text) for maybe, _ in _QUASI_RARE_CHECKED)


quasi_identifiers = Gated(_quasi_identifiers, _maybe_quasi_identifier)
