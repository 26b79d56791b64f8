"""Checks across coaching records and the course: roster, dates, modules, windows; and the
privacy scan of logs and community records.

Each finding names the file and the line of the key at fault, as `microcred lint` prints them.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from microcred.coaching.load import COACHING_DIR, LOGS_DIR, LoadedRecords
from microcred.coaching.records import NETWORK, Calendar, Community, Exchange, LogEntry
from microcred.content.loader import CONTENT_DIR, Loaded
from microcred.content.yamlfile import KeyPath, dotted
from microcred.errors import Finding
from microcred.model import Cohort, Course
from microcred.submission import privacy
from microcred.submission.check import privacy_settings


def lint_records(loaded: Loaded, records: LoadedRecords) -> tuple[list[Finding], list[Finding]]:
    """(problems in course files: calendars, exchanges, programmes; problems in the coaching
    logs and community records under coaching/).

    The first are the course's own: like a broken rubric they stop the build and the trusted
    course. The second never stop a decision (it counts valid entries only): `microcred lint`
    and its workflow report them."""
    found = records.findings + check_records(loaded, records)
    kept = [f for f in found if f.path.startswith(f"{COACHING_DIR}/")]
    return [f for f in found if not f.path.startswith(f"{COACHING_DIR}/")], kept


def check_records(loaded: Loaded, records: LoadedRecords) -> list[Finding]:
    """Every problem of the coaching records against the course they belong to."""
    lint = _Lint(loaded.course, records)
    found = [*lint.programmes(loaded)]
    for calendar in records.records.calendars:
        found += lint.calendar(calendar)
    for exchange in records.records.exchanges:
        found += lint.exchange(exchange)
    for entry in records.records.logs:
        found += lint.log(entry)
    for community in records.records.communities:
        found += lint.community(community)
    return found


def bad_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return True
    return False


class _Lint:
    def __init__(self, course: Course, records: LoadedRecords) -> None:
        self.course, self.loaded = course, records

    def at(self, source: str, key: KeyPath, message: str, fix: str) -> Finding:
        doc = self.loaded.docs[source]
        return Finding(source, doc.line_of(key), dotted(key), message, fix)

    def programmes(self, loaded: Loaded) -> Iterator[Finding]:
        """Modules named in a programme's `min_coaching` exist."""
        for programme in self.course.programmes.values():
            for module in programme.min_coaching:
                if module not in self.course.modules:
                    doc = loaded.docs[programme.source]
                    yield Finding(programme.source, doc.line_of(("min_coaching", module)),
                                  f"min_coaching.{module}", f"unknown module '{module}'",
                                  _near(module, self.course.modules, "a module id"))

    def _resolve(self, source: str, programme_id: str,
                 cohort_id: str) -> tuple[list[Finding], Cohort | None]:
        """The record's cohort, or the finding saying why it has none."""
        programme = self.course.programmes.get(programme_id)
        if programme is None:
            return [self.at(source, ("programme",), f"unknown programme '{programme_id}'",
                            _near(programme_id, self.course.programmes, "a programme id"))], None
        cohort = next((c for c in programme.cohorts if c.id == cohort_id), None)
        if cohort is None:
            return [self.at(source, ("cohort",), f"programme '{programme_id}' has no cohort "
                            f"'{cohort_id}'", _near(cohort_id, [c.id for c in programme.cohorts],
                                                    "a cohort id of the programme"))], None
        return [], cohort

    def dates(self, source: str, programme: str, cohort: str,
              dated: Iterable[tuple[KeyPath, str]]) -> Iterator[Finding]:
        """Real dates, inside the cohort's calendar (when it has one)."""
        calendar = self.loaded.records.calendar_of(programme, cohort)
        for key, text in dated:
            if bad_date(text):
                yield self.at(source, key, f"'{text}' is not a date", "write a real date, YYYY-MM-DD")
            elif calendar is not None and calendar.starts <= calendar.ends and \
                    not calendar.starts <= text <= calendar.ends:
                yield self.at(source, key, f"{text} is outside cohort '{cohort}' "
                              f"({calendar.starts} to {calendar.ends}, {calendar.source})",
                              "correct the date, or the cohort")

    def module(self, source: str, key: KeyPath, module: str) -> Iterator[Finding]:
        if module and module not in self.course.modules:
            yield self.at(source, key, f"unknown module '{module}'",
                          _near(module, self.course.modules, "a module id"))

    def calendar(self, cal: Calendar) -> Iterator[Finding]:
        found, _ = self._resolve(cal.source, cal.programme, cal.cohort)
        yield from found
        if cal.id != cal.cohort:
            yield self.at(cal.source, ("id",), f"calendar '{cal.id}' is for cohort "
                          f"'{cal.cohort}'", f"name the file {cal.cohort}.yml, one per cohort")
        for key, text in (("starts",), cal.starts), (("ends",), cal.ends):
            if bad_date(text):
                yield self.at(cal.source, key, f"'{text}' is not a date", "write a real date")
        if cal.ends < cal.starts:
            yield self.at(cal.source, ("ends",), f"the cohort ends ({cal.ends}) before it "
                          f"starts ({cal.starts})", "swap or correct the dates")
        yield from self.windows(cal)
        yield from self.dates(cal.source, cal.programme, cal.cohort,
                              ((("deadlines", i, "date"), d.date) for i, d in enumerate(cal.deadlines)))

    def windows(self, cal: Calendar) -> Iterator[Finding]:
        for i, w in enumerate(cal.windows):
            yield from self.module(cal.source, ("windows", i, "module"), w.module)
            yield from self.dates(cal.source, cal.programme, cal.cohort,
                                  ((("windows", i, "opens"), w.opens), (("windows", i, "closes"), w.closes)))
            if w.closes < w.opens:
                yield self.at(cal.source, ("windows", i, "closes"), f"the window of "
                              f"'{w.module}' closes ({w.closes}) before it opens ({w.opens})",
                              "swap or correct the dates")
        ordered = sorted(enumerate(cal.windows), key=lambda iw: (iw[1].opens, iw[0]))
        for (_, a), (j, b) in itertools.pairwise(ordered):
            if b.opens <= a.closes:
                yield self.at(cal.source, ("windows", j, "opens"), f"the window of "
                              f"'{b.module}' opens ({b.opens}) before that of '{a.module}' "
                              f"closes ({a.closes})", "let each module's window close before "
                              "the next one opens")

    def exchange(self, x: Exchange) -> Iterator[Finding]:
        found, cohort = self._resolve(x.source, x.programme, x.cohort)
        yield from found
        yield from self.dates(x.source, x.programme, x.cohort, [(("date",), x.date)])
        members = {login for n in cohort.networks for login in n.learners} if cohort else set()
        for i, login in enumerate(x.attendance):
            if cohort and login not in members:
                yield self.at(x.source, ("attendance", i), f"'{login}' is not a learner of "
                              f"cohort '{x.cohort}'", _near(login, members, "a learner's login"))
        for i, m in enumerate(x.materials):
            if not m.link.startswith("https://") and \
                    not (self.course.root / CONTENT_DIR / m.link.split("#")[0]).is_file():
                yield self.at(x.source, ("materials", i, "link"), f"content/{m.link} does not "
                              "exist", "add the file under content/ or link an https:// address")

    def log(self, entry: LogEntry) -> Iterator[Finding]:
        found, cohort = self._resolve(entry.source, entry.programme, entry.cohort)
        yield from found
        yield from self.dates(entry.source, entry.programme, entry.cohort, [(("date",), entry.date)])
        yield from self.module(entry.source, ("module",), entry.module)
        if not entry.module and not entry.problem_of_practice:
            yield self.at(entry.source, ("agreements",), "the entry names neither a module "
                          "nor a problem of practice", "add 'module:' or 'problem_of_practice:'")
        programme = self.course.programmes.get(entry.programme)
        if programme is None or cohort is None:
            return
        folder = Path(entry.source).parent.name
        if entry.source.startswith(LOGS_DIR) and folder != entry.coach:
            yield self.at(entry.source, ("coach",), f"the entry is in {folder}'s folder but names "
                          f"coach '{entry.coach}'", f"keep it under {LOGS_DIR}/{entry.coach}/")
        if entry.coach not in programme.coaches:
            yield self.at(entry.source, ("coach",), f"'{entry.coach}' is not a coach of "
                          f"programme '{programme.id}'", f"add them to coaches in {programme.source}")
            return
        yield from self.participants(entry, cohort)

    def participants(self, entry: LogEntry, cohort: Cohort) -> Iterator[Finding]:
        coached = [n for n in cohort.networks if entry.coach in (n.coach, n.backup_coach)]
        if entry.meeting == NETWORK:
            ids = [n.id for n in coached]
            if entry.network not in ids:
                yield self.at(entry.source, ("network",) if entry.network else ("meeting",),
                              f"a network meeting of {entry.coach} needs one of their networks",
                              f"set 'network:' to one of: {', '.join(ids) or '(none)'}")
                return
            coached = [n for n in coached if n.id == entry.network]
        members = {login for n in coached for login in n.learners}
        for i, login in enumerate(entry.participants):
            if login not in members:
                where = f"network '{entry.network}'" if entry.meeting == NETWORK else \
                    f"{entry.coach}'s networks in cohort '{cohort.id}'"
                yield self.at(entry.source, ("participants", i), f"'{login}' is not in {where}",
                              _near(login, members, "a learner's login"))

    def community(self, c: Community) -> Iterator[Finding]:
        found, cohort = self._resolve(c.source, c.programme, c.cohort)
        yield from found
        if cohort and c.leader not in {x for n in cohort.networks for x in n.learners}:
            yield self.at(c.source, ("leader",), f"'{c.leader}' is not a learner of cohort "
                          f"'{c.cohort}'", "the leader who keeps the record is a learner")
        folder = Path(c.source).parent.name
        if folder != c.leader:
            yield self.at(c.source, ("leader",), f"the record is in {folder}'s folder but names "
                          f"'{c.leader}'", f"keep it under coaching/communities/{c.leader}/")
        yield from self.dates(c.source, c.programme, c.cohort,
                              ((("meetings", i, "date"), m.date) for i, m in enumerate(c.meetings)))
        places = [(("staff", i), who) for i, who in enumerate(c.staff)] + [
            (("meetings", i, "staff", j), who)
            for i, m in enumerate(c.meetings) for j, who in enumerate(m.staff)]
        for key, who in places:
            if _names_a_person(who):
                yield self.at(c.source, key, f"'{who}' names a person", "name staff by their "
                              "role, e.g. 'grade 4 teacher' or 'instructional coach'")


