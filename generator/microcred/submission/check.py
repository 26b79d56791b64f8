"""The check pipeline: find the submission folders a change touches, then check each one.

Everything that decides (modules, requirements, rubrics, the roster) comes from the trusted
course; the submission is only read, as bytes, and never executed or imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from microcred.model import Course, EvidenceRequirement, Module, word_document_name
from microcred.roster import not_enrolled
from microcred.submission import privacy
from microcred.submission.docx import MAX_DOCX_BYTES, looks_like_word
from microcred.submission.docx_evidence import check_docx
from microcred.submission.evidence import MAX_ERRORS_PER_RULE, MAX_TEXT_BYTES, check_evidence
from microcred.submission.filetype import is_text, text_of
from microcred.submission.findings import (
    ERROR,
    NOTICE,
    CheckFinding,
    RequirementStatus,
    SubmissionReport,
)
from microcred.submission.manifest import MANIFEST, MAX_MANIFEST_BYTES, Manifest, read_manifest
from microcred.submission.names import name_problems, skeleton, skeleton_index, spelled
from microcred.submission.observation import summarise
from microcred.submission.source import FILE, SUBMODULE, SYMLINK, Entry, Source, TooLarge

MAX_FILES_PER_FOLDER = 30


@dataclass(frozen=True)
class Context:
    """The trusted facts a check decides by."""

    course: Course
    student_names: tuple[str, ...] = ()
    learners: frozenset[str] = field(default_factory=frozenset)
    # The course as released at each earlier version, keyed by (credential, version): a
    # submission pinned to one is assessed against it, not against the current text.
    editions: dict[tuple[str, str], Course] = field(default_factory=dict)

    @classmethod
    def of(cls, course: Course, student_names: Iterable[str] = (),
           editions: dict[tuple[str, str], Course] | None = None) -> Context:
        learners = frozenset(x for p in course.programmes.values() for x in p.all_learners())
        return cls(course, tuple(student_names), learners, editions or {})

    def imitated(self, login: str) -> str | None:
        """The roster login that `login` imitates without being it: `lookalike_of`, indexed."""
        return None if login in self.learners else self.skeletons.get(skeleton(login))

    def __getstate__(self) -> dict[str, object]:
        # Sent to pool workers: the detectors are closures, rebuilt on first use there.
        return {k: v for k, v in self.__dict__.items()
                if k not in ("detectors", "link_detectors")}

    @cached_property
    def privacy_settings(self) -> privacy.Settings:
        """The course's privacy settings, merged over its programmes, with the local names."""
        return privacy_settings(self.course, self.student_names)

    @cached_property
    def detectors(self) -> dict[bool, list[privacy.Detector]]:
        """The privacy detectors: True for free text (every rule), False for a file that holds
        one video link (only links public by their form). Built once per run, not per folder."""
        settings = self.privacy_settings
        return {True: privacy.detectors(private_video=True, settings=settings),
                False: privacy.detectors(private_video=True, settings=settings, in_text=False)}

    @cached_property
    def link_detectors(self) -> list[privacy.Detector]:
        """For a link file whose video may be public: every rule but the video one."""
        return privacy.detectors(settings=self.privacy_settings)

    @cached_property
    def skeletons(self) -> dict[str, str]:
        # Built once, on the first login not on the roster: a search of the whole roster for
        # every folder made `--all` O(folders x learners).
        return skeleton_index(self.learners)


def privacy_settings(course: Course, student_names: Iterable[str] = ()) -> privacy.Settings:
    """What every programme of `course` says about privacy, and who is staff by the roster."""
    programmes = list(course.programmes.values())
    allow = {a for p in programmes for a in p.privacy.allow}
    staff = {login for p in programmes for login in (*p.designers, *p.coaches, *p.all_learners())}
    return privacy.Settings(
        allow=frozenset(privacy.allowed_forms(allow, staff)),
        staff_domains=frozenset(d.lower() for p in programmes for d in p.privacy.staff_domains),
        rosters=tuple((p.privacy.roster_salt, p.privacy.roster_hashes) for p in programmes
                      if p.privacy.roster_hashes),
        student_names=tuple(student_names))


