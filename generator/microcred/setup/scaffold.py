"""The course skeleton `microcred init` starts from: the package's scaffold/, filled in."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import jinja2

from microcred.errors import UsageError

MODES = ("cohort", "self-paced")
CREDENTIAL = "my-credential"
FIRST_VERSION = "0.1.0"
# Files whose text carries the title, the mode or the date; the rest are copied as they are.
_TEMPLATED = ("mkdocs.yml", "content/index.md", "content/programmes/my-programme.yml",
              "content/credentials/my-credential.yml")
# Dotfiles are named without their dot in the package, so no tool along the way drops them.
_RENAMED = {"gitignore": ".gitignore"}
_ENV = jinja2.Environment(variable_start_string="[[", variable_end_string="]]",
                          block_start_string="[%", block_end_string="%]", trim_blocks=True,
                          lstrip_blocks=True, keep_trailing_newline=True,
                          undefined=jinja2.StrictUndefined, autoescape=False)


@dataclass(frozen=True)
class Options:
    """What `init` was asked for."""

    title: str
    mode: str
    site_url: str = ""


def validate(options: Options) -> None:
    """Refuse a mode or title the course files cannot carry as given."""
    if options.mode not in MODES:
        raise UsageError(f"--mode {options.mode}: unknown mode (use 'cohort' or 'self-paced')")
    title = options.title
    if not title.strip() or title != title.strip():
        raise UsageError(f"--title {title!r}: give a title without leading or trailing spaces")
    bad = sorted({c for c in title if c in "\"'\\`" or unicodedata.category(c).startswith("C")})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise UsageError(f"--title {title!r}: the title may not hold {shown} (use typographic "
                         "quotes such as “ ” and ’ instead)")
    url = options.site_url
    if url and not re.fullmatch(r"https://[^\s\"'\\#?]+/", url):
        raise UsageError(f"--site-url {url!r}: give the site's https:// address, ending in /, "
                         "such as https://my-org.github.io/my-course/")


def files(options: Options, today: dt.date) -> dict[str, bytes]:
    """Every skeleton file by its path in the new repository."""
    out: dict[str, bytes] = {}
    for rel, data in _walk(resources.files("microcred") / "scaffold", ""):
        if rel in _TEMPLATED:
            text = _ENV.from_string(data.decode("utf-8")).render(
                title=options.title, mode=options.mode, site_url=options.site_url,
                repo_url=_repo_url(options.site_url), date=today.isoformat())
            data = text.encode("utf-8")
        out[_RENAMED.get(rel, rel)] = data
    return out


def _repo_url(site_url: str) -> str:
    """The repository a GitHub Pages address belongs to; a placeholder for any other."""
    pages = re.fullmatch(r"https://([A-Za-z0-9-]+)\.github\.io/([A-Za-z0-9._-]+)/", site_url)
    return (f"https://github.com/{pages[1]}/{pages[2]}" if pages
            else "https://github.com/YOUR-ORG/YOUR-COURSE")


def write_skeleton(target: Path, options: Options, today: dt.date) -> int:
    """Write the skeleton alone into `target` (no git, no workflows); how many files."""
    made = files(options, today)
    for rel, data in made.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(made)


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            if entry.name != "__pycache__":
                out += _walk(entry, rel + "/")
        else:
            out.append((rel, entry.read_bytes()))
    return out
