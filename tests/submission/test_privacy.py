from __future__ import annotations

import pytest

from microcred.submission.manifest import PrivacyException
from microcred.submission.privacy import detectors, is_public_video, mask, scan


def _rules(text: str, names: tuple[str, ...] = (), video: bool = False) -> list[str]:
    return [f.rule for f in scan(text, "f.md", "f.md", detectors(names, video), [])]


@pytest.mark.parametrize(("text", "rule"), [
    ("write to ana.lopez@school.example.org today", "privacy/email"),
    ("her mother's number is (555) 201-3344.", "privacy/phone"),
    ("call 555-201-3344", "privacy/phone"),
    ("student ID: 48213", "privacy/student-id"),
    ("the number 20481234 was on the sheet", "privacy/student-id"),
    ("DOB 03/14/2012", "privacy/date-of-birth"),
    ("born on March 14, 2012", "privacy/date-of-birth"),
])
def test_each_detector_finds_its_detail(text: str, rule: str) -> None:
    assert _rules(text) == [rule]


@pytest.mark.parametrize("text", [
    "Minute 12 of 45, room 214, 26 students.",
    "Lesson on 2026-03-14 at 10:30; next visit 04/02/2026.",
    "Version 1.2.3 of the rubric, page 105, 3.14159265.",
    "See https://vimeo.com/123456789/0a1b2c3d4e for the recording.",
])
def test_ordinary_lesson_details_do_not_alarm(text: str) -> None:
    assert _rules(text) == []


def test_names_from_the_programme_list_match_whole_words_only() -> None:
    assert _rules("Maria answered first", ("Maria",)) == ["privacy/student-name"]
    assert _rules("Mariachi music played first", ("Maria",)) == []


def test_findings_never_echo_the_full_value() -> None:
    text = "Reach jordan.b@example.net or 555-201-3344, ID 20481234."
    findings = scan(text, "f.md", "f.md", detectors((), False), [])
    rendered = " ".join(f.render() for f in findings)
    for secret in ("jordan.b@example.net", "555-201-3344", "20481234", "jordan"):
        assert secret not in rendered
    assert "••••••34" in rendered


def test_mask_keeps_shape_and_at_most_two_characters() -> None:
    assert mask("555-201-3344") == "•••-•••-••44"
    assert mask("a@b.c") == "•@•.•"


@pytest.mark.parametrize(("url", "public"), [
    ("https://www.youtube.com/shorts/abc123", True),
    ("https://youtube.com/@someteacher", True),
    ("https://vimeo.com/123456789", True),
    ("https://vimeo.com/123456789/0a1b2c3d4e", False),
    ("https://vimeo.com/123456789?h=0a1b2c", False),
    ("https://drive.google.com/file/d/abc/view", False),
    ("https://www.youtube.com/watch?v=abc", False),
])
def test_public_video_forms(url: str, public: bool) -> None:
    assert is_public_video(url) is public


def test_a_declared_exception_becomes_a_notice() -> None:
    exception = PrivacyException("f.md", 1, "phone", "the school's public front-office number")
    [finding] = scan("call 555-201-3344", "f.md", "f.md", detectors((), False), [exception])
    assert finding.severity == "notice"
    assert "the school's public front-office number" in finding.message


HOSTILE = [" " * 200_000, "7" * 200_000, "Maya Chen " * 20_000, "born" + " " * 200_000,
           "a at b dot " * 20_000, "the twins whose " * 12_000, "Maya," * 40_000,
           "\x00\ufffd\u202e" * 50_000, "Ortiz's " * 25_000, "12 Maple Oak " * 15_000]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_long_lines_are_scanned_without_error(line: str) -> None:
    findings = scan(line, "f.md", "f.md", detectors((), True), [])
    assert len(findings) <= 21  # at most the listed ones and one that counts the rest


def test_excerpts_hide_every_detail_and_the_names_around_it() -> None:
    text = "Maya Chen (ID 20481234) sat with Xochitl near Ms. Rivera."
    rendered = " ".join(f.render() for f in scan(text, "f.md", "f.md", detectors((), True), []))
    for secret in ("Maya", "Chen", "20481234", "Xochitl", "Rivera"):
        assert secret not in rendered
    assert "sat with" in rendered
