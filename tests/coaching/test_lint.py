"""Each broken coaching record asserts the exact finding `microcred lint` reports for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.coaching.lint import _names_a_person
from tests.helpers import lint_lines, replace

LOG = "coaching/logs/coach-ana/2026-09-15-one-to-one-lea.yml"
NET = "coaching/logs/coach-ana/2026-09-29-network.yml"
CAL = "content/calendars/cohort-one.yml"
EXCH = "content/exchanges/exchange-one.yml"
COMM = "coaching/communities/lea/cycle-1.yml"
PROG = "content/programmes/my-programme.yml"

CASES = {
    "learner not in the coach's networks": (LOG, "participants: [lea]", "participants: [mae]", [
        f"{LOG}:8: participants[0]: 'mae' is not in coach-ana's networks in cohort 'cohort-one' "
        "(use a learner's login: lea, leo, lia, lou)"]),
    "learner not in the network that met": (NET, "[lea, leo, lia, lou]", "[lea, leo, lia, max]", [
        f"{NET}:9: participants[3]: 'max' is not in network 'net-a' (use a learner's login: "
        "lea, leo, lia, lou)"]),
    "a network the coach does not facilitate": (NET, "network: net-a", "network: net-b", [
        f"{NET}:7: network: a network meeting of coach-ana needs one of their networks "
        "(set 'network:' to one of: net-a)"]),
    "date outside the cohort": (LOG, "date: 2026-09-15", "date: 2026-08-15", [
        f"{LOG}:5: date: 2026-08-15 is outside cohort 'cohort-one' (2026-09-01 to 2027-06-30, "
        f"{CAL}) (correct the date, or the cohort)"]),
    "not a real date": (LOG, "date: 2026-09-15", "date: 2026-09-31", [
        f"{LOG}:5: date: '2026-09-31' is not a date (write a real date, YYYY-MM-DD)"]),
    "unknown module in a log": (LOG, "module: first-module", "module: frist-module", [
        f"{LOG}:9: module: unknown module 'frist-module' (did you mean 'first-module'?)"]),
    "unknown module in a window": (CAL, "module: observation", "module: observations", [
        f"{CAL}:13: windows[1].module: unknown module 'observations' (did you mean "
        "'observation'?)"]),
    "window ends before it starts": (CAL, "closes: 2026-11-27", "closes: 2026-09-01", [
        f"{CAL}:12: windows[0].closes: the window of 'first-module' closes (2026-09-01) before "
        "it opens (2026-09-07) (swap or correct the dates)"]),
    "overlapping windows": (CAL, "opens: 2026-12-01", "opens: 2026-11-20", [
        f"{CAL}:14: windows[1].opens: the window of 'observation' opens (2026-11-20) before that "
        "of 'first-module' closes (2026-11-27) (let each module's window close before the next "
        "one opens)"]),
    "cohort ends before it starts": (CAL, "ends: 2027-06-30", "ends: 2026-06-30", [
        f"{CAL}:8: ends: the cohort ends (2026-06-30) before it starts (2026-09-01) (swap or "
        "correct the dates)"]),
    "unknown cohort": (EXCH, "cohort: cohort-one", "cohort: cohort-two", [
        f"{EXCH}:5: cohort: programme 'my-programme' has no cohort 'cohort-two' (did you mean "
        "'cohort-one'?)"]),
    "attendance outside the cohort": (EXCH, "[lea, leo, mae]", "[lea, leo, zed]", [
        f"{EXCH}:16: attendance[2]: 'zed' is not a learner of cohort 'cohort-one' (use a "
        "learner's login: lea, leo, lia, lou, mae, max, mia, moe)"]),
    "missing material": (EXCH, "link: index.md", "link: handout.pdf", [
        f"{EXCH}:15: materials[1].link: content/handout.pdf does not exist (add the file under "
        "content/ or link an https:// address)"]),
    "coach not in the programme": (LOG, "coach: coach-ana", "coach: coach-zoe", [
        f"{LOG}:7: coach: 'coach-zoe' is not a coach of programme 'my-programme' (add them to "
        f"coaches in {PROG})",
        f"{LOG}:7: coach: the entry is in coach-ana's folder but names coach 'coach-zoe' (keep it "
        "under coaching/logs/coach-zoe/)"]),
    "log in another coach's folder": (LOG, "coach: coach-ana", "coach: coach-ben", [
        f"{LOG}:7: coach: the entry is in coach-ana's folder but names coach 'coach-ben' (keep it "
        "under coaching/logs/coach-ben/)"]),
    "community leader elsewhere": (COMM, "leader: lea", "leader: leo", [
        f"{COMM}:5: leader: the record is in lea's folder but names 'leo' (keep it under "
        "coaching/communities/leo/)"]),
    "staff named by name": (COMM, "staff: [grade 3 teacher, reading specialist]\nmeetings:",
                            "staff: [grade 3 teacher, Mrs. Okafor]\nmeetings:", [
        f"{COMM}:8: staff[1]: 'Mrs. Okafor' names a person (name staff by their role, e.g. "
        "'grade 4 teacher' or 'instructional coach')"]),
    "a student named in a log": (LOG, "Notes from a grade 3 reading lesson",
                                 "Notes on Jayden Whitfield, a grade 3 reader", [
        f"{LOG}:11: privacy/student-name: what looks like a student's name: “- Notes on "
        "«•••••• •••••••••», a grade 3 reader” (replace it by a seat code such as S07, or by a "
        "role ('a student'))"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_record(coached: Path, case: str) -> None:
    path, old, new, expected = CASES[case]
    replace(coached / path, old, new)
    assert lint_lines(coached) == expected


def test_sample_records_are_clean(coached: Path) -> None:
    assert lint_lines(coached) == []


def test_min_coaching_names_an_unknown_module(coached: Path) -> None:
    replace(coached / PROG, "credentials: [my-credential]",
            "credentials: [my-credential]\nmin_coaching:\n  frist-module: {one-to-one: 2}")
    assert lint_lines(coached) == [
        f"{PROG}:10: min_coaching.frist-module: unknown module 'frist-module' (did you mean "
        "'first-module'?)"]


@pytest.mark.parametrize(("who", "person"), [
    ("Mrs. Alvarez", True), ("Dr Chen", True), ("coach Ruiz", True), ("Sra. Gómez", True),
    ("Mr. J.", True), ("coach of grade 3", False), ("instructional coach", False),
    ("Ms ELA teacher", False), ("grade 4 teacher", False), ("Dr. on call", False)])
def test_staff_are_named_by_role(who: str, person: bool) -> None:
    assert _names_a_person(who) is person
