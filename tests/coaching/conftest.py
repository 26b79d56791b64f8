"""The sample course with its coaching records (tests/data/coaching) copied in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA


@pytest.fixture
def coached(course: Path) -> Path:
    """The sample course with a calendar, an exchange, two log entries and a community."""
    for folder in ("content", "coaching"):
        shutil.copytree(DATA / "coaching" / folder, course / folder, dirs_exist_ok=True)
    return course
