"""Draw the staff report's charts as SVG with matplotlib (Agg: no display needed).

Colours are the Okabe-Ito palette, told apart by people with any common colour vision
deficiency; every series also differs by hatch or marker, and the heat map uses cividis, a
colour map designed to read the same with deuteranopia. Each chart's data is also printed as a
table beside it (series.tables), so nothing depends on seeing the picture.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as dates
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from microcred.analytics import series
from microcred.analytics.progress import Progress
from microcred.analytics.timeline import STATES

# Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow, blue,
# vermillion, reddish purple, and black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
STATE_COLOURS = dict(zip(STATES, ("#BBBBBB", "#56B4E9", "#D55E00", "#E69F00", "#009E73"), strict=True))
HATCHES = dict(zip(STATES, ("", "//", "xx", "\\\\", ".."), strict=True))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
plt.rcParams.update({"svg.hashsalt": "microcred", "font.size": 10, "svg.fonttype": "none"})


def draw_all(progress: Progress) -> dict[str, bytes]:
    """Every chart as SVG bytes, by name."""
    drawers: dict[str, Callable[[Progress], Figure]] = {
        "funnel": funnel, "turnaround": turnaround, "heat": heat, "cohorts": cohorts}
    return {name: _svg(draw(progress)) for name, draw in drawers.items()}


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def funnel(progress: Progress) -> Figure:
    modules, counts = series.funnel(progress)
    figure, axes = plt.subplots(figsize=(8, 0.5 * len(modules) + 1.6))
    left = [0] * len(modules)
    for state in STATES:
        axes.barh(modules, counts[state], left=left, label=state, color=STATE_COLOURS[state],
                  hatch=HATCHES[state], edgecolor="#333333", linewidth=0.5)
        left = [a + b for a, b in zip(left, counts[state], strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel("learners")
    axes.set_title("Where each module stands")
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return figure


def turnaround(progress: Progress) -> Figure:
    by, by_coach = series.turnaround_lines(progress)
    figure, axes = plt.subplots(figsize=(8, 3.6))
    for i, (coach, points) in enumerate(by_coach.items()):
        axes.plot([m for m, _, _ in points], [d for _, d, _ in points], label=coach,
                  color=OKABE_ITO[i % len(OKABE_ITO)], marker=MARKERS[i % len(MARKERS)])
    axes.set_ylabel("median days to first review")
    axes.set_xlabel("month the submission was opened")
    axes.set_title("Coach turnaround over time" + ("" if by == "coach" else ", by cohort"))
    axes.set_ylim(bottom=0)
    if by_coach:
        axes.legend(frameon=False, fontsize=8)
    else:
        axes.text(0.5, 0.5, "no reviewed submission yet", ha="center", transform=axes.transAxes)
    return figure


def heat(progress: Progress) -> Figure:
    by, (rows, networks, cells) = series.heat_drawn(progress)
    figure, axes = plt.subplots(figsize=(max(4.0, 1.1 * len(networks) + 3), 0.4 * len(rows) + 1.6))
    if not rows:
        axes.text(0.5, 0.5, "no 'not yet' yet", ha="center", transform=axes.transAxes)
        axes.set_axis_off()
        return figure
    image = axes.imshow(cells, cmap="cividis", aspect="auto")
    axes.set_xticks(range(len(networks)), networks, rotation=30, ha="right")
    axes.set_yticks(range(len(rows)), rows)
    top = max(max(r) for r in cells) or 1
    for y, row in enumerate(cells):
        for x, value in enumerate(row):
            axes.text(x, y, str(value), ha="center", va="center",
                      color="black" if value > top / 2 else "white")
    figure.colorbar(image, ax=axes, label="shortfalls")
    axes.set_title(f"'Not yet' by criterion and {by}")
    return figure


def cohorts(progress: Progress) -> Figure:
    by_cohort = series.cohort_progress(progress)
    figure, axes = plt.subplots(figsize=(8, 3.6))
    for i, (cohort, points) in enumerate(by_cohort.items()):
        axes.step(dates.date2num([w for w, _ in points]), [p for _, p in points], where="post",
                  label=cohort,
                  color=OKABE_ITO[i % len(OKABE_ITO)], marker=MARKERS[i % len(MARKERS)], markevery=4)
    axes.set_ylim(0, 100)
    axes.set_ylabel("modules complete (%)")
    axes.set_title("Cohort progress over the year")
    axes.legend(frameon=False)
    locator = dates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    return figure
