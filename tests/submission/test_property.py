"""Property: no manifest, file name, file content or tree makes the check raise, and every
finding renders as one printable line."""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.content.lint import lint_course
from microcred.submission import privacy
from microcred.submission.check import Context, check_folder
from microcred.submission.findings import CheckFinding
from microcred.submission.manifest import read_manifest
from microcred.submission.report import CheckResult, to_annotations, to_json, to_markdown, to_text
from microcred.submission.report_file import read_report
from microcred.submission.run import check_range
from microcred.submission.scope import folders_in
from microcred.submission.source import FsSource
from tests.helpers import shown_html
from tests.submission.corpus import DATA, course_repo, good_submission

# The offline guard is function-scoped and harmless to share between examples.
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
GOOD = good_submission()
GOOD_MANIFEST: dict[str, Any] = yaml.safe_load(GOOD["submission.yml"])
NAMES = ("Ada Lovelace", "Brian")
FOLDER = "submissions/lea/my-credential/observation/"
UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}

# -- strategies --------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-2, max_value=100),
    st.floats(), st.text(max_size=30), st.dates(), st.just(date(2024, 2, 29)),
    st.sampled_from(["lea", "leo", "my-credential", "observation", "0.1.0", "notes.md", "../x",
                     "/etc/passwd", "l\u0435a", "", " ", "\u202e", "true", "1e9"]))
keys = st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.none(),
                 st.sampled_from([*GOOD_MANIFEST, "notes", "tally", "video", "plan"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=4), max_leaves=20)
evidence = st.dictionaries(st.one_of(st.sampled_from(["notes", "tally", "video", "plan", "x"]), keys),
                           st.one_of(st.sampled_from([*GOOD, "plan.pdf", "missing.md"]), scalars),
                           max_size=5)
privacy_blocks = st.fixed_dictionaries({"deidentified": st.one_of(st.booleans(), scalars)}, optional={
    "exceptions": st.lists(st.fixed_dictionaries(
        {"file": st.sampled_from(list(GOOD)), "line": st.integers(-1, 40),
         "rule": st.sampled_from(["email", "phone", "student-id", "nope"]),
         "reason": st.text(max_size=200)}), max_size=3) | values})
# Near-valid manifests reach the deepest code; the rest of the changes make them odd.
near_valid = st.builds(
    lambda changes, drop: {k: v for k, v in {**GOOD_MANIFEST, **changes}.items() if k not in drop},
    st.dictionaries(st.sampled_from([*GOOD_MANIFEST, "extra"]), values, max_size=3)
    | st.fixed_dictionaries({}, optional={"evidence": evidence, "privacy": privacy_blocks}),
    st.sets(st.sampled_from(list(GOOD_MANIFEST)), max_size=2))
FRAGMENTS = ["format: 1\n", "kind: submission\n", "learner: lea\n", "evidence:\n", "  notes: ",
             "notes.md\n", "- ", "&a ", "*a ", "!!python/object:os.system ", "!custom ", "{", "}",
             "[", "]", ": ", "'", '"', "\t", "\n", "? ", "---\n", "...\n", "%YAML 1.1\n", "<<: ",
             "  ", "# c\n", "\ufeff", "\x00", "é", "\u202e", "\\", "|\n", ">-\n", "~", "0x1F",
             "1_000", "2024-01-01", "yes", ".nan", "!!binary aGVsbG8=", "\r\n", "\x85"]
yamlish = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


def _dump(data: Any, flow: bool) -> bytes:
    return yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True).encode("utf-8")


manifests = st.one_of(
    st.builds(_dump, near_valid, st.booleans()),
    st.builds(_dump, values, st.booleans()),
    yamlish.map(lambda text: text.encode("utf-8")),
    st.text(max_size=200).map(lambda text: text.encode("utf-8")),
    st.binary(max_size=300))


def _mutated(name: str) -> st.SearchStrategy[bytes]:
    """A good evidence file with something inserted, cut or appended."""
    data = GOOD[name]
    return st.builds(lambda at, piece, cut: data[:at] + piece + data[at + cut:],
                     st.integers(0, len(data)), st.binary(max_size=40)
                     | st.sampled_from([b"\r\n", b"\xef\xbb\xbf", b"\x00", b",,,", b"\"", b"# ",
                                        b"S04 ana@school.org 555-201-3344 Ada Lovelace"]),
                     st.integers(0, 20))


