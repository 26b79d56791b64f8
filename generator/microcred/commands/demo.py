"""`microcred demo --out DIR`: the whole cycle, narrated, on a throwaway copy of the course.

scaffold -> check (comment, merge gate) -> review ("not yet") -> a merge the gate holds ->
revise -> review (pass) -> merge -> issue and tell the learner, for every module of one
credential; then verify the badge (and see a tampered copy fail) and build the site. DIR keeps
the repository (`repo/`, with its ledger branch), the issuer's throwaway key (`issuer-key.txt`,
outside the repository), copies of the badge and the built site (`site/`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import git
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from microcred import output
from microcred.badge.keys import did_key_signer, secret_multibase
from microcred.coaching.load import COACHING_DIR
from microcred.commands.build import build
from microcred.commands.issue import issue
from microcred.commands.pr import pr_check, pr_merge
from microcred.commands.review import review
from microcred.commands.submit import submit
from microcred.commands.verify import verify
from microcred.content.history import COURSE_FOLDERS
from microcred.content.lint import lint_course
from microcred.content.loader import find_root
from microcred.demo.evidence import demo_evidence
from microcred.demo.stacking import StackCast, stack_cast
from microcred.errors import ConfigError, UsageError
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.identities import IDENTITIES_ENV
from microcred.ledger.snapshot import read_ledger
from microcred.model import Course, Module
from microcred.review.conversation import readable
from microcred.review.notice import notice_marker
from microcred.roster import coaches_for
from microcred.setup import scaffold

DEMO_SITE = "https://demo.example.org/microcred/"
BOT = "microcred-bot"
_steps = [0]  # the narration's step counter


def demo(out: Path) -> int:
    out = out.resolve()
    _steps[0] = 0
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out}: not empty; give a new or empty folder for the demo")
    repo_dir = out / "repo"
    _step(f"a throwaway copy of the course in {repo_dir}")
    key = _new_key()
    repo = _copy_course(repo_dir, did_key_signer(key).public_multibase)
    course = _course(repo_dir)
    credential, learner, coach = _cast(course)
    output.write(f"  credential {credential}, learner @{learner}, coach @{coach} (all fictional)")
    key_file = out / "issuer-key.txt"
    key_file.write_text(secret_multibase(key) + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    output.write(f"  issuer key: {key_file} (throwaway; real keys live in a protected secret)")
    modules = [course.modules[m] for m in course.credentials[credential].modules]
    for index, module in enumerate(modules):
        number = _submit(repo, repo_dir, credential, module, learner, consent=index == 0)
        _step(f"#{number}: check the pull request, comment on it and set its merge gate, as CI does")
        _must(pr_check(repo_dir, "local", BOT, number, "text", None) == 0,
              "the demo submission did not pass the check")
        if index == 0:
            _step(f"#{number}: @{coach} reviews — 'not yet' on one criterion")
            _review(repo_dir, coach, number, module, course, short=True)
            _step(f"#{number}: @{coach} tries to merge anyway — the merge gate holds it")
            _held(repo_dir, coach, number)
            _step(f"#{number}: @{learner} revises the evidence and pushes")
            _revise(repo, repo_dir, module, learner, credential)
        _step(f"#{number}: @{coach} reviews the latest commit — every criterion at its level")
        _review(repo_dir, coach, number, module, course, short=False)
        _must(pr_check(repo_dir, "local", BOT, number, "text", None) == 0, "the check failed")
        _must(pr_merge(repo_dir, "local", coach, number) == 0, "the merge failed")
        _step(f"#{number}: decide, record it in the ledger (branch {layout.DEFAULT_BRANCH}) and "
              "tell the learner")
        issue(repo_dir, "local", BOT, [number], None, False, False, None, key_file, False)
        if index in (0, len(modules) - 1):
            _show_notice(repo, number)
    cast = stack_cast(course, skip=learner)
    if cast is not None:
        _stacked(out, repo, repo_dir, course, cast, key_file)
    return _finish(out, repo, repo_dir, credential, learner, cast)


def _stacked(out: Path, repo: git.Repo, root: Path, course: Course, cast: StackCast,
             key_file: Path) -> None:
    """A second learner earns each part credential; the stacked one follows on its own."""
    title = course.credentials[cast.stacked].title
    _step(f"stacked credentials: {title} is built from {len(cast.parts)} credentials; "
          f"@{cast.learner} earns each (coach @{cast.coach})")
    identities = out / "identities.yml"  # the private login-to-email file, outside the repo
    identities.write_text(f"{cast.learner}: {cast.learner}@demo.example.org\n", encoding="utf-8")
    output.write(f"  private identities file: {identities} (badges carry only a salted hash)")
    for index, part in enumerate(cast.parts):
        module = course.modules[course.credentials[part].modules[0]]
        number = _submit(repo, root, part, module, cast.learner, consent=index == 0)
        _must(pr_check(root, "local", BOT, number, "text", None) == 0, "the check failed")
        _review(root, cast.coach, number, module, course, short=False)
        _must(pr_merge(root, "local", cast.coach, number) == 0, "the merge failed")
        _step(f"#{number}: issue {course.credentials[part].title}")
        with _environment(IDENTITIES_ENV, str(identities)):
            issue(root, "local", BOT, [number], None, False, False, None, key_file, False)


@contextlib.contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for the issue run only (the way CI passes the file)."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _record(out: Path, cast: StackCast) -> None:
    """The stacked learner's record on the built site: it lists every badge and verifies."""
    folder = out / "site" / "learners" / layout.record_token(cast.learner)
    record = folder / "record.json"
    _must(record.is_file(), f"no learner record was published for @{cast.learner}")
    held = json.loads(record.read_text("utf-8"))["verifiableCredential"]
    _step(f"@{cast.learner}'s learner record ({folder / 'index.html'}): {len(held)} badges")
    for badge in held:
        output.write(f"  - {badge['name']}")
    _must(verify(out / "repo", [record], [out / "site" / layout.STATUS_LIST_URL_PATH], [],
                 "text") == 0, "the learner record did not verify")


