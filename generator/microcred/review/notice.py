"""The outcome notice: the one comment that tells a learner what a merge decided. Pure.

`microcred issue` adds it to the pull request once the decision is recorded: the result for each
criterion, the coach's feedback, what to do next and, when the credential is complete, the badge
and how to share it. Its first line is a hidden marker naming the decision, so a re-run finds
it and writes no second one. Everything a learner or coach wrote (feedback, reasons that quote a
manifest, logins) goes through `microcred.markdown`; titles and names come from the trusted course.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcred.markdown import escape_text, mention

COMPLETE = "complete"


def notice_marker(number: int) -> str:
    """The hidden first line of the notice on pull request `number` (one decision per merge)."""
    return f"<!-- microcred:decision pr-{number} -->"


def badge_marker(badge_id: str) -> str:
    """The hidden first line of a badge notice posted after the decision's own (a later issue)."""
    return f"<!-- microcred:badge {badge_id} -->"


@dataclass(frozen=True)
class CriterionResult:
    name: str
    level: str  # the level's name; "" when no review gave one
    required: str
    reached: bool
    feedback: str = ""


@dataclass(frozen=True)
class BadgeLinks:
    """Where the learner finds their badge: published pages when they consented, else the ledger."""

    badge_id: str
    ledger_file: str  # the signed badge on the ledger branch (a URL when the repository has one)
    page: str = ""  # the verification page; "" without consent
    json: str = ""
    image: str = ""
    consent_file: str = ""  # where to give consent, when not given


@dataclass(frozen=True)
class Notice:
    number: int
    learner: str
    credential: str  # its title
    version: str
    module: str  # its title
    module_id: str
    outcome: str  # COMPLETE or not-awarded
    attempt: int  # as the ledger records it (counted when an approval was decided on)
    reasons: tuple[str, ...] = ()
    criteria: tuple[CriterionResult, ...] = ()
    summary: str = ""  # the coach's overall feedback
    coach: str = ""
    remaining: tuple[str, ...] = ()  # titles of the credential's modules still to complete
    coaching_after: int = 2
    badge: BadgeLinks | None = None
    badge_pending: bool = False  # every module complete, the badge not issued yet


def render_notice(n: Notice) -> str:
    """The notice's Markdown, marker first."""
    parts = [notice_marker(n.number), _headline(n)]
    if n.criteria:
        parts.append(_criteria(n))
    if n.summary:
        who = mention(n.coach) if n.coach else "your coach"
        parts.append(f"**Feedback from {who}:** {escape_text(n.summary)}")
    if n.outcome != COMPLETE:
        parts.append(_not_yet(n))
    elif n.remaining:
        parts.append("**Next:** " + ", ".join(n.remaining)
                     + f" — {len(n.remaining)} module(s) to go for {n.credential}.")
    if n.badge is not None:
        parts.append(render_badge(n.badge, n.credential))
    elif n.badge_pending:
        parts.append("**Badge:** every module is complete; the badge is signed by the next run "
                     "of the issue workflow, which adds a comment here with its links.")
    return "\n\n".join(parts) + "\n"


def render_badge(badge: BadgeLinks, credential: str) -> str:
    """Where the badge is and how to share it."""
    lines = [f"**Your badge: {credential}** (`{badge.badge_id}`)", ""]
    if badge.page:
        lines += [f"- Verification page: {badge.page} (published with the site's next build)",
                  f"- The signed badge (Open Badges 3.0 JSON): {badge.json}"]
        if badge.image:
            lines.append(f"- The badge image, with the signed badge baked in: {badge.image}")
    else:
        lines += [f"- The signed badge (Open Badges 3.0 JSON): {badge.ledger_file}",
                  f"- No public page: you have not consented to one. To publish a verification "
                  f"page and the baked image, add `{badge.consent_file}` with `public_page: true` "
                  "in a pull request (see the consent format in the course's docs)."]
    lines += ["", "To share it: import the JSON file (or its address) into a wallet that accepts "
              "Open Badges 3.0 or verifiable credentials; on a professional profile, add it as a "
              "licence or certification with the verification page as the credential's URL; "
              "anyone can check it with `microcred verify`."]
    return "\n".join(lines)


def _headline(n: Notice) -> str:
    what = f"{n.module} ({n.credential} v{n.version})"
    if n.outcome == COMPLETE:
        by = f", approved by {mention(n.coach)}" if n.coach else ""
        return f"### ✅ Module complete: {what}\n\nAttempt {n.attempt}{by}."
    return f"### Not awarded yet: {what}\n\nThis merge completes nothing yet:"\
        + "".join(f"\n- {escape_text(reason)}" for reason in n.reasons)


def _criteria(n: Notice) -> str:
    rows = ["| Criterion | Level reached | Required | |", "|---|---|---|---|"]
    for c in n.criteria:
        mark = "✅" if c.reached else "not yet"
        rows.append(f"| {c.name} | {c.level or '—'} | {c.required} | {mark} |")
    feedback = [f"- **{c.name}:** {escape_text(c.feedback)}" for c in n.criteria if c.feedback]
    return "\n".join(rows) + ("\n\n" + "\n".join(feedback) if feedback else "")


def _not_yet(n: Notice) -> str:
    short = [c.name for c in n.criteria if not c.reached]
    focus = f" Work on {', '.join(short)}, with your coach's feedback above." if short else ""
    steps = [f"**What to do next:**{focus} Then start your next attempt, on a new branch: "
             f"`microcred submit {n.module_id} --new-attempt --open`."]
    steps.append(f"After {n.coaching_after} 'not yet' decisions on a module, the next attempt "
                 "completes only once you and your coach have held a coaching conversation; "
                 "ask your coach for one then.")
    return " ".join(steps)
