"""The check's trusted context."""

from __future__ import annotations

import pickle

from microcred.content.loader import load_course
from microcred.submission.check import Context
from tests.conftest import DATA


def test_a_used_context_still_travels_to_pool_workers() -> None:
    ctx = Context.of(load_course(DATA / "course").course, ["Jordana"])
    assert ctx.detectors[True]  # built, and holding closures
    copy = pickle.loads(pickle.dumps(ctx))
    assert "detectors" not in copy.__dict__
    assert len(copy.detectors[True]) == len(ctx.detectors[True])
