"""Checks that span files: references between credentials, modules, rubrics and rosters."""

from __future__ import annotations

import difflib
import errno
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from microcred.content.links import find_links
from microcred.content.loader import CONTENT_DIR, Loaded, element_files
from microcred.content.stacking import check_stacking
from microcred.content.yamlfile import dotted
from microcred.errors import Finding
from microcred.model import ELEMENTS, Credential, Module, Programme, Rubric

MIN_NETWORK, MAX_NETWORK = 4, 6


def check_references(loaded: Loaded) -> list[Finding]:
    """Return every cross-reference problem of the loaded course."""
    course = loaded.course
    found: list[Finding] = []
    for rubric in course.rubrics.values():
        found += _rubric(loaded, rubric)
    for module in course.modules.values():
        found += _module(loaded, module)
    for credential in course.credentials.values():
        found += _credential(loaded, credential)
    found += check_stacking(loaded)
    for programme in course.programmes.values():
        found += _programme(loaded, programme)
    for page in course.pages:
        path = course.root / CONTENT_DIR / page
        found += _links(loaded, f"{CONTENT_DIR}/{page}", path,
                        path.read_text(encoding="utf-8", errors="replace"))
    return found


def _at(loaded: Loaded, source: str, key: tuple[str | int, ...], message: str, fix: str) -> Finding:
    doc = loaded.docs[source]
    return Finding(source, doc.line_of(key), dotted(key), message, fix)


def _absent(path: Path, test: Callable[[Path], bool] = Path.is_file) -> tuple[str, str] | None:
    """None when `path` is there; else why not and, when the name is the trouble, its fix.

    A name the file system cannot even look up (over 255 bytes, say) is a finding like a missing
    file, never an OSError out of `lint`."""
    try:
        return None if test(path) else ("does not exist", "")
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return ("has a name too long for the file system",
                    "shorten it: at most 255 bytes for each folder or file name")
        return f"cannot be looked up ({exc.strerror})", "check the folders' permissions"


def _clipped(shown: str) -> str:
    return shown if len(shown) <= 100 else f"{shown[:60]}…{shown[-30:]}"


def _suggest(name: str, known: Iterable[str], what: str) -> str:
    near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if near:
        return f"did you mean '{near[0]}'?"
    return f"create {what} '{name}' or use an existing one"


def _one_of(name: str, known: list[str]) -> str:
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(known)}"


def _duplicates(items: Iterable[str]) -> list[str]:
    return [item for item, count in Counter(items).items() if count > 1]


def _index_of(items: tuple[str, ...], value: str, occurrence: int = 1) -> int:
    seen = 0
    for index, item in enumerate(items):
        if item == value:
            seen += 1
            if seen == occurrence:
                return index
    return 0


def _rubric(loaded: Loaded, rubric: Rubric) -> Iterator[Finding]:
    level_ids = [level.id for level in rubric.levels]
    for dup in _duplicates(level_ids):
        yield _at(loaded, rubric.source, ("levels", _index_of(tuple(level_ids), dup, 2), "id"),
                  f"duplicate level id '{dup}'", "give each level its own id")
    criterion_ids = tuple(c.id for c in rubric.criteria)
    for dup in _duplicates(criterion_ids):
        yield _at(loaded, rubric.source, ("criteria", _index_of(criterion_ids, dup, 2), "id"),
                  f"duplicate criterion id '{dup}'", "give each criterion its own id")
    for i, criterion in enumerate(rubric.criteria):
        if criterion.required not in level_ids:
            yield _at(loaded, rubric.source, ("criteria", i, "required"),
                      f"level '{criterion.required}' is not a level of this rubric",
                      _one_of(criterion.required, level_ids))
        for level in criterion.descriptors:
            if level not in level_ids:
                yield _at(loaded, rubric.source, ("criteria", i, "descriptors", level),
                          f"level '{level}' is not a level of this rubric",
                          _one_of(level, level_ids))
        missing = [lv for lv in level_ids if lv not in criterion.descriptors]
        if missing:
            yield _at(loaded, rubric.source, ("criteria", i, "descriptors"),
                      f"no descriptor for level(s) {', '.join(missing)}",
                      "describe what each level looks like for this criterion")


def _module(loaded: Loaded, module: Module) -> Iterator[Finding]:
    course = loaded.course
    if module.rubric not in course.rubrics and module.rubric not in loaded.present.get("rubric", ()):
        yield _at(loaded, module.source, ("rubric",), f"unknown rubric '{module.rubric}'",
                  _suggest(module.rubric, course.rubrics, "rubrics/<id>.yml for rubric"))
    yield from _elements(loaded, module)
    yield from _evidence(loaded, module)