contents = st.one_of(
    st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8")),
    st.sampled_from(list(GOOD.values())), *(_mutated(n) for n in GOOD if n != "submission.yml"),
    st.sampled_from([b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\x1f\x8b\x08", b"\x7fELF",
                     b"https://[vimeo.com/1\n", b"https://vimeo.com/1\n", b"http://x@y.z/?token=1\n"]))
plain_names = st.sampled_from([*GOOD, "plan.pdf", "plan.PNG", "extra.txt", "raw/notes.md",
                               "a/b/c.md", ".hidden", "Notes.md"])
odd_names = st.binary(min_size=1, max_size=24).filter(
    lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b".."))
names = st.one_of(plain_names.map(str.encode), odd_names,
                  st.text(min_size=1, max_size=12).map(str.encode).filter(
                      lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b"..")))
trees = st.dictionaries(names, contents, max_size=8)
folders = st.sampled_from([FOLDER, "submissions/Lea/my-credential/observation/",
                           "submissions/l\u0435a/my-credential/observation/",
                           "submissions/lea/my-credential/first-module/",
                           "submissions/lea/nope/observation/", "submissions/lea/my-credential/x/",
                           "submissions/stranger/my-credential/observation/"])

emails = st.builds("{}@{}.{}".format, st.from_regex(r"[a-z]{3,8}(\.[a-z]{2,5})?", fullmatch=True),
                   st.from_regex(r"[a-z]{3,8}", fullmatch=True), st.sampled_from(["org", "com", "net"]))
phones = st.from_regex(r"[2-9]\d\d-[2-9]\d\d-\d{4}", fullmatch=True)
FILLERS = ["the", "teacher", "asked", "S04", "minute", "12", "room 214", "—", "é"]
fillers = st.sampled_from(FILLERS)


# -- helpers -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ctx() -> Context:
    loaded, problems = lint_course(DATA / "course")
    assert problems == []
    return Context.of(loaded.course, NAMES)


def _write_tree(root: Path, folder: str, manifest: bytes | None, tree: dict[bytes, bytes],
                links: list[tuple[bytes, str]]) -> None:
    base = os.path.join(os.fsencode(root), folder.encode("utf-8"))
    files = dict(tree)
    if manifest is not None:
        files[b"submission.yml"] = manifest
    for name, data in files.items():
        _put(os.path.join(base, name), data)
    for name, target in links:
        path = os.path.join(base, name)
        if os.path.isdir(os.path.dirname(path)) and not os.path.lexists(path):
            os.symlink(target, path)


def _put(path: bytes, data: bytes) -> None:
    """Write a file, unless the tree already holds a file where a folder of its path would go."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        return
    if not os.path.isdir(path):
        with open(path, "wb") as handle:
            handle.write(data)


def _assert_renders(result: CheckResult) -> None:
    """Every finding is one line of printable UTF-8 text, in every output format."""
    for finding in result.all_findings():
        _assert_printable(finding)
    text = to_text(result)
    text.encode("utf-8")
    written = json.dumps(to_json(result), ensure_ascii=False).encode("utf-8")
    # What microcred writes, the comment step reads back: paths and rules keep their shape.
    _, problems = read_report(written)
    assert not [p for p in problems if ".path:" in p or ".rule:" in p], problems
    _assert_inert(to_markdown(result))
    assert len(to_annotations(result).splitlines()) == len(result.all_findings())


def _assert_inert(markdown: str) -> None:
    """Rendered as GitHub renders comments: microcred's own tags only, no mention, no link."""
    markdown.encode("utf-8")
    rendered = shown_html(markdown)
    assert not re.search(r"<(?!/?(h3|h4|p|ul|li|strong|em|code|table|thead|tbody|tr|th|td|"
                         r"input|br)\b)", rendered), rendered
    text = html.unescape(re.sub(r"<code>.*?</code>|<[^>]*>", "", rendered))
    assert not re.search(r"(?<!\w)[@#][A-Za-z0-9]|://", text), text


