"""Check one piece of evidence against its requirement: kind, words, headings, CSV, links, files."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from urllib.parse import SplitResult, parse_qsl, urlsplit

from microcred.model import CsvColumn, EvidenceRequirement
from microcred.submission.filetype import ARCHIVES, matches, sniff, text_of
from microcred.submission.findings import CheckFinding, printable

MAX_TEXT_BYTES = 1_000_000
MAX_ERRORS_PER_RULE = 5
_EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif",
               "webp": "webp"}
_KIND_TEXT = {"text": "Markdown text", "csv": "CSV text", "link": "a text file with one link"}
# Patterns run on untrusted text of up to 1 MB: none may backtrack over the same characters
# twice (a lazy group between optional spaces took minutes on one line of spaces).
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s(.*)$")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
# Query parameters that grant access by themselves: a link carrying one is a shared secret.
_TOKEN_PARAMS = {"token", "access_token", "auth", "key", "api_key", "apikey", "sig", "signature",
                 "x-amz-signature", "x-amz-credential", "x-goog-signature", "password", "pwd",
                 "secret", "code", "session", "sid", "resourcekey"}


def check_evidence(req: EvidenceRequirement, data: bytes, shown: str) -> list[CheckFinding]:
    """Findings for `data`, the content of the file that answers `req`."""
    # The whole file, not a prefix: a prefix can end inside a multi-byte character.
    detected = sniff(data)
    if detected == "zip" and req.kind == "text" and shown.lower().endswith(".docx"):
        return [CheckFinding(shown, 0, "not-text", "this evidence is not accepted as a Word "
                             "document", f"copy your text into {req.file}, keeping its headings")]
    if detected in ARCHIVES:
        return [CheckFinding(shown, 0, "archive", f"this is a {detected} archive, which the "
                             "check cannot look inside", "submit the files themselves, not an archive")]
    if req.kind == "file":
        return _file(req, detected, len(data), shown)
    if detected != "text":
        return [CheckFinding(shown, 0, "not-text", f"expected {_KIND_TEXT[req.kind]} but the "
                             f"file is {_not_text(data, detected)}",
                             f"save {req.file} as plain UTF-8 text")]
    text = text_of(data)
    if req.kind == "text":
        return check_text(req, text, shown)
    if req.kind == "csv":
        return list(_csv(req, text, shown))
    return list(_link(req, text, shown))


def _not_text(data: bytes, detected: str) -> str:
    if detected != "binary":
        return f"{detected} data"
    return "binary data" if b"\0" in data else "text in an encoding other than UTF-8"


def _file(req: EvidenceRequirement, detected: str, size: int, shown: str) -> list[CheckFinding]:
    found: list[CheckFinding] = []
    if not any(matches(detected, allowed) for allowed in req.types):
        found.append(CheckFinding(shown, 0, "file-type", f"the file's content is {detected}, "
                                  f"not {' or '.join(t.upper() for t in req.types)}",
                                  "export the file in an allowed format (the name alone does not "
                                  "change its type)"))
    elif detected in _EXTENSIONS.values() and _named_as(shown) not in (None, detected):
        found.append(_misnamed(shown, detected))
    if req.max_bytes is not None and size > req.max_bytes:
        found.append(_too_big(shown, size, req.max_bytes))
    return found


def _named_as(shown: str) -> str | None:
    """The type a file's extension claims, if it is one the check can detect."""
    suffix = shown.rsplit("/", 1)[-1].rpartition(".")[2].lower()
    return _EXTENSIONS.get(suffix)


def _misnamed(shown: str, detected: str) -> CheckFinding:
    # An allowed type under another type's name: the coach's viewer would refuse to open it.
    name = shown.rsplit("/", 1)[-1]
    better = name.rpartition(".")[0] + "." + ("jpg" if detected == "jpeg" else detected)
    return CheckFinding(shown, 0, "file-name", f"the file's content is {detected}, but its name "
                        f"ends in .{name.rpartition('.')[2]}", f"rename it to {better} and "
                        "name that file in the manifest's evidence")


