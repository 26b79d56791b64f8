from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.submission.manifest import PrivacyException
from microcred.submission.privacy import (
    Detector,
    Hit,
    Settings,
    allowed_forms,
    detectors,
    find_spans,
    is_public_video,
    line_hits,
    mask,
    remembering,
    scan,
)
from microcred.submission.privacy.document import refine
from microcred.submission.privacy.hits import Gated
from microcred.submission.privacy.scan import REMEMBERED_LINE_CHARS, Remembering


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


# -- remembered lines and gated detectors: the same findings, less work --------------------------

PIECES = ["Maya", "Chen", "Ms.", "Rivera", "said", "asked", "Will", "the", "twins", "whose", "mother",
          "teaches", "here", "her", "IEP", "has", "a", "504", "plan", "ADHD", "DOB", "born", "on",
          "March", "14,", "2012", "03/14/2012", "555-201-3344", "(555)", "ID:", "48213", "20481234",
          "ana.lopez@school.example.org", "maya", "[at]", "school", "dot", "org", "@mayac_22",
          "jbrooks12", "login:", "12", "Maple", "Street", "lives", "at", "Oak", "Avenue",
          "https://youtu.be/abc123", "vimeo.com/123456789", "S07", "٣", "ſpeech", "İEP", "K",
          "Σ", "O'Brien", "D’Andre", "family", "only", "student", "who", "uses", "wheelchair",
          ",", ".", "|", ":", '"', "Priya", "R.", "Jamal's", "mom", "=", "coach", "Grace"]
BREAKS = [" ", " ", " ", "\n", "\r\n", "\x85", "\u2028", "\x0c", ", ", "\t"]


def _spans(text: str, found_by: list[Detector]) -> list[tuple[int, int, int, str]]:
    return [(s.line, s.start, s.end, s.rule) for s in find_spans(text, found_by)]


def _line_by_line(text: str, found_by: list[Detector]) -> list[tuple[int, int, int, str]]:
    """Every detector on every line: no gate, no memory (then the document's own step)."""
    lines = text.splitlines()
    hits = [line_hits(line, [partial(_ungated, d) for d in found_by]) for line in lines]
    return [(number, h.start, h.end, h.rule)
            for number, found in enumerate(refine(text, lines, hits), start=1) for h in found]


def _ungated(detect: Detector, line: str) -> Iterator[Hit]:
    return detect.detect(line) if isinstance(detect, Gated) else detect(line)


texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(BREAKS)), max_size=60).map(
    lambda parts: "".join(p + b for p, b in parts))


ALLOWED = Settings(allow=frozenset(allowed_forms(["Maya Chen", "555-201-3344"], ["coach-rivera"])),
                   staff_domains=frozenset(["school.example.org"]))
MAKERS: list[Callable[[], list[Detector]]] = [
    lambda: detectors((), True), lambda: detectors(("Brian", "Ada Lovelace"), True),
    lambda: detectors(private_video=True, settings=ALLOWED),
    lambda: detectors(private_video=True, settings=ALLOWED, in_text=False)]


@settings(max_examples=300, deadline=None)
@given(text=texts, make=st.sampled_from(MAKERS))
def test_gated_and_remembered_detectors_find_what_every_detector_on_every_line_finds(
        text: str, make: Callable[[], list[Detector]]) -> None:
    plain = make()
    kept = remembering(make())
    expected = _line_by_line(text, plain)
    assert _spans(text, plain) == expected  # gated
    assert _spans(text, kept) == expected  # gated and remembered
    assert _spans(text, kept) == expected  # read back from memory
    assert scan(text, "f.md", "f.md", kept, []) == scan(text, "f.md", "f.md", plain, [])


@settings(max_examples=300, deadline=None)
@given(text=texts, make=st.sampled_from(MAKERS))
def test_a_gate_passes_every_text_holding_a_line_its_detector_matches(
        text: str, make: Callable[[], list[Detector]]) -> None:
    for detect in make():
        if isinstance(detect, Gated) and any(next(detect.detect(line), None)
                                             for line in text.splitlines()):
            assert detect.needs(text)


@pytest.mark.parametrize("name", ["planted.txt", "clean.txt"])
def test_remembered_findings_equal_fresh_ones_on_the_development_examples(name: str) -> None:
    path = Path(__file__).parent / "privacy_dev" / name
    text = path.read_text(encoding="utf-8")
    kept = remembering(detectors((), True))
    fresh = scan(text, "f.md", "f.md", detectors((), True), [])
    assert scan(text, "f.md", "f.md", kept, []) == fresh
    assert scan(text, "f.md", "f.md", kept, []) == fresh  # every short line now remembered


def test_a_changed_line_is_read_again() -> None:
    [kept] = remembering(detectors((), False))
    assert isinstance(kept, Remembering)
    assert list(kept("the bell rang")) == []
    assert [h.rule for h in kept("the bell rang at 555-201-3344")] == ["phone"]
    assert list(kept("the bell rang")) == []
    assert set(kept.known) == {"the bell rang", "the bell rang at 555-201-3344"}


def test_long_lines_are_not_kept_and_the_memory_is_bounded() -> None:
    [kept] = remembering(detectors((), False), lines=3)
    assert isinstance(kept, Remembering)
    long_line = "call 555-201-3344 " + "x " * REMEMBERED_LINE_CHARS
    assert [h.rule for h in kept(long_line)] == ["phone"]
    assert kept.known == {}
    for k in range(10):
        assert [h.rule for h in kept(f"room {k}: call 555-201-334{k}")] == ["phone"]
        assert len(kept.known) <= 3
