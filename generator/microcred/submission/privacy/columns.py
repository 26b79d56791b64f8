"""Details a table says by its columns: under a header such as `DOB`, `Student No.` or
`Guardian`, every cell of the column is one, whatever its shape.

A table is a CSV or tab-separated export, or a Markdown pipe table: a header row of short
cells, one of which names an identifying column, and the rows after it with as many cells.
Exports often carry title rows and merged header rows above the real header; those are
skipped, since only a row whose cells are all short labels, one of them a known column, is
taken for the header.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from microcred.submission.privacy.gazetteer import lexicon
from microcred.submission.privacy.hits import Hit

_SEPARATORS = (",", "\t", "|")
_MAX_HEADER_CELL = 32
# A header is looked for in the first lines of a text, and after a line of another shape.
_HEADER_WITHIN = 8
# Header cells, lower-cased, '_' read as a space, a trailing '?' or ':' dropped. Order matters:
# 'Student No.' is an ID column before 'Student' is a name column.
_COLUMNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((rule, re.compile(p)) for rule, p in (
    ("student-id", r"(?:student|pupil|learner|stu|sis|state|district|lunch|id)\s*"
                   r"(?:id|#|no\.?|number|num|pin)|id|id number|login|username|user name|"
                   r"chromebook login|matr[ií]cula"),
    ("date-of-birth", r"dob|d\.o\.b\.?|birth ?date|date of birth|birthday|bday|b-day|born|"
                      r"fecha de nacimiento|nacimiento"),
    ("address", r"(?:home |street |mailing )?address|street|domicilio|direcci[oó]n"),
    ("phone", r"(?:home |cell |parent |guardian |mobile )?(?:phone|tel|tel[eé]fono)"
              r"(?: ?#| no\.?| number)?"),
    ("parent-name", r"guardian|parent|parents|mother|father|mom|dad|parent/guardian|"
                    r"(?:parent|guardian|emergency) (?:name|contact)|padre|madre"),
    ("family-circumstance", r"frl|f/r|f/r lunch|free/reduced|free or reduced|fr lunch|"
                            r"lunch status|meal status|housing|custody|foster"),
    ("student-name", r"(?:student|pupil|learner|kid|child|estudiante|alumn[oa]|nombre|name|"
                     r"first|last|first name|last name|given name|surname|family name|"
                     r"nickname|preferred name|student name)(?: \([^)]*\))?"),
))
# A cell that is a label the programme uses instead of a name: 'S07', 'Table 2', 'T'.
_LABEL = re.compile(r"(?:s|seat|student|table|group|pair|station|t|p)?\s*[-#]?\s*[a-z]?\d{1,3}"
                    r"[a-z]?|[a-z]|(?:student|seat|group|table) [a-z]", re.IGNORECASE)
# What every identifying header holds somewhere, in lower case (a cheap test: most rows hold
# none).
_HEADER_HINT = re.compile(r"dob|d\.o\.b|birth|bday|b-day|born|nacimiento|address|street|domicilio|"
                          r"direcci|phone|tel|guardian|parent|mother|father|mom|dad|padre|madre|"
                          r"frl|f/r|reduced|lunch|meal|housing|custody|foster|student|pupil|"
                          r"learner|stu|sis|state|district|kid|child|estudiante|alumn|nombre|"
                          r"name|first|last|id|login|user|matr")
_NO_VALUE = frozenset(("", "-", "–", "n/a", "na", "none", "no", "n", "0", "false", "paid",
                       "full", "unknown", "?"))


@dataclass(frozen=True)
class _Cell:
    start: int
    end: int
    text: str


def table_hits(lines: Sequence[str]) -> Iterator[tuple[int, Hit]]:
    """(line index, hit) for each cell of an identifying column of each table in `lines`."""
    shapes = [(line.count(","), line.count("|"), line.count("\t")) for line in lines]
    index = 0
    while index < len(lines):
        if index >= _HEADER_WITHIN and shapes[index - 1] == shapes[index]:
            index += 1  # a row like the one before: no header starts here, deep in a table
            continue
        header = _header(lines[index])
        if header is None or (index and _full_row_before(lines[index - 1], header[0],
                                                         lines[index])):
            index += 1
            continue
        separator, columns = header
        width = len(_cells(lines[index], separator))
        index += 1
        while index < len(lines) and _is_rule(lines[index]):
            index += 1  # a Markdown table's |---| line
        while index < len(lines) and len(row := _cells(lines[index], separator)) == width:
            for column, rule in columns:
                if _value(row[column].text, rule):
                    yield index, Hit(rule, row[column].start, row[column].end)
            index += 1


def maybe_table(text: str) -> bool:
    """Whether `text` may hold a table with an identifying column (cheap; most do not)."""
    return any(sep in text for sep in _SEPARATORS)


def _header(line: str) -> tuple[str, list[tuple[int, str]]] | None:
    """The separator and the identifying columns of a header row, or None."""
    if len(line) > 400:
        return None
    for separator in _SEPARATORS:
        if separator not in line:
            continue
        parts = line.split(separator)
        if max(map(len, parts)) > _MAX_HEADER_CELL + 4 or any(p.strip().isdigit() for p in parts) \
                or not _HEADER_HINT.search(line.lower()):
            continue  # prose (a long stretch between separators), a data row, no header word
        cells = _cells(line, separator)
        if len(cells) < 2 or any(len(c.text) > _MAX_HEADER_CELL or not c.text or
                                 len(c.text.split()) > 4 for c in cells):
            continue
        columns = [(k, rule) for k, c in enumerate(cells) if (rule := _column(c.text))]
        if columns:
            return separator, columns
    return None


def _full_row_before(before: str, separator: str, line: str) -> bool:
    """Whether the row before has as many cells, all filled: then this row is data, not the
    header (a title or merged header row above a header leaves cells empty)."""
    cells = _cells(before, separator)
    return len(cells) == len(_cells(line, separator)) and all(c.text for c in cells)


def _column(label: str) -> str | None:
    key = label.lower().replace("_", " ").rstrip("?:").strip()
    return next((rule for rule, pattern in _COLUMNS if pattern.fullmatch(key)), None)


def _cells(line: str, separator: str) -> list[_Cell]:
    """The cells of a row, each without its quotes and spaces; a quoted cell may hold the
    separator. A pipe table's outer pipes open and close the row, not cells."""
    body_start, body_end = 0, len(line)
    if separator == "|":
        stripped = line.strip()
        if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
            return []
        body_start = line.index("|") + 1
        body_end = line.rindex("|")
    if '"' not in line:
        return _split(line, separator, body_start, body_end)
    out: list[_Cell] = []
    start, quoted = body_start, False
    for at in range(body_start, body_end + 1):
        ch = line[at] if at < body_end else separator
        if ch == '"':
            quoted = not quoted
        elif ch == separator and (not quoted or at == body_end):
            out.append(_trimmed(line, start, at))
            start = at + 1
    return out


