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

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from microcred.submission.privacy import cues
from microcred.submission.privacy.gazetteer import Lexicon, fold, lexicon, phrase_starts
from microcred.submission.privacy.hits import Hit

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CELL_EDGES = ",\t|;"
_LEFT_STRIP = " \t\"'“‘(*_[>#-"
_OPENERS = "\"“‘(*_["


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
    key: str  # case-folded, accents removed, without the possessive
    shape: str  # "title", "upper" or "lower"
    possessive: bool


def _tokens(line: str) -> list[_Token]:
    out: list[_Token] = []
    make = _Token._make  # builds the tuple in C, without the generated __new__
    for m in _WORD.finditer(line):
        facts = _word_facts(m.group(0))
        if facts is not None:
            length, key, shape, possessive = facts
            out.append(make((m.start(), m.start() + length, key, shape, possessive)))
    return out


@functools.lru_cache(maxsize=1 << 16)  # a text repeats its words: read each once
def _word_facts(text: str) -> tuple[int, str, str, bool] | None:
    """A word's length without the possessive, key, shape and possessive; None to skip it."""
    possessive = text.endswith(("'s", "’s")) or (text.endswith(("'S", "’S")) and text.isupper())
    base = text[:-2] if possessive else text
    if not base:
        return None
    if len(base) > 2 and base[:-1].isupper() and base[-1] == "s":
        return None  # an acronym's plural: 'IEPs'
    shape = "upper" if base.isupper() and len(base) > 1 else (
        "title" if base[0].isupper() else "lower")
    key = base.casefold()
    return len(base), key if key.isascii() else fold(key), shape, possessive


def _candidates(line: str, rules: NameRules) -> bool:
    """Whether any word of the line could be a name: most lines have none, and are skipped."""
    words = _words(line)
    if _NO_NAMES.issuperset(words):
        return False
    for word in words:
        maybe = _maybe_name(word)
        if maybe is False and len(_NO_NAMES) < _NO_NAMES_KEPT:
            _NO_NAMES.add(word)
        if maybe or (maybe is None and rules.on_roster is not None and
                     rules.on_roster(word.casefold())):
            return True
    return False


# Words the shipped lists say are no name (`_maybe_name` is False), as met: most lines hold
# only such words, and a set tells so in one step.
_NO_NAMES: set[str] = set()
_NO_NAMES_KEPT = 1 << 17
_NOT_LETTERS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})


def _words(line: str) -> list[str]:
    """The words `_WORD` finds. In an ASCII line without an apostrophe they are the runs of
    letters, which splitting finds several times faster than the pattern."""
    if line.isascii() and "'" not in line:
        return line.translate(_NOT_LETTERS).split()
    return _WORD.findall(line)


@functools.lru_cache(maxsize=1 << 16)
def _maybe_name(word: str) -> bool | None:
    """Whether a word could be a name by the shipped lists; None: only if on the roster."""
    lex = lexicon()
    key = word.casefold()
    if key in lex.words and not (word[0].isupper() and (key in lex.first or key in
                                                         lex.surnames)):
        return False  # an ordinary word, or a capitalised one that is no name
    if word[0].isupper() or key in lex.first or not key.isascii() or "'" in key or "’" in key:
        return True
    return None


