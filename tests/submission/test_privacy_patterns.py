"""Details with a shape: each kind found in the forms people write it, and its look-alikes not."""

from __future__ import annotations

import pytest

from microcred.submission.privacy import Settings, detectors, find_spans

FOUND_BY = detectors(private_video=True)


def _found(line: str, found_by: object = None) -> list[tuple[str, str]]:
    spans = find_spans(line, found_by or FOUND_BY)  # type: ignore[arg-type]
    return [(s.rule, line[s.start:s.end]) for s in spans]


@pytest.mark.parametrize(("line", "rule", "value"), [
    ("write to ana.l@students.example.org", "email", "ana.l@students.example.org"),
    ("her email is ana [at] school dot org", "email", "ana [at] school dot org"),
    ("ana.lopez (at) example (dot) net", "email", "ana.lopez (at) example (dot) net"),
    ("call 555-0142 after school", "phone", "555-0142"),
    ("home: (555) 201-3344", "phone", "(555) 201-3344"),
    ("+1 555 201 3344", "phone", "+1 555 201 3344"),
    ("student ID: 48213", "student-id", "48213"),
    ("her lunch number is 30417", "student-id", "30417"),
    ("the number 20481234 was on the sheet", "student-id", "20481234"),
    ("login: jchen2031", "student-id", "jchen2031"),
    ("username is maya.c", "student-id", "maya.c"),
    ("DOB 03/14/2012", "date-of-birth", "03/14/2012"),
    ("born on March 14, 2012", "date-of-birth", "March 14, 2012"),
    ("she turned 13 on January 4", "date-of-birth", "January 4"),
    ("his birthday is 4th of July", "date-of-birth", "4th of July"),
    ("lives at 42 Maple Street", "address", "42 Maple Street"),
    ("1180 N Elm Ave, Apt 3B", "address", "1180 N Elm Ave, Apt 3B"),
    ("send it to P.O. Box 311", "address", "P.O. Box 311"),
    ("follow @maya_draws", "social-handle", "@maya_draws"),
    ("https://www.instagram.com/maya.draws", "social-handle", "https://www.instagram.com/maya.draws"),
    ("watch https://youtu.be/dQw4w9WgXcQ.", "public-video", "https://youtu.be/dQw4w9WgXcQ"),
    ("clip: youtube.com/watch?v=abc123", "public-video", "youtube.com/watch?v=abc123"),
    ("see https://vimeo.com/123456789", "public-video", "https://vimeo.com/123456789"),
    ("the twins whose mother teaches 4th grade", "quasi-identifier",
     "the twins whose mother teaches 4th grade"),
    ("He is the only boy in the school who uses a walker.", "quasi-identifier",
     "the only boy in the school who uses a walker"),
    ("Her dad is the head soccer coach.", "quasi-identifier", "dad is the head soccer coach"),
    ("she'll be nine on April 2", "date-of-birth", "April 2"),
    ("bday 4/5/2016", "date-of-birth", "4/5/2016"),
    ("the account, lmoreau31, was shared", "student-id", "lmoreau31"),
    ("one row still read tnakamura27 in the export", "student-id", "tnakamura27"),
    ("Her dad, Mr. Lindgren's son, helps.", "quasi-identifier", "Mr. Lindgren's son, helps"),
    ("His family runs the bakery on Elm Street.", "quasi-identifier",
     "family runs the bakery on Elm Street"),
    ("She checked her diabetes monitor.", "disability", "diabetes monitor"),
])
def test_each_kind_is_found(line: str, rule: str, value: str) -> None:
    assert _found(line) == [(rule, value)]


@pytest.mark.parametrize("line", [
    "Minute 12 of 45, room 214, 26 students, 10:30-11:15.",
    "Lesson on 2026-03-14 at 10:30; next visit 04/02/2026.",
    "Version 1.2.3 of the rubric, page 105, 3.14159265.",
    "Zoom meeting ID 812 3456 7890, passcode 4411.",
    "Room 108, lesson 3.2, standard 8.EE.5, code A-113, 2025-26 school year.",
    "The office line is 555-0100 for visitors.",
    "Write to the coaching office: coaching-office@university.example.edu.",
    "She took 3 steps to the court.",
    "Students with IEPs got extended time.",
    "See https://vimeo.com/123456789/0a1b2c3d4e for the recording.",
    "Slides: https://drive.google.com/file/d/1A2b3C/view",
    "Recording: https://vimeo.com/430983570/6ada57b9bd (with its hash).",
    "Email @ the end of the day.",
    "Galileo was born on February 15, 1564.",
    "The login reads the same for everyone; the sign-in sheet was shared.",
    "Students with a 504 plan: 3. S07 has an IEP for reading.",
    "08:31  Greeting circle, then 555-0100 ext. 22 for the front desk.",
])
def test_look_alikes_raise_no_alarm(line: str) -> None:
    assert _found(line) == []


