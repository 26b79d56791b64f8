"""The consent file: what it says, and how a bad one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.cli import main
from microcred.content.consent import Consent, consent_path, consents_at, read_consent
from tests.helpers import commit_all

SHOWN = "submissions/lea/consent.yml"
GOOD = b"format: 1\nkind: consent\npublic_page: true\n"


def test_a_consent_with_a_chosen_name() -> None:
    consent, problems = read_consent(GOOD + "show_as: Léa M.\n".encode(), SHOWN)
    assert problems == []
    assert consent == Consent(public_page=True, show_as="Léa M.")
    assert consent.recipient("My programme") == "Léa M."


def test_without_show_as_the_recipient_is_a_learner_of_the_programme() -> None:
    consent, _ = read_consent(GOOD, SHOWN)
    assert consent is not None and consent.recipient("My programme") == "a learner in My programme"


def test_consent_path_is_beside_the_credential_folders() -> None:
    assert consent_path("lea") == SHOWN


@pytest.mark.parametrize(("text", "expected"), [
    (b"format: 1\nkind: consent\npublic_page: yes please\n",
     "submissions/lea/consent.yml:3: public_page: expected true or false, got 'yes please' "
     "(write 'public_page: true' or 'public_page: false')"),
    (b"format: 1\nkind: consent\n",
     "submissions/lea/consent.yml:1: missing required key 'public_page' (add 'public_page:')"),
    (GOOD + b"show_as: \"Lea\\nM.\"\n",
     "submissions/lea/consent.yml:4: show_as: 'Lea\\nM.' has the wrong form (write the name to "
     "show on one line, up to 100 characters, such as \"R. Kowalczyk\")"),
    (GOOD + b"public: true\n",
     "submissions/lea/consent.yml:4: public: unknown key 'public' (did you mean 'public_page'?)"),
    (b"format: 1\nkind: consent\npublic_page: &yes true\nshow_as: *yes\n",
     "submissions/lea/consent.yml:3: YAML anchors and aliases are not allowed here "
     "(write each value out in full)"),
    (GOOD + b"show_as: !!python/name:os.system\n",
     "submissions/lea/consent.yml:4: YAML tags are not allowed here (remove the '!' tag)"),
    (b"format: 1\nkind: [consent\n",
     "submissions/lea/consent.yml:3: invalid YAML: did not find expected ',' or ']' "
     "(fix the syntax on this line)"),
    (b"\xff\xfe", "submissions/lea/consent.yml:1: not UTF-8 text (save it as UTF-8)"),
    (GOOD + b"#" * 5000, "submissions/lea/consent.yml: larger than 4 KB "
     "(start from the example in docs/formats.md)"),
])
def test_a_bad_consent_is_refused_with_its_place_and_fix(text: bytes, expected: str) -> None:
    consent, problems = read_consent(text, SHOWN)
    assert consent is None
    assert [p.render() for p in problems] == [expected]


def test_the_consent_schema_is_published(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "consent"]) == 0
    assert '"const": "consent"' in capsys.readouterr().out


def test_consents_are_read_as_committed_whatever_the_case_of_the_login(tmp_path: Path) -> None:
    for folder, text in {"Lea": GOOD, "mae": b"format: 1\nkind: consent\npublic_page: maybe\n",
                         "Twin": GOOD, "twin": GOOD, "leo": GOOD}.items():
        (tmp_path / "submissions" / folder).mkdir(parents=True)
        (tmp_path / "submissions" / folder / "consent.yml").write_bytes(text)
    commit_all(tmp_path)
    (tmp_path / "submissions/leo/consent.yml").write_bytes(b"not committed: changed")
    consents, problems = consents_at(tmp_path, "HEAD", ["lea", "MAE", "twin", "nobody", "leo"])
    # Two folders that differ only in case are ambiguous: neither counts.
    assert consents == {"lea": Consent(True), "leo": Consent(True)}
    assert [p.render() for p in problems] == [
        "submissions/mae/consent.yml:3: public_page: expected true or false, got 'maybe' "
        "(write 'public_page: true' or 'public_page: false')"]
