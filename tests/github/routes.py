"""One function per GitHub REST operation the fake serves, registered by operationId.

Each takes the parsed request and returns a `Reply`; a list reply is paginated by the server.
They only cover what PyGithub sends for microcred's GitHub forge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.github.resources import Render
from tests.github.state import ApiError, World

if TYPE_CHECKING:
    from tests.github.org import Org


@dataclass(frozen=True)
class Call:
    world: World
    render: Render
    login: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    inline_limit: int
    files_limit: int
    org: Org | None = None


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    paginate: bool = False
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[Call], Reply]
ROUTES: dict[str, Route] = {}


def route(op_id: str) -> Callable[[Route], Route]:
    def register(fn: Route) -> Route:
        ROUTES[op_id] = fn
        return fn
    return register


def _number(call: Call) -> int:
    return int(call.params["pull_number"] if "pull_number" in call.params
               else call.params["issue_number"])


# pull requests


@route("pulls/create")
def create_pull(call: Call) -> Reply:
    b = call.body
    pull = call.world.open_pull(call.login, b.get("title", ""), b.get("body") or "", b["head"], b["base"])
    return Reply(201, call.render.pull(pull))


@route("pulls/list")
def list_pulls(call: Call) -> Reply:
    state = call.query.get("state", "open")
    pulls = sorted(call.world.pulls.values(), key=lambda p: -p.number)  # sort=created, desc
    chosen = [p for p in pulls if state == "all" or p.state == state]
    return Reply(200, [call.render.pull(p, full=False) for p in chosen], paginate=True)


@route("pulls/get")
def get_pull(call: Call) -> Reply:
    return Reply(200, call.render.pull(call.world.pull(_number(call))))


@route("pulls/list-files")
def list_files(call: Call) -> Reply:
    pull = call.world.pull(_number(call))
    head = call.world.head_sha(pull)
    # GitHub lists at most 3,000 files of a pull request.
    changes = call.world.changes(pull)[:call.files_limit]
    return Reply(200, [call.render.change(c, head) for c in changes], paginate=True)


@route("pulls/merge")
def merge(call: Call) -> Reply:
    pull = call.world.pull(_number(call))
    method = call.body.get("merge_method", "merge") if call.body else "merge"
    if method != "merge":
        raise ApiError(405, f"Merge method {method} is not allowed on this repository")
    sha = call.world.merge(pull, call.login, (call.body or {}).get("sha"),
                           (call.body or {}).get("commit_title"))
    return Reply(200, call.render.merge(sha))


@route("pulls/update")
def update_pull(call: Call) -> Reply:
    pull = call.world.pull(_number(call))
    body = call.body or {}
    if body.get("state") == "closed":
        call.world.close(pull)
    elif body.get("state") == "open" and pull.state != "open":
        raise ApiError(422, "Reopening is not supported by this fake")
    pull.title = body.get("title", pull.title)
    pull.body = body.get("body", pull.body)
    return Reply(200, call.render.pull(pull))


# reviews


@route("pulls/list-reviews")
def list_reviews(call: Call) -> Reply:
    number = _number(call)
    reviews = [r for r in call.world.reviews if r.number == number]
    return Reply(200, [call.render.review(r) for r in reviews], paginate=True)


@route("pulls/create-review")
def create_review(call: Call) -> Reply:
    pull = call.world.pull(_number(call))
    if call.body.get("comments"):
        raise ApiError(422, "Unprocessable Entity", ["the fake GitHub takes no line comments"])
    review = call.world.review(pull, call.login, call.body.get("event"), call.body.get("body", ""),
                               call.body.get("commit_id"))
    return Reply(200, call.render.review(review))


@route("pulls/request-reviewers")
def request_reviewers(call: Call) -> Reply:
    pull = call.world.pull(_number(call))
    call.world.request(pull, list(call.body.get("reviewers", [])))
    return Reply(201, call.render.pull(pull, full=False))


@route("pulls/list-requested-reviewers")
def list_requested(call: Call) -> Reply:
    return Reply(200, call.render.review_requests(call.world.pull(_number(call))))


# issue comments


@route("issues/list-comments")
def list_comments(call: Call) -> Reply:
    number = _number(call)
    call.world.pull(number)
    comments = [c for c in call.world.comments if c.number == number]
    return Reply(200, [call.render.comment(c) for c in comments], paginate=True)


@route("issues/create-comment")
def create_comment(call: Call) -> Reply:
    comment = call.world.add_comment(_number(call), call.login, call.body["body"])
    return Reply(201, call.render.comment(comment))


@route("issues/update-comment")
def update_comment(call: Call) -> Reply:
    comment = call.world.edit_comment(int(call.params["comment_id"]), call.body["body"])
    return Reply(200, call.render.comment(comment))


# contents


@route("repos/get-content")
def get_content(call: Call) -> Reply:
    world = call.world
    ref = call.query.get("ref", world.repo.default_branch)
    path = call.params["path"]
    tree = world.tree(world.resolve(world.repo, ref))
    if path in tree:
        return Reply(200, call.render.content(path, tree[path], ref, call.inline_limit))
    folder = path.rstrip("/") + "/"
    children = sorted({p[len(folder):].split("/")[0] for p in tree if p.startswith(folder)})
    if not children:
        raise ApiError(404, "Not Found")
    return Reply(200, [call.render.entry(folder + name, tree, ref) for name in children])


@route("repos/create-or-update-file-contents")
def put_content(call: Call) -> Reply:
    b = call.body
    created, blob, sha = call.world.put_content(call.params["path"], b["content"], b["message"],
                                                call.login, b.get("sha"), b.get("branch"))
    return Reply(201 if created else 200, call.render.file_commit(created, call.params["path"], blob, sha))


@route("git/get-blob")
def get_blob(call: Call) -> Reply:
    sha = call.params["file_sha"]
    if sha not in call.world.blobs:
        raise ApiError(404, "Not Found")
    return Reply(200, call.render.blob(sha))


# refs (the ledger branch)


@route("git/get-ref")
def get_ref(call: Call) -> Reply:
    ref = call.params["ref"]
    return Reply(200, call.render.ref(f"refs/{ref}", call.world.ref_sha(ref)))


@route("git/create-ref")
def create_ref(call: Call) -> Reply:
    ref, sha = call.body["ref"], call.body["sha"]
    call.world.create_ref(ref, sha)
    return Reply(201, call.render.ref(ref, sha))


@route("git/get-tree")
def get_tree(call: Call) -> Reply:
    """A commit's tree by branch name or commit; with `recursive`, every path under it."""
    world = call.world
    try:
        commit = world.resolve(world.repo, call.params["tree_sha"])
    except ApiError:
        raise ApiError(404, "Not Found") from None
    return Reply(200, call.render.tree(world.tree(commit), recursive="recursive" in call.query))


# commit statuses (the merge gate)


@route("repos/create-commit-status")
def create_status(call: Call) -> Reply:
    b = call.body
    status = call.world.add_status(call.params["sha"], call.login, b["state"], b.get("description"),
                                   b.get("context"))
    return Reply(201, call.render.status(status))


@route("repos/get-combined-status-for-ref")
def combined_status(call: Call) -> Reply:
    world = call.world
    sha = world.resolve(world.repo, call.params["ref"])
    return Reply(200, call.render.combined_status(sha, world.latest_statuses(sha)))
