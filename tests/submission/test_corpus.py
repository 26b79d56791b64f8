"""The adversarial corpus: each hostile or broken pull request gets exactly its findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.cli import main
from tests.submission.corpus import CORPUS, Case, build_repo, course_repo, load_case

CASES = sorted(CORPUS.glob("*.yml"))
OTHER_FORMATS = ("json", "markdown", "github")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return course_repo(tmp_path_factory.mktemp("template"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_corpus_case(path: Path, template: Path, tmp_path: Path,
                     capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "MICROCRED_STUDENT_NAMES_FILE"):
        monkeypatch.delenv(name, raising=False)  # CI's own environment must not change the output
    case = load_case(path)
    root, base, head = build_repo(tmp_path, case, template)
    args = _args(case, root, base, head, tmp_path)
    code = main(args)
    out = capsys.readouterr().out
    assert out.splitlines()[:-1] == case.expect
    assert code == (1 if any("[notice]" not in line for line in case.expect) else 0)
    for fmt in OTHER_FORMATS if case.absent else ():
        main([*args, "--format", fmt])
        out += capsys.readouterr().out
    for secret in case.absent:
        # Markdown escapes punctuation with backslashes; look past them too.
        assert secret not in out and secret not in out.replace("\\", ""), secret


def _args(case: Case, root: Path, base: str, head: str, tmp: Path) -> list[str]:
    args = ["check", "--root", str(root), "--base", base, "--head", head, "--author", case.author]
    if case.names:
        names = tmp / "names.txt"
        names.write_text("\n".join(case.names), encoding="utf-8")
        args += ["--names", str(names)]
    return args


def test_corpus_is_large_enough() -> None:
    cases = [load_case(p) for p in CASES]
    hostile = [c for c in cases if c.expect]
    assert len(hostile) >= 45
    assert len(cases) - len(hostile) >= 5
    # Every case says what it attacks or shows, in a comment on its first line.
    assert all(p.read_text(encoding="utf-8").startswith("# ") for p in CASES)

