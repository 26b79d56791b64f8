"""Extract the GitHub REST contracts the fake GitHub serves from GitHub's own OpenAPI description.

Not run by the tests: the output is committed under tests/github/contracts/rest/. To regenerate:

    npm install --prefix /tmp/octo @octokit/openapi@23.0.2
    python tests/github/extract_contracts.py \
        --openapi /tmp/octo/node_modules/@octokit/openapi/generated/api.github.com.json \
        --out tests/github/contracts

It follows the conventions of an earlier extraction's SOURCES.md, so for the operations the earlier extraction
already has it writes byte-identical files (`--compare EARLIER-EXTRACTION` checks that):

- `rest/schemas/<operationId>.<status>.schema.json`, `rest/schemas/<operationId>.request.schema.json`:
  JSON Schema 2020-12, standalone (`$defs` holds every referenced component), converted from
  OpenAPI 3.0: `nullable: true` adds `null` to `type`/`enum` (or wraps in `anyOf [.., {type: null}]`);
  `example`, `x-*`, `discriminator`, `xml`, `externalDocs`, `readOnly`/`writeOnly`/`deprecated` dropped.
- `rest/examples/<operationId>.<status>.<example>.json`: GitHub's own examples for the operation,
  "conformed": keys the schema now requires but the older example lacks are added (null when
  nullable, else the first enum value or a typed placeholder) and every added JSON pointer is
  listed in `MANIFEST.json`.
- `rest/operations.json`: method, path, statuses → schema and examples, request schema.
- `rest/schemas/basic-error.schema.json`: GitHub's generic error body, for statuses an operation
  does not declare (rate limits, 401).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# operationId → the statuses the fake GitHub answers with (see tests/github/server.py).
OPERATIONS: dict[str, list[str]] = {
    "pulls/create": ["201", "422"],
    "pulls/list": ["200"],
    "pulls/get": ["200", "404"],
    "pulls/list-files": ["200"],
    "pulls/list-reviews": ["200"],
    "pulls/create-review": ["200", "422"],
    "pulls/request-reviewers": ["201", "422"],
    "pulls/list-requested-reviewers": ["200"],
    "pulls/merge": ["200", "405", "409"],
    "pulls/update": ["200", "422"],  # `microcred pr close`
    "issues/list-comments": ["200"],
    "issues/create-comment": ["201"],
    "issues/update-comment": ["200"],
    "repos/get-content": ["200", "404"],
    "repos/create-or-update-file-contents": ["200", "201", "404", "409", "422"],
    "git/get-blob": ["200", "404"],
    # the ledger branch (LedgerStore.ensure): read a branch's head, create the branch
    "git/get-ref": ["200", "404"],
    "git/create-ref": ["201", "422"],
    # every path on the ledger branch at once (the issue run's search for awards left pending)
    "git/get-tree": ["200", "404"],
    # the merge gate: a commit status on a pull request's head, and reading it back
    "repos/create-commit-status": ["201"],
    "repos/get-combined-status-for-ref": ["200"],
    # repository settings `microcred doctor --forge github` reads
    "repos/get": ["200"],
    "actions/get-github-actions-default-workflow-permissions-repository": ["200"],
    "repos/get-branch-protection": ["200", "404"],
    "repos/get-branch-rules": ["200"],
    "repos/get-repo-ruleset": ["200", "404"],
    "repos/get-environment": ["200"],
    "repos/list-deployment-branch-policies": ["200"],
    "actions/list-environment-secrets": ["200"],
    "actions/list-repo-secrets": ["200"],
    "repos/get-pages": ["200", "404"],
    "repos/codeowners-errors": ["200", "404"],
    # one private repository per peer network (`microcred networks sync --forge github`)
    "repos/create-in-org": ["201", "422"],
    "git/create-blob": ["201"],
    "git/create-tree": ["201", "422"],
    "git/create-commit": ["201"],
    "git/update-ref": ["200", "422"],
    "repos/list-collaborators": ["200"],
    "repos/add-collaborator": ["201", "204", "422"],
    "repos/remove-collaborator": ["204"],
    "repos/list-invitations": ["200"],
    "repos/update-invitation": ["200"],
    "repos/delete-invitation": ["204"],
    "repos/update-branch-protection": ["200", "422"],
}
COMPONENTS = ["basic-error"]
# GitHub's examples that do not fit GitHub's own schema, with where: an organization as an app's
# owner, which the schema allows only as a full user or an enterprise. Recorded in MANIFEST.json;
# the fake never serves these parts.
KNOWN_DRIFT = {
    "rest/examples/repos.get-branch-protection.200.default.json":
        ["$.required_pull_request_reviews.dismissal_restrictions.apps[0].owner"],
}
DROPPED = {"example", "discriminator", "xml", "externalDocs", "readOnly", "writeOnly", "deprecated"}
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
SCHEMA_VALUES = ("items", "additionalProperties", "not")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def convert(node: Any, refs: set[str]) -> Any:
    """One OpenAPI 3.0 schema as JSON Schema 2020-12; names of referenced components go to `refs`."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in DROPPED or key.startswith("x-") or key == "nullable":
            continue
        if key == "$ref":
            name = value.rsplit("/", 1)[1]
            refs.add(name)
            out[key] = f"#/$defs/{name}"
        elif key == "properties":
            out[key] = {name: convert(schema, refs) for name, schema in value.items()}
        elif key in SCHEMA_LISTS:
            out[key] = [convert(schema, refs) for schema in value]
        elif key in SCHEMA_VALUES and isinstance(value, dict):
            out[key] = convert(value, refs)
        else:
            out[key] = value
    return _nullable(out) if node.get("nullable") else out