def _split(line: str, separator: str, start: int, end: int) -> list[_Cell]:
    """The cells of a row without quotes: split, then placed by their lengths."""
    out: list[_Cell] = []
    for part in line[start:end].split(separator):
        out.append(_trimmed(line, start, start + len(part)))
        start += len(part) + 1
    return out


def _trimmed(line: str, start: int, end: int) -> _Cell:
    while start < end and line[start] in ' "':
        start += 1
    while end > start and line[end - 1] in ' "':
        end -= 1
    return _Cell(start, end, line[start:end])


def _is_rule(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and set(stripped) <= set("|-: ")


def _value(text: str, rule: str) -> bool:
    """Whether a cell of a column of `rule` holds a value of that kind."""
    if text.casefold() in _NO_VALUE:
        return False
    digits = sum(ch.isdigit() for ch in text)
    if rule in ("student-id", "date-of-birth"):
        return digits > 0
    if rule == "phone":
        return digits >= 7
    if rule == "address":
        return digits > 0 and any(ch.isalpha() for ch in text)
    if rule == "family-circumstance":
        return True
    return digits == 0 and _named(text)


def _named(text: str) -> bool:
    """A name cell: not a label the programme uses, nor only ordinary words ('Total')."""
    if _LABEL.fullmatch(text):
        return False
    lex = lexicon()
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+", text)]
    return any(w in lex.first or w in lex.surnames or w not in lex.words for w in words)
