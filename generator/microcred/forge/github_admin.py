"""REST requests that administer repositories in a GitHub organisation, within GitHub's limits.

`networks sync` makes thousands of requests across a hundred repositories, so this client does
what GitHub's guidance on rate limits asks, visibly and testably:

    wait      on 403/429 with Retry-After, or x-ratelimit-remaining 0 with x-ratelimit-reset, wait
              as long as GitHub says (never longer than `Limits.max_wait`: then stop, saying when
              to run again); a secondary limit that names no wait gets `secondary_wait`
    pace      content-creating requests (POST, PUT, PATCH, DELETE) at least
              `seconds_between_writes` apart, below GitHub's secondary limit of 80 a minute
    re-read   GET requests carry the ETag of the last answer (If-None-Match); GitHub answers 304
              with no body when nothing changed, and does not count that against the rate limit

Time passes through a `Clock`, so tests wait on a fake clock, never for real. The token goes
to PyGithub's requester only and never into a message.
"""

from __future__ import annotations

import json
import os
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import github
import requests

from microcred.errors import ConfigError
from microcred.forge.base import ForgeError
from microcred.forge.github import DEFAULT_API, TOKEN_VARIABLES

SECONDARY = "secondary rate limit"


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class Limits:
    """How this client leans on GitHub (GitHub documents the figures in its REST rate-limit
    guide: 80 content-creating requests a minute, 500 an hour; wait a minute when a secondary
    limit names no wait)."""

    seconds_between_writes: float = 0.8
    max_wait: float = 900.0
    secondary_wait: float = 60.0
    retries: int = 5
    timeout: int = 30


class RateLimited(ForgeError):
    """GitHub asked for a longer wait than this run may make."""


@dataclass
class Tally:
    """What a run sent: every request, the conditional ones GitHub answered 304, the writes, and
    the time spent waiting for rate limits."""

    requests: int = 0
    not_modified: int = 0
    writes: int = 0
    waited: float = 0.0
    by_operation: dict[str, int] = field(default_factory=dict)

    def count(self, method: str, path: str, status: int) -> None:
        self.requests += 1
        self.writes += method != "GET"
        self.not_modified += status == 304
        key = f"{method} {_shape(path)}"
        self.by_operation[key] = self.by_operation.get(key, 0) + 1


_WORDS = {"api", "v3", "repos", "orgs", "git", "trees", "blobs", "commits", "refs", "ref", "heads",
          "collaborators", "invitations", "branches", "protection", "main", "contents"}


def _shape(url: str) -> str:
    """The operation a URL belongs to, its names left out (for counting and messages)."""
    parts = urllib.parse.urlsplit(url).path.split("/")
    return "/" + "/".join(p if p in _WORDS else "{}" for p in parts if p)


