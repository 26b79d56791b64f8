"""Find the course files in a repository and turn them into the model."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microcred.content.schema import validate
from microcred.content.yamlfile import YamlDoc, YamlError, load_yaml, parse_yaml
from microcred.errors import ConfigError, Finding
from microcred.model import (
    ELEMENTS,
    PASS_RULE,
    Alignment,
    Cohort,
    Course,
    Credential,
    Criterion,
    CsvColumn,
    EvidenceRequirement,
    Issuer,
    Level,
    Module,
    Network,
    Programme,
    ProgrammePrivacy,
    Release,
    Rubric,
    Stack,
)

CONTENT_DIR = "content"
MODULES_DIR = "modules"
RUBRICS_DIR = "rubrics"


@dataclass
class Loaded:
    """The model built from the valid files, the findings, and the parsed documents."""

    course: Course
    findings: list[Finding]
    docs: dict[str, YamlDoc] = field(default_factory=dict)
    present: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids seen, valid or not
    rubrics_in_use: frozenset[str] = frozenset()  # rubrics some loaded module uses


CEILING_VARIABLE = "MICROCRED_CEILING_DIRECTORIES"


def find_root(start: Path, environ: Mapping[str, str] | None = None) -> Path:
    """Return the course repository at or above `start`: the folder holding content/ and modules/.

    The search never leaves the Git repository `start` is in (a course lies inside its own
    repository), and never enters a folder named in MICROCRED_CEILING_DIRECTORIES
    (`os.pathsep`-separated, as Git's GIT_CEILING_DIRECTORIES): a stray `content/` in a shared
    parent such as /tmp is never taken for a course.
    """
    start = start.resolve()
    ceilings = _ceilings(os.environ if environ is None else environ)
    for folder in (start, *start.parents):
        if folder != start and folder in ceilings:
            break
        if (folder / CONTENT_DIR).is_dir() and (folder / MODULES_DIR).is_dir():
            return folder
        if (folder / ".git").exists():
            break
    raise ConfigError(
        f"{start}: not inside a course repository (no content/ and modules/ folders found; "
        "run `microcred init DIR` to create one, or pass --root)"
    )


def _ceilings(environ: Mapping[str, str]) -> set[Path]:
    named = environ.get(CEILING_VARIABLE, "")
    return {Path(part).resolve() for part in named.split(os.pathsep) if part.strip()}


def load_course(root: Path) -> Loaded:
    """Read every course file under `root`; collect findings instead of stopping at the first."""
    loaded = Loaded(Course(root, {}, {}, {}, {}), [])
    sources: list[tuple[str, list[Path], Callable[[YamlDoc, Path], Any]]] = [
        ("rubric", sorted((root / RUBRICS_DIR).glob("*.yml")), _rubric),
        ("module", sorted((root / MODULES_DIR).glob("*/module.yml")), _module),
        ("credential", sorted((root / CONTENT_DIR / "credentials").glob("*.yml")), _credential),
        ("programme", sorted((root / CONTENT_DIR / "programmes").glob("*.yml")), _programme),
    ]
    for kind, paths, build in sources:
        for path in paths:
            _load_one(loaded, root, kind, path, build)
    pages = sorted(
        p.relative_to(root / CONTENT_DIR).as_posix() for p in (root / CONTENT_DIR).rglob("*.md")
    )
    course = loaded.course
    loaded.course = Course(
        root, course.programmes, course.credentials, course.modules, course.rubrics, tuple(pages)
    )
    loaded.rubrics_in_use = frozenset(m.rubric for m in course.modules.values())
    return loaded


_TARGETS = {"rubric": "rubrics", "module": "modules", "credential": "credentials",
            "programme": "programmes"}


def _load_one(
    loaded: Loaded, root: Path, kind: str, path: Path, build: Callable[[YamlDoc, Path], Any]
) -> None:
    display = path.relative_to(root).as_posix()
    expected_id = path.parent.name if kind == "module" else path.stem
    seen = loaded.present.setdefault(kind, set())
    seen.add(expected_id)  # so a broken file does not also make every reference to it "unknown"
    try:
        doc = load_yaml(path, display)
    except YamlError as exc:
        loaded.findings.append(exc.finding)
        return
    loaded.docs[display] = doc
    if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
        seen.add(doc.data["id"])
    problems = validate(doc, kind)
    if problems:
        loaded.findings.extend(problems)
        return
    item = build(doc, path)
    if item.id != expected_id:
        where = "folder" if kind == "module" else "file name"
        loaded.findings.append(Finding(
            display, doc.line_of(("id",)), "id",
            f"id '{item.id}' does not match the {where} '{expected_id}'",
            f"rename the {where} or set 'id: {expected_id}'"))
        return
    table: dict[str, Any] = getattr(loaded.course, _TARGETS[kind])
    table[item.id] = item


def _rubric(doc: YamlDoc, path: Path) -> Rubric:
    d = doc.data
    levels = tuple(Level(x["id"], x["name"], x.get("description", "")) for x in d["levels"])
    criteria = tuple(_criterion(c) for c in d["criteria"])
    return Rubric(d["id"], d["title"], levels, criteria, d.get("pass_rule", PASS_RULE),
                  d.get("description", ""), doc.path)


def _criterion(c: dict[str, Any]) -> Criterion:
    return Criterion(c["id"], c["name"], c["required"], dict(c["descriptors"]),
                     c.get("description", ""))


def _module(doc: YamlDoc, path: Path) -> Module:
    d = doc.data
    files = {key: (d.get("elements") or {}).get(key, default) for key, _, default in ELEMENTS}
    elements = {key: _read_text(path.parent / name) for key, name in files.items()}
    evidence = tuple(_requirement(e) for e in d["evidence"])
    return Module(d["id"], d["title"], d["competency"].strip(), d["key_method"].strip(),
                  float(d["hours"]), d["rubric"], evidence, elements, path.parent, doc.path)


def element_files(module_yml: dict[str, Any]) -> dict[str, str]:
    """Return the element key -> file name map of a module, defaults filled in."""
    declared = module_yml.get("elements") or {}
    return {key: declared.get(key, default) for key, _, default in ELEMENTS}


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _requirement(e: dict[str, Any]) -> EvidenceRequirement:
    words, rows = e.get("words") or {}, e.get("rows") or {}
    columns = tuple(
        CsvColumn(c["name"], c.get("type", "string"), tuple(str(a) for a in c.get("allowed", ())),
                  c.get("description", ""), c.get("required", True),
                  c.get("summary", "share" if c.get("allowed") else ""))
        for c in e.get("columns", ())
    )
    return EvidenceRequirement(
        id=e["id"], kind=e["kind"], title=e["title"], file=e["file"],
        description=e.get("description", ""), template=e.get("template", ""),
        optional=e.get("optional", False), criteria=tuple(e.get("criteria", ())),
        min_words=words.get("min"), max_words=words.get("max"),
        headings=tuple(e.get("headings", ())), columns=columns,
        min_rows=rows.get("min"), max_rows=rows.get("max"),
        hosts=tuple(e.get("hosts", ())), private=e.get("private", False),
        types=tuple(e.get("types", ())), max_bytes=e.get("max_bytes"),
        formats=tuple(e.get("formats", ("md",))),
    )


def _credential(doc: YamlDoc, path: Path) -> Credential:
    d = doc.data
    issuer = Issuer(d["issuer"]["name"], d["issuer"]["url"], d["issuer"].get("email", ""))
    alignments = tuple(
        Alignment(a["targetName"], a["targetUrl"], a.get("targetFramework", ""),
                  a.get("targetCode", ""), a.get("targetDescription", ""), a.get("targetType", ""))
        for a in d.get("alignments", ())
    )
    changelog = tuple(Release(r["version"], r["date"], r["changes"]) for r in d.get("changelog", ()))
    requires = None
    if "requires" in d:
        parts = tuple(d["requires"]["credentials"])
        requires = Stack(parts, d["requires"].get("at_least", len(parts)))
    return Credential(d["id"], d["title"], d["version"], d["programme"], d["description"],
                      d["criteria"], tuple(d.get("modules", ())), issuer, d["image"], alignments,
                      d.get("valid_for", ""), doc.path, changelog, requires)


def _programme(doc: YamlDoc, path: Path) -> Programme:
    d = doc.data
    cohorts = tuple(
        Cohort(c["id"], tuple(
            Network(n["id"], n["coach"], tuple(n["learners"]), n.get("backup_coach", ""),
                    n.get("title", ""))
            for n in c["networks"]), c.get("title", ""))
        for c in d.get("cohorts", ())
    )
    return Programme(d["id"], d["title"], d["mode"], d["description"], tuple(d["credentials"]),
                     tuple(d.get("designers", ())), tuple(d.get("coaches", ())), cohorts,
                     tuple(d.get("learners", ())), doc.path, d.get("coaching_after_not_yet", 2),
                     d.get("review_within_working_days", 5),
                     _privacy(d.get("privacy", {})),
                     {m: dict(need) for m, need in d.get("min_coaching", {}).items()},
                     d.get("coaching_logs", "pull-request"))


def _privacy(d: dict[str, Any]) -> ProgrammePrivacy:
    roster = d.get("roster", {})
    return ProgrammePrivacy(tuple(d.get("allow", ())), tuple(d.get("staff_domains", ())),
                            roster.get("salt", ""), tuple(roster.get("hashes", ())))


def parse_rubric(text: str, display: str) -> Rubric | None:
    """A rubric from YAML text (a file as it was at some commit); None when it is not valid."""
    try:
        doc = parse_yaml(text, display)
    except YamlError:
        return None
    return None if validate(doc, "rubric") else _rubric(doc, Path(display))