def _held(root: Path, coach: str, number: int) -> None:
    try:
        pr_merge(root, "local", coach, number)
    except UsageError as exc:
        output.write(f"  {exc}")
        return
    raise ConfigError("demo stopped: the merge gate let a 'not yet' merge through")


def _show_notice(repo: git.Repo, number: int) -> None:
    """The outcome notice on the pull request, as the learner reads it."""
    notice = next(c.body for c in LocalForge(repo, BOT).list_comments(number)
                  if c.body.startswith(notice_marker(number)))
    output.write(f"  the comment on #{number}:")
    for line in readable(notice).splitlines():
        output.write(f"  │ {line}" if line else "  │")


def _finish(out: Path, repo: git.Repo, repo_dir: Path, credential: str, learner: str,
            cast: StackCast | None = None) -> int:
    ledger = read_ledger(repo_dir)
    badge_path = next((p for p in ledger if layout.parse_badge_path(p) == (
        learner, credential, _version(repo_dir, credential))), None)
    _must(badge_path is not None, "no badge was issued")
    badges = out / "badges"
    badges.mkdir()
    badge_file = badges / f"{learner}-{credential}.json"
    badge_file.write_bytes(ledger[str(badge_path)])
    _step(f"verify the badge ({badge_file})")
    _must(verify(repo_dir, [badge_file], [], [], "text") == 0, "the badge did not verify")
    tampered = badges / f"{learner}-{credential}-tampered.json"
    data = json.loads(badge_file.read_text("utf-8"))
    data["credentialSubject"]["achievement"]["name"] += " (with honours)"
    tampered.write_text(json.dumps(data, indent=2), encoding="utf-8")
    _step(f"a tampered copy ({tampered.name}) must fail")
    _must(verify(repo_dir, [tampered], [], [], "text") == 1, "the tampered badge verified")
    _step(f"build the site into {out / 'site'}")
    _must(build(repo_dir, out / "site", True, True) == 0, "the site did not build")
    if cast is not None:
        _record(out, cast)
    output.write("")
    output.write(f"done: repository {repo_dir} (ledger on branch {layout.DEFAULT_BRANCH}), "
                 f"badge {badge_file}, site {out / 'site'}/index.html")
    return 0


def _copy_course(target: Path, public_key: str) -> git.Repo:
    try:
        source: Path | None = find_root(Path.cwd())
    except ConfigError:
        source = None
    if source is None:
        scaffold.write_skeleton(target, scaffold.Options("Demo course", "self-paced"),
                                dt.date.today())
        programme = next((target / "content" / "programmes").glob("*.yml"))
        text = programme.read_text("utf-8").replace("learners: []", "learners: [demo-learner]")
        programme.write_text(text, encoding="utf-8")
    else:
        target.mkdir(parents=True)
        for folder in COURSE_FOLDERS:
            shutil.copytree(source / folder, target / folder)
        if (source / COACHING_DIR).is_dir():  # the coaching a programme may require is logged
            shutil.copytree(source / COACHING_DIR, target / COACHING_DIR)
        shutil.copy2(source / "mkdocs.yml", target / "mkdocs.yml")
        (target / "submissions").mkdir()
        (target / "submissions" / ".gitkeep").touch()
    _set_site_url(target / "mkdocs.yml")
    _set_issuer_key(target / "mkdocs.yml", public_key)
    repo = git.Repo.init(target, initial_branch="main") if source is not None else git.Repo(target)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Demo Designer")
        config.set_value("user", "email", "designer@demo.example.org")
    repo.git.add("--all")
    repo.git.commit("-q", "-m", "Course for the demo")
    return repo


