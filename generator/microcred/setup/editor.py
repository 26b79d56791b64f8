"""The editor set-up `init` writes: VS Code maps each course file to its JSON Schema.

The mapping points at copies of the schemas inside the repository (`.vscode/schemas/`), not at
the site: the YAML extension then completes and checks course files offline, before the site is
published, and always against the schemas of the microcred that wrote them. `init --update`
keeps the copies current; their `$id` is still the address the site publishes them at.
"""

from __future__ import annotations

import json
from typing import Any

from microcred import __version__
from microcred.setup.generated import with_header, with_json_stamp
from microcred.site.schemas import FILE_GLOBS, published

EDITOR_DIR = ".vscode"
SCHEMAS_DIR = f"{EDITOR_DIR}/schemas"
SETTINGS_PATH = f"{EDITOR_DIR}/settings.json"
EXTENSIONS_PATH = f"{EDITOR_DIR}/extensions.json"
YAML_EXTENSION = "redhat.vscode-yaml"


def schema_path(kind: str) -> str:
    return f"{SCHEMAS_DIR}/{kind}.schema.json"


def settings() -> dict[str, Any]:
    """VS Code workspace settings: which schema checks which course files."""
    # Paths starting with ./ are read from the workspace folder (the course's root).
    return {"yaml.schemas": {f"./{schema_path(kind)}": list(globs)
                             for kind, globs in FILE_GLOBS.items()}}


def extensions() -> dict[str, Any]:
    """The extensions VS Code offers to install when the course is opened."""
    return {"recommendations": [YAML_EXTENSION]}


def editor_files(site_url: str) -> dict[str, str]:
    """Every editor file by its path in the course: settings, extensions, schema copies."""
    out = {SETTINGS_PATH: _jsonc(settings()), EXTENSIONS_PATH: _jsonc(extensions())}
    for kind in FILE_GLOBS:
        out[schema_path(kind)] = with_json_stamp(published(kind, site_url), __version__)
    return out


def _jsonc(data: dict[str, Any]) -> str:
    # VS Code reads its settings files as JSON with comments, so the stamp is a `//` line.
    return with_header(json.dumps(data, indent=2) + "\n", __version__, comment="//")
