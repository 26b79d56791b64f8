"""A learner's consent to a public verification page: `submissions/<login>/consent.yml`.

The file is the learner's own, changed through their pull request like their evidence, so it is
read as untrusted YAML: small, no anchors or aliases, no tags, validated against its schema.
Without the file, nothing about the learner's badges is published.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from microcred.content.schema import validate
from microcred.content.yamlfile import YamlError, parse_yaml
from microcred.errors import Finding

CONSENT_FILE = "consent.yml"
MAX_CONSENT_BYTES = 4_000
_FIX = "start from the example in docs/formats.md"


@dataclass(frozen=True)
class Consent:
    public_page: bool
    show_as: str = ""

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
    return Consent(doc.data["public_page"], doc.data.get("show_as", "")), []


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
