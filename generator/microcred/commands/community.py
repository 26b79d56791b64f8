"""`microcred community`: a leader records a meeting of the improvement community they run.

    record   the cycle's record on the base branch (coaching/communities/<leader>/<cycle>.yml),
             or a new one
    meeting  added in date order, checked as lint checks the file (schema, roster, cohort dates,
             privacy): nothing written unless it passes
    propose  a branch and pull request with the record, for the leader's coach to see
"""

from __future__ import annotations

from pathlib import Path

import git

from microcred import output
from microcred.coaching.community import (
    Meeting,
    Opening,
    checked,
    existing,
    record_path,
    with_meeting,
)
from microcred.coaching.load import load_records
from microcred.coaching.propose import Proposal, propose
from microcred.content.lint import clean_course
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.login import who_am_i
from microcred.model import Course, Programme
from microcred.submission.branch import base_ref, exists_at


def community(root: Path | None, forge_kind: str, actor: str | None, cohort: str, cycle: str,
              opening: Opening, meeting: Meeting, base: str) -> int:
    """Add one meeting to a leader's improvement-community record and propose it."""
    root = find_root(root or Path.cwd())
    loaded = clean_course(root, releases=False)
    leader = who_am_i(root, actor)
    programme = _programme(loaded.course, cohort, leader)
    path = record_path(leader, cycle)
    repo = git.Repo(root)
    start = base_ref(repo, base)
    text = repo.git.show(f"{start}:{path}") + "\n" if exists_at(repo, start, path) else None
    data = with_meeting(existing(text, path), programme.id, cohort, leader, opening, meeting)
    change = checked(loaded, load_records(root), path, data, text)
    branch = f"community/{leader}/{cycle}-{meeting.date}-{meeting.kind}"
    what = "started" if change.created else "updated"
    number = propose(root, forge_kind, leader, base, Proposal(
        path, change.text, branch,
        f"Improvement community: {meeting.kind} meeting {meeting.date} ({leader}, {cycle})",
        f"Improvement community {cycle}: {meeting.kind} meeting on {meeting.date}",
        f"Recorded with `microcred community` ({what} {path})."))
    output.write(f"{what} {path} on branch {branch}: pull request #{number}")
    return 0


def _programme(course: Course, cohort: str, leader: str) -> Programme:
    """The programme whose cohort `cohort` has `leader` as a learner."""
    for programme in course.programmes.values():
        for c in programme.cohorts:
            if c.id == cohort and any(leader in n.learners for n in c.networks):
                return programme
    raise UsageError(f"{leader} is a learner of no cohort '{cohort}' (check --cohort and --as "
                     "against content/programmes/)")
