"""`microcred hash-names`, and a programme's hashed roster reaching `microcred check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from microcred.cli import main
from tests.conftest import DATA

FOLDER = "submissions/lea/my-credential/observation"
SALT = "00112233445566778899aabbccddeeff"
PROGRAMME = "content/programmes/my-programme.yml"


def _hashed(tmp_path: Path, capsys: pytest.CaptureFixture[str], *names: str) -> dict[str, object]:
    names_file = tmp_path / "names.txt"
    names_file.write_text("\n".join(names) + "\n", encoding="utf-8")
    assert main(["hash-names", str(names_file), "--salt", SALT]) == 0
    out = capsys.readouterr()
    assert "keep" in out.err and "out of the repository" in out.err
    block: dict[str, object] = yaml.safe_load(out.out)
    return block


def test_the_block_holds_hashes_not_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = _hashed(tmp_path, capsys, "Zephyrine Okonkwo-Reyes", "Tavi")
    roster = block["privacy"]["roster"]  # type: ignore[index]
    assert roster["salt"] == SALT
    assert len(roster["hashes"]) == 4  # zephyrine, okonkwo, reyes, tavi
    assert "zephyrine" not in yaml.safe_dump(block).casefold()


def test_a_bad_salt_or_an_empty_file_is_a_usage_error(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    names_file = tmp_path / "names.txt"
    names_file.write_text("\n\n", encoding="utf-8")
    assert main(["hash-names", str(names_file)]) == 2
    assert "no names in the file" in capsys.readouterr().err
    names_file.write_text("Tavi\n", encoding="utf-8")
    assert main(["hash-names", str(names_file), "--salt", "xyz"]) == 2
    assert "32 hexadecimal characters" in capsys.readouterr().err


def test_check_finds_roster_names_the_lists_cannot(course: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(DATA / "good-submission", course / FOLDER)
    notes = course / FOLDER / "notes.md"
    text = notes.read_text(encoding="utf-8").replace(
        "called on S04, who", "turned to Zephyrine, who").replace(
        "small block sank; the", "small block sank; then Lund at the back table watched; the")
    notes.write_text(text, encoding="utf-8")
    assert main(["check", "--root", str(course), str(course / FOLDER)]) == 0
    capsys.readouterr()

    block = _hashed(tmp_path, capsys, "Zephyrine Okonkwo-Reyes", "Tavi Lund")
    programme = course / PROGRAMME
    data = yaml.safe_load(programme.read_text(encoding="utf-8"))
    programme.write_text(yaml.safe_dump({**data, **block}, sort_keys=False), encoding="utf-8")
    assert main(["check", "--root", str(course), str(course / FOLDER)]) == 1
    out = capsys.readouterr().out
    assert out.count("privacy/student-name") == 2
    assert "Zephyrine" not in out and "Tavi" not in out
