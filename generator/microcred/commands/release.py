"""`microcred release CREDENTIAL`: bump the version, write the changelog, tag the release."""

from __future__ import annotations

from pathlib import Path

from microcred import output
from microcred.content import releasing
from microcred.content.history import open_repo, semver
from microcred.content.lint import lint_course
from microcred.content.loader import find_root
from microcred.errors import ConfigError, UsageError
from microcred.model import Credential


def release(root: Path | None, credential_id: str, part: str | None, notes: str | None,
            tag_version: str | None = None) -> int:
    """Release a credential: lint, refuse a dirty tree, changelog, version, commit, annotated tag.
    Re-running after an interruption finishes the same release."""
    root = find_root(root or Path.cwd())
    repo = open_repo(root)
    if repo is None:
        raise ConfigError(f"{root}: releases are git tags; make the course a git repository first")
    credential = _credential(root, credential_id, part)
    if tag_version is not None:
        releasing.refuse_dirty(repo)
        return _tag_in_use(root, credential, tag_version)
    plan = releasing.plan(repo, root, credential, part)
    releasing.refuse_dirty(repo, plan, credential.source)
    if plan.skipped:
        output.warn(f"{credential.id} {plan.skipped} was never released and is skipped; a "
                    "learner who started on it in an open pull request will be asked to move "
                    f"to {plan.version}")
    if plan.finishing:
        output.info(f"{credential.id} {plan.version} is in the changelog but not tagged: tagging it")
    tag = releasing.make(repo, root, credential, plan, notes or f"Release {plan.version}.")
    output.write(f"released {credential.id} {plan.version} (tag {tag})")
    output.info(f"publish it: git push origin HEAD {tag}")
    return 0


def _tag_in_use(root: Path, credential: Credential, version: str) -> int:
    try:
        semver(version)
    except ValueError as exc:
        raise UsageError(f"--tag-version {version}: not a version such as 1.0.0") from exc
    repo = open_repo(root)
    assert repo is not None
    tag, commit = releasing.tag_earlier(repo, credential, version)
    output.write(f"released {credential.id} {version} (tag {tag} on {commit[:12]})")
    output.info(f"publish it: git push origin {tag}")
    return 0


def _credential(root: Path, credential_id: str, part: str | None) -> Credential:
    # A new version is exactly what a changed released rubric asks for.
    loaded, findings = lint_course(root, releases=part is None)
    if findings:
        raise ConfigError(f"the course has {len(findings)} problem(s); fix them before a release "
                          f"(first: {findings[0].render()})")
    if credential_id not in loaded.course.credentials:
        known = ", ".join(sorted(loaded.course.credentials))
        raise UsageError(f"no credential '{credential_id}' (credentials: {known})")
    return loaded.course.credentials[credential_id]
