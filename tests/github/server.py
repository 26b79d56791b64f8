"""A fake GitHub REST API on 127.0.0.1 that holds itself to GitHub's published contracts.

Every request body it receives and every response body it sends is validated against the JSON
Schema GitHub publishes for that operation (tests/github/contracts/); each mismatch, and each
request for an operation it has no contract for, is appended to `violations`, which the test
fixtures require to be empty. Serve it under a path prefix to look like GitHub Enterprise Server
(`/api/v3`). Script failures with `fail()` and `rate_limit()`.

It is also an organisation (org.py): repositories created through the API are served beside the
course's, each with its own state. GET answers carry an ETag; a request whose If-None-Match names
it gets 304 and no body, as GitHub answers conditional requests (and does not count them against
the rate limit).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.github import org_routes, settings_routes  # noqa: F401  (register their operations)
from tests.github.contract import Contracts, Operation
from tests.github.org import Access, Org
from tests.github.resources import Render
from tests.github.routes import ROUTES, Call, Reply
from tests.github.state import ApiError, World

TOKEN = "ghp_fakeTokenForTests0123456789abcdefABCD"
BOT = "microcred-bot"
RATE_LIMIT = 5000
SECONDARY = ("You have exceeded a secondary rate limit. Please wait a few minutes before you try "
             "again.")
PRIMARY = "API rate limit exceeded for user ID 1."


@dataclass
class Script:
    """Answer the next `times` calls of an operation with `status` instead of serving them,
    after serving `after` calls as usual."""

    op_id: str
    status: int
    message: str
    headers: dict[str, str]
    times: int
    after: int = 0


@dataclass(frozen=True)
class Seen:
    at: float
    method: str
    path: str
    op_id: str
    status: int
    body: bytes
    conditional: bool = False  # sent with If-None-Match


class FakeGitHub:
    """GitHub's REST API for one repository (and its forks), in memory."""

    def __init__(self, repo: str = "course-org/course", prefix: str = "",
                 tokens: dict[str, str] | None = None, owners: set[str] | None = None) -> None:
        self.contracts = Contracts()
        self.world = World(repo)
        self.prefix = prefix.rstrip("/")
        self.tokens = tokens or {TOKEN: BOT}
        self.violations: list[str] = []
        self.seen: list[Seen] = []
        self.scripts: list[Script] = []
        self.inline_limit = 1024 * 1024  # the contents API leaves out files above 1 MB
        self.files_limit = 3000
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self.render = Render(self.world, self.contracts, self.base_url, self.origin)
        self.org = Org(self.contracts, lambda: self.base_url, lambda: self.origin,
                       owners if owners is not None else {BOT})
        self.org.worlds[repo], self.org.renders[repo] = self.world, self.render
        self.org.access[repo] = Access()
        self.etags = True  # answer If-None-Match with 304 when nothing changed

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def base_url(self) -> str:
        """What to pass to PyGithub as `base_url`."""
        return self.origin + self.prefix

    def start(self) -> FakeGitHub:
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # scripting

    def fail(self, op_id: str, status: int, message: str = "Conflict", times: int = 1,
             headers: dict[str, str] | None = None, after: int = 0) -> None:
        assert op_id in self.contracts.operations, op_id
        self.scripts.append(Script(op_id, status, message, headers or {}, times, after))

    def rate_limit(self, op_id: str, status: int = 429, retry_after: str | None = "1",
                   primary: bool = False, times: int = 1, reset_in: int = 3600,
                   after: int = 0) -> None:
        """GitHub's rate-limit answer: primary (quota spent, wait for reset) or secondary."""
        headers = _rate_headers(0 if primary else RATE_LIMIT - 1, reset_in)
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        self.fail(op_id, status, PRIMARY if primary else SECONDARY, times, headers, after)

    def calls(self, op_id: str) -> list[Seen]:
        return [s for s in self.seen if s.op_id == op_id]

    def bodies(self, op_id: str) -> list[bytes]:
        """The request bodies sent to an operation, in order."""
        return [s.body for s in self.calls(op_id)]

    # serving

    def repo(self, full_name: str) -> World:
        """A repository the organisation holds (created through the API, or the course's)."""
        return self.org.worlds[full_name]

    def requests(self) -> int:
        """Requests served so far, conditional ones answered 304 included."""
        return len(self.seen)

    def handle(self, method: str, target: str, auth: str, raw: bytes,
               if_none_match: str = "") -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            path, query = _split(target)
            where = f"{method} {path}"
            match = self.contracts.route(method, path[len(self.prefix):]) \
                if path.startswith(self.prefix + "/") else None
            op = match.operation if match else None
            if match is None:
                self.violations.append(f"{where}: no GitHub contract for this request")
            try:
                body = self._body(op, where, raw)
                if op is None or match is None:
                    raise ApiError(404, "Not Found")
                login = self._login(auth)
                world = self._world(match.params, login)
                reply = self._scripted(op) or ROUTES[op.id](Call(
                    world, self.org.renders[world.repo.full_name], login, match.params, query,
                    body, self.inline_limit, self.files_limit, self.org))
            except ApiError as error:
                reply = Reply(error.status, self.render.error(error))
            except Exception as crash:  # a bug in the fake: fail the test, but answer PyGithub
                self.violations.append(f"{where}: the fake GitHub crashed: {crash!r}")
                reply = Reply(500, self.render.error(ApiError(500, "Server Error")))
            reply, links = self._paginate(reply, path, query)
            problems = self.contracts.response_problems(op, reply.status, reply.body)
            self.violations += [f"{where} -> {reply.status}: {p}" for p in problems]
            sent = json.dumps(reply.body).encode()
            etag = _etag(sent, links) if method == "GET" and reply.status == 200 else ""
            status = 304 if etag and self.etags and if_none_match == etag else reply.status
            self.seen.append(Seen(time.monotonic(), method, path, op.id if op else "", status, raw,
                                  bool(if_none_match)))
            spent = sum(s.status != 304 for s in self.seen)
            headers = {**_rate_headers(RATE_LIMIT - spent), **links, **reply.headers,
                       **({"ETag": etag} if etag else {})}
            return status, headers, b"" if status == 304 else sent

    def _world(self, params: dict[str, str], login: str) -> World:
        if "owner" not in params or "repo" not in params:
            return self.world
        return self.org.find(f"{params['owner']}/{params['repo']}", login)

    def _body(self, op: Operation | None, where: str, raw: bytes) -> Any:
        if not raw:
            body = None
        else:
            try:
                body = json.loads(raw)
            except ValueError:
                self.violations.append(f"{where}: the request body is not JSON")
                raise ApiError(400, "Problems parsing JSON") from None
        if op is not None:
            problems = self.contracts.request_problems(op, body)
            self.violations += [f"{where}: request: {p}" for p in problems]
            if problems:
                raise ApiError(422, "Invalid request.\n\n" + "\n".join(problems))
        return body

    def _login(self, auth: str) -> str:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() not in ("token", "bearer") or token not in self.tokens:
            raise ApiError(401, "Bad credentials")
        return self.tokens[token]

    def _scripted(self, op: Operation) -> Reply | None:
        script = next((s for s in self.scripts if s.op_id == op.id and s.times > 0), None)
        if script is None:
            return None
        if script.after:
            script.after -= 1
            return None
        script.times -= 1
        return Reply(script.status, self.render.error(ApiError(script.status, script.message)),
                     headers=script.headers)

    def _paginate(self, reply: Reply, path: str, query: dict[str, str]) -> tuple[Reply, dict[str, str]]:
        """One page of a list, and GitHub's Link header to the others."""
        if not reply.paginate:
            return reply, {}
        per_page = min(int(query.get("per_page", 30)), 100)
        page = int(query.get("page", 1))
        last = max(1, math.ceil(len(reply.body) / per_page))
        items = reply.body[(page - 1) * per_page:page * per_page]

        def url(n: int) -> str:
            return f"{self.origin}{path}?{urllib.parse.urlencode({**query, 'page': n})}"

        rels = ([("next", page + 1), ("last", last)] if page < last else []) + \
            ([("prev", page - 1), ("first", 1)] if page > 1 else [])
        links = {"Link": ", ".join(f'<{url(n)}>; rel="{rel}"' for rel, n in rels)} if rels else {}
        return Reply(reply.status, items, headers=reply.headers), links


