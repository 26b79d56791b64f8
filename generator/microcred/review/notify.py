"""Tell the learner what a recorded decision says: gather the facts, post the notice once.

The facts come from trusted places only: the decision as the ledger recorded it, the reviews on
the forge, the rubric of the pinned version, the ledger's completions and badge, and the
learner's consent on the default branch. The notice is a comment keyed by the decision
(`notice_marker`), so a re-run of `microcred issue` finds it and posts nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from microcred.content.assessment import Editions, edition_for
from microcred.content.consent import consent_path, read_consent
from microcred.forge.base import Forge, Review
from microcred.ledger import layout
from microcred.ledger.settings import Settings
from microcred.ledger.store import LedgerStore
from microcred.model import Course, Credential, Rubric
from microcred.review.decide import same_login
from microcred.review.format import ReviewBlock, level_id, normalised, parse_review
from microcred.review.notice import (
    COMPLETE,
    BadgeLinks,
    CriterionResult,
    Notice,
    badge_marker,
    notice_marker,
    render_badge,
    render_notice,
)
from microcred.roster import coaches_for
from microcred.site.badges import badge_uri


@dataclass(frozen=True)
class Posted:
    """What `notify` did: the comments it added (none on a re-run)."""

    number: int
    added: tuple[str, ...]  # "decision", "badge"


def notify(forge: Forge, store: LedgerStore, course: Course, editions: Editions,
           settings: Settings, number: int) -> Posted:
    """Post the notice of pull request `number`'s recorded decision unless it is there already."""
    record = store.read_json(layout.decision_path(number)) if store.exists() else None
    if record is None:
        return Posted(number, ())
    notice = gather(forge, store, course, editions, settings, record)
    if notice is None:
        return Posted(number, ())
    comment, added = forge.comment_once(number, notice_marker(number), render_notice(notice))
    if added or notice.badge is None or notice.badge.badge_id in comment.body:
        return Posted(number, ("decision",) if added else ())
    # Decided earlier, badge issued only now (the key was missing then): tell that too.
    _, badge_added = forge.comment_once(number, badge_marker(notice.badge.badge_id),
                                        badge_marker(notice.badge.badge_id) + "\n"
                                        + render_badge(notice.badge, notice.credential) + "\n")
    return Posted(number, ("badge",) if badge_added else ())


def gather(forge: Forge, store: LedgerStore, course: Course, editions: Editions,
           settings: Settings, record: dict[str, Any]) -> Notice | None:
    """The notice of one decision record, or None when the record is not one microcred wrote
    or names no module of a released edition (its reasons stay in the ledger)."""
    if not _well_formed(record):
        return None
    learner, cred_id, version = record["learner"], record["credential"], record["credential_version"]
    edition = edition_for(course, editions, cred_id, version)
    if edition is None or record["module"] not in edition.modules:
        return None
    module = edition.modules[record["module"]]
    rubric, credential = edition.rubrics[module.rubric], edition.credentials[cred_id]
    number = int(record["pull_request"])
    coaches = coaches_for(course, learner, credential.programme)
    block, coach = _shown_block(forge.list_reviews(number), record, coaches)
    levels = dict(record.get("levels") or {}) or (normalised(block, rubric) if block else {})
    remaining = _remaining(store, learner, credential, edition.modules)
    badge = _badge(forge, store, settings, learner, credential) if not remaining else None
    programme = course.programmes.get(credential.programme)
    return Notice(
        number=number, learner=learner, credential=credential.title, version=version,
        module=module.title, module_id=module.id, outcome=record["outcome"],
        attempt=int(record.get("attempt") or 1), reasons=tuple(record.get("reasons") or ()),
        criteria=_criteria(rubric, levels, block), summary=block.summary if block else "",
        coach=coach, remaining=remaining if record["outcome"] == COMPLETE else (),
        coaching_after=programme.coaching_after_not_yet if programme else 2, badge=badge,
        badge_pending=record["outcome"] == COMPLETE and not remaining and badge is None)


def _well_formed(record: dict[str, Any]) -> bool:
    """The fields a notice reads, with the types microcred writes them in."""
    text = ("learner", "credential", "credential_version", "module", "outcome")
    return (all(isinstance(record.get(k), str) for k in text)
            and isinstance(record.get("pull_request"), int)
            and isinstance(record.get("levels", {}), dict)
            and isinstance(record.get("reasons", []), list))


def _shown_block(reviews: Sequence[Review], record: dict[str, Any],
                 coaches: list[str]) -> tuple[ReviewBlock | None, str]:
    """The review the decision rests on (its approval), else the latest authorised coach's
    review with a block for this module (a 'not yet'): its block and its author."""
    chosen = [r for r in reviews if r.id == record.get("review")] or [
        r for r in reviews if any(same_login(r.reviewer, c) for c in coaches)
        and not same_login(r.reviewer, record["learner"])]
    for review in reversed(chosen):
        block = parse_review(review.body).block
        if block is not None and block.module == record["module"]:
            return block, review.reviewer
    return None, ""


def _criteria(rubric: Rubric, levels: dict[str, str],
              block: ReviewBlock | None) -> tuple[CriterionResult, ...]:
    if not levels:
        return ()
    out = []
    for c in rubric.criteria:
        given = level_id(rubric, levels.get(c.id, "")) or ""
        reached = bool(given) and rubric.level_rank(given) >= rubric.level_rank(c.required)
        feedback = block.feedback.get(c.id, "") if block else ""
        out.append(CriterionResult(c.name, rubric.level_name(given) if given else "",
                                   rubric.level_name(c.required), reached, feedback))
    return tuple(out)


def _remaining(store: LedgerStore, learner: str, credential: Credential,
               modules: dict[str, Any]) -> tuple[str, ...]:
    """Titles of the credential's modules the learner has not completed at this version."""
    return tuple(modules[m].title if m in modules else m for m in credential.modules
                 if store.read_json(layout.completion_path(learner, credential.id,
                                                           credential.version, m)) is None)


def _badge(forge: Forge, store: LedgerStore, settings: Settings, learner: str,
           credential: Credential) -> BadgeLinks | None:
    path = layout.badge_path(learner, credential.id, credential.version)
    badge = store.read_json(path)
    if badge is None:
        return None
    badge_id = str(badge.get("id", ""))
    uuid = badge_id.removeprefix("urn:uuid:")
    ledger_file = (f"{settings.repo_url}/blob/{settings.ledger_branch}/{path}"
                   if settings.repo_url else f"{path} on the branch {settings.ledger_branch}")
    consent_file = consent_path(learner)
    data = forge.read_file(consent_file, settings.default_branch)
    consent = read_consent(data, consent_file)[0] if data is not None else None
    if consent is None or not consent.public_page:
        return BadgeLinks(badge_id, ledger_file, consent_file=consent_file)
    site = settings.site_url
    image = credential.image if credential.image.endswith((".svg", ".png")) else ""
    return BadgeLinks(
        badge_id, ledger_file, page=site + badge_uri(uuid, ""), json=site + badge_uri(uuid, "badge.json"),
        image=site + badge_uri(uuid, "badge" + image[-4:]) if image else "")
