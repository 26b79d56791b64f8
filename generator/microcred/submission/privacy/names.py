"""Find people's names in classroom writing without a list of the students.

A word is a name candidate when the shipped lists know it as a given name or surname (or the
programme's hashed roster holds it). Whether it fires depends on how ambiguous it is and on
its context: a given name that is no English word ("Jayden") fires wherever it is capitalised;
one that is also a common word ("Will", "Grace") fires only where a name is expected (mid-
sentence with a capital, before "said", after "asked", with a possessive, an initial or a
surname, or alone in a table cell); a surname fires after a given name, before "family", or
where only a name fits. Adults (after a title such as Ms. or Coach), the programme's staff, the
course's allow-list, and the famous people, places and months of data/not-students.txt never
fire.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from microcred.submission.privacy.gazetteer import Lexicon, lexicon, phrase_starts
from microcred.submission.privacy.hits import Hit

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_POSSESSIVE = ("'s", "’s", "'", "’")
_TITLES = frozenset((
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "coach", "principal",
    "superintendent", "teacher", "counselor", "counsellor", "nurse", "sister", "father",
    "officer", "madam", "sir", "dean", "mister", "señor", "señora", "sra", "sr", "senator",
    "president", "judge", "captain", "pastor", "rabbi", "reverend", "rev",
))
_SPEECH_AFTER = frozenset((
    "said", "says", "asked", "asks", "answered", "answers", "replied", "replies", "explained",
    "explains", "shared", "shares", "shouted", "shouts", "whispered", "whispers", "added",
    "adds", "wrote", "writes", "argued", "argues", "responded", "responds", "suggested",
    "suggests", "told", "tells", "volunteered", "volunteers", "insisted", "insists", "agreed",
    "agrees", "disagreed", "disagrees", "nodded", "nods", "yelled", "yells", "muttered",
    "mutters", "mumbled", "mumbles", "interrupted", "interrupts", "predicted", "predicts",
    "claimed", "claims", "laughed", "laughs", "smiled", "smiles", "giggled", "noticed",
    "notices", "counted", "counts", "solved", "solves", "presented", "presents", "raised",
    "raises", "called", "calls", "pointed", "points", "struggled", "struggles", "finished",
    "finishes", "refused", "refuses", "complained", "complains", "cried", "cries", "whined",
    "guessed", "guesses", "exclaimed", "exclaims", "stated", "states", "offered", "offers",
    "repeated", "repeats", "corrected", "corrects", "erased", "erases", "blurted", "blurts",
    "sighed",
))
_SPEECH_BEFORE = frozenset((
    "asked", "told", "praised", "thanked", "reminded", "invited", "prompted", "redirected",
    "helped", "paired", "partnered", "seated", "encouraged", "complimented", "questioned",
    "warned", "named", "nicknamed", "called", "hugged", "congratulated", "sent", "ask", "tell",
    "praise", "thank", "remind", "invite", "prompt", "redirect", "help", "pair",
))
# Given names that are also months or seasons, places or planets: names only where a name fits.
_CALENDAR = frozenset(("april", "may", "june", "july", "august", "summer", "autumn", "winter"))
_PLACES = frozenset((
    "jordan", "austin", "madison", "savannah", "charlotte", "jackson", "georgia", "virginia",
    "dakota", "india", "china", "kenya", "paris", "london", "phoenix", "brooklyn", "orlando",
    "denver", "dallas", "houston", "carolina", "memphis", "sydney", "florence", "chelsea",
    "camden", "aurora", "columbia", "asia", "africa", "israel", "cairo", "berlin", "vienna",
))
_PLACE_BEFORE = frozenset((
    "in", "to", "from", "at", "near", "visited", "visit", "of", "outside", "around", "across",
    "toward", "towards", "through", "into", "via",
))
_DATE_BEFORE = _PLACE_BEFORE | frozenset((
    "on", "since", "until", "till", "by", "during", "early", "late", "mid", "this", "next",
    "last", "every", "each", "before", "after",
))
_CALLED = frozenset(("called", "calls", "call", "calling", "relied", "checked", "waited"))
_DETERMINERS = frozenset((
    "the", "a", "an", "this", "that", "these", "those", "of", "our", "your", "my", "their",
    "his", "her", "its", "amazing", "saving",
))
_WORD_PROBLEM = re.compile(
    r"\s+(?:has|had|have|buys|bought|sells|sold|earns|earned|saves|saved|spends|spent|shares|"
    r"gives|gave|wants|needs|runs|ran|walks|walked|drives|drove|reads|baked|bakes|collects|"
    r"collected|plants|planted|picks|picked|pays|paid|cuts|fills|measures|is saving|saving|"
    r"earning|selling|buying|making|baking|spending)\b"
    r"[^.?!]{0,40}?(?:\$\d|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"half|a dozen)\s+(?:more\s+|of\s+(?:the|her|his)\s+)?[a-z]+s\b)", re.IGNORECASE)
_KIN = re.compile(r"\b(?:mother|mom|mum|mama|father|dad|papa|parent|parents|guardian|"
                  r"grandmother|grandma|granny|grandfather|grandpa|aunt|uncle|stepmother|"
                  r"stepfather|stepmom|stepdad)(?:'s|’s)?\s*[,:(]?\s*(?:is\s+|named\s+|was\s+)?$",
                  re.IGNORECASE)
_CELL_EDGES = ",\t|;"
_LEFT_STRIP = " \t\"'“‘(*_[>#-"
_RIGHT_STRIP = " \t\"'”’)*_].:"


@dataclass(frozen=True)
class NameRules:
    """What the programme says about names: who is allowed, and its (hashed) roster."""

    allowed: frozenset[str] = frozenset()  # case-folded words and phrases that are not students
    on_roster: Callable[[str], bool] | None = None  # a case-folded word -> on the roster?

    @functools.cached_property
    def starts(self) -> dict[str, tuple[int, ...]]:
        """The allowed phrases' lengths in words, by their first word."""
        return phrase_starts(self.allowed)


