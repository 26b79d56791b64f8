"""A learner's consent to a public verification page: `submissions/<login>/consent.yml`.

The file is the learner's own, changed through their pull request like their evidence, so it is
read as untrusted YAML: small, no anchors or aliases, no tags, validated against its schema.
Without the file, nothing about the learner's badges is published.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from microcred.content.schema import validate
from microcred.content.yamlfile import YamlError, parse_yaml
from microcred.errors import Finding

CONSENT_FILE = "consent.yml"
MAX_CONSENT_BYTES = 4_000
_FIX = "start from the example in docs/formats.md"
_LOGIN = re.compile(r"^[A-Za-z0-9-]{1,39}$")


@dataclass(frozen=True)
class Consent:
    public_page: bool
    show_as: str = ""
    did: str = ""  # the learner's own DID: the recipient id of badges issued from now on
    record: bool = True  # with public_page, a learner record page too

    @property
    def publishes_record(self) -> bool:
        return self.public_page and self.record

    def recipient(self, programme: str) -> str:
        """How the recipient is shown: the learner's own words, else their programme."""
        return self.show_as or f"a learner in {programme}"


NO_CONSENT = Consent(public_page=False)


def consent_path(login: str) -> str:
    return f"submissions/{login}/{CONSENT_FILE}"


def read_consent(data: bytes, shown: str) -> tuple[Consent | None, list[Finding]]:
    """Parse and validate a consent file; return it, or None with every reason it was refused."""
    if len(data) > MAX_CONSENT_BYTES:
        return None, [Finding(shown, 0, "", f"larger than {MAX_CONSENT_BYTES // 1000} KB", _FIX)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Finding(shown, 1, "", "not UTF-8 text", "save it as UTF-8")]
    refused = _refuse_unsafe_yaml(text, shown)
    if refused is not None:
        return None, [refused]
    try:
        doc = parse_yaml(text, shown)
    except YamlError as exc:
        return None, [exc.finding]
    problems = validate(doc, "consent")
    if problems:
        return None, problems
    d = doc.data
    return Consent(d["public_page"], d.get("show_as", ""), d.get("did", ""),
                   d.get("record", True)), []


def _refuse_unsafe_yaml(text: str, shown: str) -> Finding | None:
    """Look at the event stream before building anything: no anchors, aliases or tags.

    A syntax error is left for `parse_yaml`, which words it with its line.
    """
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return Finding(shown, line, "", "YAML anchors and aliases are not allowed here",
                               "write each value out in full")
            if getattr(event, "tag", None) is not None:
                return Finding(shown, line, "", "YAML tags are not allowed here",
                               "remove the '!' tag")
    except yaml.YAMLError:
        return None
    return None


def consents_at(root: Path, commit: str, logins: Iterable[str]) -> tuple[dict[str, Consent],
                                                                        list[Finding]]:
    """The consent of each of `logins` as committed at `commit`, keyed by lower-case login,
    with the problems of files that could not be read (their learners count as not consenting).

    A login matches its submissions folder whatever the case (GitHub logins ignore it); two
    folders that differ only in case match neither, so no one consents for someone else.
    """
    listing = _git(root, "ls-tree", "-z", "--name-only", commit, "--", "submissions/")
    folders: dict[str, list[str]] = {}
    for path in listing.split(b"\0"):
        name = path.decode("utf-8", "replace").removeprefix("submissions/")
        if _LOGIN.match(name):
            folders.setdefault(name.lower(), []).append(name)
    wanted = [names[0] for login in dict.fromkeys(x.lower() for x in logins)
              if len(names := folders.get(login, [])) == 1]
    batch = _git(root, "cat-file", "--batch", stdin=b"".join(
        f"{commit}:{consent_path(name)}\n".encode() for name in wanted))
    consents: dict[str, Consent] = {}
    problems: list[Finding] = []
    offset = 0
    for name in wanted:
        end = batch.index(b"\n", offset)
        header = batch[offset:end].split()
        if header[-1] == b"missing":
            offset = end + 1
            continue
        size = int(header[2])
        data, offset = batch[end + 1:end + 1 + size], end + 1 + size + 1
        consent, found = read_consent(data, consent_path(name)) if header[1] == b"blob" else (
            None, [Finding(consent_path(name), 0, "", "not a file", "make it a file")])
        problems += found
        if consent is not None:
            consents[name.lower()] = consent
    return consents, problems


def _git(root: Path, *args: str, stdin: bytes = b"") -> bytes:
    return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True,
                          check=True).stdout
