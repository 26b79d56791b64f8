"""Which microcred a course's workflows install: one requirement line, exact and hashed.

The line comes from a published wheel: a wheel file (the same file the package index serves, so
the line is `microcred==VERSION --hash=...`), a wheel's address with its hash, or — by default —
the wheel this microcred was installed from, which pip records with its hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from microcred.errors import ConfigError, UsageError

_WHEEL = re.compile(r"^microcred-(?P<version>[0-9][0-9A-Za-z.+!]*)-[^-]+-[^-]+-[^-]+\.whl$")
_URL_HASH = re.compile(r"#sha256=(?P<hash>[0-9a-f]{64})$")
_LINE_VERSION = re.compile(r"^microcred(?:==(?P<pinned>\S+)|\s*@\s*(?P<url>\S+))")
WHEEL_FIX = ("give --wheel with the microcred wheel file you installed, or its address "
             "ending in #sha256=<hash>")


@dataclass(frozen=True)
class Pin:
    """The requirement line, and the version it installs."""

    line: str
    version: str


def from_wheel(source: str) -> Pin:
    """The pin for a wheel file on disk, or for a wheel's https address carrying its hash."""
    if source.startswith("https://"):
        return _from_url(source)
    path = Path(source)
    version = _wheel_version(path.name, source)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise UsageError(f"{source}: cannot read the wheel ({exc.strerror}); {WHEEL_FIX}") from exc
    return Pin(f"microcred=={version} --hash=sha256:{digest}", version)


def _from_url(url: str) -> Pin:
    found = _URL_HASH.search(url)
    if found is None:
        raise UsageError(f"{url}: the address needs the wheel's hash at its end, as "
                         "#sha256=<64 hex digits>, so the workflows can check what they install")
    address = url[:found.start()]
    version = _wheel_version(urlsplit(address).path.rsplit("/", 1)[-1], url)
    return Pin(f"microcred @ {address} --hash=sha256:{found['hash']}", version)


def _wheel_version(name: str, shown: str) -> str:
    match = _WHEEL.match(name)
    if match is None:
        raise UsageError(f"{shown}: not a microcred wheel (expected microcred-VERSION-py3-none-any.whl)")
    return match["version"]


def installed() -> Pin:
    """The pin for the wheel this microcred was installed from, as pip recorded it."""
    try:
        dist = metadata.distribution("microcred")
        record = json.loads(dist.read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        record = None
    if not isinstance(record, dict):
        raise ConfigError("this microcred came from a package index, which tells pip no hash to "
                          "record, so it cannot pin itself: download its wheel (pip download "
                          "--no-deps microcred==VERSION) and give it with --wheel")
    archive = record.get("archive_info")
    digest = ((archive or {}).get("hashes") or {}).get("sha256")
    if not isinstance(digest, str):
        raise ConfigError("this microcred was installed from a source tree, not a published "
                          f"wheel, so it cannot pin itself; {WHEEL_FIX}")
    url = str(record.get("url", ""))
    if url.startswith("https://"):
        return _from_url(f"{url}#sha256={digest}")
    version = dist.version
    return Pin(f"microcred=={version} --hash=sha256:{digest}", version)


def pinned_version(pin_text: str) -> str | None:
    """The microcred version a pin file installs; None when it installs no microcred (a tree)."""
    for line in pin_text.splitlines():
        match = _LINE_VERSION.match(line.strip())
        if match and match["pinned"]:
            return match["pinned"]
        if match and match["url"]:
            wheel = _WHEEL.match(urlsplit(match["url"]).path.rsplit("/", 1)[-1])
            return wheel["version"] if wheel else "unknown"
    return None


def microcred_line(pin_text: str) -> str | None:
    """The microcred requirement line of a pin file, as written."""
    return next((line.strip() for line in pin_text.splitlines()
                 if _LINE_VERSION.match(line.strip())), None)
