"""The staff report: one HTML page with the charts, their data tables and every learner's row.

It is written outside the course repository and is never part of the public site: it names
learners and their standing. The page needs no script and no network; the charts are SVG files
beside it, each with a text alternative and its data as a table.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

from microcred.analytics import charts, series
from microcred.analytics.progress import Group, Progress
from microcred.analytics.render import FIGURES, group_cells, weeks
from microcred.analytics.timeline import STATES
from microcred.coaching.cadence import Cadence
from microcred.errors import MicrocredError
from microcred.heap import without_collection
from microcred.model import Course

MARKER = ".microcred-report"
CHART_TEXT = {
    "funnel": ("Where each module stands",
               "Stacked horizontal bars, one per module, splitting its learners into {states}."),
    "turnaround": ("Coach turnaround over time",
                   "Lines, one per coach (one per cohort when there are more than 8 coaches), "
                   "of the median days to a first review by the month the submission was opened."),
    "heat": ("'Not yet' by criterion and network",
             "A heat map of how often each criterion was found not yet in each network (each "
             "cohort when there are more than 12 networks); darker cells are fewer, lighter "
             "cells more, and each cell prints its count."),
    "cohorts": ("Cohort progress over the year",
                "Step lines, one per cohort, of the share of its learners' modules complete, week "
                "by week."),
}
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem;
       color: #1a1a1a; background: #fff; line-height: 1.45; }
.private { background: #7a0019; color: #fff; padding: .5rem 1rem; font-weight: 600; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #767676; padding: .2rem .45rem; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #e8e8e8; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
a { color: #0b5cad; }
"""


class ReportError(MicrocredError):
    """The report folder cannot be written."""


