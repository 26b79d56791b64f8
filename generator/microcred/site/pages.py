"""Course model -> Markdown page specs. Pure: no mkdocs, no file system writes."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

import jinja2
import yaml

from microcred.content.links import find_links, rewrite_refs
from microcred.model import (
    ELEMENTS,
    Course,
    Credential,
    EvidenceRequirement,
    Module,
    Rubric,
    word_document_name,
)
from microcred.site.evidence_templates import template_page_uri

_HEADING = re.compile(r"^(#{1,6})(\s)", re.MULTILINE)
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class PageSpec:
    """A page the plugin adds to the site: where it lives and its Markdown."""

    src_uri: str
    markdown: str
    title: str


# The course's step-by-step page for learners who submit on GitHub's web pages (content/):
# module pages link to it when the course has it.
STEPS_PAGE = "submit-on-the-web.md"


@dataclass(frozen=True)
class SiteOptions:
    repo_url: str = ""
    branch: str = "main"


def programme_uri(pid: str) -> str:
    return f"programmes/{pid}.md"


def credential_uri(cid: str, prefix: str = "") -> str:
    return f"{prefix}credentials/{cid}.md"


def module_uri(mid: str, prefix: str = "") -> str:
    return f"{prefix}modules/{mid}/index.md"


def version_prefix(cid: str, version: str) -> str:
    """Where a released version's pages live: `<credential>/v<version>/...`, out of the nav."""
    return f"{cid}/v{version}/"


@dataclass(frozen=True)
class Edition:
    """Which edition of the pages to make: the current one, or a released earlier version."""

    prefix: str = ""
    version: str = ""
    released: tuple[str, ...] = ()  # versions with pages of their own, for the changelog links
    latest: bool = False  # the current version, at its fixed versioned address


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("microcred.site", "templates"),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False,
    )
    env.filters["cell"] = table_cell
    env.filters["indent4"] = lambda text: indent(text, 4)
    return env


def build_pages(course: Course, options: SiteOptions,
                released: dict[str, tuple[str, ...]] | None = None) -> list[PageSpec]:
    """Return one spec per programme, credential and module page of the current course."""
    released = released or {}
    pages = [_programme_page(course, pid) for pid in course.programmes]
    pages += [_credential_page(course, cred, Edition(released=released.get(cred.id, ())))
              for cred in course.credentials.values()]
    pages += [_module_page(course, mod, options, Edition()) for mod in course.modules.values()]
    return pages


def build_version_pages(course: Course, credential_id: str, options: SiteOptions,
                        latest: bool = False) -> list[PageSpec]:
    """The pages of one version of a credential (`course` as it was at its tag) under
    `<id>/v<version>/`: the address a badge's criteria link names, so it always resolves.
    Earlier versions are marked as not current; `latest` marks the current version's copy."""
    cred = course.credentials[credential_id]
    edition = Edition(version_prefix(cred.id, cred.version), cred.version, latest=latest)
    pages = [_credential_page(course, cred, edition)]
    pages += [_module_page(course, course.modules[m], options, edition, cred)
              for m in cred.modules if m in course.modules]
    return [PageSpec(p.src_uri, resolve_refs(course, p.markdown, p.src_uri, edition, cred),
                     p.title) for p in pages]


def ref_targets(course: Course, from_uri: str, edition: Edition = Edition(),
                credential: Credential | None = None,
                only: set[str] | None = None) -> dict[str, str]:
    """Map `scheme:id` references (all, or `only` these) to paths relative to `from_uri`.

    In an earlier version's pages, the credential and its modules point within that version.
    """
    refs = only if only is not None else (
        {f"programme:{p}" for p in course.programmes}
        | {f"credential:{c}" for c in course.credentials}
        | {f"module:{m}" for m in course.modules}
        | {f"rubric:{m.rubric}" for m in course.modules.values()})
    base = posixpath.dirname(from_uri) or "."
    out = {}
    for ref in refs:
        uri = _ref_uri(course, ref, edition, credential)
        if uri is not None:
            path, sep, anchor = uri.partition("#")
            out[ref] = posixpath.relpath(path, base) + sep + anchor
    return out


