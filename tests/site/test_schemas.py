"""The schemas as published: versioned addresses that are their `$id`s, and they accept the
example course's files."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from microcred.content.schema import KINDS, REPORTS
from microcred.content.yamlfile import parse_yaml
from microcred.site.schemas import FILE_GLOBS, schema_files, schema_id, schema_uri
from tests.conftest import REPO

SITE = "https://example.org/course/"


def test_each_schema_is_published_under_its_format_version() -> None:
    files = schema_files(SITE)
    assert sorted(files) == sorted(f"schemas/1/{kind}.schema.json" for kind in KINDS + REPORTS)
    for uri, text in files.items():
        assert json.loads(text)["$id"] == SITE + uri


def test_without_a_site_address_the_id_stays_a_urn() -> None:
    assert schema_id("module", "") == "urn:microcred:schema:module:1"
    assert json.loads(schema_files("")[schema_uri("rubric")])["$id"] == "urn:microcred:schema:rubric:1"


def test_a_site_url_without_its_slash_gives_the_same_id() -> None:
    assert schema_id("module", SITE.rstrip("/")) == SITE + "schemas/1/module.schema.json"


@pytest.mark.parametrize("kind", sorted(set(FILE_GLOBS) - {"consent"}))
def test_the_example_course_files_validate_against_the_published_schema(kind: str) -> None:
    validator = Draft202012Validator(json.loads(schema_files(SITE)[schema_uri(kind)]))
    paths = sorted(p for glob in FILE_GLOBS[kind] for p in REPO.glob(glob))
    assert paths, f"the example course has no {kind} file at {FILE_GLOBS[kind]}"
    for path in paths:
        data = parse_yaml(path.read_text("utf-8"), path.name).data  # dates as text, as in YAML 1.2
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path.relative_to(REPO)


def test_the_globs_match_only_files_of_their_kind() -> None:
    for kind, globs in FILE_GLOBS.items():
        for path in (p for glob in globs for p in REPO.glob(glob)):
            assert yaml.safe_load(path.read_text("utf-8"))["kind"] == kind, path


def test_a_consent_file_validates_against_the_published_schema() -> None:
    # The example course has no learner who chose a public page, so its file is written here.
    validator = Draft202012Validator(json.loads(schema_files(SITE)[schema_uri("consent")]))
    assert list(validator.iter_errors(yaml.safe_load(
        "format: 1\nkind: consent\npublic_page: true\n"))) == []