def _nullable(out: dict[str, Any]) -> dict[str, Any]:
    if "type" in out:
        out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    if "enum" in out:
        return {**out, "enum": [*out["enum"], None]}
    if any(key in out for key in (*SCHEMA_LISTS, "$ref")):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def standalone(schema: dict[str, Any], title: str, components: dict[str, Any]) -> dict[str, Any]:
    """`schema` with every component it references, transitively, under `$defs`."""
    refs: set[str] = set()
    body = convert(schema, refs)
    defs: dict[str, Any] = {}
    while pending := sorted(refs - defs.keys()):
        for name in pending:
            defs[name] = convert(components["schemas"][name], refs)
    out = {"$schema": DIALECT, "title": title, **body}
    if defs:
        out["$defs"] = dict(sorted(defs.items()))
    return out


def conform(example: Any, schema: dict[str, Any], defs: dict[str, Any], pointer: str,
            added: list[str]) -> Any:
    """Add the keys `schema` requires that `example` lacks; record their JSON pointers."""
    schema = _resolve(schema, defs)
    if isinstance(example, list) and "items" in schema:
        return [conform(item, schema["items"], defs, f"{pointer}/{i}", added)
                for i, item in enumerate(example)]
    if not isinstance(example, dict):
        return example
    for branch in schema.get("allOf", []):
        example = conform(example, branch, defs, pointer, added)
    props = schema.get("properties", {})
    out = dict(example)
    for key in schema.get("required", []):
        if key not in out and key in props:
            out[key] = _placeholder(_resolve(props[key], defs))
            added.append(f"{pointer}/{key}")
    for key, value in out.items():
        if key in props:
            out[key] = conform(value, props[key], defs, f"{pointer}/{key}", added)
    return out


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _placeholder(schema: dict[str, Any]) -> Any:
    types = schema.get("type", "string")
    types = types if isinstance(types, list) else [types]
    if "null" in types or any(b.get("type") == "null" for b in schema.get("anyOf", [])):
        return None
    if schema.get("enum"):
        return schema["enum"][0]
    placeholders = {"string": "", "integer": 0, "number": 0, "boolean": False, "array": [],
                    "object": {}}
    return placeholders.get(types[0])