def _ref_uri(course: Course, ref: str, edition: Edition,
             credential: Credential | None) -> str | None:
    """The page (from the site root) a course reference points to, or None if there is none."""
    scheme, _, ident = ref.partition(":")
    mine = credential.modules if credential else ()
    if scheme == "programme" and ident in course.programmes:
        return programme_uri(ident)
    if scheme == "credential" and ident in course.credentials:
        own = credential is not None and ident == credential.id
        return credential_uri(ident, edition.prefix if own else "")
    if scheme == "module" and ident in course.modules:
        return module_uri(ident, edition.prefix if ident in mine else "")
    if scheme == "rubric":
        user = next((m for m in course.modules.values() if m.rubric == ident), None)
        if user is not None:
            return module_uri(user.id, edition.prefix if user.id in mine else "") + "#rubric"
    return None


def resolve_refs(course: Course, markdown: str, src_uri: str, edition: Edition = Edition(),
                 credential: Credential | None = None) -> str:
    """Rewrite the course references in `markdown` for the page at `src_uri`."""
    used = {link.target.partition("#")[0] for link in find_links(markdown) if link.scheme}
    if not used:
        return markdown
    return rewrite_refs(markdown, ref_targets(course, src_uri, edition, credential, used))


def _programme_page(course: Course, pid: str) -> PageSpec:
    prog = course.programmes[pid]
    networks = [n for c in prog.cohorts for n in c.networks]
    creds = [course.credentials[c] for c in prog.credentials if c in course.credentials]
    md = _env().get_template("programme.md.j2").render(
        prog=prog, credentials=creds, networks=networks, learners=len(prog.all_learners()),
        uri=credential_uri, here=programme_uri(pid), rel=_rel, course=course)
    return PageSpec(programme_uri(pid), md, prog.title)


def _credential_page(course: Course, cred: Credential, edition: Edition) -> PageSpec:
    modules = [course.modules[m] for m in cred.modules if m in course.modules]
    here = credential_uri(cred.id, edition.prefix)
    released = next((r.date for r in cred.changelog if r.version == cred.version), "")
    md = _env().get_template("credential.md.j2").render(
        cred=cred, modules=modules, here=here, rel=_rel,
        module_uri=lambda m: module_uri(m, edition.prefix),
        programme=course.programmes.get(cred.programme), programme_uri=programme_uri,
        image=_rel(here, cred.image), hours=sum(m.hours for m in modules), edition=edition,
        released_on=released, current=credential_uri(cred.id),
        version_uri=lambda v: credential_uri(cred.id, version_prefix(cred.id, v)),
        changelog=list(reversed(cred.changelog)),
        parts=[course.credentials[p] for p in (cred.requires.credentials if cred.requires else ())
               if p in course.credentials],
        part_uri=credential_uri)  # a part has versions of its own: its current page
    return PageSpec(here, md, cred.title)


def _module_page(course: Course, mod: Module, options: SiteOptions, edition: Edition,
                 only: Credential | None = None) -> PageSpec:
    here = module_uri(mod.id, edition.prefix)
    creds = [only] if only else course.credentials_of_module(mod.id)
    elements = [(label, key, shift_headings(mod.elements.get(key, ""), 3))
                for key, label, _ in ELEMENTS]
    submit = [] if edition.version else [_submit_target(cred, mod, options) for cred in creds]
    md = _env().get_template("module.md.j2").render(
        mod=mod, elements=elements, rubric=course.rubrics.get(mod.rubric), credentials=creds,
        here=here, rel=_rel, credential_uri=lambda c: credential_uri(c, edition.prefix),
        submit=submit, evidence_line=evidence_line, edition=edition,
        current=module_uri(mod.id), steps_page=STEPS_PAGE if STEPS_PAGE in course.pages else "",
        template_page=lambda t: _template_link(mod.id, t))
    return PageSpec(here, md, mod.title)


def _template_link(module_id: str, template: str) -> str:
    """The readable page of a template, relative to its module's page; '' when it has none."""
    uri = template_page_uri(module_id, template)
    return posixpath.basename(uri) if uri else ""


