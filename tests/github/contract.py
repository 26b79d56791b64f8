"""GitHub's published REST contracts (tests/github/contracts/): route a request, check its bodies.

Each operation in rest/operations.json names its path, the JSON Schema of its request body and of
each response status. Statuses an operation does not document (rate limits, 401) are checked
against GitHub's generic `basic-error` schema.

GitHub's description uses `oneOf` for alternatives that overlap (a plain 409 error body is both a
`basic-error` and a `repository-rule-violation-error`, as neither requires a key): like OpenAPI
tools, we read it as "one of these shapes" and accept a body that fits more than one branch.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

CONTRACTS = Path(__file__).parent / "contracts"
GENERIC_ERROR = "rest/schemas/basic-error.schema.json"

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(datetime.fromisoformat(value).tzinfo)


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    return not isinstance(value, str) or re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value) is not None


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    pattern: re.Pattern[str]
    responses: dict[str, Any]
    request_schema: str | None

    def example(self, status: str, name: str = "") -> Any:
        """A fresh copy of GitHub's example response for `status` (the one named `name`)."""
        paths = self.responses[status]["examples"]
        path = next(p for p in paths if p.endswith(f".{name}.json")) if name else paths[0]
        return copy.deepcopy(_load(path))


@dataclass(frozen=True)
class Match:
    operation: Operation
    params: dict[str, str]


class Contracts:
    """The operations the fake GitHub serves, and checks of bodies against their schemas."""

    def __init__(self, root: Path = CONTRACTS) -> None:
        table = json.loads((root / "rest/operations.json").read_text(encoding="utf-8"))
        self.operations = {op["operationId"]: _operation(op) for op in table}

    def route(self, method: str, path: str) -> Match | None:
        for op in self.operations.values():
            found = op.pattern.fullmatch(path)
            if op.method == method and found:
                return Match(op, found.groupdict())
        return None

    def request_problems(self, op: Operation, body: Any) -> list[str]:
        if op.request_schema is None:
            return [] if body is None else [f"{op.id}: takes no request body"]
        return _problems(op.request_schema, body)

    def response_problems(self, op: Operation | None, status: int, body: Any) -> list[str]:
        described = op.responses.get(str(status)) if op else None
        if described is None and status < 400:
            return [f"{op.id if op else '?'}: status {status} is not in GitHub's description"]
        if described is not None and not described["schema"] and status < 300:
            # GitHub documents no body (204 No Content, 201 without one): none may be sent.
            return [] if body is None else [f"{op.id if op else '?'}: {status} has no body"]
        schema = described["schema"] if described and described["schema"] else GENERIC_ERROR
        return _problems(schema, body)


def _operation(op: dict[str, Any]) -> Operation:
    # {path} in the contents API and {ref} in the refs API (heads/<branch>) span slashes; every
    # other parameter is one segment.
    regex = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m[1]}>.+)" if m[1] in ("path", "ref")
                   else f"(?P<{m[1]}>[^/]+)", op["path"])
    return Operation(op["operationId"], op["method"], op["path"], re.compile(regex), op["responses"],
                     op.get("request_schema"))


@cache
def _load(name: str) -> Any:
    return json.loads((CONTRACTS / name).read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = _load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=FORMATS)


def _problems(schema: str, body: Any) -> list[str]:
    title = _load(schema)["title"]
    return [f"{title}: {error.json_path}: {error.message}"
            for error in _validator(schema).iter_errors(body) if not _overlap(error)]


def _overlap(error: jsonschema.ValidationError) -> bool:
    """A `oneOf` failing only because several branches fit (when none fits, `context` says why)."""
    return error.validator == "oneOf" and not error.context
