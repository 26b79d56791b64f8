"""Write a synthetic but valid course of any size, for the build benchmark.

The text is pseudo-random but deterministic (seeded by ids), sized like a real module: each
design element has a few hundred words, headings, a list, an admonition, a task list and course
references. Programmes hold up to CREDENTIALS_PER_PROGRAMME credentials; every credential has its
own modules, and every module its own rubric.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

CREDENTIALS_PER_PROGRAMME = 4
MODULES_PER_CREDENTIAL = 8
CONTENT_PAGES = ("index.md", "coaches.md")
LEVELS = (("not-yet", "Not yet"), ("developing", "Developing"),
          ("proficient", "Proficient"), ("exemplary", "Exemplary"))
ELEMENT_FILES = ("new-content.md", "practice.md", "reflection.md", "assessment.md")

_TEXT = (
    "teacher learner coach lesson evidence observation classroom questioning feedback student "
    "talk pattern equity routine practice reflection cycle goal inquiry data tally minute seat "
    "discussion protocol planning conversation strategy instruction curriculum assessment task "
    "criterion rubric level growth network peer colleague school leader standard voice agency "
    "participation wait time open conceptual procedural recall prompt response group norm trust "
    "the a of to and in with for on by from each every their our this that which when while "
    "records notices compares describes plans tests revises shares names asks listens explains"
)
_WORDS = tuple(_TEXT.split())
_TOPICS = (
    "Classroom observation", "Coaching conversations", "Questioning for thinking",
    "Equitable participation", "Feedback that moves learning", "Data-informed planning",
    "Leading professional learning", "Collaborative inquiry", "Instructional routines",
    "Assessment for learning", "Culturally responsive practice", "Change leadership",
)
_HEADINGS = ("Why it matters", "What the research says", "A worked example", "Common pitfalls",
             "Trying it in your setting", "Looking back", "Putting it together", "Next steps")
_ADMONITIONS = ("tip", "note", "warning", "example")
_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" role="img" '
        'aria-labelledby="t"><title id="t">{title}</title><circle cx="60" cy="60" r="56" '
        'fill="#3f51b5"/></svg>\n')
_MKDOCS_YML = """\
site_name: "Synthetic course"
repo_url: https://github.com/example-org/synthetic-course
edit_uri: ""
docs_dir: content
site_dir: site
strict: true
theme:
  name: material
  font: false
  features: [navigation.sections, navigation.prune, content.tabs.link, search.highlight]
plugins:
  - search
  - microcred
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tasklist:
      custom_checkbox: true