def check_folder(source: Source, folder: str, ctx: Context) -> SubmissionReport:
    """Check one submission folder completely."""
    _, login, credential_id, module_id, _ = folder.split("/")
    report = SubmissionReport(folder, login, credential_id, module_id)
    entries = source.entries(folder)
    imitated = ctx.imitated(login)
    if imitated:
        report.findings.append(CheckFinding(
            folder, 0, "lookalike-login", f"the login '{spelled(login)}' in this path is not on "
            f"the roster but looks like '{imitated}'", f"spell the login exactly as the roster "
            f"does: submissions/{imitated}/"))
    report.findings += _folder_findings(entries, folder)
    files = {e.path[len(folder):]: e for e in entries if e.mode == FILE and not _unsafe(e, folder)}
    manifest = _manifest(source, files, folder, report)
    if manifest is None:
        return report
    report.version, report.attempt = manifest.credential_version, manifest.attempt
    # Under a look-alike login the folder is wrong, not the manifest's learner: say it once.
    module = _module(manifest, report, ctx, check_learner=not imitated)
    if module is not None:
        _check_requirements(source, files, folder, module, manifest, ctx, report)
    return report


def _unsafe(entry: Entry, folder: str) -> bool:
    rel = entry.path[len(folder):]
    return "/" in rel or bool(name_problems(entry.raw, entry.path))


def _folder_findings(entries: list[Entry], folder: str) -> list[CheckFinding]:
    found: list[CheckFinding] = []
    if len(entries) > MAX_FILES_PER_FOLDER:
        found.append(CheckFinding(folder, 0, "too-many-files", f"{len(entries)} files, more than "
                                  f"{MAX_FILES_PER_FOLDER}", "submit only the evidence listed"))
    for entry in entries[:MAX_FILES_PER_FOLDER * 2]:
        found += _entry_findings(entry, folder)
    return found


def _entry_findings(entry: Entry, folder: str) -> list[CheckFinding]:
    problems = name_problems(entry.raw, entry.path)
    if problems:
        return problems
    if entry.mode == SYMLINK:
        return [CheckFinding(entry.path, 0, "symlink", "symbolic links are not accepted",
                             "replace the link by the file itself")]
    if entry.mode == SUBMODULE:
        return [CheckFinding(entry.path, 0, "submodule", "submodules are not accepted",
                             "add the files themselves")]
    if entry.mode != FILE:
        return [CheckFinding(entry.path, 0, "not-a-file", "only regular files are accepted",
                             "remove it")]
    if "/" in entry.path[len(folder):]:
        return [CheckFinding(entry.path, 0, "subfolder", "evidence files must sit directly in "
                             "the submission folder", f"move it to {folder}")]
    return []


def _manifest(source: Source, files: dict[str, Entry], folder: str,
              report: SubmissionReport) -> Manifest | None:
    entry = files.get(MANIFEST)
    shown = folder + MANIFEST
    if entry is None:
        report.findings.append(CheckFinding(shown, 0, "manifest", "the submission has no "
                                            "submission.yml", "start from the template on the "
                                            "module page"))
        return None
    try:
        data = source.read(entry, MAX_MANIFEST_BYTES)
    except TooLarge:
        report.findings.append(CheckFinding(shown, 0, "manifest", f"the manifest is larger than "
                                            f"{MAX_MANIFEST_BYTES // 1000} KB",
                                            "start from the template on the module page"))
        return None
    manifest, problems = read_manifest(data, shown)
    report.findings += problems
    return manifest


