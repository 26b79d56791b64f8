"""The review block: a coach's per-criterion levels inside an ordinary review body.

A coach reviews in GitHub's web interface by pasting the template from the bot comment (or the
coaches' guide) into the review and filling it in; `microcred review` writes the same block.
The block is a fenced YAML code block whose first key is `microcred-review`:

    ```yaml
    microcred-review: 1
    module: evidence-based-observation
    coaching_conversation: 2026-10-02     # optional: date of a coaching conversation held
    criteria:
      evidence-quality:
        level: proficient
        feedback: Your tallies and quotations make every claim checkable.
    ```

Everything outside the block is the coach's overall feedback. Parsing never raises, whatever
the body: one that tries to be a review and fails comes back with the problems, each saying how
to fix it. It reads each line once (bodies can be long), and YAML dates are read as text, so an
impossible date such as 2026-11-31 is a problem to fix rather than an error in the YAML library.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from microcred.model import Module, Rubric

MARKER = "microcred-review"
FORMAT = 1
MAX_BLOCK = 20_000  # characters: a review block is a few lines per criterion
_OPENING = re.compile(r"(`{3,})[ \t]*[^`]*|(~{3,}).*")  # a fence and its info string (yaml)
_MENTION = re.compile(rf"^[ \t]*{MARKER}[ \t]*:", re.MULTILINE)
KEYS = (MARKER, "module", "criteria", "coaching_conversation")

PASS, NOT_YET = "pass", "not-yet"


@dataclass(frozen=True)
class ReviewBlock:
    module: str
    levels: dict[str, str]  # criterion id -> level id
    feedback: dict[str, str] = field(default_factory=dict)
    coaching_conversation: str = ""
    summary: str = ""  # the review body outside the block


@dataclass(frozen=True)
class Parsed:
    """What a review body holds: no block, a block, or a block with problems."""

    block: ReviewBlock | None = None
    problems: tuple[str, ...] = ()

    @property
    def present(self) -> bool:
        return self.block is not None or bool(self.problems)


@dataclass(frozen=True)
class _Fenced:
    """A fenced code block: where it starts and ends in the body, what it holds."""

    start: int
    end: int
    body: str
    closed: bool


def parse_review(body: str) -> Parsed:
    """Find and read the review block in `body` (structure only; see `validate` for the rubric)."""
    body = body.replace("\r\n", "\n")  # the web interface sends CRLF line breaks
    blocks = [f for f in _fenced(body) if _MENTION.search(f.body)]
    if not blocks:
        if _MENTION.search(body):
            return Parsed(problems=("the review block must be a fenced code block: put ```yaml "
                                    "on the line before `microcred-review: 1` and ``` after it",))
        return Parsed()
    if len(blocks) > 1:
        return Parsed(problems=(f"{len(blocks)} review blocks found; keep exactly one",))
    block = blocks[0]
    if not block.closed:
        return Parsed(problems=("the review block's fence is never closed: put ``` on a line of "
                                "its own after the block",))
    if len(block.body) > MAX_BLOCK:
        return Parsed(problems=(f"the review block is over {MAX_BLOCK} characters; shorten the "
                                "feedback or move it outside the block",))
    summary = (body[:block.start] + body[block.end:]).strip()
    return _read_block(block.body, summary)


def _fenced(text: str) -> Iterator[_Fenced]:
    """Each fenced code block of `text`, in one pass; one left open runs to the end."""
    opened: tuple[str, int, int] | None = None  # fence, its start, where its body starts
    at = 0
    for line in text.split("\n"):
        end = at + len(line) + 1
        if opened is None:
            found = _OPENING.fullmatch(line)
            if found:
                opened = (found[1] or found[2], at, end)
        elif line.rstrip(" \t").startswith(opened[0]) and \
                not line.rstrip(" \t").strip(opened[0][0]):
            yield _Fenced(opened[1], min(end, len(text)), text[opened[2]:at], True)
            opened = None
        at = end
    if opened is not None:
        yield _Fenced(opened[1], len(text), text[opened[2]:], False)


class _Loader(yaml.SafeLoader):
    """Safe YAML, with dates left as text: `date.fromisoformat` then says what is wrong."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node:
                        loader.construct_scalar(node))  # type: ignore[arg-type]


