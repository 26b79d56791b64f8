"""A pull request's conversation as plain text for the terminal: what GitHub's page would show.

The bot comment, each review with its levels and feedback read against the rubric, other
comments, the merge gate and the decision, in order. Pure: the command gathers, this lays out.
Everything from a pull request goes through `printable`, so no control character reaches the
terminal.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from microcred.forge.base import Comment, CommitStatus, Review
from microcred.model import Rubric
from microcred.review.format import level_id, parse_review
from microcred.submission.findings import printable

_DETAILS = re.compile(r"<details>.*?</details>\s*", re.DOTALL)
_MARKER = re.compile(r"^<!-- microcred:[^>]*-->\n?")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark's backslash escapes
STATES = {"APPROVED": "approved", "CHANGES_REQUESTED": "changes requested", "COMMENTED": "commented"}


@dataclass(frozen=True)
class Conversation:
    reviews: Sequence[Review]
    comments: Sequence[Comment]
    rubric: Rubric | None = None  # the submission's rubric, when the pull request carries one
    gate: CommitStatus | None = None
    decision: dict[str, Any] | None = None  # the ledger's record, once decided


def conversation_lines(c: Conversation, bot: str) -> list[str]:
    """The conversation, one block per entry, each headed by a `──` line; `bot` is the login
    whose marked comments are microcred's (the check comment, the outcome notices)."""
    lines: list[str] = []
    for comment in c.comments:
        title = "microcred" if _MARKER.match(comment.body) and comment.author == bot \
            else f"comment by @{printable(comment.author)}"
        lines += [f"── {title}", *_indented(readable(comment.body))]
    for review in c.reviews:
        lines += _review(review, c.rubric)
    if c.gate is not None:
        lines.append(f"── merge gate ({c.gate.context}): {c.gate.state} — {printable(c.gate.description)}")
    if c.decision is not None:
        lines += _decision(c.decision)
    return lines


def _review(review: Review, rubric: Rubric | None) -> list[str]:
    when = f", {review.submitted_at}" if review.submitted_at else ""
    head = (f"── review {review.id} by @{printable(review.reviewer)}: "
            f"{STATES.get(review.state, review.state.lower())} (commit {review.commit_sha[:7]}{when})")
    parsed = parse_review(review.body)
    block = parsed.block
    if block is None:
        return [head, *_indented(review.body.strip() or "(no text)"),
                *(f"   ⚠ {printable(p)}" for p in parsed.problems)]
    out = [head]
    for criterion, given in block.levels.items():
        out.append(f"   {printable(criterion)}: {_level(rubric, criterion, given)}")
        if criterion in block.feedback:
            out.append(f"      {printable(block.feedback[criterion])}")
    if block.coaching_conversation:
        out.append(f"   coaching conversation: {block.coaching_conversation}")
    if block.summary:
        out += _indented(block.summary)
    return out


def _level(rubric: Rubric | None, criterion: str, given: str) -> str:
    """`given` by the rubric's name, with the required level; as written when unknown."""
    chosen = level_id(rubric, given) if rubric else None
    found = next((c for c in rubric.criteria if c.id == criterion), None) if rubric else None
    if rubric is None or chosen is None or found is None:
        return printable(given)
    reached = rubric.level_rank(chosen) >= rubric.level_rank(found.required)
    return (f"{rubric.level_name(chosen)} (required {rubric.level_name(found.required)})"
            + ("" if reached else " — not yet"))


def _decision(record: dict[str, Any]) -> list[str]:
    head = f"── decision: {record.get('outcome')} (attempt {record.get('attempt')}, {record.get('decided')})"
    reasons = [f"   - {printable(str(r))}" for r in record.get("reasons") or []]
    approver = [f"   approved by @{record['approver']}"] if record.get("approver") else []
    return [head, *approver, *reasons]


def readable(markdown: str) -> str:
    """A comment's text without its marker, folded sections (rubric, template) and the escapes
    that kept its untrusted parts inert on GitHub (a terminal renders no Markdown)."""
    text = _DETAILS.sub("", _MARKER.sub("", markdown)).strip()
    return html.unescape(_ESCAPED.sub(r"\1", text)).replace("\u200b", "")


def _indented(text: str) -> list[str]:
    """Each line indented, control characters written as escapes."""
    return [f"   {printable(line)}" if line else "" for line in text.splitlines()]
