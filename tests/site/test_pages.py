"""Page specs are pure functions of the course model."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

from microcred.content.loader import load_course
from microcred.site import pages
from microcred.site.evidence_templates import template_pages


def test_shift_headings_makes_the_largest_heading_the_given_level() -> None:
    md = "# Top\n\ntext\n\n## Sub\n\n```\n# not a heading\n```\n"
    assert pages.shift_headings(md, 3) == (
        "### Top\n\ntext\n\n#### Sub\n\n```\n# not a heading\n```")


def test_shift_headings_leaves_small_enough_headings_alone() -> None:
    assert pages.shift_headings("### Already\n", 3) == "### Already\n"


def test_table_cell_flattens_and_escapes_pipes() -> None:
    assert pages.table_cell("one\n two | three") == "one two \\| three"


def test_ref_targets_are_relative_to_the_page(course: Path) -> None:
    model = load_course(course).course
    targets = pages.ref_targets(model, "modules/observation/index.md")
    assert targets["module:first-module"] == "../first-module/index.md"
    assert targets["credential:my-credential"] == "../../credentials/my-credential.md"
    assert targets["rubric:observation"] == "index.md#rubric"
    assert pages.ref_targets(model, "index.md")["programme:my-programme"] == (
        "programmes/my-programme.md")


def test_resolve_refs_rewrites_links_and_keeps_anchors(course: Path) -> None:
    model = load_course(course).course
    md = "See [it](module:observation#rubric) and [web](https://example.org/module:x)."
    assert pages.resolve_refs(model, md, "index.md") == (
        "See [it](modules/observation/index.md#rubric) and [web](https://example.org/module:x).")


def test_build_pages_makes_one_page_per_programme_credential_and_module(course: Path) -> None:
    model = load_course(course).course
    uris = [p.src_uri for p in pages.build_pages(model, pages.SiteOptions())]
    assert uris == ["programmes/my-programme.md", "credentials/my-credential.md",
                    "modules/first-module/index.md", "modules/observation/index.md"]


def test_module_page_has_elements_rubric_checklist_and_submission(course: Path) -> None:
    model = load_course(course).course
    options = pages.SiteOptions("https://github.com/org/course", "main")
    page = {p.src_uri: p for p in pages.build_pages(model, options)}["modules/observation/index.md"]
    md = page.markdown
    for label in ("New content", "Authentic practice", "Reflection", "Authentic assessment"):
        assert f'=== "{label}"' in md
    assert "| Criterion | Not yet | Developing | Proficient | Exemplary |" in md
    # Each cell also names its level, for the phone layout (the header row does on wider screens).
    assert ("| **Low-inference evidence**<br>required: Proficient | "
            '<span class="mc-level">Not yet: </span>Notes are mostly opinions. | '
            '<span class="mc-level">Developing: </span>Some notes are verbatim; many are '
            'judgements. | <span class="mc-level">Proficient: </span>**Required level.** Notes are '
            "verbatim and time-stamped. |") in md
    assert ("- [ ] **Calling-on tally**: `tally.csv`, observation data (CSV); columns: "
            "`minute`, `seat`, `question_type`; at least 5 rows. [Template](templates/tally.csv).") in md
    assert "- [ ] **Planning sheet** *(optional)*: `plan.pdf`, a file (PDF, PNG, up to 2 MB)." in md
    assert "submissions/YOUR-LOGIN/my-credential/observation/" in md


def test_web_editor_link_opens_a_prefilled_manifest(course: Path) -> None:
    model = load_course(course).course
    cred, mod = model.credentials["my-credential"], model.modules["observation"]
    target = pages._submit_target(cred, mod, pages.SiteOptions("https://github.com/org/course"))
    url = urlparse(target["web_editor"])
    assert (url.netloc, url.path) == ("github.com", "/org/course/new/main")
    query = parse_qs(url.query)
    assert query["filename"] == ["submissions/YOUR-LOGIN/my-credential/observation/submission.yml"]
    manifest = yaml.safe_load(query["value"][0])
    assert manifest["credential_version"] == "0.1.0"
    assert manifest["evidence"] == {"notes": "notes.md", "tally": "tally.csv",
                                    "video": "video-link.txt", "plan": "plan.pdf"}


def test_no_web_editor_link_without_a_github_repo(course: Path) -> None:
    model = load_course(course).course
    cred, mod = model.credentials["my-credential"], model.modules["observation"]
    assert pages._submit_target(cred, mod, pages.SiteOptions(""))["web_editor"] == ""
    # The new-course placeholder is not a repository either (`microcred init` writes it).
    placeholder = pages.SiteOptions("https://github.com/YOUR-ORG/YOUR-COURSE")
    assert pages._submit_target(cred, mod, placeholder)["web_editor"] == ""


def test_review_template_lists_every_criterion(course: Path) -> None:
    model = load_course(course).course
    text = pages.review_template(model.modules["observation"], model.rubrics["observation"])
    assert text.splitlines()[0] == "# levels: not-yet | developing | proficient | exemplary"
    block = yaml.safe_load(text)
    assert block == {"microcred-review": 1, "module": "observation", "criteria": {
        "evidence": {"level": "", "feedback": ""}, "patterns": {"level": "", "feedback": ""}}}


def test_evidence_that_accepts_word_says_so_on_its_page_and_template(course: Path) -> None:
    module = course / "modules/first-module/module.yml"
    module.write_text(module.read_text().replace(
        "    headings: [What I tried, What I learned]\n",
        "    headings: [What I tried, What I learned]\n    formats: [md, docx]\n"))
    model = load_course(course).course
    page = {p.src_uri: p for p in pages.build_pages(model, pages.SiteOptions())}[
        "modules/first-module/index.md"]
    assert ("**Written reflection**: `reflection.md`, written text (or a Word document, "
            "`reflection.docx`); 150–800 words") in page.markdown
    [(_, template, _)] = template_pages(model.modules["first-module"])
    assert "## Writing in Word instead" in template
    assert "a Word document named `reflection.docx` instead of `reflection.md`" in template
