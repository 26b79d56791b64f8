"""Response bodies for the fake GitHub, built from GitHub's own examples and filled from state.

Every builder starts from the example GitHub publishes for the operation, points its URLs at the
fake server (PyGithub follows `url`, `issue_url`, ... and Link headers), then sets the fields that
come from state. The server validates the result against the operation's schema before sending it.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from typing import Any

from tests.github.contract import Contracts
from tests.github.state import ApiError, Change, IssueComment, Pull, Repo, Review, Status, World

# Identities the examples are written about, replaced by ours.
EXAMPLE_REPOS = ("octocat/Hello-World", "octokit/octokit.rb", "octocat/HelloWorld", "octocat/example")
DOCS = "https://docs.github.com/rest"


def replaced(value: Any, pairs: list[tuple[str, str]]) -> Any:
    """`value` with each `old` replaced by `new` in every string inside it."""
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [replaced(v, pairs) for v in value]
    if isinstance(value, dict):
        return {k: replaced(v, pairs) for k, v in value.items()}
    return value


def node_id(kind: str, number: int) -> str:
    return base64.b64encode(f"0:{kind}{number}".encode()).decode()


class Render:
    """JSON for the fake GitHub's resources, with URLs under `api` (REST) and `web` (HTML)."""

    def __init__(self, world: World, contracts: Contracts, api: str, web: str) -> None:
        self.world, self.ops, self.api, self.web = world, contracts.operations, api, web
        self._examples: dict[tuple[str, str, str], Any] = {}

    def _example(self, op_id: str, status: str = "200", name: str = "") -> Any:
        """GitHub's example, its URLs pointing here (rewritten once, then copied)."""
        key = (op_id, status, name)
        if key not in self._examples:
            example = self.ops[op_id].example(status, name)
            self._examples[key] = replaced(example, [
                ("https://api.github.com", self.api),
                ("https://raw.githubusercontent.com", f"{self.web}/raw"),
                ("https://github.com", self.web),
                *((repo, self.world.repo.full_name) for repo in EXAMPLE_REPOS)])
        return copy.deepcopy(self._examples[key])

    def _repo_url(self, repo: Repo | None = None) -> str:
        return f"{self.api}/repos/{(repo or self.world.repo).full_name}"

    # people and repositories

    def user(self, login: str) -> dict[str, Any]:
        user = replaced(self._example("pulls/list-reviews")[0]["user"], [("octocat", login)])
        uid = self.world.user_id(login)
        return {**user, "login": login, "id": uid, "node_id": node_id("User", uid)}

    def repo(self, repo: Repo) -> dict[str, Any]:
        example = self._example("pulls/get")["head"]["repo"]
        out = replaced(example, [(self.world.repo.full_name, repo.full_name)])
        return {**out, "id": repo.id, "node_id": node_id("Repository", repo.id), "name": repo.name,
                "full_name": repo.full_name, "owner": self.user(repo.owner), "fork": repo.fork,
                "default_branch": repo.default_branch, "private": False}

    # pull requests

    def pull(self, pull: Pull, full: bool = True) -> dict[str, Any]:
        example = self._example("pulls/get") if full else self._example("pulls/list")[0]
        out = replaced(example, [("/pulls/1347", f"/pulls/{pull.number}"),
                                 ("/issues/1347", f"/issues/{pull.number}"),
                                 ("/pull/1347", f"/pull/{pull.number}")])
        head = self.world.head_sha(pull)
        head_repo = self.world.repos[pull.head_repo]
        out.update(
            id=pull.id, node_id=node_id("PullRequest", pull.id), number=pull.number,
            state=pull.state, locked=False, title=pull.title, body=pull.body,
            user=self.user(pull.author), labels=[], milestone=None, active_lock_reason=None,
            created_at=pull.created_at, updated_at=pull.merged_at or pull.created_at,
            closed_at=pull.merged_at or pull.closed_at, merged_at=pull.merged_at,
            merge_commit_sha=pull.merge_sha,
            assignee=None, assignees=[], requested_teams=[], draft=False, auto_merge=None,
            requested_reviewers=[self.user(login) for login in pull.requested],
            statuses_url=f"{self._repo_url()}/statuses/{head}",
            head=self._part(head_repo, pull.head, head),
            base=self._part(self.world.repo, pull.base, pull.base_sha),
            author_association="CONTRIBUTOR")
        out["_links"]["statuses"]["href"] = out["statuses_url"]
        if full:
            changes = self.world.changes(pull)
            out.update(merged=pull.merged_at is not None, mergeable=pull.state == "open",
                       rebaseable=pull.state == "open", mergeable_state="clean",
                       merged_by=self.user(pull.merged_by) if pull.merged_by else None,
                       comments=sum(c.number == pull.number for c in self.world.comments),
                       review_comments=0, maintainer_can_modify=False, commits=1,
                       additions=len(changes), deletions=0, changed_files=len(changes))
        return out

    def _part(self, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
        return {"label": f"{repo.owner}:{ref}", "ref": ref, "sha": sha,
                "user": self.user(repo.owner), "repo": self.repo(repo)}

    def change(self, change: Change, head: str) -> dict[str, Any]:
        out = self._example("pulls/list-files")[0]
        out.update(sha=change.blob, filename=change.path, status=change.status, additions=1,
                   deletions=0, changes=1, patch="@@ -0,0 +1 @@",
                   blob_url=f"{self.web}/{self.world.repo.full_name}/blob/{head}/{change.path}",
                   raw_url=f"{self.web}/{self.world.repo.full_name}/raw/{head}/{change.path}",
                   contents_url=f"{self._repo_url()}/contents/{change.path}?ref={head}")
        if change.previous:
            out["previous_filename"] = change.previous
        return out

    def review_requests(self, pull: Pull) -> dict[str, Any]:
        return {"users": [self.user(login) for login in pull.requested], "teams": []}

    # reviews and comments

    def review(self, review: Review) -> dict[str, Any]:
        out = replaced(self._example("pulls/list-reviews")[0], [("/pulls/12", f"/pulls/{review.number}"),
                                                               ("/pull/12", f"/pull/{review.number}"),
                                                               ("review-80", f"review-{review.id}")])
        out.update(id=review.id, node_id=node_id("PullRequestReview", review.id),
                   user=self.user(review.author), body=review.body, state=review.state,
                   commit_id=review.commit_id, author_association="COLLABORATOR")
        out["submitted_at"] = review.submitted_at if review.state != "PENDING" else None
        if out["submitted_at"] is None:
            del out["submitted_at"]
        return out

    def comment(self, comment: IssueComment) -> dict[str, Any]:
        out = self._example("issues/list-comments")[0]
        out.update(id=comment.id, node_id=node_id("IssueComment", comment.id), body=comment.body,
                   url=f"{self._repo_url()}/issues/comments/{comment.id}",
                   html_url=f"{self.web}/{self.world.repo.full_name}/pull/{comment.number}"
                            f"#issuecomment-{comment.id}",
                   issue_url=f"{self._repo_url()}/issues/{comment.number}",
                   user=self.user(comment.author), created_at=comment.created_at,
                   updated_at=comment.updated_at, author_association="COLLABORATOR")
        return out

    # commit statuses

    def status(self, status: Status) -> dict[str, Any]:
        out = self._example("repos/create-commit-status", "201")
        out.update(id=status.id, node_id=node_id("StatusContext", status.id), state=status.state,
                   description=status.description, target_url=None, context=status.context,
                   url=f"{self._repo_url()}/statuses/{status.sha}", creator=self.user(status.creator),
                   created_at=status.created_at, updated_at=status.created_at)
        return out

    def combined_status(self, sha: str, statuses: list[Status]) -> dict[str, Any]:
        """GitHub's combined status: failure if any failed, pending if any pending or none."""
        out = self._example("repos/get-combined-status-for-ref")
        template = out["statuses"][0]
        states = {s.state for s in statuses}
        overall = ("failure" if states & {"failure", "error"} else
                   "pending" if not states or "pending" in states else "success")
        items = [{**template, "id": s.id, "node_id": node_id("StatusContext", s.id), "state": s.state,
                  "description": s.description, "target_url": None, "context": s.context,
                  "url": f"{self._repo_url()}/statuses/{sha}", "created_at": s.created_at,
                  "updated_at": s.created_at} for s in statuses]
        repo = self.world.repo
        out["repository"].update(id=repo.id, node_id=node_id("Repository", repo.id), name=repo.name,
                                 full_name=repo.full_name)
        out.update(state=overall, statuses=items, sha=sha, total_count=len(items),
                   commit_url=f"{self._repo_url()}/commits/{sha}",
                   url=f"{self._repo_url()}/commits/{sha}/status")
        return out

    # contents and git objects

    def content(self, path: str, blob: str, ref: str, inline_limit: int) -> dict[str, Any]:
        """A file as the contents API returns it; above `inline_limit` bytes, with no content."""
        data = self.world.blobs[blob]
        out = self._example("repos/get-content", "200", "response-if-content-is-a-file")
        small = len(data) <= inline_limit
        out.update(encoding="base64" if small else "none", size=len(data), sha=blob,
                   name=path.rsplit("/", 1)[-1], path=path,
                   content=_base64_lines(data) if small else "", **self._content_urls(path, blob, ref))
        return out

    def entry(self, path: str, tree: dict[str, str], ref: str) -> dict[str, Any]:
        """One item of a folder listing: a file, or a folder (`dir`, with the tree's id unknown)."""
        out = self._example("repos/get-content", "200", "response-if-content-is-a-directory")[0]
        blob = tree.get(path)
        size = len(self.world.blobs[blob]) if blob else 0
        sha = blob or node_id("Tree", len(path)).encode().hex()[:40].ljust(40, "0")
        out.update(type="file" if blob else "dir", size=size, name=path.rsplit("/", 1)[-1], path=path,
                   sha=sha, **self._content_urls(path, sha, ref))
        if not blob:
            out["download_url"] = None
        return out

    def _content_urls(self, path: str, blob: str, ref: str) -> dict[str, Any]:
        urls = {"url": f"{self._repo_url()}/contents/{path}?ref={ref}",
                "git_url": f"{self._repo_url()}/git/blobs/{blob}",
                "html_url": f"{self.web}/{self.world.repo.full_name}/blob/{ref}/{path}",
                "download_url": f"{self.web}/raw/{self.world.repo.full_name}/{ref}/{path}"}
        return {**urls, "_links": {"self": urls["url"], "git": urls["git_url"],
                                   "html": urls["html_url"]}}

    def file_commit(self, created: bool, path: str, blob: str, sha: str) -> dict[str, Any]:
        out = self._example("repos/create-or-update-file-contents", "201" if created else "200")
        commit = self.world.commits[sha]
        content = {k: v for k, v in self._content_urls(path, blob, commit.sha).items()}
        out["content"].update(name=path.rsplit("/", 1)[-1], path=path, sha=blob,
                              size=len(self.world.blobs[blob]), type="file", **content)
        out["commit"].update(sha=sha, node_id=node_id("Commit", len(self.world.commits)),
                             url=f"{self._repo_url()}/git/commits/{sha}",
                             html_url=f"{self.web}/{self.world.repo.full_name}/commit/{sha}",
                             message=commit.message,
                             author=self._signature(commit.author, commit.date),
                             committer=self._signature(commit.author, commit.date),
                             parents=[{"sha": p, "url": f"{self._repo_url()}/git/commits/{p}",
                                       "html_url": f"{self.web}/{self.world.repo.full_name}/commit/{p}"}
                                      for p in commit.parents])
        return out

    @staticmethod
    def _signature(login: str, date: str) -> dict[str, str]:
        return {"name": login, "email": f"{login}@users.noreply.github.com", "date": date}

    def blob(self, sha: str) -> dict[str, Any]:
        data = self.world.blobs[sha]
        return {**self._example("git/get-blob"), "sha": sha, "size": len(data),
                "url": f"{self._repo_url()}/git/blobs/{sha}", "node_id": node_id("Blob", len(data)),
                "content": _base64_lines(data), "encoding": "base64"}

    def ref(self, ref: str, sha: str) -> dict[str, Any]:
        example = self._example("git/get-ref")
        return {**example, "ref": ref, "node_id": node_id("Ref", len(ref)),
                "url": f"{self._repo_url()}/git/{ref}",
                "object": {**example["object"], "sha": sha, "url": f"{self._repo_url()}/git/commits/{sha}"}}

    def tree(self, files: dict[str, str], recursive: bool) -> dict[str, Any]:
        """A tree as git/get-tree returns it: folders (with an id made up here) and files; only
        the top level unless `recursive`."""
        folders = {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}
        entries = [{"path": f, "mode": "040000", "type": "tree", "sha": _made_up_id(f),
                    "url": f"{self._repo_url()}/git/trees/{_made_up_id(f)}"} for f in folders]
        entries += [{"path": p, "mode": "100644", "type": "blob", "sha": b,
                     "size": len(self.world.blobs[b]), "url": f"{self._repo_url()}/git/blobs/{b}"}
                    for p, b in files.items()]
        if not recursive:
            entries = [e for e in entries if "/" not in e["path"]]
        root = _made_up_id("\0".join(f"{p} {b}" for p, b in sorted(files.items())))
        return {"sha": root, "url": f"{self._repo_url()}/git/trees/{root}",
                "tree": sorted(entries, key=lambda e: e["path"]), "truncated": False}

    def merge(self, sha: str) -> dict[str, Any]:
        return {**self._example("pulls/merge"), "sha": sha}

    @staticmethod
    def error(error: ApiError) -> dict[str, Any]:
        out: dict[str, Any] = {"message": error.message, "documentation_url": DOCS,
                               "status": str(error.status)}
        if error.errors is not None:
            out["errors"] = error.errors
        return out


def _base64_lines(data: bytes) -> str:
    """Base64 in 60-character lines, as the contents and blobs APIs send it."""
    text = base64.b64encode(data).decode()
    return "".join(text[i:i + 60] + "\n" for i in range(0, len(text), 60))


def _made_up_id(text: str) -> str:
    """A stable 40-hex id for a tree the fake keeps no object for."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
