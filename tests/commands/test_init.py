"""`microcred init` makes a ready repository; bad input writes nothing; an interrupted init can
be run again; `init --update` refreshes the generated files and keeps edits."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import git
import pytest
import yaml

from microcred.cli import main
from microcred.content import releasing
from microcred.setup.render import PIN_PATH, WORKFLOWS
from tests.commands.test_doctor import github  # noqa: F401 (the fake GitHub fixture)
from tests.github.server import FakeGitHub
from tests.helpers import commit_all
from tests.workflows.policy import problems

KEY = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"  # RFC 8032 test 1


@pytest.fixture(autouse=True)
def _identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Dee Signer")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "dee@example.org")


@pytest.fixture
def wheel(tmp_path: Path) -> Path:
    """A stand-in for the published wheel: init only reads its name and hashes its bytes."""
    path = tmp_path / "wheels" / "microcred-0.1.0-py3-none-any.whl"
    path.parent.mkdir()
    path.write_bytes(b"the published wheel")
    return path


def _init(target: Path, wheel: Path, *extra: str) -> int:
    return main(["init", str(target), "--wheel", str(wheel), "-q", *extra])


def test_init_makes_a_ready_repository(tmp_path: Path, wheel: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "new-course"
    assert _init(target, wheel, "--title", "District Leadership") == 0
    repo = git.Repo(target)
    assert not repo.is_dirty(untracked_files=True)
    assert len(list(repo.iter_commits())) == 1
    assert [t.name for t in repo.tags] == ["my-credential/v0.1.0"]
    assert repo.tags[0].commit == repo.head.commit and repo.tags[0].tag is not None
    tracked = set(repo.git.ls_files().splitlines())
    assert {".gitignore", "README.md", "mkdocs.yml", "modules/first-module/module.yml",
            "submissions/.gitkeep", ".github/CODEOWNERS", PIN_PATH} <= tracked
    assert {f".github/workflows/{name}" for name in WORKFLOWS} <= tracked
    assert {".vscode/settings.json", ".vscode/extensions.json",
            ".vscode/schemas/module.schema.json"} <= tracked
    out = capsys.readouterr().out
    assert out.startswith(f"created a course repository in {target}: 37 files, first commit ")
    assert out.endswith(", first release my-credential/v0.1.0\n")
    assert 'site_name: "District Leadership"' in (target / "mkdocs.yml").read_text()
    assert "\n# site_url: https://OWNER.github.io/NAME/\n" in (target / "mkdocs.yml").read_text()
    digest = hashlib.sha256(b"the published wheel").hexdigest()
    assert f"\nmicrocred==0.1.0 --hash=sha256:{digest}\n" in (target / PIN_PATH).read_text()
    for name in WORKFLOWS:
        assert problems(target / ".github/workflows" / name) == []
    readme = (target / "README.md").read_text()
    assert readme.startswith("# District Leadership\n") and "git push origin main --tags" in readme


def test_the_new_repository_lints_builds_and_passes_doctor(
        tmp_path: Path, wheel: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "c"
    assert _init(target, wheel) == 0
    assert main(["lint", "--root", str(target), "-q"]) == 0
    assert main(["roster", "--root", str(target), "-q"]) == 0  # CODEOWNERS is current
    assert main(["build", "--root", str(target), "--site-dir", str(tmp_path / "site"), "-q"]) == 0
    capsys.readouterr()
    monkeypatch.delenv("MICROCRED_SIGNING_KEY", raising=False)
    assert main(["doctor", "--root", str(target), "--forge", "local"]) == 0
    assert "doctor: 3 ok, 0 to fix, 2 to check by hand" in capsys.readouterr().out
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", KEY)
    assert main(["doctor", "--root", str(target), "--forge", "local"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2:4] == [
        "ok    microcred pin: the workflows install microcred 0.1.0, pinned with the hashes of "
        "every package",
        "ok    workflows: the 7 workflows and the pin file are as microcred 0.1.0 renders them"]
    assert out[-1] == "doctor: 4 ok, 0 to fix, 1 to check by hand"


def test_a_pages_address_names_the_repository_too(tmp_path: Path, wheel: Path) -> None:
    target = tmp_path / "c"
    assert _init(target, wheel, "--site-url", "https://district-org.github.io/leaders/") == 0
    mkdocs = yaml.safe_load((target / "mkdocs.yml").read_text())
    assert mkdocs["site_url"] == "https://district-org.github.io/leaders/"
    assert mkdocs["repo_url"] == "https://github.com/district-org/leaders"
    schema = json.loads((target / ".vscode/schemas/rubric.schema.json").read_text())
    assert schema["$id"] == "https://district-org.github.io/leaders/schemas/1/rubric.schema.json"


def test_update_brings_the_editor_set_up_to_the_site_address(
        tmp_path: Path, wheel: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "c"
    assert _init(target, wheel) == 0
    module = target / ".vscode/schemas/module.schema.json"
    assert json.loads(module.read_text())["$id"] == "urn:microcred:schema:module:1"
    (target / ".vscode/extensions.json").unlink()
    config = target / "mkdocs.yml"
    config.write_text(config.read_text().replace("# site_url: https://OWNER.github.io/NAME/",
                                                 "site_url: https://org.github.io/c/"))
    capsys.readouterr()
    assert main(["init", "--update", "--root", str(target), "--wheel", str(wheel)]) == 0
    err = capsys.readouterr().err
    assert ".vscode/schemas/module.schema.json: updated, written" in err
    assert ".vscode/extensions.json: new, written" in err
    assert json.loads(module.read_text())["$id"] == "https://org.github.io/c/schemas/1/module.schema.json"
    assert "redhat.vscode-yaml" in (target / ".vscode/extensions.json").read_text()


@pytest.mark.parametrize(("mode", "key"), [("cohort", "cohorts"), ("self-paced", "learners")])
def test_the_mode_shapes_the_programme(mode: str, key: str, tmp_path: Path, wheel: Path) -> None:
    target = tmp_path / "c"
    assert _init(target, wheel, "--mode", mode) == 0
    programme = yaml.safe_load((target / "content/programmes/my-programme.yml").read_text())
    assert programme["mode"] == mode and key in programme
    assert main(["lint", "--root", str(target), "-q"]) == 0


def _course_at(folder: Path) -> None:
    (folder / "content").mkdir(parents=True)
    (folder / "modules").mkdir()


BAD = {
    "non-empty": (lambda t: (t.mkdir(), (t / "keep.txt").write_text("mine")), [],
                  "{t}: folder is not empty (choose a new or empty folder)"),
    "a git repository": (lambda t: git.Repo.init(t), [],
                         "{t}: is already a git repository (choose a new or empty folder; to "
                         "refresh an existing course's workflows, run `microcred init --update` "
                         "in it)"),
    "inside a course": (lambda t: _course_at(t.parent), [],
                        "{t}: is inside the course at {p} (choose a folder outside any course)"),
    "inside a repository": (lambda t: git.Repo.init(t.parent), [],
                            "{t}: is inside the git repository {p} (choose a folder outside it: "
                            "a course is a repository of its own)"),
    "unknown mode": (lambda t: None, ["--mode", "blended"],
                     "--mode blended: unknown mode (use 'cohort' or 'self-paced')"),
    "quotes": (lambda t: None, ["--title", 'The "Best" Leaders'],
               "--title 'The \"Best\" Leaders': the title may not hold '\"' (use typographic "
               "quotes such as “ ” and ’ instead)"),
    "apostrophe": (lambda t: None, ["--title", "Leaders' Course"],
                   "--title \"Leaders' Course\": the title may not hold \"'\" (use typographic "
                   "quotes such as “ ” and ’ instead)"),
    "site address": (lambda t: None, ["--site-url", "http://example.org"],
                     "--site-url 'http://example.org': give the site's https:// address, ending "
                     "in /, such as https://my-org.github.io/my-course/"),
    "newline": (lambda t: None, ["--title", "Two\nlines"],
                "--title 'Two\\nlines': the title may not hold '\\n' (use typographic quotes "
                "such as “ ” and ’ instead)"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_writes_nothing(kind: str, tmp_path: Path, wheel: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    parent = tmp_path / "place"
    parent.mkdir()
    target = parent / "course"
    prepare, args, message = BAD[kind]
    prepare(target)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".git" not in p.parts)
    assert _init(target, wheel, *args) == 2
    assert capsys.readouterr().err == f"error: {message.format(t=target, p=parent)}\n"
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".git" not in p.parts)
    assert after == before


def test_an_interrupted_init_leaves_nothing_and_runs_again(
        tmp_path: Path, wheel: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "c"

    def killed(*args: object) -> str:
        raise KeyboardInterrupt  # as if stopped between the first commit and the tag

    make = releasing.make
    monkeypatch.setattr(releasing, "make", killed)
    assert _init(target, wheel) == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wheels"]
    monkeypatch.setattr(releasing, "make", make)
    # A staging folder left by a run killed outright is cleared too.
    (tmp_path / ".c.microcred-init-dead").mkdir()
    assert _init(target, wheel) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "wheels"]
    assert [t.name for t in git.Repo(target).tags] == ["my-credential/v0.1.0"]


def test_update_keeps_edits_and_refreshes_the_rest(tmp_path: Path, wheel: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "c"
    assert _init(target, wheel) == 0
    capsys.readouterr()
    assert main(["init", "--update", "--root", str(target), "--wheel", str(wheel)]) == 0
    assert capsys.readouterr().out == "init --update: every generated file is current\n"
    lint, publish = target / ".github/workflows/lint.yml", target / ".github/workflows/publish.yml"
    lint.write_text(lint.read_text().replace("cancel-in-progress: true", "cancel-in-progress: false"))
    publish.unlink()
    newer = wheel.with_name("microcred-0.1.0-py3-none-any.whl")
    newer.write_bytes(b"a rebuilt wheel")
    assert main(["init", "--update", "--root", str(target), "--wheel", str(newer)]) == 1
    captured = capsys.readouterr()
    assert "-  cancel-in-progress: false\n+  cancel-in-progress: true\n" in captured.out
    assert "+++ b/.github/workflows/publish.yml (new, " in captured.out
    assert (".github/workflows/lint.yml: edited by hand, left as it is\n" in captured.err
            and f"{PIN_PATH}: updated, written\n" in captured.err)
    assert "cancel-in-progress: false" in lint.read_text() and publish.is_file()
    assert hashlib.sha256(b"a rebuilt wheel").hexdigest() in (target / PIN_PATH).read_text()
    assert main(["init", "--update", "--root", str(target), "--wheel", str(newer), "--force",
                 "-q"]) == 0
    assert "cancel-in-progress: true" in lint.read_text()


def test_update_and_a_folder_do_not_mix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "x"), "--update"]) == 2
    assert "init --update works on an existing course" in capsys.readouterr().err


def test_an_old_pin_is_reported(tmp_path: Path, wheel: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "c"
    old = wheel.with_name("microcred-0.0.9-py3-none-any.whl")
    old.write_bytes(b"an older wheel")
    assert _init(target, old) == 0
    commit_all(target, "as it was")
    capsys.readouterr()
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", KEY)
    assert main(["doctor", "--root", str(target), "--forge", "local"]) == 1
    assert ("FIX   microcred pin: the workflows pin microcred 0.0.9, older than the 0.1.0 run "
            "here (run `microcred init --update`, review the diff, commit it)") in capsys.readouterr().out


def test_doctor_on_github_lists_the_settings_left(tmp_path: Path, wheel: Path,
                                                  github: FakeGitHub,  # noqa: F811 (the fixture imported above)
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "c"
    assert _init(target, wheel) == 0
    # Pushed as it is to a new repository: the files are there, no setting is made yet.
    github.world.commit({path: (target / path).read_bytes()
                         for path in git.Repo(target).git.ls_files().splitlines()})
    capsys.readouterr()
    assert main(["doctor", "--root", str(target), "--forge", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines if not line.startswith("ok")] == [
        "FIX   branch main", "FIX   branch microcred-ledger", "FIX   environment badges",
        "FIX   pages", "CHECK learners' access", "CHECK fork workflows", "doctor"]
    assert lines[-1] == "doctor: 3 ok, 4 to fix, 2 to check by hand"


def test_a_git_failure_is_reported_and_writes_nothing(
        tmp_path: Path, wheel: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Commits must be signed, and the signing program fails.
    for index, (key, value) in enumerate((("commit.gpgsign", "true"), ("gpg.program", "false"))):
        monkeypatch.setenv(f"GIT_CONFIG_KEY_{index}", key)
        monkeypatch.setenv(f"GIT_CONFIG_VALUE_{index}", value)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "2")
    assert _init(tmp_path / "c", wheel) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'c'}: git failed (") and err.endswith(
        "); nothing was written: fix git's configuration and run init again\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wheels"]