def _set_site_url(mkdocs: Path) -> None:
    lines = [line for line in mkdocs.read_text("utf-8").splitlines()
             if not line.startswith("site_url:")]
    mkdocs.write_text(f"site_url: {DEMO_SITE}\n" + "\n".join(lines) + "\n", encoding="utf-8")


def _set_issuer_key(mkdocs: Path, public_key: str) -> None:
    """Name the demo's issuer in the plugin's options: the site publishes only its badges."""
    lines = [line for line in mkdocs.read_text("utf-8").splitlines()
             if not line.strip().startswith(("issuer_key:", "issuer_did:"))]
    at = next(i for i, line in enumerate(lines) if line.strip() in ("- microcred", "- microcred:"))
    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())] + "    "
    lines[at] = lines[at].rstrip(":") + ":"
    lines.insert(at + 1, f"{indent}issuer_key: {public_key}")
    mkdocs.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _course(root: Path) -> Course:
    loaded, findings = lint_course(root, releases=False)
    _must(not findings, f"the course has problems: {findings[0].render() if findings else ''}")
    return loaded.course


def _cast(course: Course) -> tuple[str, str, str]:
    """A credential, a learner on the roster and that learner's coach."""
    for programme in course.programmes.values():
        for learner in programme.all_learners():
            coaches = coaches_for(course, learner, programme.id)
            if coaches and programme.credentials:
                return programme.credentials[0], learner, coaches[0]
    raise ConfigError("the course has no learner with a coach on its roster; add one to a "
                      "programme in content/programmes/ and run the demo again")


def _submit(repo: git.Repo, root: Path, credential: str, module: Module, learner: str,
            consent: bool) -> int:
    _step(f"@{learner} starts {module.title}")
    repo.git.checkout("-q", "-b", f"demo/{learner}/{module.id}", "main")
    _must(submit(root, module.id, credential, learner, False) == 0, "submit failed")
    folder = root / "submissions" / learner / credential / module.id
    for req in module.evidence:
        if req.optional:
            (folder / req.file).unlink(missing_ok=True)
            continue
        (folder / req.file).write_bytes(demo_evidence(req))
    manifest = folder / "submission.yml"
    manifest.write_text(manifest.read_text("utf-8").replace("deidentified: false",
                                                            "deidentified: true"), "utf-8")
    if consent:
        (root / "submissions" / learner / "consent.yml").write_text(
            "format: 1\nkind: consent\npublic_page: true\nshow_as: A. Learner (demo)\n", "utf-8")
    repo.git.add("--all")
    repo.git.commit("-q", "-m", f"{learner}: evidence for {module.id}")
    repo.git.checkout("-q", "main")
    pull = LocalForge(repo, learner).open_pull_request(
        f"demo/{learner}/{module.id}", "main", f"{module.title} — {learner}", "Demo submission.")
    output.write(f"  opened pull request #{pull.number}")
    return pull.number


def _review(root: Path, coach: str, number: int, module: Module, course: Course, short: bool) -> None:
    rubric = course.rubrics[module.rubric]
    levels = {c.id: c.required for c in rubric.criteria}
    feedback: dict[str, str] = {}
    if short:
        first = rubric.criteria[0]
        below = [lv.id for lv in rubric.levels
                 if rubric.level_rank(lv.id) < rubric.level_rank(first.required)]
        levels[first.id] = below[-1] if below else first.required
        feedback[first.id] = "Add one more piece of evidence under each heading."
    _must(review(root, "local", coach, number, [f"{k}={v}" for k, v in levels.items()],
                 [f"{k}={v}" for k, v in feedback.items()], "Thank you for this submission.",
                 None, False) == 0, "the review was not submitted")


def _revise(repo: git.Repo, root: Path, module: Module, learner: str, credential: str) -> None:
    repo.git.checkout("-q", f"demo/{learner}/{module.id}")
    folder = root / "submissions" / learner / credential / module.id
    for req in module.evidence:
        if not req.optional:
            (folder / req.file).write_bytes(demo_evidence(req, revision=2))
    repo.git.add("--all")
    repo.git.commit("-q", "--allow-empty", "-m", f"{learner}: more evidence for {module.id}")
    repo.git.checkout("-q", "main")


def _version(root: Path, credential: str) -> str:
    return _course(root).credentials[credential].version


def _new_key() -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    output.write(f"  issuer: {did_key_signer(key).controller}")
    return key


def _step(text: str) -> None:
    _steps[0] += 1
    output.write(f"\n[{_steps[0]}] {text}")


def _must(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(f"demo stopped: {message}")
