"""Validate a YAML document against the published JSON Schema of its kind."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from microcred.content.yamlfile import KeyPath, YamlDoc, dotted
from microcred.errors import Finding

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

KINDS = ("credential", "module", "rubric", "programme", "submission", "consent",
         "calendar", "exchange", "coaching-log", "community")
# Schemas of what microcred writes, published beside those of what it reads.
REPORTS = ("check-report",)
# Keywords whose meaning is the same in fastjsonschema's draft 2019 code and in JSON Schema
# 2020-12, as our schemas use them. A schema with any other keyword (prefixItems, $ref with
# siblings, unevaluated*, ...) gets no fast path: fastjsonschema would silently ignore it.
_FAST_APPLICATORS = ("items", "additionalProperties", "propertyNames", "if", "then", "else", "not")
_FAST_LISTS = ("allOf", "anyOf", "oneOf")
_FAST_MAPS = ("properties", "patternProperties")
_FAST_ASSERTIONS = frozenset({
    "type", "enum", "const", "required", "pattern", "minLength", "maxLength", "minItems",
    "maxItems", "uniqueItems", "minProperties", "maxProperties", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum",
    # annotations: neither validator asserts them (formats only with a format checker)
    "$schema", "$id", "$comment", "title", "description", "examples", "default", "format",
})
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number",
               "array": "a list", "object": "a mapping", "boolean": "true or false"}


@cache
def schema_of(kind: str) -> dict[str, Any]:
    """Return the JSON Schema published for `kind`."""
    text = resources.files("microcred.schemas").joinpath(f"{kind}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(kind: str) -> Draft202012Validator:
    # Imported when first needed: jsonschema takes about 0.1 s to import, and a course whose
    # files are all valid never needs it.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema_of(kind))


def validate(doc: YamlDoc, kind: str) -> list[Finding]:
    """Return one finding per schema violation, pointing at the offending key."""
    if passes_fast(doc.data, kind):
        return []
    errors = sorted(_leaf_errors(_validator(kind).iter_errors(doc.data)), key=_error_order)
    return [_finding(doc, err) for err in errors]


def passes_fast(data: Any, kind: str) -> bool:
    """Whether `data` is valid by the compiled check; False means "ask jsonschema"."""
    check = _fast_validator(kind)
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # invalid, or odd data the compiled code cannot judge: jsonschema decides
        return False
    return True


@cache
def _fast_validator(kind: str) -> Callable[[Any], Any] | None:
    """Compile the schema of `kind` to Python once per process; None when it cannot be trusted."""
    import fastjsonschema  # only commands that validate pay for importing it

    schema = schema_of(kind)
    if not _fast_safe(schema):
        return None
    try:
        check: Callable[[Any], Any] = fastjsonschema.compile(
            _const_as_enum(schema), use_default=False, use_formats=False,
            detailed_exceptions=False)
    except Exception:  # a schema the compiler cannot take is checked by jsonschema alone
        return None
    return check


def _fast_safe(schema: Any) -> bool:
    """Whether every keyword of `schema` means the same to fastjsonschema as to jsonschema."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or ("const" in schema and "enum" in schema):
        return False
    for key, value in schema.items():
        if key in _FAST_APPLICATORS:
            ok = _fast_safe(value)
        elif key in _FAST_LISTS:
            ok = isinstance(value, list) and all(_fast_safe(s) for s in value)
        elif key in _FAST_MAPS:
            ok = isinstance(value, dict) and all(_fast_safe(s) for s in value.values())
        else:
            ok = key in _FAST_ASSERTIONS or key.startswith("x-")
        if not ok:
            return False
    return True


def _const_as_enum(schema: Any) -> Any:
    """Write `const: x` as `enum: [x]`, which means the same.

    fastjsonschema cannot word a failed `const` without its detailed messages, and those make
    the generated code twice as large and slow to compile; the fast path needs no wording.
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _FAST_APPLICATORS:
            out[key] = _const_as_enum(value)
        elif key in _FAST_LISTS:
            out[key] = [_const_as_enum(s) for s in value]
        elif key in _FAST_MAPS:
            out[key] = {name: _const_as_enum(s) for name, s in value.items()}
        elif key == "const":
            out["enum"] = [value]
        else:
            out[key] = value
    return out


def _error_order(err: ValidationError) -> tuple[str, str]:
    return ("/".join(map(str, err.absolute_path)), err.message)


def _leaf_errors(errors: Any) -> list[ValidationError]:
    """Flatten `if/then` wrappers so each message names the innermost problem."""
    out: list[ValidationError] = []
    for err in errors:
        out.extend(_leaf_errors(err.context) if err.context else [err])
    return out


def _finding(doc: YamlDoc, err: ValidationError) -> Finding:
    path: KeyPath = tuple(err.absolute_path)
    message, fix = _explain(err)
    extra = _unexpected_keys(err) if err.validator == "additionalProperties" else []
    if extra:
        path = (*path, extra[0])
    return Finding(doc.path, doc.line_of(path), dotted(path), message, fix)


def _explain(err: ValidationError) -> tuple[str, str]:
    schema: dict[str, Any] = err.schema if isinstance(err.schema, dict) else {}
    hint = schema.get("x-fix", "")
    value: Any = err.validator_value
    validator = err.validator
    if validator == "required":
        missing = str(err.message).split("'")[1]
        return f"missing required key '{missing}'", f"add '{missing}:'"
    if validator == "additionalProperties":
        extra = _unexpected_keys(err)
        known = sorted((schema.get("properties") or {}).keys())
        near = difflib.get_close_matches(extra[0], known, n=1) if extra else []
        fix = f"did you mean '{near[0]}'?" if near else f"remove it; allowed keys: {', '.join(known)}"
        return f"unknown key '{extra[0] if extra else '?'}'", fix
    if validator == "type":
        expected = value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return f"expected {wanted}, got {_describe(err.instance)}", hint or f"write {wanted} here"
    if validator in ("enum", "const"):
        allowed = value if validator == "enum" else [value]
        options = ", ".join(str(a) for a in allowed)
        return f"{_describe(err.instance)} is not allowed", hint or f"use one of: {options}"
    if validator == "pattern":
        return f"{_describe(err.instance)} has the wrong form", hint or f"match {value}"
    if validator in ("minItems", "minLength", "minProperties"):
        return "must not be empty", hint or "add at least one entry"
    if validator in ("minimum", "exclusiveMinimum", "maximum"):
        return f"{err.instance} is out of range", hint or f"{validator} is {value}"
    return str(err.message), hint


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return repr(value) if len(value) < 60 else repr(value[:57] + "...")
    if isinstance(value, (int, float)):
        return str(value)
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__).replace("a ", "")


def _unexpected_keys(err: ValidationError) -> list[str]:
    schema: dict[str, Any] = err.schema if isinstance(err.schema, dict) else {}
    props = set((schema.get("properties") or {}).keys())
    instance = err.instance if isinstance(err.instance, dict) else {}
    return sorted(str(k) for k in instance if k not in props)
