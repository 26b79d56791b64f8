"""Check one piece of evidence against its requirement: kind, words, headings, CSV, links, files."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

from microcred.model import CsvColumn, EvidenceRequirement
from microcred.submission.filetype import ARCHIVES, matches, sniff
from microcred.submission.findings import CheckFinding

MAX_TEXT_BYTES = 1_000_000
MAX_ERRORS_PER_RULE = 5
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
# Query parameters that grant access by themselves: a link carrying one is a shared secret.
_TOKEN_PARAMS = {"token", "access_token", "auth", "key", "api_key", "apikey", "sig", "signature",
                 "x-amz-signature", "x-amz-credential", "x-goog-signature", "password", "pwd",
                 "secret", "code", "session", "sid", "resourcekey"}


def check_evidence(req: EvidenceRequirement, data: bytes, shown: str) -> list[CheckFinding]:
    """Findings for `data`, the content of the file that answers `req`."""
    detected = sniff(data[:4096]) if req.kind != "file" else sniff(data)
    if detected in ARCHIVES:
        return [CheckFinding(shown, 0, "archive", f"this is a {detected} archive, which the "
                             "check cannot look inside", "submit the files themselves, not an archive")]
    if req.kind == "file":
        return _file(req, detected, len(data), shown)
    if detected != "text" or sniff(data) != "text":
        return [CheckFinding(shown, 0, "not-text", f"expected {req.kind} text but the file is "
                             f"{'binary' if detected == 'text' else detected} data",
                             f"save {req.file} as plain UTF-8 text")]
    text = data.decode("utf-8")
    if req.kind == "text":
        return list(_text(req, text, shown))
    if req.kind == "csv":
        return list(_csv(req, text, shown))
    return list(_link(req, text, shown))


def _file(req: EvidenceRequirement, detected: str, size: int, shown: str) -> list[CheckFinding]:
    found: list[CheckFinding] = []
    if not any(matches(detected, allowed) for allowed in req.types):
        found.append(CheckFinding(shown, 0, "file-type", f"the file's content is {detected}, "
                                  f"not {' or '.join(t.upper() for t in req.types)}",
                                  "export the file in an allowed format (the name alone does not "
                                  "change its type)"))
    if req.max_bytes is not None and size > req.max_bytes:
        found.append(_too_big(shown, size, req.max_bytes))
    return found


def _too_big(shown: str, size: int, limit: int) -> CheckFinding:
    return CheckFinding(shown, 0, "too-large", f"the file is {size / 1_000_000:.1f} MB, over the "
                        f"limit of {limit / 1_000_000:g} MB", "reduce its size or resolution")


def words_of(markdown: str) -> int:
    """Count the words of Markdown prose: not headings, not HTML comments."""
    body = _COMMENT.sub(" ", markdown)
    return sum(len(_WORD.findall(line)) for line in body.splitlines() if not _HEADING.match(line))


def headings_of(markdown: str) -> list[str]:
    body = _COMMENT.sub(" ", markdown)
    return [m.group(1) for line in body.splitlines() if (m := _HEADING.match(line))]


def _norm(heading: str) -> str:
    return " ".join(heading.casefold().strip(" :.").split())


def _text(req: EvidenceRequirement, text: str, shown: str) -> Iterator[CheckFinding]:
    count = words_of(text)
    if req.min_words is not None and count < req.min_words:
        yield CheckFinding(shown, 0, "word-count", f"{count} words, fewer than the "
                           f"{req.min_words} required", "develop your writing under each heading")
    if req.max_words is not None and count > req.max_words:
        yield CheckFinding(shown, 0, "word-count", f"{count} words, more than the limit of "
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
    extra = [name for name in header if name not in declared]
    if missing or extra:
        yield _header_finding(shown, missing, extra, declared)
        return
    data_rows = rows[1:]
    yield from _row_counts(req, len(data_rows), shown)
    for column in req.columns:
        yield from _column(column, header.index(column.name), data_rows, shown)


def _header_finding(shown: str, missing: list[str], extra: list[str], declared: list[str]) -> CheckFinding:
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if extra:
        parts.append("unexpected column(s) " + ", ".join(extra[:5]))
    return CheckFinding(shown, 1, "csv-columns", "; ".join(parts),
                        "make the first row exactly: " + ",".join(declared))


def _row_counts(req: EvidenceRequirement, count: int, shown: str) -> Iterator[CheckFinding]:
    if req.min_rows is not None and count < req.min_rows:
        yield CheckFinding(shown, 0, "csv-rows", f"{count} rows of data, fewer than the "
                           f"{req.min_rows} required", "record the whole observation")
    if req.max_rows is not None and count > req.max_rows:
        yield CheckFinding(shown, 0, "csv-rows", f"{count} rows of data, more than the limit of "
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


def _link(req: EvidenceRequirement, text: str, shown: str) -> Iterator[CheckFinding]:
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.strip().startswith("#")]
    if len(lines) != 1 or not _URL.match(lines[0][1]):
        yield CheckFinding(shown, lines[0][0] if lines else 1, "link",
                           "the file must hold exactly one web address",
                           f"put only the link to your video on one line of {req.file}")
        return
    line, url = lines[0]
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() != "https":
        yield CheckFinding(shown, line, "link", "the link is not https", "use the https:// link")
    if not any(host == h or host.endswith("." + h) for h in req.hosts):
        yield CheckFinding(shown, line, "link-host", f"links to {host or 'no host'} are not "
                           "accepted", "share the video from one of: " + ", ".join(req.hosts))
    secret = parts.username or parts.password or any(
        name.lower() in _TOKEN_PARAMS for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    if secret:
        yield CheckFinding(shown, line, "link-token", "the link carries a private access token",
                           "share the video with your coach by invitation and submit the plain "
                           "link without the token")
