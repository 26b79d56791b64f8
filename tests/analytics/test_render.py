"""The JSON written a few learners at a time is, byte for byte, the whole document dumped at once."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from microcred.analytics import render
from tests.analytics.test_progress import progress_of, year

__all__ = ["year"]


def _streamed(progress: render.Progress, batch: int | None = None) -> tuple[str, list[str]]:
    chunks: list[str] = []
    if batch is None:
        render.write_json(progress, chunks.append)
    else:
        chunks.append("")
        render._write_rows(progress, chunks.append, batch)
    return "".join(chunks), chunks


def test_the_streamed_json_is_the_document_dumped_whole(year: Path) -> None:
    progress = progress_of(year)
    text, chunks = _streamed(progress)
    assert text == json.dumps(render.to_json(progress), indent=2, ensure_ascii=False) + "\n"
    assert len(chunks) > 10  # written in pieces, not built whole
    assert json.loads(text)["learners"][0]["learner"] == progress.rows[0].place.learner


@pytest.mark.parametrize("batch", [1, 2, 7, 1000])
def test_every_batch_size_writes_the_same_learners(year: Path, batch: int) -> None:
    progress = progress_of(year)
    whole = json.dumps(render.to_json(progress)["learners"], indent=2, ensure_ascii=False)
    assert _streamed(progress, batch)[0] == whole.replace("\n", "\n  ")


def test_no_learners_and_no_groups_are_still_the_same_document(year: Path) -> None:
    empty = dataclasses.replace(progress_of(year), rows=(), inactive=(), not_yet=(), problems=())
    assert _streamed(empty)[0] == json.dumps(render.to_json(empty), indent=2,
                                             ensure_ascii=False) + "\n"
