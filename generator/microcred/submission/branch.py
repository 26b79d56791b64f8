"""A submission's own branch: made from the default branch, never reset, continued when on it.

`submit --open` puts one submission folder on `submit/<login>/<module>-<attempt>`. The branch
starts at the base branch (not wherever the learner happens to be), so two modules never share
a pull request, and an existing branch is never moved back: the learner's committed work stays
on it. Every step can run again after an interruption and picks up where it stopped.
"""

from __future__ import annotations

from pathlib import Path

import git

from microcred.errors import UsageError
from microcred.forge.base import OPEN, Forge, PullRequest


def branch_name(login: str, module_id: str, attempt: int) -> str:
    """The branch a submission's pull request comes from."""
    return f"submit/{login}/{module_id}-{attempt}"


def current_branch(repo: git.Repo) -> str | None:
    """The checked-out branch, or None on a detached head."""
    return None if repo.head.is_detached else repo.active_branch.name


def branches_of(repo: git.Repo, login: str, module_id: str) -> list[str]:
    """The local submission branches of `login` for `module_id`, every attempt."""
    prefix = f"submit/{login}/{module_id}-"
    return sorted(h.name for h in repo.heads
                  if h.name.startswith(prefix) and h.name[len(prefix):].isdigit())


def start_branch(repo: git.Repo, name: str, base: str, rel: str) -> str:
    """Create `name` at `base`, switch to it and carry the folder `rel` over as it is now.

    Returns the ref the branch started from. Other uncommitted changes go along as `git switch`
    carries them; when they would be overwritten, nothing happens and the learner is told.
    """
    start = base_ref(repo, base)
    folder = Path(str(repo.working_dir)) / rel
    kept = _read_folder(folder)
    try:
        repo.git.switch("--no-track", "-c", name, start)
    except git.GitCommandError as exc:
        raise UsageError(f"cannot start branch {name} from {start}: {_first_line(exc)}; commit "
                         "or stash your other changes, then run this again") from None
    _write_folder(folder, kept)
    return start


def base_ref(repo: git.Repo, base: str) -> str:
    """The base branch as this clone has it: the local branch, else the remote one."""
    for ref in (base, f"origin/{base}"):
        try:
            repo.rev_parse(ref + "^{commit}")
            return ref
        except (git.BadName, ValueError):
            continue
    raise UsageError(f"no branch '{base}' in {repo.working_dir} (pass --base with the "
                     "repository's default branch)")


def known_ref(repo: git.Repo, name: str) -> str | None:
    """`name` as this clone has it (local branch, else remote), or None when it has neither."""
    try:
        return base_ref(repo, name)
    except UsageError:
        return None


def exists_at(repo: git.Repo, ref: str, path: str) -> bool:
    """Whether `path` is a file at `ref`."""
    try:
        repo.git.cat_file("-e", f"{ref}:{path}")
    except git.GitCommandError:
        return False
    return True


def commit_folder(repo: git.Repo, rel: str, message: str) -> bool:
    """Commit the folder's changes on the current branch; False when there was nothing new."""
    repo.git.add("--all", "--", rel)
    if not repo.git.diff("--cached", "--name-only", "--", rel):
        return False
    try:
        repo.git.commit("-q", "-m", message, "--", rel)
    except git.GitCommandError as exc:
        raise UsageError(f"git could not commit {rel}: {_first_line(exc)} (tell git who you are: "
                         "`git config user.name \"Your Name\"` and `git config user.email "
                         "you@example.org`; then run this again)") from None
    return True


def push(repo: git.Repo, branch: str) -> None:
    """Push `branch` to origin; a refusal says what to do instead of a traceback."""
    try:
        repo.git.push("--set-upstream", "origin", branch)
    except git.GitCommandError as exc:
        raise UsageError(f"git could not push {branch} to origin: {_first_line(exc)} (without "
                         "write access to the course repository, fork it on GitHub and push to "
                         "your fork; then run this again)") from None


def _read_folder(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Make the folder hold exactly `files` (a switch may have removed or changed some)."""
    for path in sorted(folder.rglob("*"), reverse=True) if folder.is_dir() else []:
        if path.is_file() and path.relative_to(folder).as_posix() not in files:
            path.unlink()
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)


def _first_line(exc: git.GitCommandError) -> str:
    lines = [line.strip() for line in str(exc.stderr).splitlines() if line.strip()]
    text = next((line for line in lines if line.startswith(("error:", "fatal:"))), "")
    return text.split(":", 1)[1].strip().strip("'") if text else "git refused"


def open_pull_from(forge: Forge, branch: str) -> PullRequest | None:
    """The open pull request from `branch`, if any."""
    return next((p for p in forge.list_pull_requests(OPEN) if p.head == branch), None)


def refuse_if_started(repo: git.Repo, forge: Forge, login: str, module_id: str,
                      base: str) -> None:
    """Refuse to make fresh templates while earlier work on this module sits on a branch."""
    prefix = branch_name(login, module_id, 0)[:-1]
    for pull in forge.list_pull_requests(OPEN):
        if pull.head.startswith(prefix):
            _refuse_elsewhere(module_id, f"pull request #{pull.number}", pull.head)
    for branch in branches_of(repo, login, module_id):
        if has_own_commits(repo, branch, base):
            _refuse_elsewhere(module_id, f"branch {branch}", branch)


def _refuse_elsewhere(module_id: str, held: str, branch: str) -> None:
    raise UsageError(f"your {module_id} submission is on {held}, not here; switch to it with "
                     f"`git switch {branch}` and run this again (nothing was changed)")


def refuse_if_taken(repo: git.Repo, branch: str, pull: PullRequest | None, base: str) -> None:
    """Refuse to start `branch` again when it already holds work (an open pull request, commits)."""
    if pull is not None:
        raise UsageError(f"pull request #{pull.number} is already open from {branch}; switch to "
                         f"it with `git switch {branch}`, edit there and run this again (nothing "
                         "was changed)")
    if branch in (h.name for h in repo.heads):
        if has_own_commits(repo, branch, base):
            raise UsageError(f"branch {branch} already holds commits of this submission; switch "
                             f"to it with `git switch {branch}` and run this again, or delete it "
                             f"with `git branch -D {branch}` to start over (nothing was changed)")
        repo.git.branch("-D", branch)  # made by an interrupted run, before any commit: restart


def has_own_commits(repo: git.Repo, branch: str, base: str) -> bool:
    """Whether `branch` has commits its base does not."""
    return int(repo.git.rev_list("--count", f"{base_ref(repo, base)}..{branch}")) > 0
