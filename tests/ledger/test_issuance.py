"""From review to badge on a real repository: decisions, completions, the signed badge, re-runs."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import git
import pytest

from microcred.badge.keys import load_signing_key
from microcred.badge.verify import verify_credential
from microcred.cli import main
from microcred.commands.issue import decide_all, issuer_for
from microcred.forge.local import LocalForge
from microcred.ledger import layout
from microcred.ledger.settings import load_settings
from microcred.ledger.snapshot import read_ledger
from tests.ledger.cohort import (
    PASS_FIRST,
    PASS_OBSERVATION,
    SEED,
    SHORT_OBSERVATION,
    SITE,
    first_module_files,
    observation_files,
    open_submission,
    revise,
)


def levels(values: list[str]) -> list[str]:
    return [arg for value in values for arg in ("--level", value)]


def review(number: int, coach: str, values: list[str], *extra: str) -> int:
    return main(["review", str(number), "--as", coach, *levels(values), *extra])


def merge(repo: git.Repo, number: int) -> None:
    LocalForge(repo, "coach-ana").merge(number)


def approved(repo: git.Repo, learner: str, module: str, coach: str = "coach-ana") -> int:
    """Open `learner`'s submission of `module`, pass it at the required levels, merge it."""
    files, values = ((first_module_files(learner), PASS_FIRST) if module == "first-module"
                     else (observation_files(learner), PASS_OBSERVATION))
    number = open_submission(repo, learner, module, files)
    assert review(number, coach, values) == 0
    merge(repo, number)
    return number


def ledger(course: Path) -> dict[str, bytes]:
    return read_ledger(course)


