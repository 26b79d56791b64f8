"""The site, built strictly through mkdocs and the plugin, from a real course folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from microcred.badge.credential import achievement_url
from microcred.cli import main
from microcred.content.lint import lint_course
from microcred.site.schemas import FILE_GLOBS, schema_uri
from tests.conftest import REPO


@pytest.fixture
def built(course: Path, tmp_path: Path) -> Path:
    secret = course / "submissions/lea/my-credential/observation"
    secret.mkdir(parents=True)
    (secret / "notes.md").write_text("## Context\n\nCANARY-STUDENT-EVIDENCE\n", encoding="utf-8")
    site = tmp_path / "site"
    assert main(["build", "--root", str(course), "--site-dir", str(site), "-q"]) == 0
    return site


def _all_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in site.rglob("*") if p.is_file())


def test_submissions_never_reach_the_site(built: Path) -> None:
    assert "CANARY-STUDENT-EVIDENCE" not in _all_text(built)
    assert not any("submissions" in p.relative_to(built).as_posix() for p in built.rglob("*"))


def test_course_data_files_are_not_copied(built: Path) -> None:
    assert not list(built.rglob("*.yml"))


def test_pages_exist_for_programme_credential_modules_and_coaches(built: Path) -> None:
    for page in ("index.html", "programmes/my-programme/index.html",
                 "credentials/my-credential/index.html", "modules/observation/index.html",
                 "modules/first-module/index.html", "coaches/index.html"):
        assert (built / page).is_file(), page


def test_templates_are_published_for_download(built: Path, course: Path) -> None:
    assert (built / "modules/observation/templates/tally.csv").read_text().startswith("minute,")
    # A Markdown template is a download, not a page: served as written, never rendered.
    template = "modules/first-module/templates/reflection.md"
    assert (built / template).read_text() == (course / template).read_text()
    assert not (built / "modules/first-module/templates/reflection/index.html").exists()


def test_course_references_resolve_to_pages(built: Path) -> None:
    html = (built / "modules/observation/index.html").read_text()
    assert 'href="../first-module/"' in html
    assert 'href="#rubric"' in html
    assert "module:" not in html.replace("microcred submit", "")


def test_task_list_checkboxes_have_names(built: Path) -> None:
    html = (built / "modules/observation/index.html").read_text()
    assert 'aria-label="Read the guide"' in html
    assert 'aria-label="Calling-on tally: tally.csv' in html


def test_search_dialog_is_named(built: Path) -> None:
    html = (built / "index.html").read_text()
    assert 'role="dialog" aria-label="Search"' in html


def test_coaches_page_has_review_templates(built: Path) -> None:
    html = (built / "coaches/index.html").read_text()
    assert "Review template" in html
    assert "microcred-review" in html


def test_programme_page_shows_counts_not_learner_logins(built: Path) -> None:
    html = (built / "programmes/my-programme/index.html").read_text()
    assert "<td>9</td>" in html  # learners
    for login in ("lea", "leo", "mae", "moe"):
        assert f">{login}<" not in html and f" {login} " not in html


def test_nav_lists_programme_credential_and_modules(built: Path) -> None:
    html = (built / "credentials/my-credential/index.html").read_text()
    for href in ("../../modules/observation/", "../../modules/first-module/",
                 "../../programmes/my-programme/"):
        assert f'href="{href}"' in html


def test_site_uses_no_web_fonts_or_cdn(built: Path) -> None:
    html = (built / "index.html").read_text()
    assert "fonts.googleapis.com" not in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_plain_mkdocs_build_strict_works(course: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "m")],
        cwd=course, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m/modules/observation/index.html").is_file()


def test_example_course_builds_strictly(tmp_path: Path) -> None:
    assert main(["lint", "--root", str(REPO), "-q"]) == 0
    assert main(["build", "--root", str(REPO), "--site-dir", str(tmp_path / "site"), "-q"]) == 0
    modules = sorted(p.parent.name for p in (tmp_path / "site/modules").glob("*/index.html"))
    assert modules == sorted(p.parent.name for p in (REPO / "modules").glob("*/module.yml"))
    assert len(modules) == 7


def test_the_current_version_is_also_at_the_address_badges_link_to(built: Path) -> None:
    course = lint_course(built.parent / "course", releases=False)[0].course
    credential = course.credentials["my-credential"]
    path = achievement_url("https://x.example/", credential).removeprefix("https://x.example/")
    page = (built / path / "index.html").read_text("utf-8")
    assert "the current version at a fixed address" in page
    assert "/v0.1.0/" not in (built / "index.html").read_text("utf-8")  # out of the nav
    assert "/v0.1.0/" not in (built / "search" / "search_index.json").read_text("utf-8")
    module = built / "my-credential/v0.1.0/modules/observation/index.html"
    assert "the current version at a fixed address" in module.read_text("utf-8")


def test_the_site_publishes_each_schema_at_its_id(built: Path, course: Path) -> None:
    site_url = "https://example.org/course/"
    config = course / "mkdocs.yml"
    assert "site_url" not in config.read_text()
    config.write_text(f"site_url: {site_url}\n" + config.read_text(), encoding="utf-8")
    again = built.parent / "again"
    assert main(["build", "--root", str(course), "--site-dir", str(again), "-q"]) == 0
    for kind, globs in FILE_GLOBS.items():
        schema = json.loads((again / schema_uri(kind)).read_text(encoding="utf-8"))
        assert schema["$id"] == site_url + schema_uri(kind)
        validator = Draft202012Validator(schema)
        for path in (p for glob in globs for p in course.glob(glob)):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert list(validator.iter_errors(data)) == [], path
    assert (again / "schemas/1/check-report.schema.json").is_file()
    # Without a site address the files are still published, under their URNs.
    assert json.loads((built / schema_uri("module")).read_text())["$id"].startswith("urn:")
