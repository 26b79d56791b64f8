"""The course model: credentials, modules, rubrics and programmes, as frozen records."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# The four design elements every module carries, in the order learners meet them.
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("new_content", "New content", "new-content.md"),
    ("practice", "Authentic practice", "practice.md"),
    ("reflection", "Reflection", "reflection.md"),
    ("assessment", "Authentic assessment", "assessment.md"),
)

PASS_RULE = "every-criterion-at-required-level"


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    required: str
    descriptors: dict[str, str]
    description: str = ""


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    levels: tuple[Level, ...]
    criteria: tuple[Criterion, ...]
    pass_rule: str = PASS_RULE
    description: str = ""
    source: str = ""

    def level_rank(self, level_id: str) -> int:
        """Return the position of a level, lowest first; -1 when unknown."""
        ids = [level.id for level in self.levels]
        return ids.index(level_id) if level_id in ids else -1

    def level_name(self, level_id: str) -> str:
        return next((lv.name for lv in self.levels if lv.id == level_id), level_id)


@dataclass(frozen=True)
class CsvColumn:
    name: str
    type: str = "string"
    allowed: tuple[str, ...] = ()
    description: str = ""
    required: bool = True
    summary: str = ""  # "share" or "distinct": how the check summarises this column


def word_document_name(file: str) -> str:
    """The name of a text evidence file as a Word document: notes.md gives notes.docx."""
    return (file.rpartition(".")[0] or file) + ".docx"


@dataclass(frozen=True)
class EvidenceRequirement:
    """One piece of evidence a module asks for; fields beyond `kind` depend on it."""

    id: str
    kind: str
    title: str
    file: str
    description: str = ""
    template: str = ""
    optional: bool = False
    criteria: tuple[str, ...] = ()
    min_words: int | None = None
    max_words: int | None = None
    headings: tuple[str, ...] = ()
    columns: tuple[CsvColumn, ...] = ()
    min_rows: int | None = None
    max_rows: int | None = None
    hosts: tuple[str, ...] = ()
    private: bool = False
    types: tuple[str, ...] = ()
    max_bytes: int | None = None
    formats: tuple[str, ...] = ("md",)  # text evidence: md, and docx where the module allows it

    @property
    def accepts_word(self) -> bool:
        """Whether a Word document may answer this text evidence."""
        return self.kind == "text" and "docx" in self.formats


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    competency: str
    key_method: str
    hours: float
    rubric: str
    evidence: tuple[EvidenceRequirement, ...]
    elements: dict[str, str]  # element key -> Markdown text
    folder: Path = field(default=Path())
    source: str = ""


@dataclass(frozen=True)
class Alignment:
    target_name: str
    target_url: str
    target_framework: str = ""
    target_code: str = ""
    target_description: str = ""
    target_type: str = ""


@dataclass(frozen=True)
class Issuer:
    name: str
    url: str
    email: str = ""


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    changes: str


@dataclass(frozen=True)
class Stack:
    """The credentials a stacked credential is built from: `at_least` of `credentials`."""

    credentials: tuple[str, ...]
    at_least: int


@dataclass(frozen=True)
class Credential:
    id: str
    title: str
    version: str
    programme: str
    description: str
    criteria: str
    modules: tuple[str, ...]
    issuer: Issuer
    image: str
    alignments: tuple[Alignment, ...] = ()
    valid_for: str = ""
    source: str = ""
    changelog: tuple[Release, ...] = ()
    requires: Stack | None = None  # other credentials this one stacks, besides its modules


@dataclass(frozen=True)
class Network:
    id: str
    coach: str
    learners: tuple[str, ...]
    backup_coach: str = ""
    title: str = ""


@dataclass(frozen=True)
class Cohort:
    id: str
    networks: tuple[Network, ...]
    title: str = ""


@dataclass(frozen=True)
class ProgrammePrivacy:
    """What the privacy check needs to know about a programme's people."""

    allow: tuple[str, ...] = ()  # names, emails or numbers that are not a student's
    staff_domains: tuple[str, ...] = ()  # email domains of staff, not students
    roster_salt: str = ""
    roster_hashes: tuple[str, ...] = ()  # salted hashes of each word of each student's name


@dataclass(frozen=True)
class Programme:
    id: str
    title: str
    mode: str
    description: str
    credentials: tuple[str, ...]
    designers: tuple[str, ...] = ()
    coaches: tuple[str, ...] = ()
    cohorts: tuple[Cohort, ...] = ()
    learners: tuple[str, ...] = ()
    source: str = ""
    coaching_after_not_yet: int = 2
    review_within_working_days: int = 5  # the service level for a coach's review
    privacy: ProgrammePrivacy = field(default_factory=ProgrammePrivacy)
    # Per module: the least number of logged coaching meetings by kind ("one-to-one",
    # "network") before its assessment completes it (coaching/rule.py).
    min_coaching: dict[str, dict[str, int]] = field(default_factory=dict)
    coaching_logs: str = "pull-request"  # or "ledger": where `microcred log` records an entry

    def all_learners(self) -> tuple[str, ...]:
        """Learners in networks first, then those outside any network."""
        in_networks = tuple(
            login for cohort in self.cohorts for net in cohort.networks for login in net.learners
        )
        seen = set(in_networks)  # a tuple's `in` made a self-paced roster O(learners²)
        return in_networks + tuple(x for x in self.learners if x not in seen)

    @cached_property
    def learner_keys(self) -> frozenset[str]:
        """Every learner's login, case-folded (GitHub logins ignore case); built once, so that
        checking a folder's learner does not walk the whole roster."""
        return frozenset(login.casefold() for login in self.all_learners())

    def cohort_of(self, login: str) -> Cohort | None:
        """The cohort whose networks hold `login`, if any."""
        return next((c for c in self.cohorts for n in c.networks if login in n.learners), None)

    def network_of(self, login: str) -> Network | None:
        for cohort in self.cohorts:
            for net in cohort.networks:
                if login in net.learners:
                    return net
        return None


@dataclass(frozen=True)
class Course:
    """Everything a course repository declares."""

    root: Path
    programmes: dict[str, Programme]
    credentials: dict[str, Credential]
    modules: dict[str, Module]
    rubrics: dict[str, Rubric]
    pages: tuple[str, ...] = ()  # Markdown pages under content/, relative paths

    def credentials_of_module(self, module_id: str) -> list[Credential]:
        return [c for c in self.credentials.values() if module_id in c.modules]