def _split(target: str) -> tuple[str, dict[str, str]]:
    parts = urllib.parse.urlsplit(target)
    return urllib.parse.unquote(parts.path), dict(urllib.parse.parse_qsl(parts.query))


def _etag(body: bytes, links: dict[str, str]) -> str:
    return '"' + hashlib.sha1(body + repr(links).encode()).hexdigest() + '"'


def _rate_headers(remaining: int, reset_in: int = 3600) -> dict[str, str]:
    return {"X-RateLimit-Limit": str(RATE_LIMIT), "X-RateLimit-Remaining": str(max(remaining, 0)),
            "X-RateLimit-Used": str(RATE_LIMIT - max(remaining, 0)),
            "X-RateLimit-Reset": str(int(time.time()) + reset_in), "X-RateLimit-Resource": "core"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Send head and body in one write, at once: no 40 ms stalls on delayed ACKs.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        fake: FakeGitHub = self.server.fake  # type: ignore[attr-defined]
        status, headers, body = fake.handle(self.command, self.path,
                                            self.headers.get("Authorization", ""), raw,
                                            self.headers.get("If-None-Match", ""))
        self.send_response(status)
        for name, value in {"Content-Type": "application/json; charset=utf-8",
                            "X-GitHub-Media-Type": "github.v3; format=json",
                            "Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the test reads `FakeGitHub.seen` instead."""
