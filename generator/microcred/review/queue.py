"""Submissions waiting for a coach: the queue `review --next` takes from, and the reminders.

A pull request waits for its learner's coaches while it is open, carries the learner's own
submission, and no authorised coach has reviewed its latest commit. It has waited since it was
opened or since the last coach's review, whichever is later (a learner answering a "not yet"
pushes after that review). Past the programme's service level (`review_within_working_days`,
Monday to Friday) it gets one reminder comment per commit, naming the coaches by login only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from microcred.forge.base import OPEN, Forge, PullRequest
from microcred.markdown import mention
from microcred.model import Course
from microcred.review.decide import same_login
from microcred.roster import coaches_for_credential
from microcred.submission.scope import folders_changed
from microcred.submission.source import Change


@dataclass(frozen=True)
class Waiting:
    pull: PullRequest
    learner: str
    coaches: tuple[str, ...]
    since: str  # ISO 8601, UTC
    days: int  # working days waited so far
    limit: int  # the programme's service level, in working days

    @property
    def overdue(self) -> bool:
        return self.days > self.limit


def working_days(start: date, end: date) -> int:
    """Monday-to-Friday days after `start`, up to and including `end`."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return days


def waiting(forge: Forge, course: Course, now: datetime) -> list[Waiting]:
    """Every pull request waiting for a coach, the longest-waiting first."""
    out = []
    for pull in forge.list_pull_requests(OPEN):
        credential = _own_submission_credential(forge, pull)
        # The coaches of the programme awarding the credential the submission is for.
        coaches = coaches_for_credential(course, pull.author, credential) if credential else []
        if coaches:
            found = _waiting(forge, course, pull, coaches, now)
            if found is not None:
                out.append(found)
    return sorted(out, key=lambda w: (w.since, w.pull.number))


def reminder_marker(w: Waiting) -> str:
    """One reminder per pull request and commit: a re-run, or the next day's run, adds none."""
    return f"<!-- microcred:reminder pr-{w.pull.number} {w.pull.head_sha[:12]} -->"


def render_reminder(w: Waiting) -> str:
    names = ", ".join(mention(c) for c in w.coaches)
    return (f"{reminder_marker(w)}\n⏰ {names}: this submission has waited {w.days} working days "
            f"for a review (the programme's service level is {w.limit}). Review it with "
            f"`microcred review {w.pull.number} --show` (or take the oldest first: "
            "`microcred review --next`).\n")


def _own_submission_credential(forge: Forge, pull: PullRequest) -> str:
    """The credential of the one submission folder of the author's that `pull` changes, or ''."""
    folders, _ = folders_changed([Change("M", p.encode()) for p in forge.changed_files(pull.number)])
    if len(folders) != 1 or not same_login(folders[0].split("/")[1], pull.author):
        return ""
    return folders[0].split("/")[2]


def _waiting(forge: Forge, course: Course, pull: PullRequest, coaches: list[str],
             now: datetime) -> Waiting | None:
    ours = [r for r in forge.list_reviews(pull.number)
            if any(same_login(r.reviewer, c) for c in coaches)]
    if any(r.commit_sha == pull.head_sha for r in ours):
        return None  # the latest commit has a coach's review: the learner's turn, or merged soon
    since = max([pull.created_at, *(r.submitted_at for r in ours)]) or _iso(now)
    start = datetime.fromisoformat(since.replace("Z", "+00:00")).date()
    return Waiting(pull, pull.author, tuple(coaches), since, working_days(start, now.date()),
                   _service_level(course, pull.author))


def _service_level(course: Course, learner: str) -> int:
    for programme in course.programmes.values():
        if any(same_login(learner, x) for x in programme.all_learners()):
            return programme.review_within_working_days
    return 5


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