def _elements(loaded: Loaded, module: Module) -> Iterator[Finding]:
    files = element_files(loaded.docs[module.source].data)
    for key, label, _ in ELEMENTS:
        path = module.folder / files[key]
        shown = _shown(loaded, path)
        if absent := _absent(path):
            declared = key in (loaded.docs[module.source].data.get("elements") or {})
            yield Finding(module.source, loaded.docs[module.source].line_of(
                          ("elements", key) if declared else ("id",)), f"elements.{key}",
                          f"missing design element '{label}': {_clipped(shown)} {absent[0]}",
                          absent[1] or f"write {shown}; every module needs all four design "
                          "elements")
        elif not module.elements[key].strip():
            yield Finding(shown, 1, key, f"design element '{label}' is empty",
                          "write the Markdown for this element")
        else:  # the loader has read it: a file it could not decode is empty by now
            yield from _links(loaded, shown, path, module.elements[key])


def _shown(loaded: Loaded, path: Path) -> str:
    return path.relative_to(loaded.course.root).as_posix()


def _evidence(loaded: Loaded, module: Module) -> Iterator[Finding]:
    ids = tuple(e.id for e in module.evidence)
    for dup in _duplicates(ids):
        yield _at(loaded, module.source, ("evidence", _index_of(ids, dup, 2), "id"),
                  f"duplicate evidence id '{dup}'", "give each evidence requirement its own id")
    files = tuple(e.file for e in module.evidence)
    for dup in _duplicates(files):
        yield _at(loaded, module.source, ("evidence", _index_of(files, dup, 2), "file"),
                  f"two evidence requirements use the file name '{dup}'",
                  "give each requirement its own file")
    rubric = loaded.course.rubrics.get(module.rubric)
    criteria = [c.id for c in rubric.criteria] if rubric else []
    for i, req in enumerate(module.evidence):
        if req.template and (absent := _absent(module.folder / req.template)):
            yield _at(loaded, module.source, ("evidence", i, "template"),
                      f"template {_clipped(_shown(loaded, module.folder / req.template))} "
                      f"{absent[0]}", absent[1] or "create the template file or remove 'template'")
        if req.min_words is not None and req.max_words is not None and req.min_words > req.max_words:
            yield _at(loaded, module.source, ("evidence", i, "words"),
                      f"word limits are reversed (min {req.min_words} > max {req.max_words})",
                      "make min no larger than max")
        for name in _duplicates(c.name for c in req.columns):
            yield _at(loaded, module.source, ("evidence", i, "columns"),
                      f"column '{name}' is declared twice", "declare each column once")
        for criterion in req.criteria:
            if rubric and criterion not in criteria:
                yield _at(loaded, module.source, ("evidence", i, "criteria"),
                          f"criterion '{criterion}' is not in rubric '{module.rubric}'",
                          _one_of(criterion, criteria))


def _credential(loaded: Loaded, credential: Credential) -> Iterator[Finding]:
    course, src = loaded.course, credential.source
    for i, module_id in enumerate(credential.modules):
        if credential.modules.index(module_id) != i:
            yield _at(loaded, src, ("modules", i), f"module '{module_id}' is listed twice",
                      "list each module once")
        elif module_id not in loaded.present.get("module", ()):
            yield _at(loaded, src, ("modules", i), f"unknown module '{module_id}'",
                      _suggest(module_id, course.modules, "modules/<id>/module.yml for module"))
    if credential.programme not in loaded.present.get("programme", ()):
        yield _at(loaded, src, ("programme",), f"unknown programme '{credential.programme}'",
                  _suggest(credential.programme, course.programmes,
                           "content/programmes/<id>.yml for programme"))
    elif (prog := course.programmes.get(credential.programme)) and credential.id not in prog.credentials:
        yield _at(loaded, src, ("programme",),
                  f"programme '{prog.id}' does not list this credential",
                  f"add '{credential.id}' to credentials in {prog.source}")
    if absent := _absent(course.root / CONTENT_DIR / credential.image):
        yield _at(loaded, src, ("image",), f"image {_clipped(f'content/{credential.image}')} "
                  f"{absent[0]}", absent[1] or "add the badge image under content/ or correct "
                  "the path")


