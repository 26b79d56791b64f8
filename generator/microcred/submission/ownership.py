"""Who may change what: a learner changes only their own submission folder."""

from __future__ import annotations

from microcred.submission.findings import CheckFinding
from microcred.submission.names import lookalike_of, name_problems
from microcred.submission.source import Change

# Paths a learner's pull request must never touch, with what each holds.
PROTECTED = {
    "modules/": "modules", "rubrics/": "rubrics", "content/": "course content and the roster",
    ".github/": "workflows and repository settings", "badges/": "issued badges",
    "generator/": "the microcred tool", ".ci/": "the CI script", "mkdocs.yml": "the site settings",
    "pyproject.toml": "the tool's packaging", ".gitmodules": "submodule settings",
}


def ownership_findings(changes: list[Change], author: str, learners: set[str],
                       designers: set[str]) -> list[CheckFinding]:
    """Findings for every changed path the author may not change."""
    if author in designers:
        return []
    out: list[CheckFinding] = []
    own = f"submissions/{author}/"
    for change in changes:
        out += name_problems(change.raw, change.path) or _path_finding(change.path, own, author,
                                                                       learners)
    return out


def _path_finding(path: str, own: str, author: str, learners: set[str]) -> list[CheckFinding]:
    if path.startswith(own):
        return []
    protected = next((what for prefix, what in PROTECTED.items()
                      if path == prefix.rstrip("/") or path.startswith(prefix)), None)
    if protected:
        return [CheckFinding(path, 0, "protected-path", f"a learner's pull request may not "
                             f"change {protected}", f"change only files under {own}")]
    parts = path.split("/")
    if parts[0] == "submissions" and len(parts) > 2:
        other = parts[1]
        if lookalike_of(other, {author}) or lookalike_of(other, learners):
            return [CheckFinding(path, 0, "lookalike-login", "this folder's login imitates "
                                 "another login", f"use your own folder {own}")]
        return [CheckFinding(path, 0, "other-learner", "this file is in another learner's "
                             "folder", f"change only files under {own}")]
    return [CheckFinding(path, 0, "outside-submissions", "a learner's pull request may only "
                         "add files under submissions/", f"move it under {own}")]