class _Token(NamedTuple):  # a tuple: made for every word, so made cheaply
    start: int
    end: int  # without the possessive
    key: str  # case-folded, without the possessive
    shape: str  # "title", "upper" or "lower"
    possessive: bool


def _tokens(line: str) -> list[_Token]:
    out: list[_Token] = []
    for m in _WORD.finditer(line):
        text = m.group(0)
        possessive = text.endswith(_POSSESSIVE[:2])
        base = text[:-2] if possessive else text
        if not base:
            continue
        shape = "upper" if base.isupper() and len(base) > 1 else (
            "title" if base[0].isupper() else "lower")
        out.append(_Token(m.start(), m.start() + len(base), base.casefold(), shape, possessive))
    return out


def name_detector(rules: NameRules) -> Callable[[str], Iterator[Hit]]:
    """A detector of people's names, by `rules` and the shipped lists."""
    last: list[tuple[str, list[Hit]]] = []  # the rule on health status asks about a line again

    def detect(line: str) -> Iterator[Hit]:
        if last and last[0][0] is line:
            return iter(last[0][1])
        found = list(_LineReader(line, lexicon(), rules).hits()) if _has_alpha(line) else []
        last[:] = [(line, found)]
        return iter(found)
    return detect


def _has_alpha(line: str) -> bool:
    return _WORD.search(line) is not None