@without_collection
def render_page(progress: Progress, course: Course,
                coaching: tuple[list[Cadence], list[Cadence]] | None = None) -> str:
    """The report's HTML (charts referenced as charts/<name>.svg)."""
    title = f"Programme progress, as of {progress.as_of:%Y-%m-%d %H:%M} UTC"
    parts = [
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex, nofollow">',
        f"<title>{escape(title)} (staff report)</title>", f"<style>{_STYLE}</style>", "</head>",
        "<body>", '<header><p class="private">Private to programme staff: it names learners and '
        "their progress. Do not publish, commit or forward it.</p>", f"<h1>{escape(title)}</h1>",
        "</header>", "<main>", _contents(), *_summary(progress), *_charts(progress),
        *_inactive(progress), *_learners(progress, course), *_coaching(coaching),
        *_set_apart(progress),
        "</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _contents() -> str:
    links = [("summary", "Summary"), ("charts", "Charts"), ("inactive", "Inactive learners"),
             ("learners", "Every learner"), ("coaching", "Coaching cadence"),
             ("set-apart", "Set apart")]
    items = "".join(f'<li><a href="#{i}">{t}</a></li>' for i, t in links)
    return f'<nav aria-label="Contents"><ul>{items}</ul></nav>'


def table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """An accessible table: caption, column headers, the first cell of each row a row header."""
    header = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    cells: dict[str, str] = {}  # a big table repeats most of its cells (networks, states, counts)
    body = "".join(
        "<tr>" + f'<th scope="row">{escape(row[0])}</th>' + "".join(
            cells.get(c) or cells.setdefault(c, _cell(c)) for c in row[1:]) + "</tr>" for row in rows)
    # A wide table scrolls sideways: keyboard users reach it (tabindex) and hear its name.
    return (f'<div class="scroll" tabindex="0" role="region" aria-label="{escape(caption)}">'
            f'<table><caption>{escape(caption)}</caption><thead><tr>{header}'
            f"</tr></thead><tbody>{body}</tbody></table></div>")


def _cell(text: str) -> str:
    return f'<td class="n">{escape(text)}</td>' if _numeric(text) else f"<td>{escape(text)}</td>"


def _numeric(cell: str) -> bool:
    return cell.replace(".", "", 1).replace("–", "").isdigit() or cell == "–"


def _summary(progress: Progress) -> list[str]:
    out = ['<section aria-labelledby="summary">', '<h2 id="summary">Summary</h2>',
           f"<p>Durations in days. Inactive: nothing of their own for {weeks(progress.inactive_weeks)}, "
           "while no submission waits for a coach. Not-yets: 'not yet' verdicts given. Median "
           "and 90th percentile as a spreadsheet's PERCENTILE.INC computes them.</p>"]
    for kind in ("cohort", "network", "coach", "module"):
        groups: list[Group] = [g for g in progress.groups if g.kind == kind]
        out.append(table(f"By {kind}", (kind, *FIGURES), ([g.name, *group_cells(g)] for g in groups)))
    return [*out, "</section>"]


def _charts(progress: Progress) -> list[str]:
    out = ['<section aria-labelledby="charts">', '<h2 id="charts">Charts</h2>']
    data = series.tables(progress)
    for name, (heading, alt) in CHART_TEXT.items():
        text = alt.format(states=", ".join(STATES))
        out += [f'<h3 id="chart-{name}">{escape(heading)}</h3>', "<figure>",
                f'<img src="charts/{name}.svg" alt="{escape(text)} The table below gives the '
                'same figures.">', f"<figcaption>{escape(heading)}: the figures are in the "
                "table that follows.</figcaption>", "</figure>",
                table(data[name].caption, data[name].head, data[name].rows)]
    return [*out, "</section>"]


def _inactive(progress: Progress) -> list[str]:
    rows = [(i.learner, i.place.cohort, i.place.network, i.place.coach,
             f"{i.last_activity:%Y-%m-%d}" if i.last_activity else "never") for i in progress.inactive]
    return ['<section aria-labelledby="inactive">', '<h2 id="inactive">Inactive learners</h2>',
            table(f"No activity for {weeks(progress.inactive_weeks)}: {len(rows)} learner(s)",
                  ("learner", "cohort", "network", "coach", "last activity"), rows), "</section>"]


def _learners(progress: Progress, course: Course) -> list[str]:
    rows = []
    for row in progress.rows:
        wait = progress.waiting_days(row)
        title = course.modules[row.module].title if row.module in course.modules else row.module
        rows.append((row.place.learner, row.place.network, row.place.coach, title, row.standing.state,
                     str(row.standing.attempts), ", ".join(row.standing.not_yet) or "–",
                     "–" if wait is None else f"{wait:.1f}"))
    return ['<section aria-labelledby="learners">', '<h2 id="learners">Every learner</h2>',
            table("Each learner's modules", ("learner", "network", "coach", "module", "state",
                                             "attempts", "not yet on", "waiting (days)"), rows),
            "</section>"]


def _coaching(coaching: tuple[list[Cadence], list[Cadence]] | None) -> list[str]:
    networks, leaders = coaching or ([], [])
    head = ("cohort", "network", "coach", "meetings", "last", "days since", "every (weeks)",
            "overdue")

    def cells(c: Cadence) -> list[str]:
        return [c.cohort, c.network, c.coach, str(c.meetings), c.last or "never",
                "–" if c.days_since is None else str(c.days_since),
                "–" if c.every_weeks is None else str(c.every_weeks), "yes" if c.overdue else "no"]

    return ['<section aria-labelledby="coaching">', '<h2 id="coaching">Coaching cadence</h2>',
            "<p>Meetings logged in coaching/logs/ up to the report's day, against each cohort "
            "calendar's cadence. School meetings: those of the improvement community the leader "
            "runs with staff.</p>",
            table("Network meetings, by network", ("network", *head[:1], *head[2:]),
                  ([c.name, c.cohort, *cells(c)[2:]] for c in networks)),
            table("One-to-ones, by leader", ("leader", *head, "school meetings"),
                  ([c.name, *cells(c), str(c.school_meetings)] for c in leaders)),
            "</section>"]


def _set_apart(progress: Progress) -> list[str]:
    rows = [(p.where, p.kind, p.message) for p in progress.problems]
    return ['<section aria-labelledby="set-apart">', '<h2 id="set-apart">Set apart</h2>',
            "<p>Input that could not be counted with the rest: a corrupt ledger record, a learner "
            "no longer in the roster, reviews by a coach no longer in it.</p>",
            table(f"{len(rows)} item(s)", ("where", "kind", "what"), rows), "</section>"]


def write_report(progress: Progress, course: Course, target: Path,
                 coaching: tuple[list[Cadence], list[Cadence]] | None = None) -> Path:
    """Write index.html and charts/*.svg into `target` whole (replacing an earlier report)."""
    if target.exists() and any(target.iterdir()) and not (target / MARKER).exists():
        raise ReportError(f"{target}: not empty and not an earlier report; give a new or empty folder")
    page = render_page(progress, course, coaching)
    drawn = charts.draw_all(progress)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".report-", dir=target.parent))
    try:
        (staging / "charts").mkdir()
        for name, svg in drawn.items():
            (staging / "charts" / f"{name}.svg").write_bytes(svg)
        (staging / "index.html").write_text(page, encoding="utf-8")
        (staging / MARKER).write_text("microcred staff report: private\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target / "index.html"
