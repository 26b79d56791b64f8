"""A leader's improvement-community record, kept one meeting at a time (`microcred community`).

    record at base  -> the cycle's record as the base branch has it, or none yet
    with_meeting    -> the record with one more meeting (a new record needs its focus and
                       change idea), meetings in date order, the same meeting never twice
    checked         -> every check `microcred lint` runs on the file (schema, roster, cohort
                       dates, privacy); nothing is written unless it passes

Staff are named by role only and students never: the privacy scan runs over the whole record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from microcred.coaching.lint import check_records, private_details
from microcred.coaching.load import COMMUNITIES_DIR, LoadedRecords, community_of
from microcred.coaching.records import Community, Records
from microcred.content.loader import Loaded
from microcred.content.schema import validate
from microcred.content.yamlfile import YamlError, parse_yaml
from microcred.errors import Finding, UsageError

ORDER = ("format", "kind", "programme", "cohort", "leader", "focus", "change_idea", "staff",
         "meetings")
MEETING_ORDER = ("date", "kind", "staff", "summary")
GROUP = "group"
_CYCLE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MEETINGS = re.compile(r"^meetings:\s*(#.*)?$")
_TOP_KEY = re.compile(r"^[^\s#-]")
_ITEM = re.compile(r"^(\s*)- ")
_QUOTED_DATE = re.compile(r"^(- date: )'(\d{4}-\d{2}-\d{2})'$", re.MULTILINE)


@dataclass(frozen=True)
class Meeting:
    """One meeting of the community, as the leader gives it."""

    date: str
    staff: tuple[str, ...]  # roles present, never names
    kind: str = GROUP
    summary: str = ""

    def data(self) -> dict[str, Any]:
        fields = {"date": self.date, "kind": None if self.kind == GROUP else self.kind,
                  "staff": list(self.staff), "summary": self.summary}
        return {k: fields[k] for k in MEETING_ORDER if fields[k] not in (None, "", [])}


@dataclass(frozen=True)
class Opening:
    """What a new record needs besides its first meeting; empty fields keep what the record has."""

    focus: str = ""
    change_idea: str = ""
    staff: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordChange:
    path: str
    text: str
    record: Community
    created: bool


def record_path(leader: str, cycle: str) -> str:
    """Where a leader keeps one cycle's record; refuses a cycle name that is not a plain slug."""
    if not _CYCLE.match(cycle):
        raise UsageError(f"--cycle {cycle!r}: use lower-case letters, digits and single hyphens, "
                         "e.g. 'cycle-1' (it names the record's file)")
    return f"{COMMUNITIES_DIR}/{leader}/{cycle}.yml"


def existing(text: str | None, path: str) -> dict[str, Any] | None:
    """The record's data at base, None when there is none; a record that is not a YAML mapping
    is refused with where to fix it."""
    if text is None:
        return None
    try:
        data = parse_yaml(text, path).data
    except YamlError as exc:
        raise UsageError(f"{path} on the base branch is not valid YAML ({exc}); fix it in a pull "
                         "request first (nothing was recorded)") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} on the base branch is not a record (a YAML mapping); fix it in a "
                         "pull request first (nothing was recorded)")
    return data


def with_meeting(before: dict[str, Any] | None, programme: str, cohort: str, leader: str,
                 opening: Opening, meeting: Meeting) -> dict[str, Any]:
    """The record with `meeting` added (in date order) and any opening fields given."""
    if before is None:
        missing = [flag for flag, value in (("--focus", opening.focus),
                                            ("--change-idea", opening.change_idea)) if not value]
        if missing:
            raise UsageError(f"this cycle has no record yet: give {' and '.join(missing)} to "
                             "start it (nothing was recorded)")
        before = {"format": 1, "kind": "community", "programme": programme, "cohort": cohort,
                  "leader": leader, "meetings": []}
    data = dict(before)
    for key, value in (("focus", opening.focus), ("change_idea", opening.change_idea),
                       ("staff", list(opening.staff))):
        if value:
            data[key] = value
    meetings = [m for m in data.get("meetings") or [] if isinstance(m, dict)]
    kind = meeting.kind or GROUP
    if any(str(m.get("date")) == meeting.date and m.get("kind", GROUP) == kind for m in meetings):
        raise UsageError(f"the record already has a {kind} meeting on {meeting.date} (edit the file "
                         "in a pull request to correct it; nothing was recorded)")
    meetings.append(meeting.data())
    data["meetings"] = sorted(meetings, key=lambda m: str(m.get("date", "")))
    return {k: data[k] for k in ORDER if k in data} | {k: v for k, v in data.items()
                                                       if k not in ORDER}


def compose(data: dict[str, Any], before: str | None, path: str) -> str:
    """The record's text: the file as it was with the new meeting appended when that gives
    exactly `data` (a hand-written record keeps its layout and comments, and the pull request
    shows one meeting added); else `data` written out whole."""
    if before is not None:
        appended = _appended(before, data["meetings"][-1])
        if appended is not None and _same(appended, data, path):
            return appended
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _appended(text: str, meeting: dict[str, Any]) -> str | None:
    """`text` with `meeting` added as the last item of `meetings`, the record's last key; None
    when the file is laid out otherwise."""
    lines = text.rstrip("\n").split("\n")
    start = next((i for i, line in enumerate(lines) if _MEETINGS.match(line)), None)
    if start is None or any(_TOP_KEY.match(line) for line in lines[start + 1:]):
        return None
    dash = next((m.group(1) for line in lines[start + 1:] if (m := _ITEM.match(line))), None)
    if dash is None:
        return None
    block = yaml.safe_dump([meeting], sort_keys=False, allow_unicode=True, width=100,
                           default_flow_style=None)
    block = _QUOTED_DATE.sub(r"\1\2", block, count=1)  # as people write it; read as text
    return "\n".join([*lines, *(dash + line for line in block.rstrip("\n").split("\n"))]) + "\n"


def _same(text: str, data: dict[str, Any], path: str) -> bool:
    try:
        return parse_yaml(text, path).data == data
    except YamlError:
        return False


def checked(loaded: Loaded, records: LoadedRecords, path: str, data: dict[str, Any],
            before: str | None) -> RecordChange:
    """The record, once it passes every check its file would face; else a UsageError listing
    what to fix (nothing is written)."""
    text = compose(data, before, path)
    doc = parse_yaml(text, path)
    problems = validate(doc, "community")
    record = None if problems else community_of(doc.data, path)
    if record is not None:
        others = records.records
        trial = LoadedRecords(Records((), (record,), others.exchanges, others.calendars),
                              [], {**records.docs, path: doc}, {path: text})
        problems = [f for f in check_records(loaded, trial) if f.path == path] + \
            private_details(loaded.course, {path: text})
    if problems or record is None:
        raise UsageError("the record is not changed:\n" + "\n".join(_as_option(f)
                                                                   for f in problems))
    return RecordChange(path, text, record, created=before is None)


def _as_option(finding: Finding) -> str:
    return f"  {finding.key}: {finding.message}" + (f" ({finding.fix})" if finding.fix else "")