def name_detector(rules: NameRules) -> Callable[[str], Iterator[Hit]]:
    """A detector of people's names, by `rules` and the shipped lists."""
    last: list[tuple[str, list[Hit]]] = []  # the rule on health status asks about a line again

    def detect(line: str) -> Iterator[Hit]:
        if last and last[0][0] is line:
            return iter(last[0][1])
        lex = lexicon()
        found = list(_LineReader(line, lex, rules).hits()) if _candidates(line, rules) else []
        last[:] = [(line, found)]
        return iter(found)
    return detect


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
        self.kin_titled: set[int] = set()
        lowered = line.lower()
        self.family = any(word in lowered for word in cues.KIN_HINTS)
        # A line typed all in capitals or all in lower case (a phone note, a chat, a transcript
        # from audio): its case says nothing of which words are names.
        self.unicase = "lower" if lowered == line else (
            "upper" if capitals == len(self.tokens) and line.upper() == line else "")
        self.stars = [k for k, ch in enumerate(line) if ch == "*"] if "*" in line else []
        self.spanish = len({t.key for t in self.tokens} & cues.SPANISH) >= 2
        self.links = "://" in line or "www." in lowered
        # A line about characters (of a book, of word problems) names no student.
        self.characters = "character" in lowered or "word problem" in lowered
        self.blocked = self._blocked()
        # The words of a title in italics are a book's ('*Esperanza Rising*'): elsewhere in
        # the line they are its character or its author, not a student.
        self.titles = {t.key for t in self.tokens if self._in_italics(t)} if self.stars else set()
        # A word problem's characters ("Jamal has 12 marbles") are nobody: the whole line.
        self.problem = any(t.shape == "title" and t.key in lex.first and (
            cues.WORD_PROBLEM.match(line, t.end, t.end + 90) or (
                self._next_key(i) in cues.PROBLEM_AFTER and not t.possessive and i > 0
                and self.tokens[i - 1].key == "the")) for i, t in enumerate(self.tokens))

    def hits(self) -> Iterator[Hit]:
        fired = [self._fires(i) for i in range(len(self.tokens))]
        self._repeated(fired)
        self._coordinated(fired)
        self._nicknamed(fired)
        i = 0
        while i < len(self.tokens):
            if not fired[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(self.tokens) and self._joined(j) and (
                    fired[j + 1] or self._surname_like(j + 1)):
                j += 1
            start = self._initial_start(i) or self.tokens[i].start
            end = self._initial_end(j) or self.tokens[j].end
            if not self._adult(start, end):
                yield Hit(self._kind(i, end), start, end)
            i = j + 1

    # --- what blocks a word -----------------------------------------------------------------

    def _blocked(self) -> list[bool]:
        """Words that are not a student: allowed phrases, famous names, titles and adults."""
        n = len(self.tokens)
        blocked = [False] * n
        famous = [False] * n
        lists = ((self.lex.not_students, self.lex.phrase_starts),
                 (self.rules.allowed, self.rules.starts))
        for i in range(n):
            if blocked[i]:
                continue
            for known, starts in lists:
                for size in starts.get(self.tokens[i].key, ()):
                    if i + size <= n and self._phrase(i, size) in known and \
                            not self._listed(i, size):
                        blocked[i:i + size] = [True] * size
                        famous[i:i + size] = [known is self.lex.not_students] * size
                        break
            if self.tokens[i].key in cues.TITLES and (self.tokens[i].shape != "lower" or (
                    self.unicase == "lower" and self.tokens[i].key in cues.SHORT_TITLES)):
                blocked[i] = True
                self._after_title(i, blocked)
        for i in range(n - 2, -1, -1):  # 'Gregor Mendel': the given name of a famous surname
            if famous[i + 1] and self.tokens[i + 1].shape != "lower" and not blocked[i] and \
                    self._joined(i) and \
                    self.tokens[i].shape == "title" and self.tokens[i].key in self.lex.first:
                blocked[i] = famous[i] = True
        return blocked

    def _after_title(self, i: int, blocked: list[bool]) -> None:
        """Block the name after a title; after a family word, or before one that says whose
        parent it is ('his mother, Ms. Russo'; 'Mr. Haddad (parent of ...)'), it is a parent's,
        which is flagged instead."""
        names: list[int] = []
        for k in range(i + 1, min(i + 4, len(self.tokens))):
            if (self.tokens[k].shape == "lower" and (self.unicase != "lower" or (
                    names and self.tokens[k].key in self.lex.words))) or \
                    not self._joined(k - 1, titled=True):
                break  # in a line all in lower case: 'mr lopez said ...' ends at 'said'
            names.append(k)
        if not names:
            return
        start, end = self.tokens[i].start, self.tokens[names[-1]].end
        kin = cues.KIN.search(self.line, max(0, start - 40), start) is not None or \
            cues.KIN_AFTER.match(self.line, end, end + 40) is not None
        for k in names:
            if kin:
                self.kin_titled.add(k)
            else:
                blocked[k] = True

    def _listed(self, i: int, size: int) -> bool:
        """Whether every word of a phrase is on the roster (which beats the famous names)."""
        on_roster = self.rules.on_roster
        return on_roster is not None and all(on_roster(t.key) for t in self.tokens[i:i + size])

    def _phrase(self, i: int, size: int) -> str:
        return " ".join(t.key for t in self.tokens[i:i + size])

    def _joined(self, i: int, titled: bool = False) -> bool:
        """Whether word i and the next are written as one name: a space or a hyphen between."""
        if self.tokens[i].possessive or i + 1 >= len(self.tokens):
            return False
        gap = self.line[self.tokens[i].end:self.tokens[i + 1].start]
        return gap in (" ", "-") or (titled and gap in (". ", "."))

    # --- the decision for one word ----------------------------------------------------------

    def _fires(self, i: int) -> bool:
        t = self.tokens[i]
        if i in self.kin_titled:
            return True
        if self.blocked[i] or len(t.key) < 2 or (t.shape == "lower" and t.key in self.lex.words):
            return False
        if "'" in t.key or "’" in t.key:
            return self._apostrophe_fires(i, t)
        if self._spanish_word(i, t):
            return False
        if self._not_a_person_here(i) or (i == 0 and self._adult_speaker(i)):
            return False
        if self.family and t.shape == "title" and self._kin(i) and (
                t.key in self.lex.first or t.key in self.lex.surnames or t.key not in self.lex.words):
            return True
        rank = self.lex.first.get(t.key)
        if self.rules.on_roster is not None and self.rules.on_roster(t.key):
            rank = 0
        if rank is not None:
            return self._given_fires(i, t, rank)
        if t.key in self.lex.surnames:
            return self._surname_fires(i, t)
        return self._unknown_fires(i, t)

    def _spanish_word(self, i: int, t: _Token) -> bool:
        """A word of a line in Spanish ('Esta semana', 'la luz'), or a Spanish label before a
        number ('Sala 7')."""
        if t.key in cues.SPANISH and (self.spanish or self.line[t.end:t.end + 2][1:].isdigit()):
            return True
        return self.spanish and t.shape == "lower" and i > 0 and \
            self.tokens[i - 1].key in cues.SPANISH_DETERMINERS and self._joined(i - 1)

    def _apostrophe_fires(self, i: int, t: _Token) -> bool:
        """"O'Brien" may be a name; "I've" and "don't" are not."""
        head, _, tail = t.key.replace("’", "'").partition("'")
        if tail in cues.CONTRACTIONS or head == "i" or (head in self.lex.words and len(head) > 2):
            return False
        if len(head) <= 2 and (tail in self.lex.first or tail in self.lex.surnames):
            return t.shape != "lower"  # 'D'Andre', "O'Connell"
        return t.shape != "lower" and (self._strong(i) or not self._initial(i))

    def _not_a_person_here(self, i: int) -> bool:
        """A court case, a citation, a book title in italics, a part of an address or URL."""
        t = self.tokens[i]
        before = self.line[max(0, t.start - 6):t.start]
        after = self.line[t.end:t.end + 12]
        if cues.COURT.search(before) or cues.COURT.match(after) or \
                cues.CITATION_AFTER.match(self.line, t.end, t.end + 12):
            return True
        if self.stars and (self._in_italics(t) or t.key in self.titles):
            return True  # inside *a title*, or a word of it
        if t.possessive and self._next_key(i) in cues.EPONYM_AFTER:
            return True  # 'Boyle's law'
        if any(n.key in cues.PROBLEM_PROPS for n in self.tokens[i + 1:i + 4]):
            return True  # 'Bill's bike shop', 'the Jamal apples problem'
        if self.characters and not self._spoken_to(i):
            return True
        if (before and before[-1].isdigit()) or (after and after[0].isdigit()):
            return True  # part of a code or a hash: '6ada57b9'
        hyphen = "-" if t.shape == "lower" else ""  # 'coach-ana' is a login
        slash = "/" if t.shape == "lower" or self.links else ""
        return (bool(before) and before[-1] in ".@=_" + slash + hyphen) or (
            bool(after) and after[0] in "@=_" + slash + hyphen) or (
            after[:1] == "." and after[1:2].isalnum())

    def _adult_speaker(self, i: int) -> bool:
        """A transcript's speaker named by a surname ('BRANDT: We tried that'): an adult, as
        students are named by their given names."""
        t = self.tokens[i]
        if i > 0 or self.line[:t.start].strip(_LEFT_STRIP) or not cues.SPEAKER.match(
                self.line, t.end, t.end + 50):
            return False
        surname, given = self.lex.surnames.get(t.key), self.lex.first.get(t.key)
        return (surname is not None and (given is None or surname < given)) or ((
            given is None or given > 10_000) and t.key not in self.lex.words)

    def _in_italics(self, t: _Token) -> bool:
        return bool(self.stars) and bisect.bisect_left(self.stars, t.start) % 2 == 1 and \
            self.stars[-1] > t.end

    def _given_fires(self, i: int, t: _Token, rank: int) -> bool:
        ambiguous = t.key in self.lex.common or t.key in cues.CALENDAR or (
            t.key in self.lex.words and (len(t.key) < 4 or rank > 1500))
        if self._place_or_date(i, t, rank) or (self.problem and not self._spoken_to(i)):
            return False
        if t.shape != "lower" and self._family_after(i):
            return True
        if t.key in cues.NAMED_LIKE_CALENDAR:
            return t.shape != "lower" and (self._strong(i) or self._spoken_to(i) or
                                           self._surname_after(i))
        if t.shape == "lower":
            return not ambiguous and (self._strong(i) or self._cell_start(i) or self._spoken_to(i)
                                      or (rank < self._rare(1500, t) and not self._after_determiner(i)))
        if t.shape == "upper":
            return (not ambiguous and len(t.key) > 3 and rank < self._rare(3000, t)) or \
                self._strong(i) or self._cell(i) or self._spoken_to(i)
        if not ambiguous:
            return rank < 3000 or self._speech(i) or self._initial_end(i) is not None or not (
                self._in_proper_noun(i) or self._after_determiner(i))
        if len(t.key) < 3:  # 'My', 'Al': only where nothing else fits
            return t.key not in self.lex.common and (self._speech(i) or self._spoken_to(i))
        if rank > 10_000 and self._initial(i):  # 'Norm', 'Patience': words far more often
            return self._spoken_to(i) or self._cell(i) or t.possessive
        if self._strong(i) or self._cell(i) or self._spoken_to(i) or self._surname_like(i + 1) \
                or (self._acts(i) and not self.titled):
            return True
        return not (self._initial(i) or self.titled or self._after_determiner(i)
                    or self._in_proper_noun(i))

    def _surname_fires(self, i: int, t: _Token) -> bool:
        if t.shape == "lower":
            return False
        if self._initial_start(i) is not None and t.key not in self.lex.common:
            return True
        if self._family_after(i):
            return True
        if t.key in self.lex.common or t.key in self.lex.words:
            return False
        return self._strong(i) or self._spoken_to(i) or self._acts(i) or (
            self._cell(i) and t.shape == "title")

    def _unknown_fires(self, i: int, t: _Token) -> bool:
        if t.shape != "title" or t.key in self.lex.words:
            return False
        return self._speech(i) or self._aged(i) or self._initial_end(i) is not None or self._spoken_to(i) or (
            t.possessive and not self._initial(i)) or self._initial_start(i) is not None or \
            self._acts(i)

    def _rare(self, limit: int, t: _Token) -> int:
        """How rare a given name that is no English word may be, written in lower case or in
        capitals, and still be taken for a name: in a line all of one case, any name of the
        lists of three letters or more ('fatoumata is like that', 'OKSANA BUILDS ON IT')."""
        return 1 << 30 if self.unicase and len(t.key) > 2 else limit

    # --- context ------------------------------------------------------------------------------

    def _strong(self, i: int) -> bool:
        return self._speech(i) or self.tokens[i].possessive or self._initial_end(i) is not None \
            or self._aged(i)

    def _aged(self, i: int) -> bool:
        """A child's age or grade in brackets after the word ('Laleh (8)')."""
        t = self.tokens[i]
        return t.shape == "title" and cues.AGE_AFTER.match(self.line, t.end, t.end + 16) is not None

    def _speech(self, i: int) -> bool:
        after = self._next_key(i)
        before = self.tokens[i - 1] if i > 0 else None
        if after in cues.SPEECH_AFTER and self._joined(i):
            return True
        if before is not None and before.key == "on" and i > 1 and self._joined(i - 2):
            before = self.tokens[i - 2] if self.tokens[i - 2].key in cues.CALLED else before
        return before is not None and before.key in cues.SPEECH_BEFORE and self._joined(i - 1)

    def _acts(self, i: int) -> bool:
        """Before a verb only a person takes: 'Wren has', 'Oluwaseun took', 'Rose critiqued'."""
        if not self._joined(i) or i + 1 >= len(self.tokens):
            return False
        nxt = self.tokens[i + 1]
        return nxt.key in cues.ACTS_AFTER or (
            nxt.shape == "lower" and len(nxt.key) > 4 and nxt.key.endswith("ed"))

    def _spoken_to(self, i: int) -> bool:
        """A speaker in a transcript ('Grace: "Cold."') or someone addressed ('"Destiny, can
        you...', 'Hmm. Jimena?"')."""
        t = self.tokens[i]
        plain = t.key in self.lex.first and t.key not in self.lex.words and \
            t.key not in cues.CALENDAR  # a name that is nothing else
        if cues.SPEAKER.match(self.line, t.end, t.end + 50):
            after = self.line[t.end:t.end + 50].partition(":")[2].lstrip()
            return after[:1] in ('"', "“") or plain
        if t.key not in self.lex.first and t.key not in self.lex.surnames:
            return False
        if self._attributed(i):
            return True
        after = self.line[t.end:t.end + 2]
        before = self.line[max(0, t.start - 2):t.start]
        if before[-1:] == "(" and after[:1] == ")" and t.key not in cues.CALENDAR:
            return True  # a label: 'Sample 3 (Hunter): ...'

        addressed = cues.VOCATIVE.match(self.line, t.end, t.end + 12) is not None
        return (after[:1] == "," and ((before[-1:] in ('"', "“") and plain) or (
            self._initial(i) and addressed))) or (after in ('?"', "?”", '!"') and plain)

    def _family_after(self, i: int) -> bool:
        """'the Nguyen family', 'Okafor twins'; a common word needs 'the' ('the Green family',
        but 'Dear families')."""
        if self._next_key(i) not in cues.FAMILY_AFTER or not self._joined(i):
            return False
        return self.tokens[i].key not in self.lex.common or (
            i > 0 and self.tokens[i - 1].key == "the" and self._joined(i - 1))

    def _surname_after(self, i: int) -> bool:
        """A surname follows ('Summer Okonkwo', 'June Castillo'): a known one, or a long word
        that is no English word."""
        if not self._surname_like(i + 1):
            return False
        nxt = self.tokens[i + 1]
        return nxt.key in self.lex.surnames or nxt.key in self.lex.first or (
            nxt.key not in self.lex.words and nxt.end - nxt.start >= 5)

    def _attributed(self, i: int) -> bool:
        """The name a quotation is attributed to, ending the line: '"9, I think" — Summer'."""
        t = self.tokens[i]
        before = self.line[max(0, t.start - 8):t.start].rstrip()
        if not before.endswith(("—", "–", " -")):
            return False
        end = self._initial_end(i) or t.end
        return before[:-1].rstrip()[-1:] in ('"', "”") and not self.line[end:end + 4].strip()

    def _next_key(self, i: int) -> str:
        return self.tokens[i + 1].key if i + 1 < len(self.tokens) else ""

    def _initial(self, i: int, follow: bool = True) -> bool:
        """Whether word i starts a sentence, a quotation, the line, a list item or a cell (or,
        with `follow`, comes right after a function word that does: 'And Mark down...')."""
        start = self.tokens[i].start
        window = self.line[max(0, start - 40):start]
        before = window.rstrip(_LEFT_STRIP)
        if not before or any(ch in _OPENERS for ch in window[len(before):]):
            return True
        if before[-1] in ".!?:;" + _CELL_EDGES:  # 'Mr. Lee', but 'COACH: Can you...'
            return before[-1] == ":" or not (i > 0 and self.tokens[i - 1].key in cues.TITLES)
        if follow and i > 0 and self.tokens[i - 1].key in cues.FUNCTION_WORDS and \
                self.tokens[i - 1].shape == "title" and self._joined(i - 1) and \
                self._initial(i - 1, follow=False):
            return True
        return bool(cues.LIST_MARK.search(before[-4:]) or cues.TIMESTAMP.search(before[-8:]))

    def _place_or_date(self, i: int, t: _Token, rank: int) -> bool:
        """'in Austin', 'on June 4', 'since April': a place or a date, not a person."""
        before = self.tokens[i - 1].key if i > 0 and self._joined(i - 1) else ""
        if t.key in cues.CALENDAR:
            after = self.line[t.end:t.end + 4].lstrip()
            return before in cues.DATE_BEFORE or after[:1].isdigit()
        if t.key in cues.PLACES or rank > 3000:
            return before in cues.PLACE_BEFORE - {"to", "of"} and not t.possessive
        return False

    def _in_proper_noun(self, i: int) -> bool:
        """Next to a capitalised word that is no name: 'Little Rock', 'Hope Elementary'. An
        initial ('Irina K.') is no such word, nor an acronym before the name ('FYI Aurelio'),
        nor one after the name that is no English word either: that is a surname the lists
        lack ('Dmitri Kuznetsov')."""
        for k in (i - 1, i + 1):
            if 0 <= k < len(self.tokens) and self._joined(min(i, k)) and not self.tokens[
                    min(i, k)].possessive:
                t = self.tokens[k]
                if t.end - t.start == 1 or (k > i and t.key not in self.lex.words) or (
                        k < i and t.shape == "upper" and not self.unicase):
                    continue  # 'FYI Aurelio's': an acronym before a name is no part of it
                if t.shape != "lower" and t.key not in self.lex.first and t.key not in \
                        cues.TITLES and t.key not in cues.FUNCTION_WORDS and (
                        t.key not in self.lex.surnames or t.key in self.lex.common):
                    return True
        return False

    def _after_determiner(self, i: int) -> bool:
        return i > 0 and self.tokens[i - 1].key in cues.DETERMINERS and self._joined(i - 1)

    def _initial_end(self, i: int) -> int | None:
        """Where an initial after word i ends ("Priya R."), if there is one."""
        if i + 1 >= len(self.tokens) or self.line[self.tokens[i].end:self.tokens[i + 1].start] \
                != " ":
            return None
        nxt = self.tokens[i + 1]
        if nxt.end - nxt.start != 1 or nxt.shape == "lower":
            return None
        rest = self.line[nxt.end:nxt.end + 1]
        if rest == ".":
            return nxt.end + 1
        if nxt.key not in ("i", "a") and rest in ("", ",", ")", ";", "\t", "|", " ") and (
                rest != " " or (self._cell_start(i) and self._cell_ends(nxt.end))):
            return nxt.end  # (not `_cell(i)`: that asks where the initial ends, i.e. here)
        return None

    def _initial_start(self, i: int) -> int | None:
        """Where an initial before word i starts ("J. Brooks"), if there is one."""
        if i == 0 or self.tokens[i].shape != "title":
            return None
        prev = self.tokens[i - 1]
        if prev.end - prev.start != 1 or prev.shape == "lower" or \
                self.line[prev.end:self.tokens[i].start] != ". ":
            return None
        if i > 1 and self.tokens[i - 2].key in cues.TITLES:
            return None
        return prev.start

    def _surname_like(self, i: int) -> bool:
        """Word i can end a full name begun by the word before it."""
        if i >= len(self.tokens) or i == 0 or not self._joined(i - 1) or self.blocked[i]:
            return False
        t, prev = self.tokens[i], self.tokens[i - 1]
        if t.key in cues.TITLES or self._not_a_person_here(i):
            return False
        if t.shape == "lower":
            return prev.shape == "lower" and t.key in self.lex.surnames and t.key not in \
                self.lex.words
        return t.key not in self.lex.common and (
            t.key in self.lex.surnames or t.key in self.lex.first or t.key not in self.lex.words)

    def _cell(self, i: int) -> bool:
        """Word i is all of a table or CSV cell, perhaps with a surname, an initial or a note."""
        if not self._cell_start(i):
            return False
        t = self.tokens[i]
        end = self._initial_end(i) or t.end
        if i + 1 < len(self.tokens) and self._surname_like(i + 1):
            end = self.tokens[i + 1].end
        return self._cell_ends(end)

    def _cell_ends(self, end: int) -> bool:
        """Whether a cell ends at `end`, but for quotes, dots, a note in brackets or a dash."""
        after = self.line[end:end + 40].lstrip(" \t\"'.")
        return not after or after[0] in _CELL_EDGES + "(" or after.startswith(("- ", "vs"))

    def _cell_start(self, i: int) -> bool:
        if not self.cells:
            return False
        t = self.tokens[i]
        before = self.line[max(0, t.start - 40):t.start].rstrip(" \t\"'")
        return not before or before[-1] in _CELL_EDGES

    def _repeated(self, fired: list[bool]) -> None:
        """A name that fired once in a line fires wherever the line repeats it, in the same
        case ('bao ngoc and yusuf are building a tower; yusuf knocks it down')."""
        keys = {self.tokens[i].key for i, f in enumerate(fired) if f}
        if not keys:
            return
        again = [i for i, t in enumerate(self.tokens)
                 if t.key in keys and not fired[i] and not self.blocked[i]]
        if not again:
            return
        names = {(t.key, t.shape) for t, f in zip(self.tokens, fired, strict=True)
                 if f and not self._adult(t.start, t.end)}
        for i in again:
            if (self.tokens[i].key, self.tokens[i].shape) in names:
                fired[i] = True

    def _coordinated(self, fired: list[bool]) -> None:
        """An ambiguous given name next to a name that fired ("Will and Maya") fires too; in
        lower case, one that is no English word next to a lower-case name ("nkechi and tariq")."""
        if self.problem or not any(fired):
            return
        lower = any(f and t.shape == "lower" for t, f in zip(self.tokens, fired, strict=True))
        for i, t in enumerate(self.tokens):
            if fired[i] or (t.shape == "lower" and not lower) or self.blocked[i] or \
                    t.key not in self.lex.first or t.key in cues.NAMED_LIKE_CALENDAR or (
                    t.shape == "lower" and t.key in self.lex.words):
                continue
            for k in (i - 2, i + 2, i - 1, i + 1):
                if 0 <= k < len(self.tokens) and fired[k] and self._linked(min(i, k), max(i, k)):
                    fired[i] = True
                    break

    def _nicknamed(self, fired: list[bool]) -> None:
        """A capitalised word in quotes right next to a student's name that fired is a
        nickname: 'Mauricio "Mo" Ventura', '"Bug" Merriweather' (not beside an adult's:
        'a coach, Walter "Hank" Dobbs')."""
        if ('"' not in self.line and "“" not in self.line) or not any(fired):
            return
        for i, t in enumerate(self.tokens):
            if fired[i] or self.blocked[i] or t.shape == "lower":
                continue
            before, after = self.line[t.start - 1:t.start], self.line[t.end:t.end + 1]
            if before not in ('"', "“") or after not in ('"', "”"):
                continue
            left = i > 0 and fired[i - 1] and self.line[self.tokens[i - 1].end:t.start - 1] == " "
            right = i + 1 < len(self.tokens) and fired[i + 1] and \
                self.line[t.end + 1:self.tokens[i + 1].start] == " "
            k = i - 1 if left else i + 1
            fired[i] = (left or right) and not self._adult(self.tokens[k].start,
                                                            self.tokens[k].end)

    def _linked(self, a: int, b: int) -> bool:
        gap = self.line[self.tokens[a].end:self.tokens[b].start].strip()
        return gap in (",", "and", "or", "&", "/", "with", "vs", "vs.") if b - a <= 2 else False

    def _adult(self, start: int, end: int) -> bool:
        """Whether the words around a name give it a job: staff, an author, not a student. A
        role that labels the speaker of the line ('coach: and mamadou?') gives it none."""
        if cues.ADULT_AFTER.match(self.line, end, end + 70) or cues.WORK_AFTER.match(
                self.line, end, end + 90) or cues.WORK_BEFORE.search(
                self.line, max(0, start - 30), start):
            return True
        role = cues.ADULT_BEFORE.search(self.line, max(0, start - 40), start)
        return role is not None and not (role.start() < 12 and cues.SPEAKER_LABEL.match(
            self.line, 0, role.end()) is not None)

    def _kin(self, i: int) -> bool:
        """A family word just before word i ('her mom, Mele ...'), or one after it or its
        surname saying whose parent it is ('Kaimana (Keoni's dad)', 'Rosa Diaz, Leo's mother')."""
        if not self.family:
            return False
        start, end = self.tokens[i].start, self.tokens[i].end
        if self._surname_like(i + 1):
            end = self.tokens[i + 1].end
        return cues.KIN.search(self.line, max(0, start - 40), start) is not None or \
            cues.KIN_AFTER.match(self.line, end, end + 40) is not None

    def _kind(self, i: int, end: int) -> str:
        start = self.tokens[i].start
        if i in self.kin_titled:
            return "parent-name"
        return "parent-name" if cues.KIN.search(self.line, max(0, start - 40), start) or \
            cues.KIN_AFTER.match(self.line, end, end + 40) else "student-name"