def _assert_printable(finding: CheckFinding) -> None:
    line = finding.render()
    line.encode("utf-8")
    assert not any(unicodedata.category(ch) in UNSAFE for ch in line), line


def _in_tmp(test: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        test(Path(tmp))


# -- properties --------------------------------------------------------------------------------


@SETTINGS
@given(data=manifests)
def test_read_manifest_never_raises(data: bytes) -> None:
    manifest, problems = read_manifest(data, FOLDER + "submission.yml")
    assert (manifest is None) == bool(problems)
    for finding in problems:
        _assert_printable(finding)
    _assert_inert(to_markdown(CheckResult("paths", general=problems)))


@SETTINGS
@given(folder=folders, manifest=st.none() | manifests, tree=trees,
       links=st.lists(st.tuples(names, st.sampled_from(["/etc/passwd", "../../../leo", "notes.md",
                                                         "."])), max_size=2))
def test_check_folder_never_raises(ctx: Context, folder: str, manifest: bytes | None,
                                   tree: dict[bytes, bytes], links: list[tuple[bytes, str]]) -> None:
    def run(root: Path) -> None:
        _write_tree(root, folder, manifest, tree, links)
        found, stray = folders_in(root)
        result = CheckResult("all", general=stray)
        result.reports = [check_folder(FsSource(root), f, ctx) for f in found]
        _assert_renders(result)
    _in_tmp(run)


@SETTINGS
@given(parts=st.lists(st.one_of(odd_names, st.sampled_from([b"lea", b"my-credential", b"x"])),
                      min_size=1, max_size=5), data=st.binary(max_size=20))
def test_folders_in_never_raises_on_hostile_folder_names(parts: list[bytes], data: bytes) -> None:
    def run(root: Path) -> None:
        _put(os.path.join(os.fsencode(root), b"submissions", *parts), data)
        found, stray = folders_in(root)
        for finding in stray:
            _assert_printable(finding)
        for folder in found:
            folder.encode("utf-8")
    _in_tmp(run)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> git.Repo:
    return git.Repo(course_repo(tmp_path_factory.mktemp("property")))


paths = st.one_of(
    st.builds(lambda f, n: f.encode("utf-8") + n, folders, names),
    st.builds(lambda p, n: p + n, st.sampled_from([b"", b"submissions/", b"submissions/lea/",
                                                   b"modules/observation/", b"submissions/leo/x/y/",
                                                   b".github/workflows/"]), names))


@settings(SETTINGS, max_examples=30)  # a commit and a git range check per example
@given(files=st.dictionaries(paths, contents, min_size=1, max_size=6),
       author=st.sampled_from(["lea", "LEA", "leo", "designer-dee", "stranger", None]))
def test_range_check_never_raises(repo: git.Repo, files: dict[bytes, bytes], author: str | None) -> None:
    root = Path(repo.working_dir)
    repo.git.checkout("-q", "-f", "-B", "pr", "main")
    repo.git.clean("-q", "-f", "-d", "-x")
    for raw, data in files.items():
        if b".git" not in raw.lower():  # git itself refuses such paths; nothing to check there
            _put(os.path.join(os.fsencode(root), raw), data)
    repo.git.add("--all")
    repo.git.commit("-q", "--allow-empty", "-m", "random")
    result, _ = check_range(root, "main", "pr", author, NAMES)
    _assert_renders(result)


@SETTINGS
@given(pieces=st.lists(st.one_of(emails, phones, fillers), min_size=1, max_size=60),
       separators=st.lists(st.sampled_from([" ", "\n", ", ", "; ", " (", ") ", "\t"]), min_size=1))
def test_privacy_never_echoes_a_detected_value(pieces: list[str], separators: list[str]) -> None:
    text = "".join(p + separators[i % len(separators)] for i, p in enumerate(pieces))
    findings = privacy.scan(text, "notes.md", "notes.md", privacy.detectors(NAMES, True), [])
    shown = "\n".join(f.render() for f in findings)
    for secret in pieces:
        if secret not in FILLERS:
            assert secret not in shown