def _too_big(shown: str, size: int, limit: int) -> CheckFinding:
    return CheckFinding(shown, 0, "too-large", f"the file is {size / 1_000_000:.1f} MB, over the "
                        f"limit of {limit / 1_000_000:g} MB", "reduce its size or resolution")


def words_of(markdown: str) -> int:
    """Count the words of Markdown prose: not headings, not HTML comments."""
    body = _without_comments(markdown)
    return sum(len(_WORD.findall(line)) for line in body.splitlines() if not _HEADING.match(line))


def headings_of(markdown: str) -> list[str]:
    body = _without_comments(markdown)
    return [_heading_text(m.group(1)) for line in body.splitlines() if (m := _HEADING.match(line))]


def _heading_text(raw: str) -> str:
    """A heading's text without the optional closing hashes (`## Context ##`)."""
    text = raw.strip()
    unclosed = text.rstrip("#")
    if unclosed != text and (not unclosed or unclosed[-1].isspace()):
        return unclosed.strip()
    return text


def _without_comments(markdown: str) -> str:
    """The text with each closed HTML comment replaced by a space, in one pass."""
    parts: list[str] = []
    at = 0
    while (start := markdown.find("<!--", at)) != -1:
        end = markdown.find("-->", start + 4)
        if end == -1:  # no later comment can close either
            break
        parts += [markdown[at:start], " "]
        at = end + 3
    parts.append(markdown[at:])
    return "".join(parts)


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _norm(heading: str) -> str:
    return " ".join(heading.casefold().strip(" :.").split())


def check_text(req: EvidenceRequirement, text: str, shown: str) -> list[CheckFinding]:
    """Findings for Markdown text evidence: its words and its required headings."""
    return list(_text(req, text, shown))


def _text(req: EvidenceRequirement, text: str, shown: str) -> Iterator[CheckFinding]:
    count = words_of(text)
    if req.min_words is not None and count < req.min_words:
        yield CheckFinding(shown, 0, "word-count", f"{_counted(count, 'word')}, fewer than the "
                           f"{req.min_words} required", "develop your writing under each heading")
    if req.max_words is not None and count > req.max_words:
        yield CheckFinding(shown, 0, "word-count", f"{_counted(count, 'word')}, more than the limit of "
                           f"{req.max_words}", "tighten your writing to the limit")
    present = {_norm(h) for h in headings_of(text)}
    missing = [h for h in req.headings if _norm(h) not in present]
    if missing:
        yield CheckFinding(shown, 0, "headings", "missing heading(s): " + ", ".join(
            f"'{h}'" for h in missing), "add each as a Markdown heading, e.g. '## " + missing[0] + "'")


def _csv(req: EvidenceRequirement, text: str, shown: str) -> Iterator[CheckFinding]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        yield CheckFinding(shown, reader.line_num, "csv", f"the CSV cannot be read: {exc}",
                           "save it again as comma-separated values")
        return
    if not rows:
        yield CheckFinding(shown, 1, "csv", "the CSV is empty", "start from the template")
        return
    header = [cell.strip() for cell in rows[0][1]]
    declared = [c.name for c in req.columns]
    missing = [name for name in declared if name not in header]
    # Positions, not names: a header cell is untrusted text and may itself be a student's name.
    extra = [str(n) for n, name in enumerate(header, 1) if name not in declared]
    twice = [name for name in declared if header.count(name) > 1]
    if missing or extra or twice:
        yield _header_finding(shown, missing, extra, twice, declared)
        return
    data_rows = rows[1:]
    yield from _row_counts(req, len(data_rows), shown)
    for column in req.columns:
        yield from _column(column, header.index(column.name), data_rows, shown)


def _header_finding(shown: str, missing: list[str], extra: list[str], twice: list[str],
                    declared: list[str]) -> CheckFinding:
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if extra:
        more = f" and {len(extra) - 5} more" if len(extra) > 5 else ""
        parts.append("unexpected column(s) at position " + ", ".join(extra[:5]) + more)
    if twice:
        parts.append("repeated column(s) " + ", ".join(twice))
    return CheckFinding(shown, 1, "csv-columns", "; ".join(parts),
                        "make the first row exactly: " + ",".join(declared))


