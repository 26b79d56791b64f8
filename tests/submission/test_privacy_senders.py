"""An email chain's staff correspondents and a chat export's authors are adults wherever the
document names them; a family's sender and a transcript's speaker are not."""

from __future__ import annotations

from microcred.submission.privacy import Settings, detectors, find_spans

STAFF = detectors(private_video=True, settings=Settings(staff_domains=frozenset(["district.example.org"])))


def _found(text: str) -> list[tuple[int, str, str]]:
    lines = text.splitlines()
    return [(s.line, s.rule, lines[s.line - 1][s.start:s.end]) for s in find_spans(text, STAFF)]


def test_staff_senders_of_an_email_chain_are_adults_in_its_quoted_replies() -> None:
    text = ("From: Perpetua Okwu <pokwu@district.example.org>\n"
            "To: Lazarus Finch-Hatton <lfh@district.example.org>\n"
            "Lazarus, Thursday works.\n"
            "> On Tue, 3 Mar 2026 at 09:10, Lazarus Finch-Hatton wrote:\n"
            "> Oriel asked about the retake.\n")

    assert _found(text) == [(5, "student-name", "Oriel")]


def test_a_family_sender_stays_flagged() -> None:
    text = "From: Benedetta Sorrel <bsorrel@example.com>\nBenedetta wants a meeting about Oriel.\n"

    found = _found(text)
    assert (1, "email", "bsorrel@example.com") in found
    assert any(value.startswith("Benedetta") for _, rule, value in found if rule.endswith("-name"))


def test_chat_authors_and_their_mentions_are_members_not_social_handles() -> None:
    text = ("[2026-03-04 08:01] @p.okwu: is the cart free?\n"
            "[2026-03-04 08:03] @lf.hatton: yes @p.okwu, take it\n"
            "[2026-03-04 08:04] @p.okwu: Oriel's TikTok is @oriel.skates btw\n"
            "Wed 3/4/2026 9:15 AM  Zephyrine Abara: Thanks, both.\n")

    assert _found(text) == [(3, "student-name", "Oriel"), (3, "social-handle", "@oriel.skates")]


def test_a_speaker_after_a_time_alone_is_a_transcript_turn() -> None:
    assert _found("10:42 Oriel: I think it floats.\n") == [(1, "student-name", "Oriel")]
