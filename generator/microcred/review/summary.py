"""What the bot comment says about the reviews so far: each one read back, problems explained.

A coach whose review block cannot be read gets a clear reply in the pull request's comment,
never a silent pass; the last line says what merging now would decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from microcred.forge.base import APPROVED, CHANGES_REQUESTED, PullRequest, Review
from microcred.markdown import escape_text, mention
from microcred.model import Module, Rubric
from microcred.review.decide import Decision, assess, same_login
from microcred.review.format import NOT_YET, below_required, normalised


def review_lines(pull: PullRequest, learner: str, reviews: Sequence[Review], module: Module,
                 rubric: Rubric, authorised: Iterable[str], outlook: Decision | None) -> list[str]:
    """Markdown bullet lines, one per review that counts or tried to, then the outlook.

    `outlook` is the merge gate's decision (`review.gate.forecast`): issuance's own, attempts
    and coaching rule included.
    """
    coaches = [c for c in authorised if not same_login(c, pull.author)]
    lines: list[str] = []
    for review in reviews:
        if not any(same_login(review.reviewer, c) for c in coaches):
            if review.state == APPROVED:
                lines.append(f"- {mention(review.reviewer)} approved, but is not a coach for "
                             f"{escape_text(learner)}: not counted.")
            continue
        lines.append(_line(review, module, rubric, pull.head_sha))
    if not lines or outlook is None:
        return lines
    if outlook.complete:
        lines.append("- **If merged now:** module complete.")
    elif any("cannot be read" in reason for reason in outlook.reasons):
        lines.append("- **If merged now:** no result — the approving review cannot be read (above).")
    else:
        lines.append("- **If merged now:** no result — " + escape_text("; ".join(outlook.reasons))
                     + ".")
    return lines


def _line(review: Review, module: Module, rubric: Rubric, head: str) -> str:
    assessed = assess(review, module, rubric)
    stale = "" if review.commit_sha == head else ", an earlier commit"
    who = f"{mention(review.reviewer)} (review {review.id}, commit " \
        f"{escape_text(review.commit_sha[:7])}{stale})"
    if assessed.problems:
        return f"- ⚠️ {who}: the review block cannot be read:\n" + "\n".join(
            f"  - {escape_text(problem)}" for problem in assessed.problems)
    if assessed.block is None:
        return f"- {who}: comment only."
    if assessed.verdict == NOT_YET:
        short = escape_text(", ".join(below_required(normalised(assessed.block, rubric), rubric)))
        return f"- {who}: not yet — {short} below the required level."
    if review.state == CHANGES_REQUESTED:
        return f"- {who}: changes requested, though every level is reached."
    return f"- {who}: every criterion at its required level."
