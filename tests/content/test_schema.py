"""Schema violations name the file, the line, the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from microcred.content.schema import KINDS, schema_of
from tests.helpers import lint_lines, replace

OBS = "modules/observation/module.yml"
CRED = "content/credentials/my-credential.yml"


@pytest.mark.parametrize("kind", KINDS)
def test_published_schemas_are_valid_json_schema(kind: str) -> None:
    Draft202012Validator.check_schema(schema_of(kind))
    assert schema_of(kind)["properties"]["kind"]["const"] == kind


CASES = {
    "unknown key": (OBS, "hours: 10", "hours: 10\nhour: 3",
                    f"{OBS}:8: hour: unknown key 'hour' (did you mean 'hours'?)"),
    "missing key": (OBS, "key_method: Scripted observation with a calling-on tally.\n", "",
                    f"{OBS}:1: missing required key 'key_method' (add 'key_method:')"),
    "unknown evidence kind": (OBS, "kind: link", "kind: video",
                              f"{OBS}:28: evidence[2].kind: 'video' is not allowed "
                              "(use one of text, csv, link, file)"),
    "wrong type": (OBS, "hours: 10", "hours: ten",
                   f"{OBS}:7: hours: expected a number, got 'ten' "
                   "(estimate the hours as a number such as 12)"),
    "not a semantic version": (CRED, "version: 0.1.0", "version: v1",
                               f"{CRED}:5: version: 'v1' has the wrong form "
                               "(use a semantic version such as 1.0.0)"),
    "bad id": (OBS, "id: tally", "id: Tally Sheet",
               f"{OBS}:17: evidence[1].id: 'Tally Sheet' has the wrong form (use lower-case "
               "letters, digits and single hyphens, e.g. 'coaching-conversations')"),
    "unknown key inside an evidence kind": (
        OBS, "private: true", "private: true\n    maxbytes: 3",
        f"{OBS}:33: evidence[2].maxbytes: unknown key 'maxbytes' (remove it; allowed keys: "
        "criteria, description, file, hosts, id, kind, optional, private, template, title)"),
    "csv without columns": (OBS, "    columns:\n      - {name: minute, type: integer}\n"
                            "      - {name: seat, type: string}\n"
                            "      - {name: question_type, allowed: [recall, procedural, "
                            "conceptual, open]}\n", "",
                            f"{OBS}:17: evidence[1]: missing required key 'columns' "
                            "(add 'columns:')"),
    "wrong format version": (CRED, "format: 1", "format: 2",
                             f"{CRED}:1: format: 2 is not allowed (set 'format: 1')"),
    "link host with scheme": (OBS, "hosts: [vimeo.com, youtube.com]",
                              "hosts: [https://vimeo.com]",
                              f"{OBS}:31: evidence[2].hosts[0]: 'https://vimeo.com' has the "
                              "wrong form (list bare host names such as vimeo.com)"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_schema_violation_reports_exact_finding(course: Path, name: str) -> None:
    path, old, new, expected = CASES[name]
    replace(course / path, old, new)
    assert lint_lines(course) == [expected]