def test_two_modules_reviewed_and_merged_issue_one_verifiable_badge(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = approved(repo, "lea", "first-module")
    assert main(["issue", "--pr", str(first)]) == 0
    out = capsys.readouterr().out
    assert f"#{first} lea · my-credential v0.1.0 · first-module: complete (approved by @coach-ana)" in out
    files = ledger(course)
    assert layout.completion_path("lea", "my-credential", "0.1.0", "first-module") in files
    assert not any(path.startswith(layout.BADGES) for path in files)  # one module still to go

    second = approved(repo, "lea", "observation")
    assert main(["issue", "--pr", str(second)]) == 0
    assert f"issued {layout.badge_path('lea', 'my-credential', '0.1.0')}" in capsys.readouterr().out

    files = ledger(course)
    badge = json.loads(files[layout.badge_path("lea", "my-credential", "0.1.0")])
    status = json.loads(files[layout.STATUS_LIST])
    assert badge["credentialSubject"]["achievement"]["version"] == "0.1.0"
    assert badge["credentialStatus"]["statusListCredential"] == f"{SITE}status/revocation.json"
    assert [e["id"] for e in badge["evidence"]] == [
        f"https://github.com/YOUR-ORG/YOUR-COURSE/pull/{n}" for n in (first, second)]
    achieved = {r["resultDescription"].rsplit("#", 1)[1]: r["value"]
                for r in badge["credentialSubject"]["result"]}
    assert achieved == {"rubric-first-module-reflection-depth": "Proficient",
                        "rubric-observation-evidence": "Proficient",
                        "rubric-observation-patterns": "Developing"}
    result = verify_credential(badge, now=datetime.now(UTC), status_lists={status["id"]: status})
    assert result.verified, result.errors

    # Idempotent: deciding again records and issues nothing new.
    head = repo.rev_parse(layout.DEFAULT_BRANCH).hexsha
    assert main(["issue", "--all"]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert repo.rev_parse(layout.DEFAULT_BRANCH).hexsha == head


def test_a_not_yet_then_a_pass_on_the_latest_commit(repo: git.Repo, course: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert review(number, "coach-ana", SHORT_OBSERVATION) == 0
    assert "not yet — evidence below the required level" in capsys.readouterr().out
    revise(repo, "lea/observation", "submissions/lea/my-credential/observation/notes.md",
           observation_files("lea")["notes.md"] + "\nA second verbatim, time-stamped note.\n")
    assert review(number, "coach-ana", PASS_OBSERVATION) == 0
    merge(repo, number)
    assert main(["issue", "--pr", str(number)]) == 0
    decision = json.loads(ledger(course)[layout.decision_path(number)])
    assert decision["outcome"] == "complete"
    assert decision["attempt"] == 2  # one 'not yet' came before this pass
    assert decision["levels"] == {"evidence": "proficient", "patterns": "developing"}


def test_a_merge_without_a_valid_approval_is_recorded_as_not_awarded(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    merge(repo, number)  # merged with no review at all
    assert main(["issue", "--pr", str(number)]) == 0
    assert "not awarded — no review from a coach authorised for this learner" in capsys.readouterr().out
    files = ledger(course)
    assert json.loads(files[layout.decision_path(number)])["outcome"] == "not-awarded"
    assert not any(p.startswith(layout.COMPLETIONS) for p in files)


def test_only_an_authorised_coach_can_review_from_the_terminal(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert review(number, "coach-zed", PASS_OBSERVATION) == 2
    assert "@coach-zed is not a coach authorised for lea" in capsys.readouterr().err
    assert review(number, "coach-ana", ["evidence=proficient"]) == 2
    assert "no level given for patterns; every criterion needs one" in capsys.readouterr().err
    assert LocalForge(repo, "x").list_reviews(number) == []


def test_issuing_without_a_key_records_the_module_and_issues_later(
        repo: git.Repo, course: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for module in ("first-module", "observation"):
        approved(repo, "lea", module)
    monkeypatch.delenv("MICROCRED_SIGNING_KEY")
    assert main(["issue", "--all"]) == 2
    assert "no signing key" in capsys.readouterr().err
    assert not any(p.startswith(layout.BADGES) for p in ledger(course))
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", SEED)
    assert main(["issue", "--all"]) == 0
    assert layout.badge_path("lea", "my-credential", "0.1.0") in ledger(course)


def test_concurrent_issuers_lose_nothing_and_duplicate_nothing(repo: git.Repo, course: Path) -> None:
    learners = ["lea", "leo", "lia", "lou"]
    numbers = []
    for learner in learners:
        numbers += [approved(repo, learner, module) for module in ("first-module", "observation")]
    # Every merge decided at once, twice over (a re-delivered event): 16 issuers racing.
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda n: main(["issue", "-q", "--pr", str(n)]), numbers * 2))
    assert codes == [0] * 16
    files = ledger(course)
    badges = [json.loads(files[layout.badge_path(learner, "my-credential", "0.1.0")])
              for learner in learners]
    assert sorted(p for p in files if p.startswith(layout.DECISIONS)) == sorted(
        layout.decision_path(n) for n in numbers)
    allocations = json.loads(files[layout.ALLOCATIONS])["badges"]
    indices = [allocations[b["id"]]["index"] for b in badges]
    assert len(set(indices)) == 4
    assert sorted(int(b["credentialStatus"]["statusListIndex"]) for b in badges) == sorted(indices)
    assert len({b["id"] for b in badges}) == 4


def test_not_yet_decisions_on_earlier_pull_requests_count_towards_a_coaching_conversation(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two attempts closed after a 'not yet' each (the test programme asks for a conversation
    # after 2), then a third attempt approved without, and a fourth with, a logged conversation.
    for _ in range(2):
        number = open_submission(repo, "lea", "observation", observation_files("lea"))
        assert review(number, "coach-ana", SHORT_OBSERVATION) == 0
        LocalForge(repo, "lea").close(number)
        repo.git.branch("-D", "lea/observation")
    third = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert review(third, "coach-ana", PASS_OBSERVATION) == 0
    merge(repo, third)
    assert main(["issue", "--pr", str(third)]) == 0
    assert "after 2 'not yet' decisions on observation, this attempt needs a coaching conversation" \
        in capsys.readouterr().out
    repo.git.branch("-D", "lea/observation")
    fourth = open_submission(repo, "lea", "observation", observation_files("lea") | {
        "notes.md": observation_files("lea")["notes.md"] + "\nOne more verbatim note.\n"})
    assert review(fourth, "coach-ana", PASS_OBSERVATION, "--coaching-conversation", "2026-11-20") == 0
    merge(repo, fourth)
    assert main(["issue", "--pr", str(fourth)]) == 0
    decision = json.loads(ledger(course)[layout.decision_path(fourth)])
    assert (decision["outcome"], decision["coaching_conversation"]) == ("complete", "2026-11-20")
    assert decision["attempt"] == 3


def test_review_show_prints_the_evidence_rubric_and_template(
        repo: git.Repo, capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert main(["review", str(number), "--as", "coach-ana", "--show"]) == 0
    out = capsys.readouterr().out
    first_note = observation_files("lea")["notes.md"].splitlines()[0]
    assert f"── notes: submissions/lea/my-credential/observation/notes.md\n   {first_note}" in out
    assert "  evidence — Low-inference evidence (required: proficient)\n" \
           "      at proficient: Notes are verbatim and time-stamped." in out
    assert "microcred-review: 1\nmodule: observation\n" in out
    assert LocalForge(repo, "x").list_reviews(number) == []  # looking submits nothing


def test_pr_merge_from_the_command_line_then_issue(repo: git.Repo, course: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    number = open_submission(repo, "lea", "observation", observation_files("lea"))
    assert review(number, "coach-ana", PASS_OBSERVATION) == 0
    assert main(["pr", "merge", str(number), "--as", "coach-ana"]) == 0
    assert f"merged #{number} into main" in capsys.readouterr().out
    assert LocalForge(repo, "x").get_pull_request(number).state == "merged"
    assert main(["issue", "--pr", str(number)]) == 0
    assert "observation: complete" in capsys.readouterr().out


# crash safety: a run killed at any write leaves a ledger the next run completes


class Killed(BaseException):
    """The process died (SIGKILL, a cancelled job): nothing in it catches this."""


class KilledAfter:
    """The local forge of a run that is killed just before its write number `limit` + 1."""

    def __init__(self, forge: LocalForge, limit: int) -> None:
        self._forge, self.limit, self.writes = forge, limit, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._forge, name)

    def _write(self) -> None:
        if self.writes == self.limit:
            raise Killed
        self.writes += 1

    def create_branch(self, name: str, sha: str) -> None:
        self._write()
        self._forge.create_branch(name, sha)

    def commit_file(self, path: str, content: bytes, branch: str, message: str,
                    expected_blob: str | None) -> str:
        self._write()
        return self._forge.commit_file(path, content, branch, message, expected_blob)


def run_issue_all(course: Path, forge: Any) -> int:
    """`microcred issue --all` with `forge` in place of the one it would open."""
    settings = load_settings(course)
    issuer = issuer_for(course, forge, settings, lambda: load_signing_key(repo_root=course))
    return decide_all(issuer, forge.list_pull_requests("merged"), dry_run=False)


def normalised(files: dict[str, bytes]) -> dict[str, Any]:
    """The ledger with what differs between two correct runs left out: times, random badge
    ids and salts, signatures. What stays must be equal: which records exist and what they say."""
    out: dict[str, Any] = {}
    allocations = json.loads(files[layout.ALLOCATIONS])
    for path, data in files.items():
        doc = json.loads(data)
        if path.startswith((layout.DECISIONS, layout.COMPLETIONS)):
            doc.pop("decided")
        elif path == layout.ALLOCATIONS:
            doc = {"next": doc["next"], "reserved": sorted((e["index"], e["path"])
                                                           for e in doc["badges"].values())}
        elif path == layout.STATUS_LIST:
            doc = doc["credentialSubject"]["encodedList"]
        elif path.startswith(layout.RECORDS):  # signed afresh: which badges it bundles
            doc = sorted(allocations["badges"][b["id"]]["path"] for b in doc["verifiableCredential"])
        elif path.startswith(layout.BADGES):
            reserved = allocations["badges"][doc["id"]]  # signed with the id reserved for it
            assert (reserved["path"], reserved["index"]) == (
                path, int(doc["credentialStatus"]["statusListIndex"]))
            doc = {"result": doc["credentialSubject"]["result"],
                   "evidence": [e["id"] for e in doc["evidence"]],
                   "status": doc["credentialStatus"]["statusListIndex"]}
        out[path] = doc
    return out


def test_a_run_killed_at_every_write_is_completed_by_the_next_run(
        repo: git.Repo, course: Path, tmp_path: Path) -> None:
    for module in ("first-module", "observation"):
        approved(repo, "lea", module)
    pristine = tmp_path / "pristine"
    shutil.copytree(course, pristine)
    assert run_issue_all(course, LocalForge(repo, "microcred-bot")) == 0
    expected = normalised(ledger(course))
    # Nine writes: the branch, then a commit each for two decisions, two completions, the
    # status list, the reservation, the badge and the learner record.
    assert len(expected) == 8
    assert repo.git.rev_list("--count", layout.DEFAULT_BRANCH, "^main") == "8"
    for limit in range(9):
        copy = tmp_path / f"killed-after-{limit}"
        shutil.copytree(pristine, copy)
        killed = KilledAfter(LocalForge(git.Repo(copy), "microcred-bot"), limit)
        with pytest.raises(Killed):
            run_issue_all(copy, killed)
        assert killed.writes == limit
        assert run_issue_all(copy, LocalForge(git.Repo(copy), "microcred-bot")) == 0
        assert normalised(ledger(copy)) == expected, f"killed after {limit} write(s)"
        assert run_issue_all(copy, LocalForge(git.Repo(copy), "microcred-bot")) == 0  # settled
        assert normalised(ledger(copy)) == expected


# nothing signed from ledger data alone; nothing stuck


def test_a_completion_pushed_to_the_ledger_gets_no_badge_signed(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = approved(repo, "lea", "first-module")
    assert main(["issue", "--pr", str(first)]) == 0
    # A coach with write access adds the missing module's completion, naming the genuine
    # pull request of the other module.
    forged = json.loads(ledger(course)[layout.completion_path("lea", "my-credential", "0.1.0",
                                                              "first-module")])
    path = layout.completion_path("lea", "my-credential", "0.1.0", "observation")
    LocalForge(repo, "coach-ana").commit_file(
        path, json.dumps({**forged, "module": "observation"}).encode(), layout.DEFAULT_BRANCH,
        "complete", None)
    capsys.readouterr()
    assert main(["issue", "--all"]) == 1
    assert (f"error: lea · my-credential v0.1.0: microcred-ledger:{path} names #{first}, but "
            f"#{first} carries lea/my-credential/v0.1.0/first-module; nothing was issued") \
        in capsys.readouterr().err
    assert layout.badge_path("lea", "my-credential", "0.1.0") not in ledger(course)


def test_one_failing_pull_request_does_not_stop_the_others(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    numbers = [approved(repo, learner, "first-module") for learner in ("lea", "leo")]
    forge = LocalForge(repo, "coach-ana")
    forge.create_branch(layout.DEFAULT_BRANCH, repo.head.commit.hexsha)
    forge.commit_file(layout.decision_path(numbers[0]), b"{not json", layout.DEFAULT_BRANCH,
                      "broken", None)
    assert main(["issue", "--all"]) == 2
    captured = capsys.readouterr()
    assert f"error: #{numbers[0]}: microcred-ledger:{layout.decision_path(numbers[0])}: not " \
           "valid JSON" in captured.err
    assert f"#{numbers[1]} leo · my-credential v0.1.0 · first-module: complete" in captured.out
    assert "2 pull request(s) looked at, 0 badge(s) issued, 1 failed" in captured.err


# concurrency: issuers racing for the ledger


def test_twenty_issuers_at_once_issue_every_badge_once_and_orphan_no_index(
        repo: git.Repo, course: Path) -> None:
    learners = ["lea", "leo", "mae", "max"]
    for learner in learners:
        coach = "coach-ben" if learner.startswith("m") else "coach-ana"
        for module in ("first-module", "observation"):
            approved(repo, learner, module, coach)
    # Twenty `issue --all` at once (benchmarks/issue_benchmark.py --race runs twenty processes
    # over 24 pull requests): none fails, and every index reserved is its badge's.
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda _: main(["issue", "-q", "--all"]), range(20)))
    assert codes == [0] * 20
    files = ledger(course)
    assert len([p for p in files if p.startswith(layout.DECISIONS)]) == 8
    badges = {p: json.loads(data) for p, data in files.items() if p.startswith(layout.BADGES)}
    assert sorted(badges) == sorted(layout.badge_path(x, "my-credential", "0.1.0") for x in learners)
    allocations = json.loads(files[layout.ALLOCATIONS])
    assert allocations["next"] == 4
    assert {bid: (e["path"], e["index"]) for bid, e in allocations["badges"].items()} == {
        b["id"]: (p, int(b["credentialStatus"]["statusListIndex"])) for p, b in badges.items()}


class CrashesOn:
    """The local forge, but reading pull request `number`'s reviews raises an unforeseen error
    (as a parser bug on one review would)."""

    def __init__(self, forge: LocalForge, number: int) -> None:
        self._forge, self.number = forge, number

    def __getattr__(self, name: str) -> Any:
        return getattr(self._forge, name)

    def list_reviews(self, number: int) -> list[Any]:
        if number == self.number:
            raise TypeError("'<' not supported between instances of 'int' and 'str'")
        return self._forge.list_reviews(number)


def test_an_unforeseen_error_on_one_pull_request_does_not_stop_the_others(
        repo: git.Repo, course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    numbers = [approved(repo, learner, "first-module") for learner in ("lea", "leo")]
    capsys.readouterr()
    assert run_issue_all(course, CrashesOn(LocalForge(repo, "microcred-bot"), numbers[0])) == 2
    captured = capsys.readouterr()
    assert f"error: #{numbers[0]}: unexpected TypeError: '<' not supported" in captured.err
    assert f"#{numbers[1]} leo · my-credential v0.1.0 · first-module: complete" in captured.out
    assert layout.decision_path(numbers[0]) not in ledger(course)