def test_disability_status_is_flagged_when_tied_to_a_student() -> None:
    assert _found("Jayden has an IEP for reading.") == [("student-name", "Jayden"),
                                                         ("disability", "IEP")]
    assert _found("She has a 504 plan.") == [("disability", "504 plan")]
    assert _found("Three students have IEPs.") == []


@pytest.mark.parametrize(("line", "rule", "value"), [
    ("Her SEIZURES are managed", "disability", "SEIZURES"),
    ("her ſeizures are managed", "disability", "ſeizures"),  # 'ſ' folds to 's'
    ("the twins whoſe mother teaches here", "quasi-identifier",
     "the twins whoſe mother teaches here"),
])
def test_keywords_match_in_any_case_in_ascii_and_other_text(line: str, rule: str,
                                                             value: str) -> None:
    assert _found(line) == [(rule, value)]


def test_staff_domains_and_allowed_values_are_not_flagged() -> None:
    settings = Settings(allow=frozenset({"5552013344"}),
                        staff_domains=frozenset({"lincoln.example.org"}))
    found_by = detectors(private_video=True, settings=settings)
    assert _found("jrivera@lincoln.example.org or 555-201-3344", found_by) == []
    assert _found("maya@students.lincoln.example.org", found_by) == [
        ("email", "maya@students.lincoln.example.org")]


def test_a_link_file_accepts_unlisted_forms_but_not_public_ones() -> None:
    link_file = detectors(private_video=True, in_text=False)
    assert _found("https://www.youtube.com/watch?v=abc", link_file) == []
    assert _found("https://www.youtube.com/shorts/abc", link_file) == [
        ("public-video", "https://www.youtube.com/shorts/abc")]


@pytest.mark.parametrize(("line", "rule", "value"), [
    ("Date of birth: the 21st of March, 2016", "date-of-birth", "21st of March, 2016"),
    ("They live at 418 Avenida Los Robles, Apt 2", "address", "418 Avenida Los Robles, Apt 2"),
    ("her page is tiktok.com/@sofi.bakes now", "social-handle", "tiktok.com/@sofi.bakes"),
    ("He arrived from Mosul in October with his uncle.", "quasi-identifier",
     "arrived from Mosul in October with his uncle"),
    ("Her mother was detained last spring.", "quasi-identifier", "mother was detained"),
    ("She is the only Amharic speaker in the whole school.", "quasi-identifier",
     "the only Amharic speaker in the whole school"),
    ("They are two of only three deaf children in our district.", "quasi-identifier",
     "only three deaf children in our district"),
])
def test_more_forms_of_each_kind(line: str, rule: str, value: str) -> None:
    assert _found(line) == [(rule, value)]


@pytest.mark.parametrize("line", [
    "The district family hotline 555-0100 takes calls until 6.",
    "She moved from Room 12 to Room 14 in October.",
    "The date of the next visit is the 3rd of May, 2026, at 9:00.",
])
def test_more_look_alikes_raise_no_alarm(line: str) -> None:
    assert _found(line) == []


@pytest.mark.parametrize(("line", "rule", "value"), [
    ("DOB listed as 07.05.2014 on the form", "date-of-birth", "07.05.2014"),
    ("born the twenty-third of April, 2015", "date-of-birth", "twenty-third of April, 2015"),
    ("nació el 8 de mayo de 2017 en Puebla", "date-of-birth", "8 de mayo de 2017"),
    ("her enrolment card: student no. B0093112", "student-id", "B0093112"),
    ("the family lived at Birkenweg 7, 80331 Hamburg before", "address",
     "Birkenweg 7, 80331 Hamburg"),
    ("clip: https://www.dailymotion.com/video/x7kq2zz", "public-video",
     "https://www.dailymotion.com/video/x7kq2zz"),
    ("posted at https://fb.watch/aB3cD4eF/ by the club", "public-video",
     "https://fb.watch/aB3cD4eF/"),
    ("https://www.twitch.tv/videos/1180044211", "public-video",
     "https://www.twitch.tv/videos/1180044211"),
    ("https://www.instagram.com/reel/Cx9Lw2Qa/", "public-video",
     "https://www.instagram.com/reel/Cx9Lw2Qa/"),
    ("He is the new boy who came from Tartu last month.", "quasi-identifier",
     "the new boy who came from Tartu last month"),
    ("She has sickle cell anemia, so water breaks are fine.", "disability", "sickle cell anemia"),
])
def test_forms_from_abroad_and_other_video_hosts(line: str, rule: str, value: str) -> None:
    assert _found(line) == [(rule, value)]


@pytest.mark.parametrize("line", [
    "Recording: https://www.loom.com/share/0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "PLC video in my OneDrive: https://district-my.sharepoint.com/:v:/g/personal/x/EaBc",
    "Lesson 4, 2025 Standards review",
    "The 3rd of May, 2026, is our next visit.",
])
def test_private_links_and_look_alikes_from_abroad_raise_no_alarm(line: str) -> None:
    assert _found(line) == []
