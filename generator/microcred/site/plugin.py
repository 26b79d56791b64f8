"""The mkdocs plugin that turns the course model into pages."""

from __future__ import annotations

import logging
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from html import escape, unescape
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from microcred.coaching.load import load_records
from microcred.coaching.records import Records
from microcred.content.consent import consents_at
from microcred.content.history import course_files_at, open_repo, releases
from microcred.content.lint import lint_course
from microcred.content.loader import MODULES_DIR, RUBRICS_DIR, load_course
from microcred.ledger import layout
from microcred.ledger.settings import ISSUER_DID_ENV
from microcred.ledger.snapshot import file_versions, read_ledger
from microcred.model import Course, Module
from microcred.site import badges, guard
from microcred.site import export as exporting
from microcred.site import pages as spec
from microcred.site import schemas as published_schemas
from microcred.site.coaching import coaching_pages
from microcred.site.evidence_templates import template_pages

_HERE = Path(__file__).parent
_CSS = "assets/microcred.css"
_JS = "assets/microcred.js"  # opens the content tab a link's heading is in
# A task-list checkbox, then its item's own text: up to the first block boundary, so loose items
# (text in <p>) and nested lists each give their own text.
_CHECKBOX = re.compile(
    r'(<label class="task-list-control">\s*<input type="checkbox")([^>]*?)(\s*/?>)'
    r"(.*?</label>)(.*?)(?=</?(?:p|li|ul|ol|div|pre|table|blockquote)\b|$)", re.DOTALL)
_LINE_BREAK = re.compile(r"<br\s*/?>")
_TAGS = re.compile(r"<[^>]+>")
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
# The theme fetches stars and forks from api.github.com for this element; the site stays offline.
_SOURCE_FACTS = ' class="md-source" data-md-component="source"'
log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class Download(File):
    """A file published as it is, even Markdown: templates are for learners to download."""

    def is_documentation_page(self) -> bool:
        return False


class MicrocredConfig(Config):
    branch = config_options.Type(str, default="main")
    coaches_page = config_options.Type(str, default="coaches.md")
    # A did:web the issuer signs as (instead of its key's did:key), and that key's public half
    # (Multikey z6Mk...), for the DID document the site publishes (docs/badges.md).
    issuer_did = config_options.Type(str, default="")
    issuer_key = config_options.Type(str, default="")
    # The issuer's numeric LinkedIn page id: "add to profile" links then name that page.
    linkedin_organization_id = config_options.Type(str, default="")


def coaching_nav(course: Course, records: Records, programme_id: str) -> list[Any]:
    """A programme's calendars and Learning Exchanges, for its part of the nav."""
    pages = coaching_pages(course, Records((), (), tuple(
        x for x in records.exchanges if x.programme == programme_id), tuple(
        c for c in records.calendars if c.programme == programme_id)))
    calendars = [{p.title: p.src_uri} for p in pages if p.src_uri.startswith("calendars/")]
    exchanges = [{p.title: p.src_uri} for p in pages if p.src_uri.startswith("exchanges/")]
    return [*calendars, *([{"Learning Exchanges": exchanges}] if exchanges else [])]


