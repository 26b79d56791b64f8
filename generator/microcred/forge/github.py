"""The forge on GitHub or GitHub Enterprise Server, through PyGithub.

The token comes from the environment only and never reaches an error message or a log line:
PyGithub masks it in its debug log, and every PyGithub error is rewrapped as `ForgeError` carrying
only the HTTP status and GitHub's own message (`from None`, so no traceback shows the original).
Rate-limited requests are retried after the wait GitHub asks for (Retry-After, or the reset time),
within `Pacing`'s bounds; a file update refused for a stale blob becomes `Conflict`.
"""

from __future__ import annotations

import base64
import copy
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import github
import requests
from github.ContentFile import ContentFile
from github.GithubException import GithubException, RateLimitExceededExceedsMaxWait
from github.NamedUser import NamedUser
from github.Organization import Organization
from github.PullRequest import PullRequest as GitHubPull

from microcred.errors import ConfigError
from microcred.forge.base import (
    APPROVED,
    BOT_MARKER,
    CHANGES_REQUESTED,
    CLOSED,
    COMMENTED,
    MERGED,
    OPEN,
    STATUS_STATES,
    Comment,
    CommitStatus,
    Conflict,
    ForgeError,
    PullRequest,
    Review,
    status_description,
)

TOKEN_VARIABLES = ("MICROCRED_GITHUB_TOKEN", "GITHUB_TOKEN")
DEFAULT_API = "https://api.github.com"
# The account GitHub Actions' GITHUB_TOKEN comments as; MICROCRED_BOT_LOGIN overrides it
# (for a GitHub App or a machine user).
DEFAULT_BOT = "github-actions[bot]"
PER_PAGE = 100  # GitHub's largest page
COMMIT_ATTEMPTS = 5
EVENTS = {APPROVED: "APPROVE", CHANGES_REQUESTED: "REQUEST_CHANGES", COMMENTED: "COMMENT"}
# GitHub's list filter for each of our states; merged pull requests are closed ones on GitHub.
LIST_STATES = {OPEN: "open", CLOSED: "closed", MERGED: "closed"}
REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Pacing:
    """How hard to lean on GitHub. The defaults are PyGithub's, which follow GitHub's advice."""

    seconds_between_requests: float | None = 0.25
    seconds_between_writes: float | None = 1.0
    rate_limit_retries: int = 3
    max_wait: float = 120.0  # the longest we wait for a rate limit to lift before giving up
    secondary_wait: float = 60.0  # GitHub's advice when a secondary limit names no wait
    backoff_factor: float = 1.0
    timeout: int = 15

    def retry(self) -> github.GithubRetry:
        """Retry only what GitHub turned away for rate limits, after the wait it asks for."""
        return github.GithubRetry(
            total=self.rate_limit_retries,
            # GithubRetry adds 403 and retries it only when GitHub says it is a rate limit.
            status_forcelist=[429],
            # A rate-limited request was not carried out, so any method may be sent again ...
            allowed_methods=frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}),
            # ... but one that may have reached GitHub is never sent twice (no duplicate comments).
            read=0,
            backoff_factor=self.backoff_factor,
            retry_after_max=int(self.max_wait),
            max_rate_limit_wait=self.max_wait,
            secondary_rate_wait=self.secondary_wait,
            # Hand the last refusal to PyGithub, which raises it with GitHub's message.
            raise_on_status=False)


