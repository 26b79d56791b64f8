"""`microcred doctor`: is the repository set up as docs/administration.md says?

With `--forge github` it reads the settings through GitHub's API (an administrator's token sees
them all; others get checks to make by hand); with `--forge local` it checks the clone and the
signing key, and names what only GitHub can tell. Both report awards left pending on the ledger
branch as this clone has it (fetch it first). Exit 1 when anything needs fixing.
"""

from __future__ import annotations

import os
from pathlib import Path

from microcred import output
from microcred.badge import BadgeError
from microcred.badge.keys import ENV_VAR, load_signing_key
from microcred.content.assessment import assessment_courses
from microcred.content.lint import clean_course
from microcred.content.loader import find_root
from microcred.forge.setup_checks import (
    BY_HAND,
    ENVIRONMENT,
    FIX,
    OK,
    SetupCheck,
    codeowners_checks,
    github_checks,
)
from microcred.ledger import layout
from microcred.ledger.pending import pending_awards
from microcred.ledger.snapshot import read_ledger
from microcred.roster import CODEOWNERS_PATH, codeowners
from microcred.setup import health


def doctor(root: Path | None, forge_kind: str) -> int:
    """Check the set-up; print one line per check and a summary; exit 1 if anything fails."""
    root = find_root(root or Path.cwd())
    wanted = _codeowners_wanted(root)
    checks = _github(root, wanted) if forge_kind == "github" else _local(root, wanted)
    checks += _pending(root)
    for check in checks:
        output.write(check.render())
    counts = {status: sum(c.status == status for c in checks) for status in (OK, FIX, BY_HAND)}
    output.write(f"doctor: {counts[OK]} ok, {counts[FIX]} to fix, {counts[BY_HAND]} to check by hand")
    return 1 if counts[FIX] else 0


def _codeowners_wanted(root: Path) -> str:
    loaded = clean_course(root)
    return codeowners(loaded.course)


def _github(root: Path, wanted: str) -> list[SetupCheck]:
    from microcred.forge import github_settings

    reader = github_settings.reader_from_environment()
    output.info(f"reading the settings of {reader.full_name} through GitHub's API")
    ledger = layout.branch()
    settings = github_settings.read_settings(reader, ledger, ENVIRONMENT)
    return github_checks(settings, wanted, ledger) + _github_networks(root, settings.default_branch)


def _github_networks(root: Path, default_branch: str) -> list[SetupCheck]:
    """The network repositories on GitHub, when the course's registry there lists any."""
    from microcred.forge.github import from_environment
    from microcred.forge.github_admin import admin_from_environment
    from microcred.networks.github_health import network_checks
    from microcred.networks.registry import RegistryStore

    course = from_environment()
    registry = RegistryStore(course, default_branch).load()
    if not registry.networks:
        return []
    output.info(f"reading the settings of {len(registry.networks)} network repositories")
    return network_checks(admin_from_environment(), registry, assessment_courses(root)[0],
                          course.repo_full_name)


def _local(root: Path, wanted: str) -> list[SetupCheck]:
    path = root / CODEOWNERS_PATH
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    checks = codeowners_checks(text, None, wanted, "in this clone")
    checks += [_signing_key(root)]
    checks += _pin(root)
    checks += _networks(root)
    checks.append(SetupCheck(BY_HAND, "needs GitHub", "the workflow token, branch rules, the "
                             f"'{ENVIRONMENT}' environment and Pages are settings on GitHub",
                             "run `microcred doctor --forge github` with an administrator's "
                             "token in MICROCRED_GITHUB_TOKEN and GITHUB_REPOSITORY=owner/name"))
    return checks


def _networks(root: Path) -> list[SetupCheck]:
    """The network repositories, when the course keeps any (docs/networks.md)."""
    import git

    from microcred.forge.local import LocalForge
    from microcred.networks.health import network_checks
    from microcred.networks.registry import RegistryStore

    try:
        registry = RegistryStore(LocalForge(git.Repo(root), "microcred-bot"), "main").load()
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return []
    if not registry.networks:
        return []
    return network_checks(root, registry, assessment_courses(root)[0])


def _pin(root: Path) -> list[SetupCheck]:
    """The pinned microcred and the generated workflows (microcred init writes both)."""
    return [*health.pin_checks(root), *health.workflow_checks(root)]


def _pending(root: Path) -> list[SetupCheck]:
    """Awards the ledger (as this clone has it) shows complete with no badge: stuck until an
    issue run with the key picks them up."""
    branch = layout.branch()
    files = read_ledger(root, branch)
    topic = "pending awards"
    if not files:
        return []  # no ledger in this clone: nothing issued yet, or not fetched
    course, editions = assessment_courses(root)
    pending = pending_awards(files, course, editions)
    fix = ("run `microcred issue --all` where the signing key is (on GitHub: run the issue "
           "workflow by hand); it issues them, or says why it refuses")
    if not pending:
        return [SetupCheck(OK, topic, f"every credential complete on '{branch}' has its badge")]
    return [SetupCheck(FIX, topic, f"{award.describe()}: every module complete on '{branch}', "
                       "no badge", fix) for award in pending]


def _signing_key(root: Path) -> SetupCheck:
    topic = "signing key"
    if not os.environ.get(ENV_VAR, "").strip():
        # Badges are normally signed on GitHub, where `doctor --forge github` checks the secret.
        return SetupCheck(BY_HAND, topic, f"{ENV_VAR} is not set here, so `microcred issue` "
                          "cannot sign badges from this machine", f"set it where badges are "
                          f"issued; on GitHub it is a secret of the '{ENVIRONMENT}' environment, "
                          "never a file in the repository")
    try:
        key = load_signing_key(repo_root=root)
    except BadgeError as exc:
        return SetupCheck(FIX, topic, str(exc), "give the issuer's key")  # names ENV_VAR
    return SetupCheck(OK, topic, f"{ENV_VAR} holds the key of {key.controller}")
