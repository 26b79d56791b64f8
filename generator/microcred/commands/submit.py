"""`microcred submit MODULE`: scaffold a submission folder from the module's requirements."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import git
import yaml

from microcred import output
from microcred.commands.lint import lint_course
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.forge.select import open_forge
from microcred.model import Course, Credential, EvidenceRequirement, Module
from microcred.roster import not_enrolled
from microcred.site.pages import manifest_template, submission_folder
from microcred.submission.manifest import MANIFEST, read_manifest

LOGIN_ENV = "MICROCRED_LOGIN"


def submit(root: Path | None, module_id: str, credential_id: str | None, login: str | None,
           new_attempt: bool, open_pr: bool = False, forge_kind: str = "local",
           base: str = "main") -> int:
    """Create submissions/<login>/<credential>/<module>/ with a manifest and evidence templates."""
    root = find_root(root or Path.cwd())
    loaded, findings = lint_course(root)
    if findings:
        raise ConfigError(f"the course has problems; run `microcred lint` ({findings[0].render()})")
    course = loaded.course
    module = _module(course, module_id)
    credential = _credential(course, module, credential_id)
    login = _login(root, login)
    why = not_enrolled(course, login, credential.id)
    if why:
        raise UsageError(f"{why}; submit for a credential of your own programme, or ask a "
                         f"designer to add you to content/programmes/{credential.programme}.yml")
    folder = root / submission_folder(credential.id, module.id, login)
    if new_attempt:
        return _next_attempt(folder)
    if open_pr and folder.exists():
        return _open(root, folder, login, credential, module, forge_kind, base)
    if folder.exists():
        raise UsageError(f"{folder.relative_to(root)}: already exists (use --new-attempt after a "
                         "'not yet' decision, or edit the files there)")
    _write_folder(folder, _files(course, credential, module, login))
    output.info(f"created {folder.relative_to(root)}/ for {credential.title} v{credential.version}")
    for name in sorted(_files(course, credential, module, login)):
        output.write(f"  {name}")
    if open_pr:
        return _open(root, folder, login, credential, module, forge_kind, base)
    output.info("next: fill in the evidence, set privacy.deidentified: true, run `microcred check "
                f"{folder.relative_to(root)}`, then `microcred submit {module.id} --open`")
    return 0


def _open(root: Path, folder: Path, login: str, credential: Credential, module: Module,
          forge_kind: str, base: str) -> int:
    """Commit the folder on a new branch and open a pull request for it."""
    repo = git.Repo(root)
    attempt = _attempt(folder)
    branch = f"submit/{login}/{module.id}-{attempt}"
    rel = folder.relative_to(root).as_posix()
    repo.git.checkout("-B", branch)
    repo.git.add("--", rel)
    repo.git.commit("-q", "-m", f"Submit {module.title} (attempt {attempt})", "--", rel)
    if forge_kind == "github":
        repo.git.push("--set-upstream", "origin", branch)
    forge = open_forge(forge_kind, root, login)
    title = f"{credential.title}: {module.title} — {login}, attempt {attempt}"
    pull = forge.open_pull_request(branch, base, title, "Evidence submitted with microcred.")
    output.write(f"opened pull request #{pull.number} from {branch}")
    return 0


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


def _login(root: Path, login: str | None) -> str:
    login = login or os.environ.get(LOGIN_ENV) or _git_github_user(root)
    if not login:
        raise UsageError(f"who are you? pass --login YOUR-GITHUB-LOGIN (or set {LOGIN_ENV}, or "
                         "`git config github.user YOUR-LOGIN`)")
    return login


def _git_github_user(root: Path) -> str:
    try:
        return str(git.Repo(root).config_reader().get_value("github", "user", ""))
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return ""


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


def _next_attempt(folder: Path) -> int:
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise UsageError(f"{manifest_path}: no submission to resubmit (run without --new-attempt)")
    manifest, problems = read_manifest(manifest_path.read_bytes(), str(manifest_path))
    if manifest is None:
        raise UsageError(problems[0].render())
    data = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    data["attempt"] = manifest.attempt + 1
    data["privacy"]["deidentified"] = False
    tmp = manifest_path.with_suffix(".yml.tmp")
    tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    tmp.replace(manifest_path)
    output.info(f"{manifest_path}: attempt {data['attempt']}; earlier attempts stay in the git "
                "history. Revise the evidence, confirm privacy.deidentified again, and push.")
    return 0