class GitHubForge:
    """Pull requests of one GitHub repository, acting as the owner of `token`."""

    def __init__(self, repo_full_name: str, token: str, base_url: str = DEFAULT_API, *,
                 pacing: Pacing = Pacing(), bot_login: str = DEFAULT_BOT) -> None:
        if not REPOSITORY.fullmatch(repo_full_name):
            raise ConfigError(f"GitHub repository {repo_full_name!r}: expected owner/name")
        if not re.match(r"https?://[^/\s]+", base_url):
            raise ConfigError(f"GitHub API URL {base_url!r}: expected http(s)://host[/api/v3]")
        if not token:
            raise ConfigError("GitHub token: empty (set MICROCRED_GITHUB_TOKEN or GITHUB_TOKEN)")
        self.repo_full_name = repo_full_name
        # Whose comment is the check comment: the account the token acts as.
        self.bot_login = bot_login
        self.base_url = base_url.rstrip("/")
        # lazy: objects named by URL are fetched only when a field is read, saving requests.
        self._github = github.Github(
            auth=github.Auth.Token(token), base_url=self.base_url, per_page=PER_PAGE,
            retry=pacing.retry(), timeout=pacing.timeout, lazy=True,
            seconds_between_requests=pacing.seconds_between_requests,
            seconds_between_writes=pacing.seconds_between_writes)
        self._repo = self._github.get_repo(repo_full_name)

    def __repr__(self) -> str:
        return f"GitHubForge({self.repo_full_name!r}, base_url={self.base_url!r})"

    def sibling(self, repo_full_name: str) -> GitHubForge:
        """The forge of another repository through this one's client (token, API, pacing, bot)."""
        if not REPOSITORY.fullmatch(repo_full_name):
            raise ConfigError(f"GitHub repository {repo_full_name!r}: expected owner/name")
        other = copy.copy(self)
        other.repo_full_name = repo_full_name
        other._repo = self._github.get_repo(repo_full_name)
        return other

    # pull requests

    def open_pull_request(self, head: str, base: str, title: str, body: str) -> PullRequest:
        with _errors(f"open a pull request from {head} into {base}"):
            return _pull(self._repo.create_pull(base=base, head=head, title=title, body=body))

    def get_pull_request(self, number: int) -> PullRequest:
        with _errors(f"read pull request #{number}"):
            return _pull(self._repo.get_pull(number))

    def list_pull_requests(self, state: str = OPEN) -> list[PullRequest]:
        with _errors("list pull requests"):
            pulls = [_pull(p) for p in self._repo.get_pulls(state=LIST_STATES.get(state, "all"))]
        return sorted((p for p in pulls if state == "all" or p.state == state), key=lambda p: p.number)

    def changed_files(self, number: int) -> list[str]:
        """Paths the pull request changes; both names of a renamed file, as the local forge."""
        with _errors(f"list the files of pull request #{number}"):
            pr = self._repo.get_pull(number)
            files = list(pr.get_files())
            expected = pr.changed_files
        if len(files) < expected:
            # Never judge a submission on part of it: GitHub lists at most 3,000 files.
            raise ForgeError(f"pull request #{number} changes {expected} files but GitHub lists only "
                             f"{len(files)}; split it into smaller pull requests")
        names = [f.filename for f in files]
        names += [f.previous_filename for f in files if f.status == "renamed" and f.previous_filename]
        return sorted(set(names))

    # reviews and comments

    def list_reviews(self, number: int) -> list[Review]:
        with _errors(f"list the reviews of pull request #{number}"):
            return [Review(r.id, _login(r.user), r.state, r.body or "", r.commit_id or "",
                           _when(r.submitted_at))
                    for r in self._repo.get_pull(number).get_reviews()]

    def submit_review(self, number: int, state: str, body: str, commit_sha: str) -> Review:
        if state not in EVENTS:
            raise ForgeError(f"review state {state!r}: expected one of {', '.join(EVENTS)}")
        with _errors(f"review pull request #{number}"):
            commit = self._repo.get_commit(commit_sha)
            r = self._repo.get_pull(number).create_review(commit=commit, body=body, event=EVENTS[state])
            return Review(r.id, _login(r.user), r.state, r.body or "", r.commit_id or commit_sha,
                          _when(r.submitted_at))

    def list_comments(self, number: int) -> list[Comment]:
        with _errors(f"list the comments on pull request #{number}"):
            return [Comment(c.id, _login(c.user), c.body or "")
                    for c in self._repo.get_issue(number).get_comments()]

    def upsert_bot_comment(self, number: int, body: str) -> Comment:
        """Edit microcred's comment on the pull request, or add it if there is none yet."""
        body = body if body.startswith(BOT_MARKER) else f"{BOT_MARKER}\n{body}"
        with _errors(f"update the check comment on pull request #{number}"):
            issue = self._repo.get_issue(number)
            mine = next((c for c in issue.get_comments() if (c.body or "").startswith(BOT_MARKER)
                         and _login(c.user) == self.bot_login), None)
            if mine is None:
                mine = issue.create_comment(body)
            elif mine.body != body:
                mine.edit(body)
            return Comment(mine.id, _login(mine.user), mine.body)

    def comment_once(self, number: int, marker: str, body: str) -> tuple[Comment, bool]:
        """Add a comment starting with `marker` unless the bot already wrote one; (it, new?)."""
        body = body if body.startswith(marker) else f"{marker}\n{body}"
        with _errors(f"comment on pull request #{number}"):
            issue = self._repo.get_issue(number)
            mine = next((c for c in issue.get_comments() if (c.body or "").startswith(marker)
                         and _login(c.user) == self.bot_login), None)
            if mine is not None:
                return Comment(mine.id, _login(mine.user), mine.body or ""), False
            made = issue.create_comment(body)
            return Comment(made.id, _login(made.user), made.body or ""), True

    def set_status(self, sha: str, context: str, state: str, description: str) -> CommitStatus:
        """Set `context`'s commit status on `sha` (GitHub keeps each one; the latest counts)."""
        if state not in STATUS_STATES:
            raise ForgeError(f"status state {state!r}: expected one of {', '.join(STATUS_STATES)}")
        with _errors(f"set the status {context} on {sha[:12]}"):
            made = self._repo.get_commit(sha).create_status(
                state=state, description=status_description(description), context=context)
            return CommitStatus(made.context, made.state, made.description or "",
                                _login(made.creator))

    def get_status(self, sha: str, context: str) -> CommitStatus | None:
        """The latest status `context` set on commit `sha`, or None."""
        with _errors(f"read the statuses of {sha[:12]}"):
            combined = self._repo.get_commit(sha).get_combined_status()
            return next((CommitStatus(s.context, s.state, s.description or "")
                         for s in combined.statuses if s.context == context), None)

    def request_reviewers(self, number: int, logins: list[str]) -> list[str]:
        """Ask `logins` (never the author) to review; the logins now asked, as GitHub lists them.

        GitHub drops a request once that person has reviewed, so unlike the local forge the list
        holds only pending requests.
        """
        with _errors(f"request reviewers on pull request #{number}"):
            pr = self._repo.get_pull(number)
            author = _login(pr.user).lower()
            wanted = [login for login in dict.fromkeys(logins) if login.lower() != author]
            if wanted:
                pr.create_review_request(reviewers=wanted)
            users, _teams = pr.get_review_requests()
            return [u.login for u in users]

    # files and merging

    def read_file(self, path: str, ref: str) -> bytes | None:
        """The file's bytes at `ref` (branch or commit), or None when it is not a file there."""
        with _errors(f"read {path} at {ref}"):
            found = self._contents(path, ref)
            if found is None or found.type != "file":
                return None
            if found.encoding == "base64":
                return found.decoded_content
            # Above 1 MB the contents API leaves the content out; the blob has it.
            return base64.b64decode(self._repo.get_git_blob(found.sha).content)

    def list_files(self, prefix: str, ref: str) -> list[str]:
        """Every file under the folder `prefix` at `ref`, from one recursive tree listing."""
        folder = prefix.rstrip("/") + "/"
        with _errors(f"list {folder} at {ref}"):
            try:
                tree = self._repo.get_git_tree(ref, recursive=True)
            except GithubException as exc:
                if exc.status == 404:
                    return []
                raise
            if tree.raw_data.get("truncated"):
                # Never act on part of the ledger: GitHub cuts recursive listings short.
                raise ForgeError(f"GitHub listed only part of {ref}; the ledger is too large to "
                                 "list in one request")
            return sorted(e.path for e in tree.tree if e.type == "blob" and e.path.startswith(folder))

    def commit_file(self, path: str, content: bytes, branch: str, message: str,
                    expected_blob: str | None) -> str:
        """Add or replace one file on `branch`; refuse (Conflict) if it is not at `expected_blob`.

        GitHub answers 409 both for a stale blob and when the branch moved under a concurrent
        commit to another file; only the second is retried, after checking the file is still
        at `expected_blob`.
        """
        action = f"commit {path} to {branch}"
        for _ in range(COMMIT_ATTEMPTS):
            try:
                return self._put(path, content, branch, message, expected_blob)
            except GithubException as exc:
                if exc.status not in (409, 422):
                    raise _forge_error(action, exc) from None
                with _errors(action):
                    current = self._contents(path, branch)
                if (current.sha if current else None) != expected_blob:
                    raise Conflict(f"{path} on {branch} changed since it was read") from None
                if exc.status == 422:
                    raise _forge_error(action, exc) from None
        raise Conflict(f"{action}: the branch kept moving; try again")

    def merge(self, number: int) -> PullRequest:
        """Merge the pull request's head, as last read, into its base with a merge commit."""
        with _errors(f"merge pull request #{number}"):
            pr = self._repo.get_pull(number)
            state = _pull(pr).state
            if state != OPEN:
                raise ForgeError(f"pull request #{number} is {state}")
            result = pr.merge(merge_method="merge", sha=pr.head.sha)
            if not result.merged:
                raise ForgeError(f"GitHub did not merge pull request #{number}: {result.message}")
        return self.get_pull_request(number)

    def close(self, number: int) -> PullRequest:
        """Close the pull request without merging it; its branch stays."""
        with _errors(f"close pull request #{number}"):
            pr = self._repo.get_pull(number)
            state = _pull(pr).state
            if state != OPEN:
                raise ForgeError(f"pull request #{number} is {state}")
            pr.edit(state="closed")
        return self.get_pull_request(number)

    # branches

    def branch_sha(self, name: str) -> str | None:
        """The commit branch `name` points to, or None when there is no such branch."""
        with _errors(f"read branch {name}"):
            try:
                return str(self._repo.get_git_ref(f"heads/{name}").object.sha)
            except GithubException as exc:
                if exc.status == 404:
                    return None
                raise

    def create_branch(self, name: str, sha: str) -> None:
        """Create branch `name` at `sha`; Conflict if it already exists (GitHub's 422)."""
        action = f"create branch {name}"
        with _errors(action):
            try:
                self._repo.create_git_ref(f"refs/heads/{name}", sha)
            except GithubException as exc:
                if exc.status == 422 and "already exists" in _message(exc.data):
                    raise Conflict(f"{action}: it already exists") from None
                raise

    # internals

    def _contents(self, path: str, ref: str) -> ContentFile | None:
        try:
            found = self._repo.get_contents(path, ref=ref)
        except GithubException as exc:
            if exc.status == 404:
                return None
            raise
        return None if isinstance(found, list) else found

    def _put(self, path: str, content: bytes, branch: str, message: str, blob: str | None) -> str:
        if blob is None:
            result = self._repo.create_file(path, message, content, branch=branch)
        else:
            result = self._repo.update_file(path, message, content, blob, branch=branch)
        return str(result["commit"].sha)