class MicrocredPlugin(BasePlugin[MicrocredConfig]):
    """Generate programme, credential and module pages from content/, modules/ and rubrics/."""

    def __init__(self) -> None:
        self.course: Course | None = None
        self.root = Path()
        self.checkouts = ExitStack()  # earlier versions' course files, kept for one build
        # Set by `microcred build`, which has just linted the course: used once, then cleared,
        # so `serve` rebuilds (and plain `mkdocs build`) always read the files afresh.
        self.preloaded: Course | None = None
        self.records = Records()  # the coaching records: calendars and exchanges have pages
        # Set by `microcred build --export DIR`, for one build.
        self.export: exporting.Export | None = None
        self.files: Files | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).parent
        if self.preloaded is not None:
            self.course, self.preloaded = self.preloaded, None
        else:
            loaded, findings = lint_course(self.root)
            if findings:
                listing = "\n".join(f.render() for f in findings)
                raise PluginError(f"the course has {len(findings)} problem(s):\n{listing}")
            self.course = loaded.course
        if _CSS not in [str(c) for c in config.extra_css]:
            config.extra_css.append(_CSS)
        if _JS not in [str(j) for j in config.extra_javascript]:
            config.extra_javascript.append(_JS)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        course = self._course()
        for file in list(files):
            if file.src_uri.endswith((".yml", ".yaml")):
                files.remove(file)  # course data, rendered through pages instead
        options = spec.SiteOptions(config.repo_url or "", self.config.branch)
        released = self._earlier_versions(files, config, options)
        for page in spec.build_pages(course, options, released):
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        for module in course.modules.values():
            _add_templates(files, config, module, "")
            for uri, markdown, _ in template_pages(module):
                files.append(File.generated(config, uri, content=markdown,
                                            inclusion=InclusionLevel.NOT_IN_NAV))
        self._badges(files, config, released)
        self.records = load_records(self.root).records
        for page in coaching_pages(course, self.records):
            files.append(File.generated(config, page.src_uri, content=page.markdown))
        for uri, text in published_schemas.schema_files(config.site_url or "").items():
            files.append(File.generated(config, uri, content=text))
        files.append(File.generated(config, _CSS, abs_src_path=str(_HERE / _CSS)))
        files.append(File.generated(config, _JS, abs_src_path=str(_HERE / _JS)))
        if not config.nav:
            config.nav = self._nav(course, files)
        self.files = files
        return files

    def _earlier_versions(self, files: Files, config: MkDocsConfig,
                          options: spec.SiteOptions) -> dict[str, tuple[str, ...]]:
        """Add the pages of every released version other than the current one, out of the nav;
        return the versions that got pages, per credential."""
        repo = open_repo(self.root)
        out: dict[str, tuple[str, ...]] = {}
        for credential in self._course().credentials.values():
            self._version_pages(files, config, options, self._course(), credential.id, latest=True)
            if repo is None:
                continue
            tags = [t for t in releases(repo, credential.id) if t.version != credential.version]
            for tag in tags:
                folder = self.checkouts.enter_context(course_files_at(repo, tag.commit))
                old = load_course(folder).course
                if credential.id not in old.credentials:
                    continue
                self._version_pages(files, config, options, old, credential.id)
                out[credential.id] = (*out.get(credential.id, ()), tag.version)
        return out

    @staticmethod
    def _version_pages(files: Files, config: MkDocsConfig, options: spec.SiteOptions,
                       course: Course, credential_id: str, latest: bool = False) -> None:
        """One version's pages under `<id>/v<version>/`, out of the nav, with its templates."""
        for page in spec.build_version_pages(course, credential_id, options, latest):
            files.append(File.generated(config, page.src_uri, content=page.markdown,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        credential = course.credentials[credential_id]
        prefix = spec.version_prefix(credential_id, credential.version)
        for module_id in credential.modules:
            if module_id in course.modules:
                _add_templates(files, config, course.modules[module_id], prefix)

    def _badges(self, files: Files, config: MkDocsConfig,
                released: dict[str, tuple[str, ...]]) -> None:
        """Publish the status list, the issuer and the badges of consenting learners, from the
        ledger branch; their pages stay out of the nav, so the nav does not grow with badges."""
        ledger = read_ledger(self.root)
        if not ledger:
            return
        logins = {where[0] for path in ledger if (where := layout.parse_badge_path(path))}
        try:
            consents, problems = consents_at(self.root, "HEAD", logins)
        except subprocess.CalledProcessError:
            consents, problems = {}, []
        for problem in problems:
            log.warning(f"{problem.render()}; no badge page is published for this learner")
        options = badges.BadgeSiteOptions(
            site_url=config.site_url or "", built=datetime.now(UTC),
            issuer_did=os.environ.get(ISSUER_DID_ENV, "").strip() or self.config.issuer_did,
            issuer_key=self.config.issuer_key,
            linkedin_organization_id=self.config.linkedin_organization_id)
        docs = Path(config.docs_dir)
        try:
            outputs = badges.publish(ledger, consents, self._course(), released, options,
                                     lambda rel: _read_inside(docs, rel),
                                     file_versions(self.root, layout.STATUS_LIST),
                                     lambda message: log.warning(f"microcred: {message}"))
        except badges.BadgeSiteError as exc:
            raise PluginError(f"microcred: {exc}") from None
        for out in outputs:
            inclusion = InclusionLevel.NOT_IN_NAV if out.page else InclusionLevel.INCLUDED
            files.append(File.generated(config, out.uri, content=out.content, inclusion=inclusion))

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.checkouts.close()
        files = self.files or Files([])
        if self.export is not None:
            export, self.export = self.export, None
            exporting.write(export.target, _exported(files, config, export.pages), config.nav)
        # Last: the marker says the plugin saw the build through.
        guard.write_marker(Path(config.site_dir), len(files.documentation_pages()))

    def on_build_error(self, error: Exception) -> None:
        self.checkouts.close()

    def _nav(self, course: Course, files: Files) -> list[Any]:
        """A nav whose part on any one page stays small as the course grows.

        mkdocs-material (navigation.sections + navigation.prune) renders the top-level sections
        open and, below them, only the sections on the page's own path. So no list here is
        longer than `limit`: longer ones are nested in numbered groups ("Programmes 9–16"), and a
        page carries about limit x depth entries, not the whole course (benchmarks/README.md).
        A course with up to `limit` programmes keeps them at the top level.
        """
        limit = 8

        def bounded(items: list[Any], label: str, start: int = 1) -> list[Any]:
            if len(items) <= limit:
                return items
            size = limit
            while len(items) > size * limit:
                size *= limit
            return [{f"{label} {start + i}–{start + min(i + size, len(items)) - 1}":
                     bounded(items[i:i + size], label, start + i)}
                    for i in range(0, len(items), size)]

        programmes: list[Any] = []
        for prog in course.programmes.values():
            creds: list[Any] = []
            for cid in prog.credentials:
                if cred := course.credentials.get(cid):
                    mods = [{course.modules[m].title: spec.module_uri(m)}
                            for m in cred.modules if m in course.modules]
                    about = {"About": spec.credential_uri(cid)}
                    creds.append({cred.title: [about, *bounded(mods, "Modules")]})
            overview = {"Overview": spec.programme_uri(prog.id)}
            programmes.append({prog.title: [overview, *bounded(creds, "Credentials"),
                                            *coaching_nav(course, self.records, prog.id)]})
        if len(programmes) > limit:
            programmes = [{"Programmes": bounded(programmes, "Programmes")}]
        home = [{"Home": "index.md"}] if files.get_file_from_path("index.md") else []
        extra = sorted(p for p in course.pages if p != "index.md")
        return [*home, *programmes, *bounded(extra, "Pages")]

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        course = self._course()
        markdown = spec.resolve_refs(course, markdown, page.file.src_uri)
        if page.file.src_uri == self.config.coaches_page:
            markdown += spec.coaches_appendix(course)
        if self.export is not None:
            self.export.pages[page.file.src_uri] = exporting.page_text(markdown, page.meta)
        return markdown

    def on_page_content(
        self, html: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        return label_checkboxes(html)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return finish_html(output)

    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig
    ) -> str:
        # 404.html is a static template: on_post_page never sees it.
        return finish_html(output_content) if template_name.endswith(".html") else output_content

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        for folder in (MODULES_DIR, RUBRICS_DIR):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server

    def _course(self) -> Course:
        if self.course is None:
            raise PluginError("microcred: the course was not loaded (on_config did not run)")
        return self.course


def finish_html(html: str) -> str:
    """Apply the whole-page fixes to a page rendered by the theme."""
    return drop_repository_facts(name_search_dialog(html))


def _exported(files: Files, config: MkDocsConfig,
              pages: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    """The site's sources as an export holds them: each rendered page's final Markdown, and
    every other file of the course as it is; the theme's own files stay out."""
    docs_dir = os.path.normpath(config.docs_dir)
    for file in files:
        ours = file.src_dir is None or os.path.normpath(file.src_dir) == docs_dir
        if not ours or file.inclusion.is_excluded():
            continue
        if file.src_uri in pages:
            yield file.src_uri, pages[file.src_uri].encode("utf-8")
        elif not file.is_documentation_page():
            yield file.src_uri, file.content_bytes


def _read_inside(folder: Path, rel: str) -> bytes | None:
    """A file under `folder`, or None when it is missing or `rel` leads outside."""
    path = (folder / rel).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        return None
    return path.read_bytes()


def _add_templates(files: Files, config: MkDocsConfig, module: Module, prefix: str) -> None:
    """Publish a module's templates beside its page, as downloads."""
    for path in sorted((module.folder / "templates").glob("*")):
        if path.is_file():
            uri = f"{prefix}modules/{module.id}/templates/{path.name}"
            files.append(Download.generated(config, uri, abs_src_path=str(path)))


def name_search_dialog(html: str) -> str:
    """Give the theme's search dialog an accessible name (it has role=dialog but no label)."""
    return html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)


def drop_repository_facts(html: str) -> str:
    """Keep the repository link but stop the theme fetching its facts from the forge's API."""
    return html.replace(_SOURCE_FACTS, ' class="md-source"')


def label_checkboxes(html: str) -> str:
    """Give each task-list checkbox the accessible name of its item's text."""

    def label(match: re.Match[str]) -> str:
        start, attributes, end, control, text = match.groups()
        if "aria-label" in attributes:
            return match.group(0)
        name = escape(item_text(text) or "checklist item")
        return f'{start}{attributes} aria-label="{name}"{end}{control}{text}'

    return _CHECKBOX.sub(label, html)


def item_text(html: str) -> str:
    """The plain text of an HTML fragment, whitespace collapsed."""
    return " ".join(unescape(_TAGS.sub("", _LINE_BREAK.sub(" ", html))).split())
