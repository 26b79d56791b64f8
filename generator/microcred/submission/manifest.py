"""Read a submission manifest as untrusted YAML: no aliases, no custom tags, bounded size."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from microcred.content.schema import validate
from microcred.content.yamlfile import YamlDoc, YamlError, parse_yaml
from microcred.errors import Finding
from microcred.submission.findings import CheckFinding, printable

MANIFEST = "submission.yml"
MAX_MANIFEST_BYTES = 64_000
MAX_DEPTH = 8
_PLAIN_TAGS = {None, "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
               "tag:yaml.org,2002:null", "tag:yaml.org,2002:float", "tag:yaml.org,2002:seq",
               "tag:yaml.org,2002:map"}


@dataclass(frozen=True)
class PrivacyException:
    file: str
    line: int
    rule: str
    reason: str


@dataclass(frozen=True)
class Manifest:
    learner: str
    credential: str
    credential_version: str
    module: str
    attempt: int
    evidence: dict[str, str]
    deidentified: bool
    exceptions: tuple[PrivacyException, ...] = ()
    doc: YamlDoc = field(default_factory=lambda: YamlDoc("", None))


def read_manifest(data: bytes, shown: str) -> tuple[Manifest | None, list[CheckFinding]]:
    """Parse and validate a manifest; return it, or None with the reasons it was refused."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [_bad(shown, 1, "the manifest is not UTF-8 text", "save it as UTF-8")]
    refused = _refuse_unsafe_yaml(text, shown)
    if refused:
        return None, [refused]
    try:
        doc = parse_yaml(text, shown)
    except YamlError as exc:
        return None, [_from_lint(shown, exc.finding)]
    doc = replace(doc, data=_string_keys(doc.data))
    problems = validate(doc, "submission")
    if problems:
        return None, [_from_lint(shown, p) for p in problems]
    return _manifest(doc), []


def _string_keys(data: Any) -> Any:
    """Mapping keys as text, as JSON has them: YAML allows `1:` or `true:`, the schema does not."""
    if isinstance(data, dict):
        return {str(key): _string_keys(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_string_keys(item) for item in data]
    return data


def _from_lint(shown: str, f: Finding) -> CheckFinding:
    return _bad(shown, f.line, f"{f.key}: {f.message}" if f.key else f.message, f.fix)


def _bad(shown: str, line: int, message: str, fix: str) -> CheckFinding:
    # Messages of the YAML parser and the schema quote the manifest's own (untrusted) text.
    return CheckFinding(shown, line, "manifest", printable(message), printable(fix))


def _refuse_unsafe_yaml(text: str, shown: str) -> CheckFinding | None:
    """Scan the event stream before building anything, so bombs are never expanded."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return _bad(shown, line, "YAML anchors and aliases are not allowed in a manifest",
                            "write each value out in full")
            if getattr(event, "tag", None) not in _PLAIN_TAGS:
                return _bad(shown, line, "custom YAML tags are not allowed in a manifest",
                            "remove the '!' tag")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return _bad(shown, line, f"the manifest is nested deeper than {MAX_DEPTH} "
                                "levels", "start from the template on the module page")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return _bad(shown, mark.line + 1 if mark else 1, f"invalid YAML: {exc.problem}",
                    "fix the syntax on this line")
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, such as NUL: no mark
        return _bad(shown, text.count("\n", 0, exc.position) + 1, f"the manifest contains a "
                    f"character YAML does not allow ({_code_point(exc.character)})",
                    "delete it, or retype the line")
    return None


def _code_point(character: int | str | bytes) -> str:
    code = character if isinstance(character, int) else ord(character)
    return f"U+{code:04X}"


def _manifest(doc: YamlDoc) -> Manifest:
    d = doc.data
    privacy = d["privacy"]
    exceptions = tuple(PrivacyException(e["file"], e["line"], e["rule"], e["reason"])
                       for e in privacy.get("exceptions", ()))
    return Manifest(d["learner"], d["credential"], d["credential_version"], d["module"],
                    d["attempt"], dict(d["evidence"]), privacy["deidentified"], exceptions, doc)
