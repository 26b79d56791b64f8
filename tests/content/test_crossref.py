"""Each broken course asserts the exact finding `microcred lint` reports for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import lint_lines, replace

LONG = "t" * 300

PROG = "content/programmes/my-programme.yml"
CRED = "content/credentials/my-credential.yml"
OBS = "modules/observation/module.yml"
RUBRIC = "rubrics/observation.yml"

CASES = {
    "unknown rubric": (OBS, "rubric: observation", "rubric: observaton", [
        f"{OBS}:8: rubric: unknown rubric 'observaton' (did you mean 'observation'?)",
        "modules/observation/reflection.md:3: link: rubric 'observation' is not used by any "
        "module, so has no page (link to a module that uses it instead)"]),
    "module listed twice": (CRED, "modules: [first-module, observation]",
                            "modules: [first-module, observation, first-module]", [
        f"{CRED}:11: modules[2]: module 'first-module' is listed twice (list each module once)"]),
    "unknown module": (CRED, "modules: [first-module, observation]",
                       "modules: [first-module, observations]", [
        f"{CRED}:11: modules[1]: unknown module 'observations' (did you mean 'observation'?)"]),
    "level not in rubric": (RUBRIC, "required: developing", "required: competent", [
        f"{RUBRIC}:21: criteria[1].required: level 'competent' is not a level of this rubric "
        "(use one of: not-yet, developing, proficient, exemplary)"]),
    "descriptor for an unknown level": (RUBRIC, "      exemplary: Notes are verbatim",
                                        "      excelent: Notes are verbatim", [
        f"{RUBRIC}:14: criteria[0].descriptors: no descriptor for level(s) exemplary "
        "(describe what each level looks like for this criterion)",
        f"{RUBRIC}:18: criteria[0].descriptors.excelent: level 'excelent' is not a level of "
        "this rubric (use one of: not-yet, developing, proficient, exemplary)"]),
    "broken course reference": ("modules/observation/new-content.md", "(module:first-module)",
                                "(module:frist-module)", [
        "modules/observation/new-content.md:3: link: broken link 'module:frist-module': "
        "no module 'frist-module' (did you mean 'first-module'?)"]),
    "broken relative link": ("modules/observation/new-content.md", "(templates/tally.csv)",
                             "(templates/tallies.csv)", [
        "modules/observation/new-content.md:4: link: broken link 'templates/tallies.csv': "
        "modules/observation/templates/tallies.csv does not exist "
        "(correct the path, relative to this file, or use module:<id>)"]),
    "broken link on a content page": ("content/index.md", "(coaches.md)", "(coach.md)", [
        "content/index.md:6: link: broken link 'coach.md': content/coach.md does not exist "
        "(correct the path, relative to this file, or use module:<id>)"]),
    "learner in two networks": (PROG, "learners: [mae, max, mia, moe, mu]",
                                "learners: [mae, max, mia, moe, lea]", [
        f"{PROG}:21: cohorts[0].networks[1].learners[4]: learner 'lea' is already in network "
        "'net-a' (keep each learner in exactly one network)"]),
    "network over 6": (PROG, "learners: [mae, max, mia, moe, mu]",
                       "learners: [mae, max, mia, moe, mu, mo, me]", [
        f"{PROG}:21: cohorts[0].networks[1].learners: network 'net-b' has 7 learners, "
        "more than 6 (split it into networks of 4-6)"]),
    "network under 4": (PROG, "learners: [mae, max, mia, moe, mu]", "learners: [mae, max]", [
        f"{PROG}:21: cohorts[0].networks[1].learners: network 'net-b' has 2 learners, fewer "
        "than 4 (merge it with another network; peer networks have 4-6)"]),
    "coach not in coaches": (PROG, "      - id: net-b\n        coach: coach-ben",
                             "      - id: net-b\n        coach: coach-cy", [
        f"{PROG}:20: cohorts[0].networks[1].coach: coach 'coach-cy' is not in the "
        "programme's coaches (add 'coach-cy' to coaches)"]),
    "coach is also a learner": (PROG, "learners: [lea, leo, lia, lou]",
                                "learners: [lea, leo, lia, coach-ana]", [
        f"{PROG}:18: cohorts[0].networks[0].learners[3]: 'coach-ana' is both a coach and a "
        "learner (a coach cannot assess their own evidence; remove one role)"]),
    "duplicate network id": (PROG, "id: net-b", "id: net-a", [
        f"{PROG}:19: cohorts[0].networks[1].id: duplicate network id 'net-a' "
        "(give each network its own id)"]),
    "duplicate criterion id": (RUBRIC, "id: patterns", "id: evidence", [
        f"{RUBRIC}:19: criteria[1].id: duplicate criterion id 'evidence' "
        "(give each criterion its own id)"]),
    "duplicate evidence id": (OBS, "id: video", "id: notes", [
        f"{OBS}:27: evidence[2].id: duplicate evidence id 'notes' "
        "(give each evidence requirement its own id)"]),
    "criterion not in rubric": (OBS, "criteria: [evidence]", "criteria: [evidense]", [
        f"{OBS}:16: evidence[0].criteria: criterion 'evidense' is not in rubric 'observation' "
        "(did you mean 'evidence'?)"]),
    "missing template": (OBS, "template: templates/tally.csv", "template: templates/t.csv", [
        f"{OBS}:21: evidence[1].template: template modules/observation/templates/t.csv does "
        "not exist (create the template file or remove 'template')"]),
    # A name over 255 bytes made the file system raise OSError, and `lint` crashed.
    "template name too long": (OBS, "template: templates/tally.csv", f"template: templates/{LONG}.csv", [
        f"{OBS}:21: evidence[1].template: template modules/observation/templates/{'t' * 30}…"
        f"{'t' * 26}.csv has a name too long for the file system (shorten it: at most 255 bytes "
        "for each folder or file name)"]),
    "image name too long": (CRED, "image: images/my-credential.svg", f"image: images/{LONG}.svg", [
        f"{CRED}:15: image: image content/images/{'t' * 45}…{'t' * 26}.svg has a name too long "
        "for the file system (shorten it: at most 255 bytes for each folder or file name)"]),
    "link name too long": ("modules/observation/new-content.md", "(templates/tally.csv)",
                           f"(templates/{LONG}.csv)", [
        f"modules/observation/new-content.md:4: link: broken link 'templates/{'t' * 50}…"
        f"{'t' * 26}.csv': modules/observation/templates/{'t' * 30}…{'t' * 26}.csv has a name too "
        "long for the file system (shorten it: at most 255 bytes for each folder or file name)"]),
    "duplicate csv column": (OBS, "{name: seat, type: string}", "{name: minute, type: string}", [
        f"{OBS}:22: evidence[1].columns: column 'minute' is declared twice "
        "(declare each column once)"]),
    "reversed word limits": (OBS, "words: {min: 100, max: 1000}", "words: {min: 1000, max: 100}", [
        f"{OBS}:14: evidence[0].words: word limits are reversed (min 1000 > max 100) "
        "(make min no larger than max)"]),
    "missing badge image": (CRED, "image: images/my-credential.svg", "image: images/none.svg", [
        f"{CRED}:15: image: image content/images/none.svg does not exist "
        "(add the badge image under content/ or correct the path)"]),
    "unknown credential": (PROG, "credentials: [my-credential]",
                           "credentials: [my-credential, other-one]", [
        f"{PROG}:8: credentials[1]: unknown credential 'other-one' (create "
        "content/credentials/<id>.yml for credential 'other-one' or use an existing one)"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_broken_course_reports_exact_finding(course: Path, name: str) -> None:
    path, old, new, expected = CASES[name]
    replace(course / path, old, new)
    assert lint_lines(course) == expected


def test_valid_sample_course_has_no_findings(course: Path) -> None:
    assert lint_lines(course) == []


def test_missing_design_element(course: Path) -> None:
    (course / "modules/observation/reflection.md").unlink()
    assert lint_lines(course) == [
        f"{OBS}:3: elements.reflection: missing design element 'Reflection': "
        "modules/observation/reflection.md does not exist "
        "(write modules/observation/reflection.md; every module needs all four design elements)"]


def test_empty_design_element(course: Path) -> None:
    (course / "modules/observation/practice.md").write_text("  \n", encoding="utf-8")
    assert lint_lines(course) == [
        "modules/observation/practice.md:1: practice: design element 'Authentic practice' is "
        "empty (write the Markdown for this element)"]


def test_links_inside_code_fences_are_ignored(course: Path) -> None:
    page = course / "modules/observation/assessment.md"
    page.write_text("## Show it\n\n```md\n[x](module:nowhere)\n```\n", encoding="utf-8")
    assert lint_lines(course) == []


def test_every_problem_is_reported_at_once(course: Path) -> None:
    replace(course / OBS, "rubric: observation", "rubric: nope")
    replace(course / CRED, "version: 0.1.0", "version: one")
    replace(course / PROG, "learners: [mae, max, mia, moe, mu]", "learners: [mae]")
    lines = lint_lines(course)
    assert [line.split(":")[0] for line in lines] == [CRED, PROG, OBS, "modules/observation/reflection.md"]


def test_cohort_programme_without_cohorts(course: Path) -> None:
    path = course / PROG
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("cohorts:")] + "cohorts: []\n", encoding="utf-8")
    assert lint_lines(course) == [
        f"{PROG}:5: mode: a cohort programme has no cohorts "
        "(add cohorts with peer networks, or set 'mode: self-paced')"]


def test_duplicate_yaml_key_is_reported(course: Path) -> None:
    replace(course / PROG, "mode: cohort", "mode: cohort\ncohorts: []")
    assert lint_lines(course) == [
        f"{PROG}:12: cohorts: duplicate key (first on line 6; YAML would silently keep only "
        "the last) (keep one of them)"]