def from_environment(environ: Mapping[str, str] | None = None, *, pacing: Pacing = Pacing()) -> GitHubForge:
    """The forge GitHub Actions (or the user's shell) describes in environment variables."""
    env = os.environ if environ is None else environ
    token = next((env[name] for name in TOKEN_VARIABLES if env.get(name)), "")
    repo = env.get("GITHUB_REPOSITORY", "")
    base_url = env.get("GITHUB_API_URL") or DEFAULT_API
    problems = []
    if not token:
        problems.append("environment: MICROCRED_GITHUB_TOKEN: no GitHub token (set MICROCRED_GITHUB_TOKEN, "
                        "or GITHUB_TOKEN as GitHub Actions provides it: `env: GITHUB_TOKEN: "
                        "${{ secrets.GITHUB_TOKEN }}`)")
    if not REPOSITORY.fullmatch(repo):
        problems.append(f"environment: GITHUB_REPOSITORY: {repo!r} is not owner/name (GitHub Actions "
                        "sets it; elsewhere set it, e.g. GITHUB_REPOSITORY=my-org/my-course)")
    if not re.match(r"https?://[^/\s]+", base_url):
        problems.append(f"environment: GITHUB_API_URL: {base_url!r} is not a URL (GitHub Enterprise "
                        "Server: https://HOST/api/v3; leave it unset for github.com)")
    if problems:
        raise ConfigError("\n".join(problems))
    bot = env.get("MICROCRED_BOT_LOGIN") or DEFAULT_BOT
    return GitHubForge(repo, token, base_url, pacing=pacing, bot_login=bot)