def _module(manifest: Manifest, report: SubmissionReport, ctx: Context,
            check_learner: bool) -> Module | None:
    folder, credential_id, module_id = report.folder, report.credential, report.module
    shown = folder + MANIFEST
    doc = manifest.doc
    expected = {"learner": report.learner, "credential": credential_id, "module": module_id}
    for key, value in expected.items():
        if getattr(manifest, key) != value and (key != "learner" or check_learner):
            report.findings.append(CheckFinding(
                shown, doc.line_of((key,)), "manifest", f"{key} '{getattr(manifest, key)}' does "
                f"not match the folder ('{value}')", f"set '{key}: {value}' or move the folder"))
    credential = ctx.course.credentials.get(credential_id)
    if credential is None:
        report.findings.append(CheckFinding(folder, 0, "unknown-credential", f"there is no "
                                            f"credential '{credential_id}'", "use the folder "
                                            "path shown on the module page"))
        return None
    if module_id not in credential.modules or module_id not in ctx.course.modules:
        report.findings.append(CheckFinding(folder, 0, "unknown-module", f"credential "
                                            f"'{credential_id}' has no module '{module_id}'",
                                            "use the folder path shown on the module page"))
        return None
    why = not_enrolled(ctx.course, report.learner, credential_id) if check_learner else ""
    if why:
        report.findings.append(CheckFinding(
            folder, 0, "not-enrolled", f"{why}, so this submission cannot earn it",
            f"submit towards a credential of your own programme, or ask a designer to add "
            f"{report.learner} to content/programmes/{credential.programme}.yml"))
    course = ctx.course
    if manifest.credential_version != credential.version:
        pinned = _pinned(manifest, report, ctx, credential.version)
        if pinned is None:
            return None
        course = pinned
    if not manifest.deidentified:
        report.findings.append(CheckFinding(
            shown, doc.line_of(("privacy", "deidentified")), "privacy/attestation",
            "the submission is not marked as de-identified", "remove students' names and other "
            "identifying details, then set 'privacy.deidentified: true'"))
    return course.modules[module_id]


def _pinned(manifest: Manifest, report: SubmissionReport, ctx: Context,
            current: str) -> Course | None:
    """The released course a submission is pinned to, with a notice; None if there is none."""
    shown, line = report.folder + MANIFEST, manifest.doc.line_of(("credential_version",))
    version, credential_id = manifest.credential_version, report.credential
    edition = ctx.editions.get((credential_id, version))
    if edition is None:
        report.findings.append(CheckFinding(
            shown, line, "version", f"version {version} of {credential_id} was never released",
            f"use the current version, {current}, shown on the credential page"))
        return None
    if report.module not in edition.credentials[credential_id].modules:
        report.findings.append(CheckFinding(
            shown, line, "version", f"version {version} of {credential_id} has no module "
            f"'{report.module}'", f"work against the current version ({current})"))
        return None
    report.findings.append(CheckFinding(
        shown, line, "version", f"assessed against version {version}, as pinned; the current "
        f"version is {current} (`microcred diff {credential_id} {version} {current}` shows what "
        "changed)", f"to move up, set 'credential_version: {current}' and meet its requirements",
        severity=NOTICE))
    return edition


def _check_requirements(source: Source, files: dict[str, Entry], folder: str, module: Module,
                        manifest: Manifest, ctx: Context, report: SubmissionReport) -> None:
    known = {req.id for req in module.evidence}
    for unknown in sorted(set(manifest.evidence) - known):
        report.findings.append(CheckFinding(
            folder + MANIFEST, manifest.doc.line_of(("evidence", unknown)), "manifest",
            f"evidence '{unknown}' is not a requirement of this module",
            "use the ids of the module's evidence checklist: " + ", ".join(sorted(known))))
    used = {MANIFEST}
    found_by = ctx.detectors
    for req in module.evidence:
        name = _handed_in(req, manifest.evidence.get(req.id, req.file), files)
        both = _both_forms(req, name, files, folder)
        used.update([name, *(f.path[len(folder):] for f in both)])  # one finding per file
        report.findings += both
        before = len(report.findings)
        detectors = (found_by[True] if req.kind != "link" else
                     found_by[False] if req.private else ctx.link_detectors)
        _check_one(source, files.get(name), folder + name, req, manifest, detectors, report)
        errors = any(f.severity == ERROR for f in report.findings[before:])
        # Ticked only when the file is there and passes: an optional file left out is not
        # an error, but the checklist must not show it as handed in.
        report.requirements.append(RequirementStatus(
            req.id, req.title, req.kind, name, name in files and not errors, req.optional))
    extra = sorted(set(files) - used)
    _suggest_the_name(report, files, extra, manifest, module)
    report.findings += _unexpected(extra, folder)
    report.findings += _manifest_privacy(source, files[MANIFEST], folder, manifest, found_by[True])


def _handed_in(req: EvidenceRequirement, named: str, files: dict[str, Entry]) -> str:
    """The file answering `req`: the one named, else a Word document of that name where the
    module accepts one (an upload keeps its .docx ending; the manifest still says .md)."""
    if named in files or not req.accepts_word:
        return named
    word = word_document_name(named)
    return word if word in files else named


