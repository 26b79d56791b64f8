"""The check's trusted context, and what it decides about a folder."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from microcred.content.loader import load_course
from microcred.submission.check import Context, check_folder
from microcred.submission.source import FsSource
from tests.conftest import DATA


def test_a_used_context_still_travels_to_pool_workers() -> None:
    ctx = Context.of(load_course(DATA / "course").course, ["Jordana"])
    assert ctx.detectors[True]  # built, and holding closures
    copy = pickle.loads(pickle.dumps(ctx))
    assert "detectors" not in copy.__dict__
    assert len(copy.detectors[True]) == len(ctx.detectors[True])


def test_a_folder_of_a_login_off_the_roster_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "submissions/nobody/my-credential/observation"
    shutil.copytree(DATA / "good-submission", folder)
    manifest = folder / "submission.yml"
    manifest.write_text(manifest.read_text().replace("learner: lea", "learner: nobody"))
    ctx = Context.of(load_course(DATA / "course").course)
    report = check_folder(FsSource(tmp_path), "submissions/nobody/my-credential/observation/", ctx)
    assert [(f.rule, f.message) for f in report.findings] == [(
        "not-enrolled", "nobody is not enrolled in the programme 'my-programme', which awards "
        "my-credential, so this submission cannot earn it")]
