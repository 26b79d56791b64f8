"""The editor set-up: VS Code maps each kind of course file to a local copy of its schema; this
repository carries exactly what microcred renders, and the copies keep their stamp."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from microcred.content.yamlfile import parse_yaml
from microcred.ledger.settings import site_url_of
from microcred.setup.editor import (
    EXTENSIONS_PATH,
    SETTINGS_PATH,
    YAML_EXTENSION,
    editor_files,
    schema_path,
)
from microcred.setup.generated import Stamp, stamp_of
from microcred.site.schemas import FILE_GLOBS
from tests.conftest import REPO

SITE = "https://org.github.io/course/"


def _jsonc(text: str) -> dict[str, object]:
    """VS Code's settings files: JSON after `//` comment lines."""
    data: dict[str, object] = json.loads(
        "\n".join(line for line in text.splitlines() if not line.startswith("//")))
    return data


def test_this_repository_carries_the_rendered_editor_files() -> None:
    for rel, text in editor_files(site_url_of(REPO)).items():
        assert (REPO / rel).read_text(encoding="utf-8") == text, (
            f"{rel} differs from what microcred renders: run `microcred init --update`")


def test_the_settings_map_every_course_file_kind_to_a_local_schema() -> None:
    files = editor_files(SITE)
    mapping = _jsonc(files[SETTINGS_PATH])["yaml.schemas"]
    assert mapping == {f"./{schema_path(kind)}": list(globs) for kind, globs in FILE_GLOBS.items()}
    for kind in FILE_GLOBS:
        schema = json.loads(files[schema_path(kind)])
        assert schema["$id"] == f"{SITE}schemas/1/{kind}.schema.json"
    assert _jsonc(files[EXTENSIONS_PATH]) == {"recommendations": [YAML_EXTENSION]}


@pytest.mark.parametrize("kind", sorted(set(FILE_GLOBS) - {"consent"}))
def test_the_local_copies_accept_the_example_course_files(kind: str) -> None:
    schema = json.loads((REPO / schema_path(kind)).read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    for path in (p for glob in FILE_GLOBS[kind] for p in REPO.glob(glob)):
        # As the editor's YAML 1.2 reads them (and microcred does): dates stay text.
        data = parse_yaml(path.read_text(encoding="utf-8"), path.name).data
        assert list(validator.iter_errors(data)) == [], path


def test_every_editor_file_carries_its_stamp() -> None:
    for rel, text in editor_files(SITE).items():
        assert stamp_of(text) == Stamp("0.1.0", False), rel


def test_an_edited_copy_is_told_from_an_old_one() -> None:
    text = editor_files(SITE)[schema_path("module")]
    edited = text.replace('"title": "microcred module"', '"title": "our module"')
    assert stamp_of(edited) == Stamp("0.1.0", True)
    settings = editor_files(SITE)[SETTINGS_PATH].replace("rubrics/*.yml", "rubrics/**/*.yml")
    assert stamp_of(settings) == Stamp("0.1.0", True)
    assert stamp_of('{"$comment": "written by hand"}') is None
    assert stamp_of("{not json") is None