def _both_forms(req: EvidenceRequirement, name: str, files: dict[str, Entry],
                folder: str) -> list[CheckFinding]:
    """The same evidence as Markdown and as a Word document: say which one is read."""
    word = word_document_name(name)
    if not req.accepts_word or word == name or word not in files:
        return []
    return [CheckFinding(folder + word, 0, "two-forms", f"both {name} and {word} are here for "
                         f"'{req.title}'; the check reads {name}", "delete the one that is not "
                         "your evidence")]


def _manifest_privacy(source: Source, entry: Entry, folder: str, manifest: Manifest,
                      found_by: list[privacy.Detector]) -> list[CheckFinding]:
    """The manifest's own free text (notes, exception reasons) must not identify anyone either."""
    text = text_of(source.read(entry, MAX_MANIFEST_BYTES))
    return privacy.scan(text, folder + MANIFEST, MANIFEST, found_by, manifest.exceptions)


def _suggest_the_name(report: SubmissionReport, files: dict[str, Entry], extra: list[str],
                      manifest: Manifest, module: Module) -> None:
    """One required file missing and one unknown file there: most likely the same file under
    another name (an upload keeps the name it had on the learner's computer). Say how to match."""
    absent = [r for r in module.evidence
              if not r.optional and manifest.evidence.get(r.id, r.file) not in files]
    if len(absent) != 1 or len(extra) != 1:
        return
    req, name = absent[0], extra[0]
    missing = manifest.evidence.get(req.id, req.file)
    # A Word document uploaded under its own name: the name to give it ends in .docx.
    word = req.accepts_word and name.lower().endswith(".docx")
    expected = word_document_name(missing) if word else missing
    for i, finding in enumerate(report.findings):
        if finding.rule == "missing" and finding.path.endswith("/" + missing):
            report.findings[i] = replace(finding, fix=(
                f"if '{name}' is it, rename it to {expected}, or name it in submission.yml "
                f"(evidence: {req.id}: '{name}'); otherwise add {expected} to the folder"))


def _unexpected(extra: list[str], folder: str) -> list[CheckFinding]:
    """One finding per unexpected file, then one for the rest: a flood must not flood the report."""
    fix = "remove it, or name it in the manifest's evidence"
    found = [CheckFinding(folder + name, 0, "unexpected-file", "this file is not part of any "
                          "evidence requirement", fix) for name in extra[:MAX_ERRORS_PER_RULE]]
    if len(extra) > MAX_ERRORS_PER_RULE:
        found.append(CheckFinding(folder, 0, "unexpected-file", f"{len(extra) - MAX_ERRORS_PER_RULE}"
                                  " more file(s) that are not part of any evidence requirement",
                                  "remove them, or name them in the manifest's evidence"))
    return found


def _check_one(source: Source, entry: Entry | None, shown: str, req: EvidenceRequirement,
               manifest: Manifest, found_by: list[privacy.Detector],
               report: SubmissionReport) -> None:
    if entry is None:
        if not req.optional:
            report.findings.append(CheckFinding(shown, 0, "missing", f"'{req.title}' is missing",
                                                f"add {shown.rsplit('/', 1)[1]} to the folder"))
        return
    limit = (req.max_bytes if req.kind == "file" and req.max_bytes else
             MAX_DOCX_BYTES if req.accepts_word else MAX_TEXT_BYTES)
    try:
        data = source.read(entry, limit)
    except TooLarge:
        report.findings.append(CheckFinding(shown, 0, "too-large", f"the file is larger than "
                                            f"{limit / 1_000_000:g} MB", "reduce its size"))
        return
    if req.accepts_word and looks_like_word(data):
        report.findings += check_docx(req, data, shown, found_by, manifest.exceptions)
        return
    if req.kind != "file" and len(data) > MAX_TEXT_BYTES:
        report.findings.append(CheckFinding(shown, 0, "too-large", f"the file is larger than "
                                            f"{MAX_TEXT_BYTES / 1_000_000:g} MB",
                                            "reduce its size"))
        return
    report.findings += check_evidence(req, data, shown)
    if req.kind != "file" and is_text(data):
        text = text_of(data)
        report.findings += privacy.scan(text, shown, shown.rsplit("/", 1)[1], found_by,
                                        manifest.exceptions)
        if req.kind == "csv" and (summary := summarise(req, text)):
            report.summaries.append(summary)
