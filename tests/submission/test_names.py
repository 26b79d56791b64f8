from __future__ import annotations

import pytest

from microcred.submission.names import login_problem, lookalike_of, name_problems, skeleton


@pytest.mark.parametrize(("raw", "rule"), [
    (b"submissions/lea/x/y/\xff\xfe.md", "unsafe-name"),
    (b"submissions/lea/x/y/notes\x07.md", "unsafe-name"),
    ("submissions/lea/x/y/gnp.\u202edm".encode(), "unsafe-name"),
    ("submissions/lea/x/y/no\u200btes.md".encode(), "unsafe-name"),
    (b"submissions/../rubrics/x.yml", "path-traversal"),
    (b"/etc/passwd", "path-traversal"),
    (b"submissions\\lea\\x.md", "path-traversal"),
])
def test_unsafe_names_are_refused(raw: bytes, rule: str) -> None:
    [finding] = name_problems(raw, raw.decode("utf-8", "backslashreplace"))
    assert finding.rule == rule


def test_plain_names_pass() -> None:
    assert name_problems(b"submissions/lea/cred/mod/notes-v2_final.md", "x") == []


def test_skeleton_folds_case_width_and_lookalikes() -> None:
    assert skeleton("LEA") == skeleton("lea") == skeleton("l\u0435a") == skeleton("ｌｅａ")


def test_lookalike_names_the_imitated_login() -> None:
    known = {"lea", "leo"}
    assert lookalike_of("Lea", known) == "lea"
    assert lookalike_of("l\u0435o", known) == "leo"
    assert lookalike_of("lea", known) is None
    assert lookalike_of("mia", known) is None


@pytest.mark.parametrize("login", ["lea", "Amaya-Ortiz-ed", "a1", "x" * 39, "a-b-c"])
def test_github_shaped_logins_pass(login: str) -> None:
    assert login_problem(login) is None


@pytest.mark.parametrize("login", ["Amaya Ortiz", "-lea", "lea-", "le--a", "lea.m", "x" * 40,
                                   "l\u0435a", "", "lea/../x"])
def test_other_logins_are_refused_with_the_rule(login: str) -> None:
    problem = login_problem(login)
    assert problem is not None and "letters, digits and single hyphens" in problem