class EtagStore:
    """The ETag and body of the last answer to each GET, kept in a file between runs."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        # url -> (ETag, body, Link header): a 304 carries no body, and may carry no Link
        self.entries: dict[str, tuple[str, Any, str]] = {}
        if path is not None and path.is_file():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                self.entries = {k: (v[0], v[1], v[2]) for k, v in raw.items()}
            except (ValueError, TypeError, IndexError, KeyError):
                self.entries = {}  # a damaged cache costs full reads, nothing else

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.entries), encoding="utf-8")


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any
    headers: dict[str, str]


class AdminClient:
    """GET and write requests to GitHub's REST API as the owner of `token`."""

    def __init__(self, token: str, base_url: str, *, clock: Clock | None = None,
                 limits: Limits = Limits(), etags: EtagStore | None = None,
                 report: Any = None) -> None:
        if not token:
            raise ForgeError("GitHub token: empty (set MICROCRED_GITHUB_TOKEN)")
        self.clock = clock or SystemClock()
        self.limits = limits
        self.etags = etags or EtagStore(None)
        self.tally = Tally()
        self._report = report or (lambda _message: None)
        self._last_write = -1e9
        self._resume_at = 0.0
        self._requester = github.Github(
            auth=github.Auth.Token(token), base_url=base_url.rstrip("/"), retry=None,
            timeout=limits.timeout, seconds_between_requests=None,
            seconds_between_writes=None).requester

    # reads

    def get(self, path: str, **query: str) -> Any:
        """GitHub's JSON for GET `path`, or None on 404; conditional when read before."""
        url = path + ("?" + urllib.parse.urlencode(query) if query else "")
        answer = self._conditional(url)
        if answer.status == 404:
            return None
        _check(answer, f"GET {path}")
        return answer.data

    def get_all(self, path: str, **query: str) -> list[Any]:
        """Every item of a list, following GitHub's Link headers page by page."""
        url: str | None = path + "?" + urllib.parse.urlencode({"per_page": "100", **query})
        items: list[Any] = []
        while url:
            answer = self._conditional(url)
            _check(answer, f"GET {path}")
            items += answer.data
            url = _next_link(answer.headers.get("link", ""))
        return items

    def _conditional(self, url: str) -> Answer:
        cached = self.etags.entries.get(url)
        headers = {"If-None-Match": cached[0]} if cached else {}
        answer = self.send("GET", url, None, headers)
        if answer.status == 304 and cached:
            return Answer(200, cached[1], {**answer.headers, "link": cached[2]})
        etag = answer.headers.get("etag")
        if answer.status == 200 and etag:
            self.etags.entries[url] = (etag, answer.data, answer.headers.get("link", ""))
        return answer

    # writes

    def write(self, method: str, path: str, body: Any = None) -> Answer:
        """One content-creating request, paced; GitHub's refusal raises ForgeError."""
        answer = self.send(method, path, body, {})
        _check(answer, f"{method} {path}")
        return answer

    # every request

    def send(self, method: str, url: str, body: Any, headers: dict[str, str]) -> Answer:
        """Send one request; wait out rate limits as GitHub asks, within `Limits`."""
        for _ in range(self.limits.retries + 1):
            self._pace(method)
            answer = self._once(method, url, body, headers)
            wait = self._wait(answer)
            if wait is None:
                return answer
            self._sleep(wait, f"{method} {_shape(url)}: GitHub's rate limit")
        raise RateLimited(f"{method} {_shape(url)}: still rate limited after "
                          f"{self.limits.retries} waits; run the command again later")

    def _once(self, method: str, url: str, body: Any, headers: dict[str, str]) -> Answer:
        try:
            status, raw_headers, text = self._requester.requestJson(
                method, url, headers=headers or None, input=body)
        except requests.RequestException as exc:
            raise ForgeError(f"{method} {_shape(url)}: GitHub could not be reached "
                             f"({type(exc).__name__})") from None
        lowered = {k.lower(): str(v) for k, v in raw_headers.items()}
        self.tally.count(method, url, status)
        if lowered.get("x-ratelimit-remaining") == "0" and status < 400:
            self._resume_at = _float(lowered.get("x-ratelimit-reset"))
        try:
            data = json.loads(text) if text else None
        except ValueError:
            data = None
        return Answer(status, data, lowered)

    def _wait(self, answer: Answer) -> float | None:
        """How long GitHub asks us to wait before sending again, or None if it did not."""
        if answer.status not in (403, 429):
            return None
        h = answer.headers
        if "retry-after" in h:
            return _float(h["retry-after"])
        if h.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in h:
            return max(0.0, _float(h["x-ratelimit-reset"]) - self.clock.now()) + 1
        message = str((answer.data or {}).get("message", "")) if isinstance(answer.data, dict) \
            else ""
        if answer.status == 429 or SECONDARY in message.lower():
            return self.limits.secondary_wait
        return None  # a refusal, not a limit

    def _pace(self, method: str) -> None:
        now = self.clock.now()
        if self._resume_at > now:
            self._sleep(self._resume_at - now + 1, "GitHub's rate limit is spent until its reset")
            self._resume_at = 0.0
        if method != "GET":
            gap = self.limits.seconds_between_writes - (self.clock.now() - self._last_write)
            if gap > 0:
                self.clock.sleep(gap)
                self.tally.waited += gap
            self._last_write = self.clock.now()

    def _sleep(self, seconds: float, why: str) -> None:
        if seconds > self.limits.max_wait:
            until = time.strftime("%H:%M UTC", time.gmtime(self.clock.now() + seconds))
            raise RateLimited(f"{why}: GitHub asks for a wait of {seconds:.0f} s, over this run's "
                              f"limit of {self.limits.max_wait:.0f} s; run it again after "
                              f"{until} (what is done is saved)")
        self._report(f"{why}: waiting {seconds:.0f} s as GitHub asks")
        self.clock.sleep(seconds)
        self.tally.waited += seconds


def _check(answer: Answer, action: str) -> None:
    if answer.status >= 400:
        message = answer.data.get("message") if isinstance(answer.data, dict) else None
        details = [e if isinstance(e, str) else e.get("message") or f"{e.get('field')} "
                   f"{e.get('code')}" for e in (answer.data or {}).get("errors") or []
                   if isinstance(e, str | dict)] if isinstance(answer.data, dict) else []
        raise ForgeError(f"{action}: GitHub answered {answer.status}: "
                         + "; ".join([str(message or "no message"), *details]))


def _next_link(link: str) -> str | None:
    for part in link.split(","):
        target, _, rel = part.partition(";")
        if 'rel="next"' in rel:
            return target.strip().strip("<>")
    return None


def _float(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def admin_from_environment(environ: Mapping[str, str] | None = None, *, clock: Clock | None = None,
                           limits: Limits = Limits(), etags: EtagStore | None = None,
                           report: Any = None) -> AdminClient:
    """The client for the token and API the environment names (as the course's forge)."""
    env = os.environ if environ is None else environ
    token = next((env[name] for name in TOKEN_VARIABLES if env.get(name)), "")
    if not token:
        raise ConfigError("environment: MICROCRED_GITHUB_TOKEN: no GitHub token; creating "
                          "repositories in the organisation needs an owner's token")
    return AdminClient(token, env.get("GITHUB_API_URL") or DEFAULT_API, clock=clock,
                       limits=limits, etags=etags, report=report)