class _LineReader:
    """The name decisions for one line; a class only to share the line's facts."""

    def __init__(self, line: str, lex: Lexicon, rules: NameRules) -> None:
        self.line, self.lex, self.rules = line, lex, rules
        self.tokens = _tokens(line)
        self.cells = any(sep in line for sep in _CELL_EDGES)
        capitals = sum(t.shape != "lower" for t in self.tokens)
        # A heading or a title-case line: capitals say nothing there.
        self.titled = line.lstrip().startswith("#") or (
            len(self.tokens) >= 3 and capitals * 3 >= len(self.tokens) * 2)
        self.blocked = self._blocked()
        # A word problem's characters ("Jamal has 12 marbles") are nobody: the whole line.
        self.problem = any(t.shape == "title" and t.key in lex.first and _WORD_PROBLEM.match(
            line, t.end, t.end + 80) for t in self.tokens)

    def hits(self) -> Iterator[Hit]:
        fired = [self._fires(i) for i in range(len(self.tokens))]
        self._coordinated(fired)
        i = 0
        while i < len(self.tokens):
            if not fired[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(self.tokens) and self._joined(j) and (
                    fired[j + 1] or self._surname_like(j + 1)):
                j += 1
            end = self._initial_end(j) or self.tokens[j].end
            yield Hit(self._kind(i), self.tokens[i].start, end)
            i = j + 1

    # --- what blocks a word -----------------------------------------------------------------

    def _blocked(self) -> list[bool]:
        """Words that are not a student: allowed phrases, famous names, and adults' names."""
        n = len(self.tokens)
        blocked = [False] * n
        for i in range(n):
            if blocked[i]:
                continue
            for known, starts in ((self.lex.not_students, self.lex.phrase_starts),
                                  (self.rules.allowed, self.rules.starts)):
                for size in starts.get(self.tokens[i].key, ()):
                    if i + size <= n and self._phrase(i, size) in known and \
                            not self._listed(i, size):
                        blocked[i:i + size] = [True] * size
                        break
            if self.tokens[i].key in _TITLES and self.tokens[i].shape != "lower":
                for k in range(i + 1, min(i + 3, n)):
                    if self.tokens[k].shape == "lower" or not self._joined(k - 1, titled=True):
                        break
                    blocked[k] = True
        return blocked

    def _listed(self, i: int, size: int) -> bool:
        """Whether every word of a phrase is on the roster (which beats the famous names)."""
        on_roster = self.rules.on_roster
        return on_roster is not None and all(on_roster(t.key) for t in self.tokens[i:i + size])

    def _phrase(self, i: int, size: int) -> str:
        return " ".join(t.key for t in self.tokens[i:i + size])

    def _joined(self, i: int, titled: bool = False) -> bool:
        """Whether word i and the next are written as one name: only a space between them."""
        gap = self.line[self.tokens[i].end:self.tokens[i + 1].start]
        if self.tokens[i].possessive:
            return False
        return gap == " " or (titled and gap in (". ", "."))

    # --- the decision for one word ----------------------------------------------------------

    def _fires(self, i: int) -> bool:
        t = self.tokens[i]
        if self.blocked[i] or len(t.key) < 2 or (t.shape == "lower" and t.key in self.lex.words):
            return False
        rank = self.lex.first.get(t.key)
        if self.rules.on_roster is not None and (t.shape != "lower" or t.key not in self.lex.words) \
                and self.rules.on_roster(t.key):
            rank = 0
        if rank is not None:
            return self._given_fires(i, t, rank)
        if t.key in self.lex.surnames:
            return self._surname_fires(i, t)
        return self._unknown_fires(i, t)

    def _given_fires(self, i: int, t: _Token, rank: int) -> bool:
        ambiguous = t.key in self.lex.common or t.key in _CALENDAR or (
            t.key in self.lex.words and (len(t.key) < 4 or rank > 1500))
        if self._place_or_date(i, t):
            return False
        if self.problem and not self._speech(i):
            return False
        if t.shape == "lower":
            return not ambiguous and t.key not in self.lex.words and (
                self._speech(i) or (rank < 2000 and self._cell(i)))
        if t.shape == "upper":
            return (not ambiguous and len(t.key) > 2 and rank < 3000) or self._strong(i) \
                or self._cell(i)
        if not ambiguous:
            return True
        if self._strong(i) or self._cell(i) or self._surname_like(i + 1):
            return True
        return not (self._initial(i) or self.titled or self._after_determiner(i)
                    or self._in_proper_noun(i))

    def _surname_fires(self, i: int, t: _Token) -> bool:
        if t.shape == "lower":
            return False
        if self._next_key(i) in ("family", "families", "twins", "kids", "children"):
            return True
        if t.key in self.lex.common or t.key in self.lex.words:
            return False
        return self._strong(i) or (self._cell(i) and t.shape == "title")

    def _unknown_fires(self, i: int, t: _Token) -> bool:
        if t.shape != "title" or t.key in self.lex.words:
            return False
        return self._speech(i) or self._initial_end(i) is not None or (
            t.possessive and not self._initial(i))

    # --- context ------------------------------------------------------------------------------

    def _strong(self, i: int) -> bool:
        return self._speech(i) or self.tokens[i].possessive or self._initial_end(i) is not None

    def _speech(self, i: int) -> bool:
        after = self._next_key(i)
        before = self.tokens[i - 1] if i > 0 else None
        if after in _SPEECH_AFTER and self._joined(i):
            return True
        if before is not None and before.key == "on" and i > 1 and self._joined(i - 2):
            before = self.tokens[i - 2] if self.tokens[i - 2].key in _CALLED else before
        return before is not None and before.key in _SPEECH_BEFORE and self._joined(i - 1)

    def _next_key(self, i: int) -> str:
        return self.tokens[i + 1].key if i + 1 < len(self.tokens) else ""

    def _initial(self, i: int) -> bool:
        """Whether word i starts a sentence (or the line, a list item or a cell)."""
        start = self.tokens[i].start
        before = self.line[max(0, start - 40):start].rstrip(_LEFT_STRIP)
        if not before:
            return True
        if before[-1] in ".!?:;" + _CELL_EDGES:
            return not self._title_before(i)
        return bool(re.fullmatch(r".*\s\d{1,2}[.)]|\d{1,2}[.)]", before[-4:]))

    def _title_before(self, i: int) -> bool:
        return i > 0 and self.tokens[i - 1].key in _TITLES

    def _place_or_date(self, i: int, t: _Token) -> bool:
        """'in Austin', 'on June 4', 'since April': a place or a date, not a person."""
        before = self.tokens[i - 1].key if i > 0 and self._joined(i - 1) else ""
        if t.key in _PLACES:
            return before in _PLACE_BEFORE
        if t.key in _CALENDAR:
            after = self.line[self.tokens[i].end:self.tokens[i].end + 4].lstrip()
            return before in _DATE_BEFORE or after[:1].isdigit()
        return False

    def _in_proper_noun(self, i: int) -> bool:
        """Next to a capitalised word that is no name: 'Little Rock', 'Hope Elementary'."""
        for k in (i - 1, i + 1):
            if 0 <= k < len(self.tokens) and self._joined(min(i, k)):
                t = self.tokens[k]
                if t.shape != "lower" and t.key not in self.lex.first and (
                        t.key not in self.lex.surnames or t.key in self.lex.common) and (
                        k > i or not self._initial(k)):
                    return True
        return False

    def _after_determiner(self, i: int) -> bool:
        return i > 0 and self.tokens[i - 1].key in _DETERMINERS and self._joined(i - 1)

    def _initial_end(self, i: int) -> int | None:
        """Where an initial after word i ends ("Priya R."), if there is one."""
        if i + 1 >= len(self.tokens) or not self._joined(i):
            return None
        nxt = self.tokens[i + 1]
        if nxt.end - nxt.start != 1 or nxt.shape == "lower":
            return None
        rest = self.line[nxt.end:nxt.end + 1]
        if rest == ".":
            return nxt.end + 1
        if nxt.key not in ("i", "a") and rest in ("", ",", ")", ";", "\t", "|", " ") and (
                rest != " " or self._cell(i)):
            return nxt.end
        return None

    def _surname_like(self, i: int) -> bool:
        """Word i can end a full name begun by the word before it."""
        if i >= len(self.tokens) or i == 0 or not self._joined(i - 1) or self.blocked[i]:
            return False
        t = self.tokens[i]
        return t.shape == "title" and t.key not in self.lex.common and (
            t.key in self.lex.surnames or t.key in self.lex.first or t.key not in self.lex.words)

    def _cell(self, i: int) -> bool:
        """Word i is all of a table or CSV cell, perhaps with a surname or an initial."""
        if not self.cells:
            return False
        t = self.tokens[i]
        before = self.line[max(0, t.start - 40):t.start].rstrip(" \t\"'")
        if i > 0 and self._joined(i - 1) and self.tokens[i - 1].shape == "title":
            return False
        if before and before[-1] not in _CELL_EDGES:
            return False
        end = self._initial_end(i) or t.end
        if i + 1 < len(self.tokens) and self._surname_like(i + 1):
            end = self.tokens[i + 1].end
        after = self.line[end:end + 40].lstrip(" \t\"'.")
        return not after or after[0] in _CELL_EDGES

    def _coordinated(self, fired: list[bool]) -> None:
        """An ambiguous given name next to a name that fired ("Will and Maya") fires too."""
        for i, t in enumerate(self.tokens):
            if fired[i] or self.blocked[i] or t.shape == "lower" or t.key not in self.lex.first:
                continue
            for k in (i - 2, i + 2, i - 1, i + 1):
                if 0 <= k < len(self.tokens) and fired[k] and self._linked(min(i, k), max(i, k)):
                    fired[i] = True
                    break

    def _linked(self, a: int, b: int) -> bool:
        gap = self.line[self.tokens[a].end:self.tokens[b].start].strip()
        return gap in (",", "and", "or", "&", "/", "with") if b == a + 1 or b == a + 2 else False

    def _kind(self, i: int) -> str:
        start = self.tokens[i].start
        return "parent-name" if _KIN.search(self.line, max(0, start - 40), start) else \
            "student-name"
