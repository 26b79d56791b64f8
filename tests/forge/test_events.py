"""GitHub event payloads read into records: GitHub's own examples, and what is wrong with bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.forge.events import (
    MAX_EVENT_BYTES,
    EventError,
    pull_request_event,
    workflow_run_event,
)
from tests.github import payloads


def _event(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_pull_request_from_a_fork(tmp_path: Path) -> None:
    data = payloads.payload("pull_request.opened.fork.derived")
    event = pull_request_event(_event(tmp_path, data))
    pr = data["pull_request"]
    assert (event.kind, event.number, event.author) == ("pull_request", pr["number"], "Codertocat")
    assert (event.base_sha, event.head_sha) == (pr["base"]["sha"], pr["head"]["sha"])
    assert event.from_fork and event.head_repo == pr["head"]["repo"]["full_name"]


def test_a_pull_request_from_the_same_repository(tmp_path: Path) -> None:
    event = pull_request_event(_event(tmp_path, payloads.payload("pull_request.opened")))
    assert not event.from_fork


def test_a_review_is_read_for_its_pull_request(tmp_path: Path) -> None:
    data = payloads.payload("pull_request_review.submitted.approved.derived")
    event = pull_request_event(_event(tmp_path, data))
    assert event.kind == "pull_request_review"
    assert event.author == data["pull_request"]["user"]["login"]


def test_a_deleted_fork_is_still_a_fork(tmp_path: Path) -> None:
    data = payloads.payload("pull_request.opened.fork.derived")
    data["pull_request"]["head"]["repo"] = None
    event = pull_request_event(_event(tmp_path, data))
    assert event.from_fork and event.head_repo == ""


def test_a_workflow_run_from_a_fork(tmp_path: Path) -> None:
    data = payloads.payload("workflow_run.completed.pull_request_fork.derived")
    run = workflow_run_event(_event(tmp_path, data))
    assert (run.event, run.conclusion, run.head_sha) == (
        "pull_request", "success", data["workflow_run"]["head_sha"])
    assert run.head_repo != run.repository


def test_every_problem_is_named_by_key(tmp_path: Path) -> None:
    data = payloads.payload("workflow_run.completed")
    data["workflow_run"]["id"] = "12"
    data["workflow_run"]["head_sha"] = "HEAD"
    del data["repository"]
    path = _event(tmp_path, data)
    with pytest.raises(EventError) as caught:
        workflow_run_event(path)
    assert str(caught.value) == (f"{path}: workflow_run.id: str, expected a number\n"
                                 f"{path}: workflow_run.head_sha: 'HEAD' is not a commit sha\n"
                                 f"{path}: repository.full_name: missing")


def test_the_wrong_kind_of_event(tmp_path: Path) -> None:
    path = _event(tmp_path, payloads.payload("push.default"))
    with pytest.raises(EventError, match="not a workflow_run event"):
        workflow_run_event(path)
    with pytest.raises(EventError, match="not a pull_request or pull_request_review event"):
        pull_request_event(path)


@pytest.mark.parametrize(("content", "message"), [
    (b"[]", "not a JSON object"), (b"{", "not JSON"), (None, "cannot read the event file")])
def test_unreadable_event_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "event.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(EventError, match=message):
        pull_request_event(path)


def test_an_event_file_larger_than_github_sends(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_EVENT_BYTES + 1)
    with pytest.raises(EventError, match="more than an event payload can be"):
        pull_request_event(path)


# -- any payload: a record or an EventError naming what is wrong, nothing else --------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
              st.sampled_from(["a" * 40, "Codertocat", "o/r", "pull_request", ""])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10)
KINDS = {"pull_request": ("pull_request.opened.fork.derived", pull_request_event),
         "workflow_run": ("workflow_run.completed.pull_request_fork.derived", workflow_run_event)}


def _changed(data: object, place: list[int], value: object) -> object:
    """`data` with the value at a place chosen by `place` replaced (or `value` itself)."""
    node = data
    for step in place:
        if isinstance(node, dict) and node:
            key = sorted(node)[step % len(node)]
            if step % 4 == 0 or not isinstance(node[key], (dict, list)) or not node[key]:
                node[key] = value
                return data
            node = node[key]
        elif isinstance(node, list) and node:
            index = step % len(node)
            if step % 4 == 0 or not isinstance(node[index], (dict, list)) or not node[index]:
                node[index] = value
                return data
            node = node[index]
    return data if node is not data else value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(KINDS)), changes=st.lists(
    st.tuples(st.lists(st.integers(0, 30), min_size=1, max_size=6), json_values), max_size=3),
    raw=st.none() | st.binary(max_size=60))
def test_any_payload_gives_a_record_or_a_clear_error(tmp_path: Path, kind: str,
                                                      changes: list[tuple[list[int], object]],
                                                      raw: bytes | None) -> None:
    name, read = KINDS[kind]
    data: object = payloads.payload(name)
    for place, value in changes:
        data = _changed(data, place, value)
    path = tmp_path / "event.json"
    path.write_bytes(raw if raw is not None else json.dumps(data).encode())
    try:
        read(path)
    except EventError as error:
        assert all(line.startswith(f"{path}: ") for line in str(error).splitlines())


def test_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(EventError, match="nested too deeply"):
        workflow_run_event(path)
