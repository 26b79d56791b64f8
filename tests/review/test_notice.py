"""The outcome notice's Markdown, from plain facts: what each kind of decision tells the learner."""

from __future__ import annotations

from microcred.review.notice import (
    BadgeLinks,
    CriterionResult,
    Notice,
    badge_marker,
    notice_marker,
    render_badge,
    render_notice,
)
from tests.helpers import shown, shown_html

BASE = Notice(number=7, learner="lea", credential="My credential", version="1.0.0",
              module="Observation", module_id="observation", outcome="complete", attempt=1,
              criteria=(CriterionResult("Evidence", "Proficient", "Proficient", True),),
              coach="coach-ana")


def test_the_marker_names_the_decision_and_comes_first() -> None:
    text = render_notice(BASE)
    assert text.startswith(notice_marker(7) + "\n") and notice_marker(7) == "<!-- microcred:decision pr-7 -->"
    assert badge_marker("urn:uuid:1") == "<!-- microcred:badge urn:uuid:1 -->"


def test_a_module_of_several_names_what_is_next() -> None:
    text = render_notice(Notice(**{**BASE.__dict__, "remaining": ("Coaching", "Data use")}))
    assert "**Next:** Coaching, Data use — 2 module(s) to go for My credential." in text
    assert "Your badge" not in text


def test_a_complete_credential_without_its_badge_yet_says_when_it_comes() -> None:
    text = render_notice(Notice(**{**BASE.__dict__, "badge_pending": True}))
    assert "**Badge:** every module is complete; the badge is signed by the next run" in text


def test_learner_and_coach_text_cannot_inject_markdown_or_mentions() -> None:
    hostile = "[click](https://evil.example) <img src=x onerror=alert(1)> @org/team ![x](y)"
    text = render_notice(Notice(**{**BASE.__dict__, "outcome": "not-awarded", "reasons": (hostile,),
                                   "summary": hostile, "coach": "not a login!"}))
    html = shown_html(text)
    assert "<img" not in html and "<a " not in html  # no tag, link or mention renders
    assert f"Feedback from not a login!: {hostile}" in shown(text)  # shown as written
    assert f"- {hostile}" not in text and hostile in shown(text)


def test_a_badge_without_consent_points_to_the_ledger_and_to_consent() -> None:
    text = render_badge(BadgeLinks("urn:uuid:1", "ledger/badges/lea/c/v1.json",
                                   consent_file="submissions/lea/consent.yml"), "My credential")
    assert "- The signed badge (Open Badges 3.0 JSON): ledger/badges/lea/c/v1.json" in text
    assert "add `submissions/lea/consent.yml` with `public_page: true`" in text
