"""`microcred review`: a coach reviews a submission against its rubric from the terminal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from microcred import output
from microcred.content.assessment import assessment_courses, edition_for
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.forge.base import APPROVED, CHANGES_REQUESTED, OPEN, Forge
from microcred.forge.select import open_forge
from microcred.ledger.derive import Submission, submission_at
from microcred.model import Module, Rubric
from microcred.review.decide import same_login
from microcred.review.format import (
    PASS,
    ReviewBlock,
    below_required,
    normalised,
    outcome,
    render_review,
    validate,
)
from microcred.review.queue import waiting
from microcred.roster import coaches_for
from microcred.site.pages import review_template
from microcred.submission.findings import printable

SHOW_LINES = 60


def review(root: Path | None, forge_kind: str, actor: str | None, number: int | None,
           levels: list[str], feedback: list[str], summary: str, coaching: str | None, show: bool,
           next_: bool = False) -> int:
    root = find_root(root or Path.cwd())
    forge = open_forge(forge_kind, root, actor)
    if next_:
        oldest = _next_for(forge, root, getattr(forge, "actor", "") or actor or "")
        if oldest is None:
            return 0
        number, show = oldest, True
    if number is None:
        raise UsageError("say which pull request to review: give its number, or --next for the "
                         "oldest one waiting for you")
    pull = forge.get_pull_request(number)
    if pull.state != OPEN:
        raise UsageError(f"pull request #{number} is {pull.state}; only open ones are reviewed")
    course, editions = assessment_courses(root)
    found = submission_at(forge, number, pull.head_sha)
    if isinstance(found, str):
        raise UsageError(f"pull request #{number} {found}")
    m = found.manifest
    edition = edition_for(course, editions, m.credential, m.credential_version)
    if edition is None or m.module not in edition.modules:
        raise UsageError(f"#{number}: {m.credential} v{m.credential_version} / {m.module} is not "
                         "a released module of this course; ask the learner to fix the manifest")
    module = edition.modules[m.module]
    rubric = edition.rubrics[module.rubric]
    if show or not levels:
        _show(forge, found, module, rubric, pull.head_sha)
        if not show:
            raise UsageError("no levels given: add --level CRITERION=LEVEL for every criterion "
                             "(the template above lists them), or --show to only look")
        return 0
    # The roster is today's; the programme is the one the pinned release's credential belongs to.
    authorised = coaches_for(course, found.learner, edition.credentials[m.credential].programme)
    _refuse_reviewer(getattr(forge, "actor", "") or actor or "", pull.author, found.learner,
                     authorised, number, m.credential)
    block = ReviewBlock(module.id, _pairs(levels, "--level"), _pairs(feedback, "--feedback"),
                        _date(coaching), summary)
    problems = validate(block, module, rubric)
    if problems:
        raise UsageError("the review was not submitted: " + "; ".join(problems))
    chosen = normalised(block, rubric)
    verdict = outcome(chosen, rubric)
    state = APPROVED if verdict == PASS else CHANGES_REQUESTED
    submitted = forge.submit_review(number, state, render_review(block), pull.head_sha)
    if verdict == PASS:
        output.write(f"approved #{number} at {pull.head_sha[:12]} (review {submitted.id}): every "
                     "criterion reaches its required level")
    else:
        output.write(f"requested changes on #{number} (review {submitted.id}): not yet — "
                     f"{', '.join(below_required(chosen, rubric))} below the required level")
    return 0


def _refuse_reviewer(reviewer: str, author: str, learner: str, authorised: list[str],
                     number: int, credential: str) -> None:
    """Refuse a review that would not count, giving the reason that applies."""
    coaches = ", ".join(authorised) or "none on the roster"
    if reviewer and same_login(reviewer, author):
        others = ", ".join(c for c in authorised if not same_login(c, reviewer))
        raise UsageError(f"@{reviewer} opened pull request #{number}, and a review by whoever "
                         f"opened it does not count; ask another of {learner}'s coaches to "
                         f"review it ({others or 'there is none on the roster: ask a designer'})")
    if reviewer and not any(same_login(reviewer, c) for c in authorised):
        raise UsageError(f"@{reviewer} is not a coach authorised for {learner} in the programme "
                         f"awarding {credential} (their coaches there: {coaches}); the review "
                         "would not count")


def _next_for(forge: Forge, root: Path, coach: str) -> int | None:
    """The oldest pull request waiting for `coach`'s review, announced; None when there is none."""
    if not coach:
        raise UsageError("--next: say who you are (--as LOGIN on the local forge)")
    course, _ = assessment_courses(root)
    mine = [w for w in waiting(forge, course, datetime.now(UTC))
            if any(same_login(coach, c) for c in w.coaches)]
    if not mine:
        output.write(f"nothing is waiting for @{coach}'s review")
        return None
    first = mine[0]
    late = " — past the service level" if first.overdue else ""
    output.write(f"#{first.pull.number} ({first.learner}) has waited longest: {first.days} working "
                 f"day(s) since {first.since[:10]}{late}; {len(mine) - 1} more waiting for you")
    output.write("")
    return first.pull.number


def _show(forge: Forge, found: Submission, module: Module, rubric: Rubric, head: str) -> None:
    m = found.manifest
    output.write(f"{found.learner} · {m.credential} v{m.credential_version} · {module.title} · "
                 f"attempt {m.attempt} · head {head[:12]}")
    kinds = {req.id: req.kind for req in module.evidence}
    for requirement, name in m.evidence.items():
        path = f"{found.folder}{name}"
        output.write("")
        output.write(f"── {requirement}: {path}")
        data = forge.read_file(path, head)
        if data is None:
            output.write("   (missing)")
        elif kinds.get(requirement) == "file":
            output.write(f"   ({len(data):,} bytes; open it from the pull request)")
        else:
            for line in _excerpt(data):
                output.write(f"   {line}")
    output.write("")
    output.write(f"Rubric {rubric.id} (levels: {', '.join(lv.id for lv in rubric.levels)}):")
    for criterion in rubric.criteria:
        needed = criterion.descriptors.get(criterion.required, "").strip()
        output.write(f"  {criterion.id} — {criterion.name} (required: {criterion.required})")
        if needed:
            output.write(f"      at {criterion.required}: {needed}")
    output.write("")
    output.write("Review template (or use --level CRITERION=LEVEL for each criterion):")
    output.write(f"```yaml\n{review_template(module, rubric)}```")


def _excerpt(data: bytes) -> list[str]:
    """The first lines of a text evidence file, made safe to print."""
    text = data.decode("utf-8", errors="replace")
    lines = [printable(line) for line in text.splitlines()]
    if len(lines) > SHOW_LINES:
        return [*lines[:SHOW_LINES], f"... ({len(lines) - SHOW_LINES} more lines in the pull request)"]
    return lines


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip() or not text.strip():
            what = "LEVEL" if option == "--level" else "TEXT"
            raise UsageError(f"{option} {value!r}: write it as CRITERION={what}")
        pairs[key.strip()] = text.strip()
    return pairs


def _date(text: str | None) -> str:
    if not text:
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"--coaching-conversation {text!r}: write the date as YYYY-MM-DD") from None
