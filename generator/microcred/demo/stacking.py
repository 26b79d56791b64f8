"""Whom the demo's stacked part casts: a credential built from others, and a learner for it."""

from __future__ import annotations

from dataclasses import dataclass

from microcred.content.stacking import stack_order
from microcred.model import Course
from microcred.roster import coaches_for, enrolled


@dataclass(frozen=True)
class StackCast:
    stacked: str  # the credential built from the others
    parts: tuple[str, ...]  # the module credentials the learner earns, in order
    learner: str
    coach: str


def stack_cast(course: Course, skip: str = "") -> StackCast | None:
    """The first stacked credential whose parts are earned by modules alone, with a learner of
    its programme (other than `skip`) who has a coach; None when the course has none."""
    for cid in stack_order(course.credentials):
        credential = course.credentials[cid]
        if credential.requires is None:
            continue
        parts = credential.requires.credentials[:credential.requires.at_least]
        if not all(p in course.credentials and course.credentials[p].requires is None
                   for p in parts):
            continue
        programme = course.programmes.get(credential.programme)
        for learner in programme.all_learners() if programme else ():
            coaches = coaches_for(course, learner, credential.programme)
            if learner != skip and coaches and all(
                    enrolled(course, learner, course.credentials[p].programme) for p in parts):
                return StackCast(cid, parts, learner, coaches[0])
    return None
