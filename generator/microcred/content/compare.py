"""What changed in a credential between two snapshots of the course: pure, for `microcred diff`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields

from microcred.model import ELEMENTS, Course, EvidenceRequirement, Module, Rubric


@dataclass(frozen=True)
class Change:
    """One difference: where (`area`), and a sentence describing it."""

    area: str
    text: str


def compare(old: Course, new: Course, credential_id: str) -> list[Change]:
    """Every difference that matters to designers, coaches and learners, in reading order."""
    a, b = old.credentials.get(credential_id), new.credentials.get(credential_id)
    if a is None or b is None:
        return [Change("credential", "the credential does not exist in "
                       + ("the old" if a is None else "the new") + " version")]
    out = [Change("credential", f"version {a.version} → {b.version}")] if a.version != b.version else []
    for label, x, y in (("title", a.title, b.title), ("description", a.description, b.description),
                        ("criteria", a.criteria, b.criteria)):
        out += _prose("credential", label, x, y)
    out += [Change("modules", f"added {m}") for m in b.modules if m not in a.modules]
    out += [Change("modules", f"removed {m}") for m in a.modules if m not in b.modules]
    common = [m for m in b.modules if m in a.modules]
    if [m for m in a.modules if m in common] != common:
        out.append(Change("modules", "order changed: " + ", ".join(b.modules)))
    for module_id in common:
        out += _module(old.modules.get(module_id), new.modules.get(module_id), old, new)
    return out


def _module(a: Module | None, b: Module | None, old: Course, new: Course) -> list[Change]:
    if a is None or b is None:
        return []
    area = f"module {b.id}"
    out: list[Change] = []
    for label, x, y in (("competency", a.competency, b.competency), ("key method", a.key_method,
                                                                      b.key_method)):
        out += _prose(area, label, x, y)
    if a.hours != b.hours:
        out.append(Change(area, f"estimated hours {a.hours:g} → {b.hours:g}"))
    out += _requirements(area, a.evidence, b.evidence)
    for key, label, _ in ELEMENTS:
        out += _prose(area, label.lower(), a.elements.get(key, ""), b.elements.get(key, ""))
    out += _rubric(f"{area} rubric", old.rubrics.get(a.rubric), new.rubrics.get(b.rubric))
    return out


def _requirements(area: str, a: tuple[EvidenceRequirement, ...],
                  b: tuple[EvidenceRequirement, ...]) -> list[Change]:
    before, after = {r.id: r for r in a}, {r.id: r for r in b}
    out = [Change(area, f"evidence added: {r.title} ({r.kind})") for r in b if r.id not in before]
    out += [Change(area, f"evidence removed: {r.title}") for r in a if r.id not in after]
    for req in b:
        if req.id in before:
            out += [Change(area, f"evidence {req.id}: {f.name.replace('_', ' ')} "
                           f"{_show(getattr(before[req.id], f.name))} → {_show(getattr(req, f.name))}")
                    for f in fields(req) if f.name not in ("description", "title")
                    and getattr(before[req.id], f.name) != getattr(req, f.name)]
    return out


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(getattr(v, "name", str(v)) for v in value) + "]"
    return "none" if value is None or value == "" else str(value)


def _rubric(area: str, a: Rubric | None, b: Rubric | None) -> list[Change]:
    if a is None or b is None:
        return []
    out: list[Change] = []
    if [lv.id for lv in a.levels] != [lv.id for lv in b.levels]:
        out.append(Change(area, "levels " + ", ".join(lv.id for lv in a.levels) + " → "
                          + ", ".join(lv.id for lv in b.levels)))
    before, after = {c.id: c for c in a.criteria}, {c.id: c for c in b.criteria}
    out += [Change(area, f"criterion added: {c.name} (required {c.required})")
            for c in b.criteria if c.id not in before]
    out += [Change(area, f"criterion removed: {c.name}") for c in a.criteria if c.id not in after]
    for c in b.criteria:
        old = before.get(c.id)
        if old is None:
            continue
        if old.required != c.required:
            out.append(Change(area, f"{c.name}: required level {old.required} → {c.required}"))
        for level in b.levels:
            out += _prose(area, f"{c.name} / {level.name}", old.descriptors.get(level.id, ""),
                          c.descriptors.get(level.id, ""))
    return out


def _prose(area: str, label: str, old: str, new: str) -> list[Change]:
    if " ".join(old.split()) == " ".join(new.split()):
        return []
    return [Change(area, f"{label}: {word_diff(old, new)}")]


def word_diff(old: str, new: str, context: int = 4) -> str:
    """The changed words as `[-removed-]{+added+}`, with a few words of context, joined by ' … '."""
    a, b = old.split(), new.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(a[max(0, i1 - context):i1])
        removed = f"[-{' '.join(a[i1:i2])}-]" if i2 > i1 else ""
        added = f"{{+{' '.join(b[j1:j2])}+}}" if j2 > j1 else ""
        after = " ".join(a[i2:i2 + context])
        parts.append(" ".join(p for p in (before, removed + added, after) if p))
    return " … ".join(parts)