# A title, then a capitalised word: "Mrs. Alvarez", "Dr Chen", "Coach Ruiz", "Sra. Gómez".
_TITLE = re.compile(r"^\s*(?:mr|mrs|ms|miss|mx|dr|prof|coach|sra|srta|mme|mlle|herr|frau)\.?\s+([^\W\d_]+)",
                    re.IGNORECASE)


def _names_a_person(who: str) -> bool:
    """A staff entry that is a title and a name rather than a role ("coach of grade 3" and
    "ms ELA teacher" are roles; "Coach Ruiz" and "Mr. J." are people)."""
    found = _TITLE.match(who)
    word = found.group(1) if found else ""
    return word[:1].isupper() and (len(word) == 1 or not word.isupper())


def private_details(course: Course, texts: dict[str, str]) -> list[Finding]:
    """The submission check's privacy scan over coaching texts (path -> text), masked.

    Kept out of `check_records`, which every command's lint runs: building the detectors takes
    most of a second, paid here by `microcred lint` and `microcred log` only."""
    if not texts:
        return []
    found_by = privacy.detectors(settings=privacy_settings(course))
    return [Finding(shown, hit.line, hit.rule, hit.message, hit.fix)
            for shown, text in sorted(texts.items())
            for hit in privacy.scan(text, shown, shown, found_by, [])]


def _near(name: str, known: Iterable[str], what: str) -> str:
    options = sorted(known)
    near = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f"did you mean '{near[0]}'?" if near else f"use {what}" + (
        f": {', '.join(options[:8])}" if options else "")

