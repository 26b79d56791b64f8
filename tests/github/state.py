"""The fake GitHub's memory: one repository and its forks, git objects, pull requests, reviews.

Plain Python, no HTTP: routes.py turns requests into calls here, and GitHub's refusals into
`ApiError(status, message)` with the messages GitHub sends.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import time
from dataclasses import dataclass, field

from tests.github.settings import Settings, required_checks

MERGED_MESSAGE = "Pull Request successfully merged"
MAX_COMMENT = 65_536  # characters of a comment body; GitHub answers 422 beyond


class ApiError(Exception):
    """A refusal, as GitHub words it: a message and, for validation failures, `errors`."""

    def __init__(self, status: int, message: str, errors: list[object] | None = None) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.errors = errors


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def blob_sha(data: bytes) -> str:
    """The git object id of a blob, as GitHub reports it in `sha`."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Commit:
    sha: str
    tree: dict[str, str]
    parents: list[str]
    message: str
    author: str
    date: str


@dataclass
class Repo:
    owner: str
    name: str
    id: int
    fork: bool = False
    default_branch: str = "main"
    branches: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Pull:
    number: int
    id: int
    title: str
    body: str
    author: str
    base: str
    head_repo: str
    head: str
    base_sha: str
    head_sha: str
    created_at: str
    state: str = "open"
    merged_at: str | None = None
    closed_at: str | None = None
    merge_sha: str | None = None
    merged_by: str | None = None
    requested: list[str] = field(default_factory=list)


@dataclass
class Review:
    id: int
    number: int
    author: str
    state: str
    body: str
    commit_id: str
    submitted_at: str


@dataclass
class IssueComment:
    id: int
    number: int
    author: str
    body: str
    created_at: str
    updated_at: str


@dataclass
class Status:
    id: int
    sha: str
    context: str
    state: str
    description: str
    creator: str
    created_at: str


@dataclass(frozen=True)
class Change:
    path: str
    status: str
    blob: str
    previous: str | None = None


def _invalid(field: str = "", code: str = "custom", message: str = "") -> ApiError:
    """GitHub's 422 for a pull request it will not create."""
    error: dict[str, str] = {"resource": "PullRequest", "code": code}
    error.update({"field": field} if field else {"message": message})
    return ApiError(422, "Validation Failed", [error])


EVENTS = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}