def _read_block(text: str, summary: str) -> Parsed:
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader: no Python objects
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a number of thousands of digits
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} of the block" if mark else ""
        return Parsed(problems=(f"the review block is not valid YAML{where}; check the "
                                "indentation and quote feedback that contains a colon",))
    except RecursionError:
        return Parsed(problems=("the review block is nested too deeply to read; start again "
                                "from the review template",))
    if not isinstance(data, dict):
        return Parsed(problems=("the review block must be a YAML mapping starting with "
                                "`microcred-review: 1`",))
    problems: list[str] = []
    if data.get(MARKER) != FORMAT:
        problems.append(f"`{MARKER}: {_shown(data.get(MARKER))}` is not a known format; write "
                        f"`{MARKER}: {FORMAT}`")
    module = data.get("module")
    if not isinstance(module, str) or not module:
        problems.append("`module:` is missing; copy the module id from the review template")
    levels, feedback = _criteria(data.get("criteria"), problems)
    coaching = _coaching(data.get("coaching_conversation"), problems)
    unknown = sorted({_shown(key) for key in data if key not in KEYS})
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}; the block has "
                        "microcred-review, module, criteria and coaching_conversation")
    if problems:
        return Parsed(problems=tuple(problems))
    return Parsed(ReviewBlock(str(module), levels, feedback, coaching, summary))


def _shown(value: Any) -> str:
    """A value from the block as a problem quotes it: short, and a container only by its kind."""
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if value is None or isinstance(value, bool):  # as YAML writes them
        return {None: "null", True: "true", False: "false"}[value]
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _criteria(criteria: Any, problems: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    levels: dict[str, str] = {}
    feedback: dict[str, str] = {}
    if not isinstance(criteria, dict) or not criteria:
        problems.append("`criteria:` is missing or empty; give each criterion a level")
        return levels, feedback
    for key, value in criteria.items():
        name = _shown(key)
        if isinstance(value, str):  # the short form: `criterion: level`
            value = {"level": value}
        if not isinstance(value, dict):
            problems.append(f"criteria.{name}: write `level:` (and optionally `feedback:`) "
                            "under the criterion")
            continue
        level = value.get("level")
        if not isinstance(level, str) or not level.strip():
            problems.append(f"criteria.{name}.level is empty; choose one of the rubric's levels")
            continue
        levels[name] = level.strip()
        text = value.get("feedback")
        if isinstance(text, (dict, list)):
            problems.append(f"criteria.{name}.feedback: write the feedback as text (quote it if "
                            "it starts with [ or {)")
        elif text not in (None, ""):
            feedback[name] = str(text).strip()
    return levels, feedback


def _coaching(value: Any, problems: list[str]) -> str:
    if value in (None, ""):
        return ""
    text = _shown(value)
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        problems.append(f"coaching_conversation: {text!r} is not a date; write it as YYYY-MM-DD")
        return ""


def validate(block: ReviewBlock, module: Module, rubric: Rubric) -> list[str]:
    """Problems of `block` against the module and rubric the submission is assessed on."""
    if block.module != module.id:
        return [f"the block is for module {block.module!r}, but this submission is for "
                f"{module.id!r}; use the template for {module.id!r}"]
    problems: list[str] = []
    known = {c.id for c in rubric.criteria}
    for name in sorted(set(block.levels) - known):
        problems.append(f"criteria.{name}: not a criterion of rubric {rubric.id!r} (its criteria: "
                        f"{', '.join(sorted(known))})")
    missing = [c.id for c in rubric.criteria if c.id not in block.levels]
    if missing:
        problems.append(f"no level given for {', '.join(missing)}; every criterion needs one")
    for criterion in rubric.criteria:
        level = block.levels.get(criterion.id)
        if level is not None and level_id(rubric, level) is None:
            problems.append(f"criteria.{criterion.id}.level {level!r} is not a level of rubric "
                            f"{rubric.id!r}; choose one of {', '.join(lv.id for lv in rubric.levels)}")
    return problems


def level_id(rubric: Rubric, given: str) -> str | None:
    """The rubric's level id for `given`, accepting the id or the level's name in any case."""
    for level in rubric.levels:
        if given.casefold() in (level.id.casefold(), level.name.casefold()):
            return level.id
    return None


def normalised(block: ReviewBlock, rubric: Rubric) -> dict[str, str]:
    """The block's levels as rubric level ids (call after `validate` found no problems)."""
    return {c.id: level_id(rubric, block.levels[c.id]) or "" for c in rubric.criteria}


def below_required(levels: dict[str, str], rubric: Rubric) -> list[str]:
    """Criteria whose level is below the required one: each is judged alone, never averaged."""
    return [c.id for c in rubric.criteria
            if rubric.level_rank(levels[c.id]) < rubric.level_rank(c.required)]


def outcome(levels: dict[str, str], rubric: Rubric) -> str:
    return NOT_YET if below_required(levels, rubric) else PASS


def render_review(block: ReviewBlock) -> str:
    """A review body: the overall feedback, then the block (what `microcred review` submits)."""
    data: dict[str, Any] = {MARKER: FORMAT, "module": block.module}
    if block.coaching_conversation:
        data["coaching_conversation"] = block.coaching_conversation
    data["criteria"] = {
        name: {"level": level, **({"feedback": block.feedback[name]} if name in block.feedback else {})}
        for name, level in block.levels.items()}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    summary = block.summary.strip()
    return (f"{summary}\n\n" if summary else "") + f"```yaml\n{text}```\n"