def _row_counts(req: EvidenceRequirement, count: int, shown: str) -> Iterator[CheckFinding]:
    if req.min_rows is not None and count < req.min_rows:
        yield CheckFinding(shown, 0, "csv-rows", f"{_counted(count, 'row')} of data, fewer than the "
                           f"{req.min_rows} required", "record the whole observation")
    if req.max_rows is not None and count > req.max_rows:
        yield CheckFinding(shown, 0, "csv-rows", f"{_counted(count, 'row')} of data, more than the limit of "
                           f"{req.max_rows}", "keep to one observation")


def _column(column: CsvColumn, index: int, rows: list[tuple[int, list[str]]],
            shown: str) -> Iterator[CheckFinding]:
    errors = [(line, message) for line, row in rows
              if (message := _cell_problem(column, row[index].strip() if index < len(row) else None))]
    for line, message in errors[:MAX_ERRORS_PER_RULE]:
        yield CheckFinding(shown, line, "csv-value", f"column '{column.name}': {message}",
                           _cell_fix(column))
    if len(errors) > MAX_ERRORS_PER_RULE:
        yield CheckFinding(shown, errors[MAX_ERRORS_PER_RULE][0], "csv-value",
                           f"column '{column.name}': {len(errors) - MAX_ERRORS_PER_RULE} more "
                           "row(s) with the same problem", _cell_fix(column))


def _cell_problem(column: CsvColumn, value: str | None) -> str:
    if value is None:
        return "the row is shorter than the header"
    if not value:
        return "empty value" if column.required else ""
    if column.allowed and value not in column.allowed:
        return "a value that is not allowed"
    if column.type == "integer" and not re.fullmatch(r"-?\d+", value):
        return "not a whole number"
    if column.type == "number" and not re.fullmatch(r"-?\d+(\.\d+)?", value):
        return "not a number"
    return ""


def _cell_fix(column: CsvColumn) -> str:
    if column.allowed:
        return "use one of: " + ", ".join(column.allowed)
    return {"integer": "write a whole number", "number": "write a number"}.get(
        column.type, "fill in every cell")


def split_url(url: str) -> SplitResult | None:
    """The parts of a web address, or None when it cannot be parsed (such as 'https://[x')."""
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 - parsed lazily; raises on a broken IPv6 host
    except ValueError:
        return None
    return parts


def _allowed_host(host: str, allowed: tuple[str, ...]) -> bool:
    # Only a plain domain name: browsers read 'evil.org\\.vimeo.com' as evil.org, while
    # urlsplit reports the whole string as the host, which ends in '.vimeo.com'.
    return bool(_HOST.fullmatch(host)) and any(host == h or host.endswith("." + h) for h in allowed)


def _link(req: EvidenceRequirement, text: str, shown: str) -> Iterator[CheckFinding]:
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.strip().startswith("#")]
    if len(lines) != 1 or not _URL.match(lines[0][1]):
        yield CheckFinding(shown, lines[0][0] if lines else 1, "link",
                           "the file must hold exactly one web address",
                           f"put only the link to your video on one line of {req.file}")
        return
    line, url = lines[0]
    parts = split_url(url)
    if parts is None:
        yield CheckFinding(shown, line, "link", "the web address cannot be read",
                           "copy the link again from the video's share button")
        return
    host = (parts.hostname or "").lower().removesuffix(".")
    if parts.scheme.lower() != "https":
        yield CheckFinding(shown, line, "link", "the link is not https", "use the https:// link")
    if not _allowed_host(host, req.hosts):
        shown_host = printable(host if len(host) <= 60 else host[:57] + "...")
        yield CheckFinding(shown, line, "link-host", f"links to {shown_host or 'no host'} are not "
                           "accepted", "share the video from one of: " + ", ".join(req.hosts))
    if parts.username or parts.password:
        yield CheckFinding(shown, line, "link-token", "the link carries a user name or password",
                           "remove the part before '@' and share the video with your coach by "
                           "invitation")
    elif any(name.lower() in _TOKEN_PARAMS for name, _ in parse_qsl(parts.query,
                                                                    keep_blank_values=True)):
        yield CheckFinding(shown, line, "link-token", "the link carries a private access token",
                           "share the video with your coach by invitation and submit the plain "
                           "link without the token")
