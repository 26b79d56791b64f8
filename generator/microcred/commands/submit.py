"""`microcred submit MODULE`: scaffold a submission folder from the module's requirements."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import git
import yaml

from microcred import output
from microcred.content.lint import clean_course
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.forge.base import Forge, PullRequest
from microcred.forge.select import open_forge
from microcred.ledger.layout import branch as ledger_branch
from microcred.ledger.layout import completion_path
from microcred.login import who_am_i
from microcred.model import Course, Credential, EvidenceRequirement, Module
from microcred.roster import not_enrolled, programme_of
from microcred.site.pages import manifest_template, submission_folder
from microcred.submission.branch import (
    base_ref,
    branch_name,
    commit_folder,
    current_branch,
    exists_at,
    known_ref,
    open_pull_from,
    push,
    refuse_if_started,
    refuse_if_taken,
    start_branch,
)
from microcred.submission.manifest import MANIFEST, read_manifest
from microcred.submission.names import login_problem, lookalike_of
from microcred.submission.report import to_text
from microcred.submission.run import check_paths, student_names


def submit(root: Path | None, module_id: str, credential_id: str | None, login: str | None,
           new_attempt: bool, open_pr: bool = False, forge_kind: str = "local",
           base: str = "main", anyway: bool = False) -> int:
    """Create submissions/<login>/<credential>/<module>/ with a manifest and evidence templates."""
    root = find_root(root or Path.cwd())
    loaded = clean_course(root)
    course = loaded.course
    module = _module(course, module_id)
    credential = _credential(course, module, credential_id)
    login = _enrolled(course, credential, who_am_i(root, login))
    folder = root / submission_folder(credential.id, module.id, login)
    if new_attempt:
        _refuse_new_attempt(root, folder, login, credential, module, base)
        return _next_attempt(root, folder, f"microcred submit {module.id} --login {login} --open")
    if open_pr:
        return _open(root, folder, login, (course, credential, module), forge_kind, base, anyway)
    if folder.exists():
        raise UsageError(f"{folder.relative_to(root)}: already exists (use --new-attempt after a "
                         "'not yet' decision, or edit the files there)")
    _scaffold(root, folder, course, credential, module, login)
    output.info("next: fill in the evidence, set privacy.deidentified: true, run `microcred check "
                f"{folder.relative_to(root)}`, then `microcred submit {module.id} --login {login} "
                "--open`")
    return 0


def _scaffold(root: Path, folder: Path, course: Course, credential: Credential, module: Module,
              login: str) -> None:
    files = _files(course, credential, module, login)
    _write_folder(folder, files)
    output.info(f"created {folder.relative_to(root)}/ for {credential.title} v{credential.version}")
    for name in sorted(files):
        output.write(f"  {name}")


def _open(root: Path, folder: Path, login: str, what: tuple[Course, Credential, Module],
          forge_kind: str, base: str, anyway: bool) -> int:
    """Commit the folder on its own branch, made from `base`, and open its pull request.

    Run again, it continues: on the branch it commits what changed and updates the open pull
    request; elsewhere it refuses rather than touch a branch that holds the learner's work.
    """
    course, credential, module = what
    repo, forge = _repo(root), open_forge(forge_kind, root, login)
    if forge_kind == "local" and base not in (h.name for h in repo.heads):
        raise UsageError(f"no branch '{base}' here for the pull request to go into (`git switch "
                         f"{base}` makes it from origin/{base}; or pass --base BRANCH)")
    rel = folder.relative_to(root).as_posix()
    if not folder.exists():
        refuse_if_started(repo, forge, login, module.id, base)
        _scaffold(root, folder, course, credential, module, login)
    attempt = _attempt(folder)
    branch = branch_name(login, module.id, attempt)
    pull = open_pull_from(forge, branch)
    if pull is None and not anyway and not _passes(root, folder, module, login):
        return 1
    _onto_branch(repo, branch, pull, base, rel)
    committed = commit_folder(repo, rel, f"Submit {module.title} (attempt {attempt})")
    if forge_kind == "github":
        push(repo, branch)
    title = f"{credential.title}: {module.title} — {login}, attempt {attempt}"
    number = _open_or_update(forge, pull, branch, base, title, committed)
    if pull is not None and committed:
        _say_how_it_checks(root, folder)
    output.info(f"you are on branch {branch}: edit {rel}/ and run this command again to update "
                f"#{number}; `git switch {base}` before starting another module")
    return 0


def _onto_branch(repo: git.Repo, branch: str, pull: PullRequest | None, base: str,
                 rel: str) -> None:
    """Be on the submission's branch: already there, or start it from `base`."""
    if current_branch(repo) == branch:
        return
    refuse_if_taken(repo, branch, pull, base)
    start = start_branch(repo, branch, base, rel)
    output.info(f"started branch {branch} from {start}")


def _open_or_update(forge: Forge, pull: PullRequest | None, branch: str, base: str, title: str,
                    committed: bool) -> int:
    """Open the pull request, or say what the new commit did to the open one; its number."""
    if pull is None:
        pull = forge.open_pull_request(branch, base, title, "Evidence submitted with microcred.")
        output.write(f"opened pull request #{pull.number} from {branch}")
    elif committed:
        output.write(f"updated pull request #{pull.number} from {branch}")
    else:
        output.write(f"pull request #{pull.number} from {branch} already has these files; "
                     "nothing new to commit")
    return pull.number


