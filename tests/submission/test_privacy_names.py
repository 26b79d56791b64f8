"""Names found with no roster: the development examples, context rules and allow-lists.

The examples in privacy_dev/ are original sentences written for these tests: planted.txt has a
line and, after a tab, the names in it (| between them); clean.txt has lines with no student's
name or detail, full of decoys (common words that are names, titles, scientists, labels).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.submission.privacy import Settings, allowed_forms, detectors, find_spans, names

DEV = Path(__file__).parent / "privacy_dev"
NO_ROSTER = detectors(private_video=True)


def _names(line: str, found_by: object = None) -> list[str]:
    spans = find_spans(line, found_by or NO_ROSTER)  # type: ignore[arg-type]
    return [line[s.start:s.end] for s in spans if s.rule.endswith("-name")]


def _planted() -> list[tuple[str, list[str]]]:
    rows = (DEV / "planted.txt").read_text(encoding="utf-8").splitlines()
    return [(line, want.split("|")) for line, want in (row.split("\t") for row in rows)]


@pytest.mark.parametrize(("line", "want"), _planted(), ids=lambda x: str(x)[:40])
def test_each_planted_name_is_found_alone(line: str, want: list[str]) -> None:
    assert _names(line) == want


@pytest.mark.parametrize("line", (DEV / "clean.txt").read_text(encoding="utf-8").splitlines(),
                         ids=lambda x: x[:40])
def test_decoys_raise_no_alarm(line: str) -> None:
    assert find_spans(line, NO_ROSTER) == []


@pytest.mark.parametrize(("line", "want"), [
    ("Will the group finish?", []),
    ("I asked Will to explain.", ["Will"]),
    ("Students may use calculators.", []),
    ("In May the class planted beans.", []),
    ("May said the beans grew.", ["May"]),
    ("June 30 is the last day.", []),
    ("We visited Austin in April.", []),
    ("Austin and Maya built the ramp.", ["Austin", "Maya"]),
    ("Mark the answer in red.", []),
    ("The teacher asked Mark to revoice.", ["Mark"]),
])
def test_common_word_names_need_a_name_context(line: str, want: list[str]) -> None:
    assert _names(line) == want


@pytest.mark.parametrize(("line", "want"), [
    ("Ms. Rivera and Coach Amaral watched Maya.", ["Maya"]),
    ("Dr. Maya Chen visited.", []),
    ("Grace Hopper and Katherine Johnson were on the timeline.", []),
    ("S12 at Table 4 asked Student A.", []),
    ("Jamal has 12 marbles and gives 5 to Ana.", []),
])
def test_adults_famous_people_labels_and_word_problems_are_not_students(
        line: str, want: list[str]) -> None:
    assert _names(line) == want


def test_the_course_allow_list_and_the_roster_logins_are_not_students() -> None:
    allow = frozenset(allowed_forms(["Jordan Lee"], ["coach-amaral", "coach-ana"]))
    found_by = detectors(private_video=True, settings=Settings(allow=allow))
    assert _names("Jordan Lee and Amaral observed Priya.", found_by) == ["Priya"]
    # A login's part that is also a given name stays a possible student's name.
    assert _names("Ana said the ramp was too steep.", found_by) == ["Ana"]
    # Learners' initials and surnames, as their logins spell them, are not students.
    found_by = detectors(settings=Settings(allow=frozenset(allowed_forms([], ["hmbeki", "jpark"]))))
    assert _names("H. Mbeki and J. Park shared tallies; R. Castellanos did not.", found_by) == [
        "R. Castellanos"]


def test_parents_are_told_apart() -> None:
    [span] = find_spans("Her father, Robert Kim, called.", NO_ROSTER)
    assert span.rule == "parent-name"


def test_lower_case_and_capitals_variants() -> None:
    assert _names("maya said it sinks") == ["maya"]
    assert _names("MAYA answered first.") == ["MAYA"]
    assert _names("the maya civilisation") == []


@pytest.mark.parametrize(("line", "want"), [
    # A line typed all in one case: its case says nothing of which words are names.
    ("teacher: so nadezhda helped the others", ["nadezhda"]),
    ("mr lopez said katarzyna was late again", ["katarzyna"]),
    ("09:12 SVETLANA READS THE CLAIM ALOUD.", ["SVETLANA"]),
    ("NOTES FROM THE GALLERY WALK: EVERYONE MOVED.", []),
    ("MOST SHEETS WERE BLANK EXCEPT TAMIKA'S.", ["TAMIKA"]),
    # A name with an initial or a surname the lists lack is no proper noun.
    ("Signed, Anastasia P.", ["Anastasia P."]),
    ("3. Dariusz Szczepankiewicz, grade 5: reading log missing.", ["Dariusz Szczepankiewicz"]),
    # A name repeated in its line; lower-case names joined to one that fired.
    ("the pair was nkechi and tariq; tariq kept the timer", ["nkechi", "tariq", "tariq"]),
])
def test_names_in_lines_of_one_case_and_repeated_names(line: str, want: list[str]) -> None:
    assert _names(line) == want


@pytest.mark.parametrize(("line", "want"), [
    ("Dear families, Priyanka will present on Friday.", ["Priyanka"]),
    ("Dear teachers, Priyanka was ill this week.", ["Priyanka"]),
    ('"Seven tens," — Summer', ["Summer"]),
    ("Exit ticket 2 (Hunter): a correct diagram, no label.", ["Hunter"]),
    ("Roster row: June Castellano-Diaz, grade 4", ["June Castellano-Diaz"]),
])
def test_more_places_a_name_fits(line: str, want: list[str]) -> None:
    assert _names(line) == want


@pytest.mark.parametrize("line", [
    "DELACROIX: I changed the seating after the first week.",
    "- coach: So what did you notice at the back table?",
    "COACH: Can we look at the second clip?",
    "The class read *Bud, Not Buddy* and argued about whether Bud was brave.",
    "We shared the Ezra Jack Keats book on Monday.",
    "Source: a speech attributed to Sojourner Truth.",
    "Reading: Zaretta Hammond, *Culturally Responsive Teaching and the Brain* (2015).",
    "Ana Duarte from the district literacy office joined us.",
    'Note: "Takeshi Mori" is the new band teacher.',
    "Wed 3/4 and Thu 3/5: no visits.",
    "Groups: Red, Blue, Green and Gold rotate every ten minutes.",
    "And Mark the exits on the map.",
    "I noticed Writing workshop went long.",
])
def test_staff_speakers_titles_authors_and_labels_are_not_students(line: str) -> None:
    assert _names(line) == []


@pytest.mark.parametrize(("line", "name"), [
    ("Called Mr. Osei-Bonsu (parent of a fourth grader) about the trip.", "Osei-Bonsu"),
    ("A note from Mrs. Albescu (Ioana's mom) about pick-up.", "Albescu"),
    ("Texted Makerita (the twins' grandma) about the forms.", "Makerita"),
    ("His aunt, Tupou Havili, signs the forms.", "Tupou Havili"),
])
def test_a_parent_is_named_by_the_family_word_before_or_after(line: str, name: str) -> None:
    rules = {line[s.start:s.end]: s.rule for s in find_spans(line, NO_ROSTER)}
    assert rules.get(name) == "parent-name"


@pytest.mark.parametrize(("line", "want"), [
    ("Maya K |", ["Maya K"]),  # asked whether a cell ends after the initial, which asked again
    ("| Maya K | 3 |", ["Maya K"]),
    ("Maya K  | 3", ["Maya K"]),
    ("Maya K 504, ", ["Maya"]),  # no cell ends after the initial: a name, then a number
])
def test_an_initial_then_a_space_in_a_cell(line: str, want: list[str]) -> None:
    assert _names(line) == want


@settings(max_examples=400, deadline=None)
@given(line=st.text(alphabet=st.sampled_from("abzAZ é'’-_1 .,\t|ſK\u2028"), max_size=40)
       | st.text(max_size=40))
def test_words_are_the_words_the_pattern_finds(line: str) -> None:
    assert names._words(line) == names._WORD.findall(line)


def test_words_known_to_be_no_name_are_skipped_with_the_same_answer() -> None:
    line = "the coach notes each group protocol"
    before = _names(line)
    assert {"the", "coach", "notes"} <= names._NO_NAMES
    assert _names(line) == before == []
    assert _names(line + " with Jayden") == ["Jayden"]  # a new word is looked up


@pytest.mark.parametrize(("line", "want"), [
    ("Esta semana la maestra leyó con Odalys y con ella.", ["Odalys"]),
    ("Sala 4 (Maestra Quiroga): centros de lectura.", []),
    ("Los niños usan la luz del sol para el experimento.", []),
    ("Martes, 3 de marzo", []),
])
def test_common_spanish_words_in_a_spanish_line_are_words(line: str, want: list[str]) -> None:
    assert _names(line) == want


@pytest.mark.parametrize(("line", "want"), [
    ("I noticed Zephyrine (8) writing an equation.", ["Zephyrine"]),
    ("Ottoline (K) joined the circle late.", ["Ottoline"]),
    ("Kim Scott's *Radical Candor* came up twice.", []),
    ("AP Castellano and the nurse met the family.", []),
    ("The family moved from San Marcos to Santa Inés in May.", []),
])
def test_an_age_in_brackets_marks_a_child_and_a_title_an_adult(line: str, want: list[str]) -> None:
    assert _names(line) == want


@pytest.mark.parametrize("line", [
    "His caseworker is Ms. Thornquist (call after 3).",
    "Emergency contact: Mr. Valderrama.",
])
def test_a_familys_contact_named_with_a_title_is_a_parents_name(line: str) -> None:
    spans = find_spans(line, NO_ROSTER)
    assert [s.rule for s in spans if s.rule.endswith("-name")] == ["parent-name"]


@pytest.mark.parametrize(("line", "want"), [
    ('Tobiah and "Sprout" Quillfeather finished first.', ["Tobiah", "Sprout", "Quillfeather"]),
    ('Oriel "Oz" Vantongeren asked to go first.', ["Oriel", "Oz", "Vantongeren"]),
    ('The gym is named after a coach, Walter "Hank" Dobbs, who taught here.', []),
])
def test_a_nickname_in_quotes_beside_a_students_name(line: str, want: list[str]) -> None:
    assert _names(line) == want


@pytest.mark.parametrize(("line", "want"), [
    ("Concerns: Ottoline has missed 14 days since August.", ["Ottoline"]),
    ("FYI Zephyrine's grandma is picking her up.", ["Zephyrine"]),
    ("Jamal has 12 marbles and gives 3 away.", []),
])
def test_a_childs_record_is_no_word_problem_and_an_acronym_no_proper_noun(
        line: str, want: list[str]) -> None:
    assert _names(line) == want