@contextmanager
def _errors(action: str) -> Iterator[None]:
    """Turn PyGithub's and requests' errors into ForgeError, keeping GitHub's words only."""
    try:
        yield
    except GithubException as exc:
        raise _forge_error(action, exc) from None
    except requests.RequestException as exc:
        raise ForgeError(f"{action}: GitHub could not be reached ({type(exc).__name__})") from None


def _forge_error(action: str, exc: GithubException) -> ForgeError:
    message = _message(exc.data)
    if isinstance(exc, RateLimitExceededExceedsMaxWait):
        return ForgeError(f"{action}: GitHub's rate limit is spent ({message}); try again later")
    kind = Conflict if exc.status == 409 else ForgeError
    return kind(f"{action}: GitHub answered {exc.status}: {message}")


def _message(data: Any) -> str:
    if not isinstance(data, dict):
        return "no message"
    details = [e if isinstance(e, str) else e.get("message") or f"{e.get('field')} {e.get('code')}"
               for e in data.get("errors") or [] if isinstance(e, str | dict)]
    return "; ".join([str(data.get("message") or "no message"), *details])


def _login(user: NamedUser | Organization | None) -> str:
    return user.login if user is not None else "ghost"  # GitHub's name for a deleted account


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def _pull(pr: GitHubPull) -> PullRequest:
    merged = pr.merged_at is not None
    head_repo = pr.head.repo
    from_fork = head_repo is None or head_repo.full_name != pr.base.repo.full_name
    return PullRequest(pr.number, pr.title, _login(pr.user), pr.base.ref, pr.head.ref, pr.base.sha,
                       pr.head.sha, MERGED if merged else pr.state, from_fork,
                       (pr.merge_commit_sha or "") if merged else "",
                       head_repo.full_name if head_repo is not None else "", _when(pr.created_at))
