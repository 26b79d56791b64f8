"""`microcred status`: where a learner stands on each module of their credentials, and what next."""

from __future__ import annotations

import os
from pathlib import Path

from microcred import output
from microcred.content.assessment import assessment_courses
from microcred.content.loader import find_root
from microcred.errors import UsageError
from microcred.forge.select import ACTOR_ENV, open_forge
from microcred.ledger import layout
from microcred.ledger.store import LedgerStore
from microcred.review.progress import COMPLETE, gather


def status(root: Path | None, forge_kind: str, actor: str | None, learner: str | None,
           fmt: str) -> int:
    root = find_root(root or Path.cwd())
    who = learner or actor or os.environ.get(ACTOR_ENV, "")
    if not who:
        raise UsageError(f"whose status? give --learner LOGIN (or --as LOGIN, or set {ACTOR_ENV})")
    forge = open_forge(forge_kind, root, actor or who)
    course, _ = assessment_courses(root)
    rows = gather(forge, LedgerStore(forge, layout.branch(), "main"), course, who)
    if not rows:
        raise UsageError(f"{who} is not a learner in any programme of this course "
                         "(content/programmes/*.yml)")
    if fmt == "json":
        output.write_json([row.__dict__ for row in rows])
        return 0
    width = max(len(row.title) for row in rows)
    credential = ""
    for row in rows:
        if row.credential != credential:
            credential = row.credential
            output.write(f"{who} · {course.credentials[credential].title}")
        output.write(f"  {row.title:<{width}}  {row.state:<11}  {row.detail}")
    upcoming = next((row for row in rows if row.state != COMPLETE), None)
    output.write(f"next: {upcoming.title}: {upcoming.next}" if upcoming else
                 "next: nothing — every module is complete")
    return 0