def _operations(api: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    found = {}
    for path, item in api["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                found[op["operationId"]] = (method.upper(), path, op)
    return found


def _response(api: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in response:
        return api["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def _examples(api: dict[str, Any], media: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, example in media.get("examples", {}).items():
        if "$ref" in example:
            example = api["components"]["examples"][example["$ref"].rsplit("/", 1)[1]]
        out[name] = example["value"]
    return out


def extract(api: dict[str, Any]) -> dict[str, Any]:
    """Every output file, by its path under the output folder."""
    files: dict[str, Any] = {}
    manifest: dict[str, Any] = {}
    table = []
    ops = _operations(api)
    for op_id, statuses in OPERATIONS.items():
        method, path, op = ops[op_id]
        stem = op_id.replace("/", ".")
        entry: dict[str, Any] = {"operationId": op_id, "method": method, "path": path,
                                 "docs": op.get("externalDocs", {}).get("url", ""), "responses": {}}
        for status in statuses:
            response = _response(api, op["responses"][status])
            media = response.get("content", {}).get("application/json")
            described = {"description": response.get("description", ""),
                         "headers": sorted(response.get("headers", {})), "schema": None,
                         "examples": []}
            entry["responses"][status] = described
            if media is None:
                continue  # GitHub documents no body: the server sends basic-error for it
            schema = standalone(media["schema"], f"{op_id} {status}", api["components"])
            described["schema"] = f"rest/schemas/{stem}.{status}.schema.json"
            files[described["schema"]] = schema
            for name, value in _examples(api, media).items():
                added: list[str] = []
                target = f"rest/examples/{stem}.{status}.{name}.json"
                files[target] = conform(value, schema, schema.get("$defs", {}), "", added)
                described["examples"].append(target)
                manifest[target] = {"source": "@octokit/openapi generated/api.github.com.json",
                                    "operationId": op_id, "status": status, "example": name,
                                    "conformed_missing_required": added}
                if target in KNOWN_DRIFT:
                    manifest[target]["known_schema_drift"] = KNOWN_DRIFT[target]
        request = op.get("requestBody", {}).get("content", {}).get("application/json")
        if request is not None:
            entry["request_schema"] = f"rest/schemas/{stem}.request.schema.json"
            files[entry["request_schema"]] = standalone(request["schema"], f"{op_id} request body",
                                                        api["components"])
        table.append(entry)
    for name in COMPONENTS:
        files[f"rest/schemas/{name}.schema.json"] = standalone(
            {"$ref": f"#/components/schemas/{name}"}, name, api["components"])
    files["rest/operations.json"] = table
    files["MANIFEST.json"] = manifest
    return files


def dump(data: Any) -> str:
    return json.dumps(data, indent=1) + "\n"


def compare(files: dict[str, Any], shared: Path) -> list[str]:
    """Files that exist in the earlier extraction too but differ from what we extracted."""
    return [name for name, data in files.items()
            if name.startswith("rest/") and name != "rest/operations.json"
            and (shared / name).exists() and (shared / name).read_text() != dump(data)]


def check(files: dict[str, Any]) -> list[str]:
    """Examples that fail their own schema after conforming (needs jsonschema)."""
    import jsonschema

    problems = []
    for op in files["rest/operations.json"]:
        for response in op["responses"].values():
            for example in response["examples"]:
                validator = jsonschema.Draft202012Validator(files[response["schema"]])
                problems += [f"{example}: {e.json_path}: {e.message}"
                             for e in validator.iter_errors(files[example])
                             if e.json_path not in KNOWN_DRIFT.get(example, [])]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--openapi", type=Path, required=True,
                        help="@octokit/openapi's generated/api.github.com.json")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="a folder laid out like an earlier extraction")
    args = parser.parse_args(argv)
    api = json.loads(args.openapi.read_text(encoding="utf-8"))
    files = extract(api)
    for name, data in files.items():
        target = args.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump(data), encoding="utf-8")
    problems = check(files)
    if args.compare:
        problems += [f"{name}: differs from {args.compare / name}"
                     for name in compare(files, args.compare)]
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(files)} files written to {args.out}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