"""


@dataclass(frozen=True)
class Shape:
    """How many programmes, credentials and modules a synthetic course has."""

    credentials: int
    modules_per_credential: int

    @property
    def programmes(self) -> int:
        return math.ceil(self.credentials / CREDENTIALS_PER_PROGRAMME)

    @property
    def modules(self) -> int:
        return self.credentials * self.modules_per_credential

    @property
    def pages(self) -> int:
        """Programme, credential, module and content pages of the built site, plus each
        credential's current-version copy of its credential and module pages (under
        `<credential>/v<version>/`, the address its badges link to)."""
        return self.programmes + 2 * (self.credentials + self.modules) + len(CONTENT_PAGES)


def page_count(credentials: int, modules_per_credential: int) -> int:
    """Return how many pages the site of `generate(root, credentials, modules)` has."""
    return Shape(credentials, modules_per_credential).pages


def shape_for(pages: int, modules_per_credential: int = MODULES_PER_CREDENTIAL) -> Shape:
    """Return the shape whose page count is nearest to `pages`."""
    per_credential = 2 * (modules_per_credential + 1) + 1 / CREDENTIALS_PER_PROGRAMME
    guess = max(1, round((pages - len(CONTENT_PAGES)) / per_credential))
    shapes = [Shape(n, modules_per_credential) for n in range(max(1, guess - 2), guess + 3)]
    return min(shapes, key=lambda s: (abs(s.pages - pages), s.credentials))


def programme_id(p: int) -> str:
    return f"programme-{p + 1:03d}"


def credential_id(c: int) -> str:
    return f"credential-{c + 1:03d}"


def module_id(c: int, m: int) -> str:
    return f"module-{c + 1:03d}-{m + 1:02d}"


def generate(root: Path, credentials: int, modules_per_credential: int) -> Shape:
    """Write a valid course with `credentials` x `modules_per_credential` modules under `root`."""
    shape = Shape(credentials, modules_per_credential)
    for folder in ("content/programmes", "content/credentials", "content/images", "rubrics",
                   "modules", "submissions"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(_MKDOCS_YML, encoding="utf-8")
    (root / "submissions" / ".gitkeep").touch()
    _write_content_pages(root)
    for p in range(shape.programmes):
        _write_programme(root, p, shape)
    for c in range(shape.credentials):
        _write_credential(root, c, shape)
        for m in range(shape.modules_per_credential):
            _write_module(root, c, m, shape)
    return shape


def _dump(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(count))


def _sentence(rng: random.Random) -> str:
    text = _words(rng, rng.randint(8, 18))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _title(c: int, m: int | None = None) -> str:
    topic = _TOPICS[(c if m is None else c + m) % len(_TOPICS)]
    return f"{topic} {c + 1}" if m is None else f"{topic} {c + 1}.{m + 1}"


def _write_content_pages(root: Path) -> None:
    (root / "content" / "index.md").write_text(
        "# Synthetic course\n\nA generated course for the build benchmark. Start with "
        f"[the first programme](programme:{programme_id(0)}).\n\n"
        "Coaches: read the [coaches' guide](coaches.md).\n", encoding="utf-8")
    (root / "content" / "coaches.md").write_text(
        "# Coaches' guide\n\nReview each pull request against the module's rubric. Choose a level "
        "for every criterion and explain it with evidence from the submission.\n",
        encoding="utf-8")


def _write_programme(root: Path, p: int, shape: Shape) -> None:
    first = p * CREDENTIALS_PER_PROGRAMME
    creds = [credential_id(c) for c in range(first, min(first + 4, shape.credentials))]
    coaches = [f"coach-{p + 1}-a", f"coach-{p + 1}-b"]
    networks = [{"id": f"network-{n + 1}", "coach": coaches[n],
                 "learners": [f"learner-{p + 1}-{n + 1}-{i + 1}" for i in range(5)]}
                for n in range(2)]
    _dump(root / "content" / "programmes" / f"{programme_id(p)}.yml", {
        "format": 1, "kind": "programme", "id": programme_id(p),
        "title": f"Leadership programme {p + 1}", "mode": "cohort",
        "description": _paragraph(random.Random(programme_id(p)), 4) + "\n",
        "credentials": creds, "designers": [f"designer-{p + 1}"], "coaches": coaches,
        "cohorts": [{"id": "cohort-2026", "title": "2026-27 cohort", "networks": networks}],
    })


def _write_credential(root: Path, c: int, shape: Shape) -> None:
    cid, rng = credential_id(c), random.Random(credential_id(c))
    title = f"{_title(c)} credential"
    (root / "content" / "images" / f"{cid}.svg").write_text(
        _SVG.format(title=title), encoding="utf-8")
    _dump(root / "content" / "credentials" / f"{cid}.yml", {
        "format": 1, "kind": "credential", "id": cid, "title": title, "version": "1.0.0",
        "programme": programme_id(c // CREDENTIALS_PER_PROGRAMME),
        "description": _paragraph(rng, 5) + "\n", "criteria": _paragraph(rng, 3) + "\n",
        "modules": [module_id(c, m) for m in range(shape.modules_per_credential)],
        "issuer": {"name": "Example University", "url": "https://leadership.example.edu"},
        "image": f"images/{cid}.svg",
        "alignments": [{"targetName": f"Standard {c % 10 + 1}",
                        "targetUrl": f"https://standards.example.org/{c % 10 + 1}",
                        "targetFramework": "Example standards", "targetCode": f"S-{c % 10 + 1}"}],
        "valid_for": "P3Y",
    })


def _criteria(rng: random.Random, count: int) -> list[dict[str, object]]:
    return [{"id": f"criterion-{k + 1}", "name": f"Criterion {k + 1}: {_words(rng, 3)}",
             "required": "proficient" if k % 2 == 0 else "developing",
             "descriptors": {level: _sentence(rng) for level, _ in LEVELS}}
            for k in range(count)]


def _write_module(root: Path, c: int, m: int, shape: Shape) -> None:
    mid, rng = module_id(c, m), random.Random(module_id(c, m))
    criteria = _criteria(rng, 3 + (c + m) % 2)
    _dump(root / "rubrics" / f"{mid}.yml", {
        "format": 1, "kind": "rubric", "id": mid, "title": _title(c, m),
        "levels": [{"id": level, "name": name} for level, name in LEVELS],
        "pass_rule": "every-criterion-at-required-level", "criteria": criteria,
    })
    folder = root / "modules" / mid
    _dump(folder / "module.yml", {
        "format": 1, "kind": "module", "id": mid, "title": _title(c, m),
        "competency": _sentence(rng), "key_method": _sentence(rng), "hours": 4 + (c + m) % 9,
        "rubric": mid, "evidence": _evidence(str(criteria[0]["id"])),
    })
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    (folder / "templates" / "tally.csv").write_text("minute,seat,question_type\n",
                                                     encoding="utf-8")
    neighbour = module_id(c, (m + 1) % shape.modules_per_credential)
    for k, name in enumerate(ELEMENT_FILES):
        (folder / name).write_text(_element(rng, k, c, neighbour, mid), encoding="utf-8")


def _evidence(criterion: str) -> list[dict[str, object]]:
    return [
        {"id": "notes", "kind": "text", "title": "Observation notes", "file": "notes.md",
         "words": {"min": 300, "max": 1500}, "headings": ["Context", "Evidence", "Patterns"],
         "criteria": [criterion]},
        {"id": "tally", "kind": "csv", "title": "Calling-on tally", "file": "tally.csv",
         "template": "templates/tally.csv",
         "columns": [{"name": "minute", "type": "integer"}, {"name": "seat", "type": "string"},
                     {"name": "question_type",
                      "allowed": ["recall", "procedural", "conceptual", "open"]}],
         "rows": {"min": 10}},
        {"id": "video", "kind": "link", "title": "Conversation recording",
         "file": "video-link.txt", "hosts": ["vimeo.com", "youtube.com"], "private": True},
        {"id": "plan", "kind": "file", "title": "Planning sheet", "file": "plan.pdf",
         "types": ["pdf", "png"], "max_bytes": 5000000, "optional": True},
    ]


def _element(rng: random.Random, k: int, c: int, neighbour: str, mid: str) -> str:
    """One design element: ~350 words with headings, a list, an admonition and a task list."""
    first, second = _HEADINGS[(2 * k) % 8], _HEADINGS[(2 * k + 1) % 8]
    bullets = "\n".join(f"- {_sentence(rng)}" for _ in range(4))
    tasks = "\n".join(f"- [{'x' if i == 0 else ' '}] {_sentence(rng)}" for i in range(3))
    kind = _ADMONITIONS[k]
    return (
        f"## {first}\n\n{_paragraph(rng, 5)}\n\n{_paragraph(rng, 4)}\n\n"
        f"### {second}\n\n{_paragraph(rng, 4)}\n\n{bullets}\n\n"
        f'!!! {kind} "{_words(rng, 3).capitalize()}"\n    {_paragraph(rng, 2)}\n\n'
        f"{tasks}\n\n"
        f"See [the related module](module:{neighbour}), the [rubric](rubric:{mid}), the "
        f"[credential](credential:{credential_id(c)}) and the "
        "[tally template](templates/tally.csv).\n"
    )
