"""Who may change what: a learner changes only their own submission folder."""

from __future__ import annotations

from microcred.submission.findings import CheckFinding
from microcred.submission.names import lookalike_of, name_problems, spelled
from microcred.submission.source import Change

# Paths a learner's pull request must never touch, with what each holds.
PROTECTED = {
    "modules/": "modules", "rubrics/": "rubrics", "content/": "course content and the roster",
    ".github/": "workflows and repository settings", "badges/": "issued badges",
    "generator/": "the microcred tool", ".ci/": "the CI script", "mkdocs.yml": "the site settings",
    "pyproject.toml": "the tool's packaging", ".gitmodules": "submodule settings",
}


COACHING = "coaching/"


def ownership_findings(changes: list[Change], author: str, learners: set[str],
                       designers: set[str], coaches: set[str] | None = None) -> list[CheckFinding]:
    """Findings for every changed path the author may not change."""
    if author in designers:
        return []
    out: list[CheckFinding] = []
    own = f"submissions/{author}/"
    for change in changes:
        problems = name_problems(change.raw, change.path)
        if not problems:
            coaching = _coaching_finding(change.path, author, learners, coaches or set())
            problems = _path_finding(change.path, own, author, learners) if coaching is None \
                else coaching
        out += problems
    return out


def _coaching_finding(path: str, author: str, learners: set[str],
                      coaches: set[str]) -> list[CheckFinding] | None:
    """A coach changes only their own log entries, a leader only their own community records;
    None for a path outside coaching/ (the other rules judge it)."""
    if not path.startswith(COACHING):
        return None
    mine = []
    if author in coaches:
        mine.append(f"{COACHING}logs/{author}/")
    if author in learners:
        mine.append(f"{COACHING}communities/{author}/")
    if any(path.startswith(folder) for folder in mine):
        return []
    return [CheckFinding(path, 0, "coaching-record", "a pull request may change only its "
                         "author's own coaching records", f"change only files under "
                         f"{' or '.join(mine) or 'submissions/' + author + '/'}")]


def one_submission_findings(folders: list[str], author: str,
                            designers: set[str]) -> list[CheckFinding]:
    """A learner's pull request carries one module's submission: each is reviewed, merged and
    decided on its own, and a second folder would be refused only after the merge."""
    own = [f for f in folders if f.startswith(f"submissions/{author}/")]
    if author in designers or len(own) < 2:
        return []  # another learner's folders are refused on their own (other-learner)
    return [CheckFinding(own[1], 0, "one-submission-per-pull-request", f"this pull request "
                         f"carries {len(own)} submission folders ({', '.join(own)}); each "
                         "module needs a pull request of its own", "close this pull request "
                         "(GitHub's 'Close pull request', or `microcred pr close NUMBER`) and "
                         "open one per module (`microcred submit MODULE --open`)")]


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
        return [_other_folder(path, parts[1], own, author, learners)]
    if parts[0] == "submissions":
        return [CheckFinding(path, 0, "outside-own-folder", "a learner's pull request may only "
                             "change files in their own folder", f"move it under {own}")]
    return [CheckFinding(path, 0, "outside-submissions", "a learner's pull request may only "
                         "add files under submissions/", f"move it under {own}")]


def _other_folder(path: str, other: str, own: str, author: str,
                  learners: set[str]) -> CheckFinding:
    # One finding per look-alike folder (repeats are dropped), one per file for a real learner.
    if lookalike_of(other, {author}):
        return CheckFinding(f"submissions/{other}/", 0, "lookalike-login", f"'{spelled(other)}' "
                            f"is spelled differently from your login '{author}'",
                            f"move the files to {own}")
    imitated = lookalike_of(other, learners)
    if imitated:
        return CheckFinding(f"submissions/{other}/", 0, "lookalike-login", f"'{spelled(other)}' "
                            f"imitates the login of learner '{imitated}'",
                            f"change only files under {own}")
    return CheckFinding(path, 0, "other-learner", "this file is in another learner's folder",
                        f"change only files under {own}")
