"""The example programme's sample submissions: three that pass, three that show the messages.

The samples live in the repository's own `submissions/` folder and are checked against the
example course, exactly as a learner's pull request would be.
"""

from __future__ import annotations

import json

import pytest

from microcred.cli import main
from tests.conftest import REPO

SUBMISSIONS = REPO / "submissions"
GOOD = [
    "rkowalczyk/equity-instructional-leadership/evidence-based-observation",
    "kmarchetti/strategic-leadership/equity-lens",
    "hmbeki/equity-instructional-leadership/coaching-conversations",
]
FLAWED = {
    # text evidence, CSV values and privacy
    "jpark-leads/equity-instructional-leadership/evidence-based-observation": [
        "headings", "word-count", "privacy/date-of-birth", "privacy/student-id",
        "privacy/email", "privacy/phone", "csv-value", "csv-value"],
    # a public video where a private one is required, no attestation, a missing file
    "tquarshie/equity-instructional-leadership/coaching-conversations": [
        "privacy/public-video", "missing", "privacy/attestation"],
    # the manifest, the folder and the file's real content
    "mrenner-hs/equity-instructional-leadership/academic-discourse-stem": [
        "not-text", "manifest", "unexpected-file"],
}
# Fictional personal details planted in the flawed samples: the check must never print them.
PRIVATE = {
    "jpark-leads/equity-instructional-leadership/evidence-based-observation/observation-notes.md": [
        "jordan.b@example.org", "(555) 201-3344", "201-3344", "20481234", "03/14/2012"],
    "tquarshie/equity-instructional-leadership/coaching-conversations/conversation-link.txt": [
        "https://youtube.com/shorts/Xk3vQ9pLm2A", "Xk3vQ9pLm2A"],
}
ALL_PRIVATE = [value for values in PRIVATE.values() for value in values]


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside GitHub Actions and without a names file, whatever the machine running the tests."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "MICROCRED_STUDENT_NAMES_FILE"):
        monkeypatch.delenv(name, raising=False)


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--root", str(REPO), *args])
    return code, capsys.readouterr().out


def test_the_samples_are_the_six_documented_folders() -> None:
    found = sorted(str(p.parent.relative_to(SUBMISSIONS)) for p in SUBMISSIONS.glob("*/*/*/submission.yml"))
    assert found == sorted([*GOOD, *FLAWED])


@pytest.mark.parametrize("folder", GOOD)
def test_good_sample_passes(folder: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, str(SUBMISSIONS / folder))
    assert (code, out) == (0, "check: 1 submission(s), passed\n")


@pytest.mark.parametrize("folder", sorted(FLAWED))
def test_flawed_sample_reports_exactly_its_rules(folder: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, "--format", "json", str(SUBMISSIONS / folder))
    assert code == 1
    report = json.loads(out)
    assert report["passed"] is False
    assert report["general"] == []
    [submission] = report["submissions"]
    assert submission["folder"] == f"submissions/{folder}/"
    assert [f["rule"] for f in submission["findings"]] == FLAWED[folder]


def test_the_private_values_are_really_in_the_flawed_samples() -> None:
    for path, values in PRIVATE.items():
        text = (SUBMISSIONS / path).read_text(encoding="utf-8")
        assert all(value in text for value in values)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
@pytest.mark.parametrize("folder", sorted(FLAWED))
def test_private_values_never_reach_the_output(folder: str, fmt: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, "--format", fmt, str(SUBMISSIONS / folder))
    assert code == 1
    leaked = [value for value in ALL_PRIVATE if value in out]
    assert leaked == []


def test_privacy_findings_show_masked_excerpts(capsys: pytest.CaptureFixture[str]) -> None:
    folder = "jpark-leads/equity-instructional-leadership/evidence-based-observation"
    _, out = _check(capsys, str(SUBMISSIONS / folder))
    assert "«••••••.•@•••••••.•rg»" in out
    assert "«(•••) •••-••44»" in out
    assert "«••••••34»" in out
    assert "«••/••/••12»" in out


def test_markdown_audit_charts_the_good_tally(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, "--all", "--format", "markdown")
    assert code == 1  # the flawed samples
    section = out.split(f"#### `submissions/{GOOD[0]}/`", 1)[1].split("\n#### ", 1)[0]
    assert "**Observation data: Calling\\-on and questioning tally** (24 rows)" in section
    assert "front | 62% | `████████████░░░░░░░░`" in section.splitlines()
    # every allowed value occurs, so all 15 bars (seat_area 3, selection, question_type and
    # response 4 each) have a filled part
    assert sum("█" in line for line in section.splitlines()) == 15
    leaked = [value for value in ALL_PRIVATE if value in out]
    assert leaked == []


def test_the_documented_audit_output_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(capsys, "--all")
    assert code == 1
    docs = (REPO / "docs" / "submissions.md").read_text(encoding="utf-8")
    assert f"$ microcred check --all\n{out}```" in docs