def _passes(root: Path, folder: Path, module: Module, login: str) -> bool:
    """Check the folder before opening; say what fails and how to go on."""
    result = check_paths(root, [folder], student_names(None))
    if result.passed:
        return True
    output.write(to_text(result))
    output.info(f"not opened: the check found problems. Fix them and run this again; or add "
                f"--anyway to open it as it is (`microcred submit {module.id} --login {login} "
                "--open --anyway`): your coach is asked to review only once the check passes")
    return False


def _say_how_it_checks(root: Path, folder: Path) -> None:
    """After an update, what the pull request's check will find (it runs again on the push)."""
    for line in to_text(check_paths(root, [folder], student_names(None))).splitlines():
        output.info(line)


def _repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ConfigError(f"{root}: not a git repository (--open commits on a branch)") from exc


def _attempt(folder: Path) -> int:
    manifest, _ = read_manifest((folder / MANIFEST).read_bytes(), str(folder / MANIFEST))
    return manifest.attempt if manifest else 1


def _module(course: Course, module_id: str) -> Module:
    if module_id not in course.modules:
        known = ", ".join(sorted(course.modules))
        raise UsageError(f"no module '{module_id}' (modules: {known})")
    return course.modules[module_id]


def _credential(course: Course, module: Module, credential_id: str | None) -> Credential:
    options = course.credentials_of_module(module.id)
    if credential_id:
        match = [c for c in options if c.id == credential_id]
        if not match:
            raise UsageError(f"credential '{credential_id}' does not include module '{module.id}'"
                             f" (it is part of: {', '.join(c.id for c in options) or 'none'})")
        return match[0]
    if len(options) != 1:
        raise UsageError(f"module '{module.id}' is part of {len(options)} credentials; choose one "
                         f"with --credential ({', '.join(c.id for c in options)})")
    return options[0]


def _enrolled(course: Course, credential: Credential, login: str) -> str:
    """The login as the roster spells it; refuse a login of the wrong shape or not enrolled in
    the programme that awards the credential."""
    problem = login_problem(login)
    if problem:
        raise UsageError(f"{problem}; pass your GitHub login as your profile shows it, e.g. "
                         "--login amaya-ortiz")
    programme = programme_of(course, credential.id)
    learners = set(programme.all_learners()) if programme else set()
    same = next((x for x in sorted(learners) if x.casefold() == login.casefold()), login)
    why = not_enrolled(course, same, credential.id)
    if why:
        near = lookalike_of(login, learners)
        raise UsageError(why + (f" (did you mean '{near}'?)" if near else "; check the spelling, "
                         "submit for a credential of your own programme, or ask a designer to add "
                         f"you to content/programmes/{credential.programme}.yml"))
    return same


def _files(course: Course, cred: Credential, module: Module, login: str) -> dict[str, bytes]:
    files = {MANIFEST: manifest_template(cred, module, login).encode("utf-8")}
    for req in module.evidence:
        if req.kind != "file":
            files[req.file] = _template(module, req)
    return files


def _template(module: Module, req: EvidenceRequirement) -> bytes:
    if req.template and (module.folder / req.template).is_file():
        return (module.folder / req.template).read_bytes()
    if req.kind == "text":
        return "".join(f"## {h}\n\n\n" for h in req.headings).encode("utf-8") or b"\n"
    if req.kind == "csv":
        return (",".join(c.name for c in req.columns) + "\n").encode("utf-8")
    return f"# Paste the link to your video ({', '.join(req.hosts)}) on the next line\n".encode()


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Write every file or none: build the folder beside its target, then rename it into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".microcred-", dir=folder.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        staging.rename(folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _refuse_new_attempt(root: Path, folder: Path, login: str, credential: Credential,
                        module: Module, base: str) -> None:
    """A new attempt follows a merged submission that was not awarded: refuse it otherwise."""
    rel = folder.relative_to(root).as_posix()
    repo = _repo(root)
    if not exists_at(repo, base_ref(repo, base), f"{rel}/{MANIFEST}"):
        raise UsageError(f"{rel}: not submitted yet (it is not on {base}), so there is no attempt "
                         "to follow; after a 'not yet' on an open pull request, revise the files "
                         "in that same pull request")
    manifest_path = folder / MANIFEST
    manifest = read_manifest(manifest_path.read_bytes(), rel)[0] if manifest_path.is_file() \
        else None
    version = manifest.credential_version if manifest else credential.version
    done = completion_path(login, credential.id, version, module.id)
    ledger = known_ref(repo, ledger_branch())
    if ledger and exists_at(repo, ledger, done):
        raise UsageError(f"{module.id} is already complete for {login} ({credential.id} "
                         f"v{version}, recorded in {done} on {ledger}); nothing to resubmit")


def _next_attempt(root: Path, folder: Path, open_command: str) -> int:
    manifest_path = folder / MANIFEST
    shown = manifest_path.relative_to(root)
    if not manifest_path.is_file():
        raise UsageError(f"{shown}: no submission to resubmit (run without --new-attempt)")
    manifest, problems = read_manifest(manifest_path.read_bytes(), str(shown))
    if manifest is None:
        raise UsageError(problems[0].render())
    data = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    data["attempt"] = manifest.attempt + 1
    data["privacy"]["deidentified"] = False
    tmp = manifest_path.with_suffix(".yml.tmp")
    tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    tmp.replace(manifest_path)
    output.info(f"{shown}: attempt {data['attempt']}; earlier attempts stay in the git history. "
                "Revise the evidence, set privacy.deidentified: true again once you have checked "
                f"it, then `{open_command}` opens the new attempt's pull request")
    return 0
