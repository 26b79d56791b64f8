"""Roster edits keep the rest of the file as it was, flow or block lists alike."""

from __future__ import annotations

import pytest
import yaml

from microcred.errors import UsageError
from microcred.networks.roster_edit import add_network, move_learner

ROSTER = """# who is where
cohorts:
  - id: c1
    networks:
      - id: n1
        coach: ca  # the autumn coach
        learners:
          - a
          - b
      - id: n2
        coach: cb
        learners: [c, d]
"""


def test_a_move_rewrites_both_lists_and_keeps_comments() -> None:
    text = move_learner(ROSTER, "p.yml", "a", "n2")
    assert "# the autumn coach" in text and text.startswith("# who is where")
    nets = yaml.safe_load(text)["cohorts"][0]["networks"]
    assert [n["learners"] for n in nets] == [["b"], ["c", "d", "a"]]


def test_an_added_network_follows_the_last_one() -> None:
    text = add_network(ROSTER, "p.yml", "c1", "n3", "cc", "ca", ["e", "f"])
    nets = yaml.safe_load(text)["cohorts"][0]["networks"]
    assert nets[-1] == {"id": "n3", "coach": "cc", "backup_coach": "ca", "learners": ["e", "f"]}


@pytest.mark.parametrize(("call", "message"), [
    (lambda: move_learner(ROSTER, "p.yml", "zed", "n2"), "p.yml: zed is in none of its networks"),
    (lambda: move_learner(ROSTER, "p.yml", "a", "n9"),
     r"p.yml: a is there, but no network 'n9' is \(its networks: n1, n2\)"),
    (lambda: move_learner(ROSTER, "p.yml", "c", "n2"), "c is already in n2"),
    (lambda: add_network(ROSTER, "p.yml", "c9", "n3", "cc", "", []), "no cohort 'c9'"),
    (lambda: add_network(ROSTER, "p.yml", "c1", "n1", "cc", "", []), "already a network 'n1'"),
])
def test_edits_that_do_not_apply_are_refused(call: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call()  # type: ignore[operator]
