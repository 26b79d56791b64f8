"""`microcred build --export DIR`: the pages as plain Markdown that another site generator
builds (shown with plain mkdocs, its own theme and no microcred plugin)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from microcred.cli import main
from microcred.site.export import MARKER, NAV


@pytest.fixture
def exported(course: Path, tmp_path: Path) -> Path:
    out = tmp_path / "export"
    assert main(["build", "--root", str(course), "--site-dir", str(tmp_path / "site"),
                 "--export", str(out), "-q"]) == 0
    return out


def test_generated_and_authored_pages_are_exported_as_markdown(exported: Path,
                                                                course: Path) -> None:
    for page in ("index.md", "coaches.md", "programmes/my-programme.md",
                 "credentials/my-credential.md", "modules/observation/index.md",
                 "modules/first-module/index.md"):
        assert (exported / page).is_file(), page
    module = (exported / "modules/observation/index.md").read_text(encoding="utf-8")
    assert module.startswith("# Classroom observation\n")
    assert "](../first-module/index.md)" in module and "(module:" not in module
    # The coaches' page carries what the plugin appends to it.
    assert "review" in (exported / "coaches.md").read_text(encoding="utf-8").lower()


def test_files_front_matter_and_nav_come_along(exported: Path, course: Path) -> None:
    template = "modules/first-module/templates/reflection.md"
    assert (exported / template).read_text() == (course / template).read_text()
    assert (exported / "modules/observation/templates/tally.csv").is_file()
    assert (exported / "schemas/1/module.schema.json").is_file()
    assert (exported / "assets/microcred.css").is_file()
    page = exported / "modules/first-module/template-reflection.md"  # its page, out of the search
    assert page.read_text(encoding="utf-8").startswith("---\nsearch:\n  exclude: true\n---\n")
    nav = yaml.safe_load((exported / NAV).read_text(encoding="utf-8"))
    assert nav[0] == {"Home": "index.md"}
    assert list(exported.rglob("*.yml")) == [exported / NAV]  # course data stays out
    assert not (exported / "javascripts").exists()  # the theme's own files stay out
    assert (exported / MARKER).is_file()


def test_plain_mkdocs_builds_the_export(exported: Path, tmp_path: Path) -> None:
    config = {
        "site_name": "Sample Course, exported", "docs_dir": str(exported),
        "site_dir": str(tmp_path / "plain"), "theme": "mkdocs", "strict": True,
        "nav": yaml.safe_load((exported / NAV).read_text(encoding="utf-8")),
        "markdown_extensions": ["admonition", "attr_list", "md_in_html", "tables", "toc",
                                "pymdownx.details", "pymdownx.superfences",
                                {"pymdownx.tabbed": {"alternate_style": True}},
                                "pymdownx.tasklist"]}
    config_file = tmp_path / "plain.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "plain/modules/observation/index.html").read_text(encoding="utf-8")
    assert "Classroom observation" in html and 'href="../first-module/"' in html


def test_an_earlier_export_is_replaced(course: Path, tmp_path: Path, exported: Path) -> None:
    (exported / "stale.md").write_text("gone after the next export")
    assert main(["build", "--root", str(course), "--site-dir", str(tmp_path / "site"),
                 "--export", str(exported), "-q"]) == 0
    assert not (exported / "stale.md").exists() and (exported / "index.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".export")) == []


def test_a_folder_that_is_not_an_export_is_refused_before_building(
        course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notes"
    target.mkdir()
    (target / "mine.txt").write_text("keep me")
    assert main(["build", "--root", str(course), "--site-dir", str(tmp_path / "site"),
                 "--export", str(target)]) == 2
    assert capsys.readouterr().err == (f"error: --export {target}: the folder is not empty and "
                                       "holds no earlier export (give a new or empty folder)\n")
    assert (target / "mine.txt").read_text() == "keep me" and not (tmp_path / "site").exists()
