"""`microcred remind`: a reminder comment on each submission waiting past the service level."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from microcred import output
from microcred.content.assessment import assessment_courses
from microcred.content.loader import find_root
from microcred.forge.select import open_forge
from microcred.review.queue import reminder_marker, render_reminder, waiting


def remind(root: Path | None, forge_kind: str, actor: str | None, dry_run: bool) -> int:
    root = find_root(root or Path.cwd())
    forge = open_forge(forge_kind, root, actor or "microcred-bot")
    course, _ = assessment_courses(root)
    queue = waiting(forge, course, datetime.now(UTC))
    late = [w for w in queue if w.overdue]
    for w in late:
        who = ", ".join(f"@{c}" for c in w.coaches)
        if dry_run:
            output.write(f"#{w.pull.number}: {w.days} working days waiting for {who} (service "
                         f"level {w.limit}); would remind")
            continue
        _, added = forge.comment_once(w.pull.number, reminder_marker(w), render_reminder(w))
        output.write(f"#{w.pull.number}: {w.days} working days waiting for {who} (service level "
                     f"{w.limit}): " + ("reminded" if added else "already reminded for this commit"))
    output.info(f"{len(queue)} pull request(s) waiting for a coach, {len(late)} past the service level")
    return 0
