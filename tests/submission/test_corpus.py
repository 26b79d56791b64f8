"""The adversarial corpus: each hostile or broken pull request gets exactly its findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.cli import main
from tests.submission.corpus import CORPUS, build_repo, load_case

CASES = sorted(CORPUS.glob("*.yml"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_corpus_case(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = load_case(path)
    root, base, head = build_repo(tmp_path, case)
    args = ["check", "--root", str(root), "--base", base, "--head", head, "--author", case.author]
    if case.names:
        names = tmp_path / "names.txt"
        names.write_text("\n".join(case.names), encoding="utf-8")
        args += ["--names", str(names)]
    code = main(args)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:-1] == case.expect
    assert code == (1 if any("[notice]" not in line for line in case.expect) else 0)


def test_corpus_is_large_enough() -> None:
    hostile = [p for p in CASES if load_case(p).expect]
    assert len(hostile) >= 40
    assert len(CASES) - len(hostile) >= 3