def _rel(here: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def relative(here: str, target: str) -> str:
    """The link from the page `here` to the page `target` (both site paths)."""
    return _rel(here, target)


def render(template: str, **values: object) -> str:
    """One of the site's page templates, rendered with `values`."""
    return _env().get_template(template).render(**values)


def submission_folder(credential_id: str, module_id: str, login: str = "YOUR-LOGIN") -> str:
    return f"submissions/{login}/{credential_id}/{module_id}"


def manifest_template(cred: Credential, mod: Module, login: str = "YOUR-LOGIN") -> str:
    """Return the submission manifest a learner starts from."""
    data = {
        "format": 1, "kind": "submission", "learner": login, "credential": cred.id,
        "credential_version": cred.version, "module": mod.id, "attempt": 1,
        "evidence": {req.id: req.file for req in mod.evidence},
        "privacy": {"deidentified": False},
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _submit_target(cred: Credential, mod: Module, options: SiteOptions) -> dict[str, str]:
    folder = submission_folder(cred.id, mod.id)
    manifest = manifest_template(cred, mod)
    link = ""
    # A repository address still holding the new-course placeholder (YOUR-ORG/YOUR-COURSE)
    # would send learners to a page that does not exist: no button until it is set.
    if options.repo_url.startswith("https://github.com/") and "YOUR-" not in options.repo_url:
        link = (f"{options.repo_url.rstrip('/')}/new/{quote(options.branch)}"
                f"?filename={quote(folder + '/submission.yml')}&value={quote(manifest)}")
    return {"credential": cred.title, "credential_id": cred.id, "folder": folder,
            "manifest": manifest, "web_editor": link, "version": cred.version}


def evidence_line(req: EvidenceRequirement) -> str:
    """Describe one evidence requirement in a sentence for the checklist."""
    if req.kind == "text":
        parts = ["written text" + (f" (or a Word document, `{word_document_name(req.file)}`)"
                                   if req.accepts_word else "")]
        if req.min_words or req.max_words:
            parts.append(f"{req.min_words or 0}–{req.max_words or 'any'} words")
        if req.headings:
            parts.append("headings: " + ", ".join(f"“{h}”" for h in req.headings))
    elif req.kind == "csv":
        parts = ["observation data (CSV)", "columns: " + ", ".join(
            f"`{c.name}`" for c in req.columns)]
        if req.min_rows:
            parts.append(f"at least {req.min_rows} rows")
    elif req.kind == "link":
        parts = ["a link to " + ", ".join(req.hosts)]
        if req.private:
            parts.append("unlisted or private, never public")
    else:
        size = f"{(req.max_bytes or 0) / 1_000_000:g} MB"
        parts = [f"a file ({', '.join(t.upper() for t in req.types)}, up to {size})"]
    return "; ".join(parts)


def shift_headings(markdown: str, top: int) -> str:
    """Shift Markdown headings so the largest becomes level `top` (outside code fences)."""
    lines, in_fence, levels = markdown.splitlines(), False, []
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (m := _HEADING.match(line)):
            levels.append(len(m.group(1)))
    if not levels or min(levels) >= top:
        return markdown
    shift, out, in_fence = top - min(levels), [], False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and _HEADING.match(line):
            line = "#" * shift + line
        out.append(line)
    return "\n".join(out)


def indent(text: str, width: int) -> str:
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def table_cell(text: str) -> str:
    """Make text safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def review_template(mod: Module, rubric: Rubric | None) -> str:
    """Return the review block a coach fills in for `mod`."""
    criteria = {c.id: {"level": "", "feedback": ""} for c in (rubric.criteria if rubric else ())}
    levels = " | ".join(level.id for level in rubric.levels) if rubric else ""
    body = yaml.safe_dump({"microcred-review": 1, "module": mod.id, "criteria": criteria},
                          sort_keys=False)
    return f"# levels: {levels}\n{body}"


def coaches_appendix(course: Course) -> str:
    """Return the generated part of the coaches' page: one review template per module."""
    modules = sorted(course.modules.values(), key=lambda m: m.title)
    return _env().get_template("coaches.md.j2").render(
        modules=modules,
        template=lambda m: review_template(m, course.rubrics.get(m.rubric)))