def _programme(loaded: Loaded, programme: Programme) -> Iterator[Finding]:
    course, src = loaded.course, programme.source
    for i, cred in enumerate(programme.credentials):
        if cred not in loaded.present.get("credential", ()):
            yield _at(loaded, src, ("credentials", i), f"unknown credential '{cred}'",
                      _suggest(cred, course.credentials,
                               "content/credentials/<id>.yml for credential"))
    if programme.mode == "cohort" and not programme.cohorts:
        yield _at(loaded, src, ("mode",), "a cohort programme has no cohorts",
                  "add cohorts with peer networks, or set 'mode: self-paced'")
    yield from _roster(loaded, programme)


def _roster(loaded: Loaded, programme: Programme) -> Iterator[Finding]:
    src, coaches = programme.source, set(programme.coaches)
    first_seen: dict[str, str] = {}
    for c, cohort in enumerate(programme.cohorts):
        net_ids = tuple(n.id for n in cohort.networks)
        for dup in _duplicates(net_ids):
            yield _at(loaded, src, ("cohorts", c, "networks", _index_of(net_ids, dup, 2), "id"),
                      f"duplicate network id '{dup}'", "give each network its own id")
        for n, net in enumerate(cohort.networks):
            key: tuple[str | int, ...] = ("cohorts", c, "networks", n)
            yield from _network_size(loaded, src, key, net.id, len(net.learners))
            for role in ("coach", "backup_coach"):
                login = getattr(net, role)
                if login and login not in coaches:
                    yield _at(loaded, src, (*key, role), f"{role.replace('_', ' ')} '{login}' "
                              "is not in the programme's coaches", f"add '{login}' to coaches")
            for j, login in enumerate(net.learners):
                if login in first_seen:
                    yield _at(loaded, src, (*key, "learners", j),
                              f"learner '{login}' is already in network '{first_seen[login]}'",
                              "keep each learner in exactly one network")
                    continue
                first_seen[login] = net.id
                if login in coaches:
                    yield _at(loaded, src, (*key, "learners", j),
                              f"'{login}' is both a coach and a learner",
                              "a coach cannot assess their own evidence; remove one role")
    for j, login in enumerate(programme.learners):
        if login in first_seen:
            yield _at(loaded, src, ("learners", j),
                      f"learner '{login}' is already in network '{first_seen[login]}'",
                      "list learners of networks only in their network")


def _network_size(
    loaded: Loaded, src: str, key: tuple[str | int, ...], net_id: str, size: int
) -> Iterator[Finding]:
    if size > MAX_NETWORK:
        yield _at(loaded, src, (*key, "learners"),
                  f"network '{net_id}' has {size} learners, more than {MAX_NETWORK}",
                  f"split it into networks of {MIN_NETWORK}-{MAX_NETWORK}")
    elif size < MIN_NETWORK:
        yield _at(loaded, src, (*key, "learners"),
                  f"network '{net_id}' has {size} learners, fewer than {MIN_NETWORK}",
                  f"merge it with another network; peer networks have {MIN_NETWORK}-{MAX_NETWORK}")


def _links(loaded: Loaded, shown: str, path: Path, text: str) -> Iterator[Finding]:
    """Check the links of `text`, the Markdown of the file at `path`."""
    course = loaded.course
    tables = {kind: loaded.present.get(kind, set()) for kind in
              ("module", "credential", "programme", "rubric")}
    for link in find_links(text):
        if link.scheme:
            if link.ref_id not in tables[link.scheme]:
                yield Finding(shown, link.line, "link",
                              f"broken link '{link.target}': no {link.scheme} '{link.ref_id}'",
                              _suggest(link.ref_id, tables[link.scheme], f"the {link.scheme}"))
            elif link.scheme == "rubric" and link.ref_id not in loaded.rubrics_in_use:
                yield Finding(shown, link.line, "link",
                              f"rubric '{link.ref_id}' is not used by any module, so has no page",
                              "link to a module that uses it instead")
        elif not link.external and link.path and not link.target.startswith("#"):
            target = path.parent / link.path
            # resolve() is slow; it decides only when `..` follows a folder that does not exist
            if (absent := _absent(target, Path.exists)) and \
                    (absent := _absent(target := target.resolve(), Path.exists)):
                yield Finding(shown, link.line, "link", f"broken link '{_clipped(link.target)}': "
                              f"{_clipped(_rel(course.root, target))} {absent[0]}",
                              absent[1] or "correct the path, relative to this file, or use "
                              "module:<id>")


def _rel(root: Path, target: Path) -> str:
    try:
        return target.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(target)
