"""`microcred diff`: what it says when the credential is misspelt."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.cli import main
from tests.helpers import commit_all


def test_a_misspelt_credential_is_named_as_such(course: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    commit_all(course)
    assert main(["release", "my-credential", "--root", str(course), "-q"]) == 0
    assert main(["diff", "my-credentail", "0.1.0", "current", "--root", str(course)]) == 2
    assert capsys.readouterr().err == (
        "error: no credential 'my-credentail' (did you mean 'my-credential'? credentials: "
        "my-credential)\n")