class World:
    """One repository on GitHub, as the REST API sees it."""

    def __init__(self, full_name: str) -> None:
        owner, name = full_name.split("/")
        self.ids = itertools.count(1001)
        self.repo = Repo(owner, name, next(self.ids))
        self.repos = {self.repo.full_name: self.repo}
        self.blobs: dict[str, bytes] = {}
        self.commits: dict[str, Commit] = {}
        self.pulls: dict[int, Pull] = {}
        self.reviews: list[Review] = []
        self.comments: list[IssueComment] = []
        self.statuses: list[Status] = []
        self.user_ids: dict[str, int] = {}
        self.settings = Settings()

    # set-up helpers for tests

    def fork(self, owner: str) -> Repo:
        repo = Repo(owner, self.repo.name, next(self.ids), fork=True, branches=dict(self.repo.branches))
        self.repos[repo.full_name] = repo
        return repo

    def commit(self, files: dict[str, bytes | None], branch: str = "main", message: str = "change",
               author: str = "octocat", repo: Repo | None = None, start: str | None = None,
               sha: str | None = None) -> str:
        """Commit `files` (None deletes) on `branch`, creating it from `start` when it is new.

        `sha` names the commit, to mirror a commit of a real clone the test also reads.
        """
        repo = repo or self.repo
        parent = repo.branches.get(branch) or (self.resolve(repo, start) if start else None)
        tree = dict(self.commits[parent].tree) if parent else {}
        for path, data in files.items():
            if data is None:
                tree.pop(path, None)
            else:
                tree[path] = self.store(data)
        sha = self._commit(tree, [parent] if parent else [], message, author, sha)
        repo.branches[branch] = sha
        return sha

    def store(self, data: bytes) -> str:
        sha = blob_sha(data)
        self.blobs[sha] = data
        return sha

    def user_id(self, login: str) -> int:
        return self.user_ids.setdefault(login, 1 + len(self.user_ids))

    # reading

    def resolve(self, repo: Repo, ref: str) -> str:
        """The commit a branch name or commit sha refers to."""
        if ref in repo.branches:
            return repo.branches[ref]
        if ref in self.commits:
            return ref
        raise ApiError(404, f"No commit found for the ref {ref}")

    def tree(self, sha: str) -> dict[str, str]:
        return self.commits[sha].tree

    def pull(self, number: int) -> Pull:
        if number not in self.pulls:
            raise ApiError(404, "Not Found")
        return self.pulls[number]

    def head_sha(self, pull: Pull) -> str:
        """An open pull request follows its head branch; a closed one keeps its last head."""
        if pull.state == "open":
            return self.repos[pull.head_repo].branches.get(pull.head, pull.head_sha)
        return pull.head_sha

    def changes(self, pull: Pull) -> list[Change]:
        """What the pull request changes against the base it was opened on (renames detected)."""
        old, new = self.tree(pull.base_sha), self.tree(self.head_sha(pull))
        added = {p: b for p, b in new.items() if p not in old}
        removed = {p: b for p, b in old.items() if p not in new}
        renamed = {}
        for path, blob in list(added.items()):
            source = next((p for p, b in removed.items() if b == blob), None)
            if source is not None:
                renamed[path] = source
                del added[path], removed[source]
        out = [Change(p, "modified", new[p]) for p in new if p in old and old[p] != new[p]]
        out += [Change(p, "added", b) for p, b in added.items()]
        out += [Change(p, "removed", b) for p, b in removed.items()]
        out += [Change(p, "renamed", new[p], source) for p, source in renamed.items()]
        return sorted(out, key=lambda c: c.path)

    # pull requests

    def open_pull(self, author: str, title: str, body: str, head: str, base: str) -> Pull:
        owner, _, branch = head.rpartition(":")
        head_repo = self.repos.get(f"{owner}/{self.repo.name}") if owner else self.repo
        if head_repo is None or branch not in head_repo.branches:
            raise _invalid("head", "invalid")
        if base not in self.repo.branches:
            raise _invalid("base", "invalid")
        for other in self.pulls.values():
            if other.state == "open" and (other.head_repo, other.head) == (head_repo.full_name, branch):
                raise _invalid(message=f"A pull request already exists for {head_repo.owner}:{branch}.")
        base_sha, head_sha = self.repo.branches[base], head_repo.branches[branch]
        if self.tree(base_sha) == self.tree(head_sha):
            raise _invalid(message=f"No commits between {base} and {head}")
        number = 1 + max(self.pulls, default=0)
        pull = Pull(number, next(self.ids), title, body, author, base, head_repo.full_name, branch,
                    base_sha, head_sha, now())
        self.pulls[number] = pull
        return pull

    def merge(self, pull: Pull, merger: str, sha: str | None, title: str | None) -> str:
        if pull.state != "open":
            raise ApiError(405, "Pull Request is not mergeable")
        head = self.head_sha(pull)
        if sha is not None and sha != head:
            raise ApiError(409, "Head branch was modified. Review and try the merge again.")
        self._require_checks(pull.base, head)
        tip = self.repo.branches[pull.base]
        tree = self._three_way(self.tree(pull.base_sha), self.tree(tip), self.tree(head))
        message = title or f"Merge pull request #{pull.number} from {pull.head_repo}/{pull.head}"
        merge = self._commit(tree, [tip, head], message, merger)
        self.repo.branches[pull.base] = merge
        pull.state, pull.head_sha, pull.merge_sha = "closed", head, merge
        pull.merged_at, pull.merged_by = now(), merger
        return merge

    def close(self, pull: Pull) -> None:
        """Close without merging, as PATCH state=closed does (closing a closed one is a no-op)."""
        if pull.state == "open":
            pull.head_sha, pull.state, pull.closed_at = self.head_sha(pull), "closed", now()

    def _require_checks(self, base: str, head: str) -> None:
        """GitHub's refusal to merge while a required status check is missing or not successful."""
        latest = {s.context: s.state for s in self.latest_statuses(head)}
        for name in required_checks(self.settings, base, self.repo.default_branch):
            if latest.get(name) != "success":
                how = "expected" if name not in latest else "failing"
                raise ApiError(405, f"Repository rule violations found\n\nRequired status check "
                                    f'"{name}" is {how}.')

    def review(self, pull: Pull, author: str, event: str | None, body: str,
               commit_id: str | None) -> Review:
        if event in ("APPROVE", "REQUEST_CHANGES") and author == pull.author:
            verb = "approve" if event == "APPROVE" else "request changes on"
            raise ApiError(422, f"Can not {verb} your own pull request")
        if event in ("REQUEST_CHANGES", "COMMENT") and not body:
            raise ApiError(422, "Unprocessable Entity",
                           [f"Review body is required for {event.lower().replace('_', ' ')}"])
        if commit_id is not None and commit_id not in self.commits:
            raise ApiError(422, f"No commit found for SHA: {commit_id}")
        state = EVENTS.get(event or "", "PENDING")
        review = Review(next(self.ids), pull.number, author, state, body,
                        commit_id or self.head_sha(pull), now())
        self.reviews.append(review)
        if author in pull.requested:
            pull.requested.remove(author)  # GitHub drops a request once the reviewer has reviewed
        return review

    def request(self, pull: Pull, logins: list[str]) -> None:
        if pull.author in logins:
            raise ApiError(422, "Review cannot be requested from pull request author.")
        pull.requested += [login for login in logins if login not in pull.requested]

    # comments

    def add_comment(self, number: int, author: str, body: str) -> IssueComment:
        self.pull(number)
        _fits(body)
        comment = IssueComment(next(self.ids), number, author, body, now(), now())
        self.comments.append(comment)
        return comment

    def edit_comment(self, comment_id: int, body: str) -> IssueComment:
        comment = next((c for c in self.comments if c.id == comment_id), None)
        if comment is None:
            raise ApiError(404, "Not Found")
        _fits(body)
        comment.body, comment.updated_at = body, now()
        return comment

    # commit statuses

    def add_status(self, sha: str, creator: str, state: str, description: str | None,
                   context: str | None) -> Status:
        """A commit status; GitHub keeps every one, and the latest of a context counts."""
        if sha not in self.commits:
            raise ApiError(422, "Validation Failed", [{"resource": "Status", "field": "sha",
                                                       "code": "invalid"}])
        status = Status(next(self.ids), sha, context or "default", state, description or "",
                        creator, now())
        self.statuses.append(status)
        return status

    def latest_statuses(self, sha: str) -> list[Status]:
        """The latest status of each context on `sha`, newest first."""
        latest: dict[str, Status] = {}
        for status in self.statuses:
            if status.sha == sha:
                latest[status.context] = status
        return sorted(latest.values(), key=lambda s: -s.id)

    # contents

    def put_content(self, path: str, content: str, message: str, author: str, sha: str | None,
                    branch: str | None) -> tuple[bool, str, str]:
        """Create or replace a file; (created, blob, commit). GitHub's 409/422 on a stale sha."""
        branch = branch or self.repo.default_branch
        if branch not in self.repo.branches:
            raise ApiError(404, f"Branch {branch} not found")
        current = self.tree(self.repo.branches[branch]).get(path)
        if sha is None and current is not None:
            raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if sha is not None and sha != current:
            raise ApiError(409, f"{path} does not match {sha}")
        commit = self.commit({path: base64.b64decode(content)}, branch, message, author)
        return current is None, self.tree(commit)[path], commit

    # refs

    def ref_sha(self, ref: str) -> str:
        """The commit `heads/<branch>` names; GitHub's 404 for any other ref or a missing branch."""
        branch = ref.removeprefix("heads/")
        if not ref.startswith("heads/") or branch not in self.repo.branches:
            raise ApiError(404, "Not Found")
        return self.repo.branches[branch]

    def create_ref(self, ref: str, sha: str) -> None:
        """Create `refs/heads/<branch>` at `sha`, refusing as GitHub does (422)."""
        if not ref.startswith("refs/") or ref.count("/") < 2:
            raise ApiError(422, f"{ref} is not a valid ref name.")
        if not ref.startswith("refs/heads/"):
            raise ApiError(422, "the fake GitHub creates branches only (refs/heads/...)")
        if sha not in self.commits:
            raise ApiError(422, "Object does not exist")
        branch = ref.removeprefix("refs/heads/")
        if branch in self.repo.branches:
            raise ApiError(422, "Reference already exists")
        self.repo.branches[branch] = sha

    def _commit(self, tree: dict[str, str], parents: list[str], message: str, author: str,
                sha: str | None = None) -> str:
        date = now()
        sha = sha or hashlib.sha1(repr((sorted(tree.items()), parents, message, author, date,
                                        len(self.commits))).encode()).hexdigest()
        self.commits[sha] = Commit(sha, tree, parents, message, author, date)
        return sha

    @staticmethod
    def _three_way(base: dict[str, str], ours: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
        merged = {}
        for path in sorted(base.keys() | ours.keys() | theirs.keys()):
            mine, other, old = ours.get(path), theirs.get(path), base.get(path)
            if other == old or mine == other:
                chosen = mine
            elif mine == old:
                chosen = other
            else:
                raise ApiError(405, "Merge conflict")
            if chosen is not None:
                merged[path] = chosen
        return merged


def _fits(body: str) -> None:
    if len(body) > MAX_COMMENT:
        raise ApiError(422, "Validation Failed", [{
            "resource": "IssueComment", "code": "custom", "field": "body",
            "message": f"body is too long (maximum is {MAX_COMMENT} characters)"}])
