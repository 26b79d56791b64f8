"""The one comment microcred keeps on a pull request: checklist, privacy, chart, rubric, template."""

from __future__ import annotations

from microcred.forge.base import BOT_MARKER
from microcred.markdown import escape_html, escape_text, fit, mention
from microcred.model import Course
from microcred.site.pages import review_template
from microcred.submission.findings import SubmissionReport
from microcred.submission.report import CheckResult, to_markdown


def render_comment(result: CheckResult, course: Course, coaches: list[str],
                   reviews: list[str] | None = None) -> str:
    """The comment body for a pull request, from its check result and the trusted course.

    `reviews` are the lines of `review.summary.review_lines`: each review read back. A body
    over GitHub's size limit shows fewer items per list, each saying how many more there are.
    """
    return fit(lambda most: _render(result, course, coaches, reviews or [], most))


def _render(result: CheckResult, course: Course, coaches: list[str], reviews: list[str],
            most: int | None) -> str:
    parts = [BOT_MARKER, to_markdown(result, most).rstrip()]
    if reviews:
        shown = reviews[:most] + ([f"- … and {len(reviews) - most} more review(s)"]
                                  if most is not None and len(reviews) > most else [])
        parts.append("**Reviews**\n\n" + "\n".join(shown))
    if coaches and result.passed:
        names = ", ".join(mention(c) for c in coaches)
        parts.append(f"**Coach:** {names} (requested as reviewer).")
    elif coaches:
        parts.append("**Coach review** starts once every item above is fixed.")
    for report in _one_per_module(result.reports)[:most]:
        module = course.modules.get(report.module)
        rubric = course.rubrics.get(module.rubric) if module else None
        if module is None or rubric is None:
            continue
        rows = "\n".join(f"| {escape_text(c.name)} | {escape_text(rubric.level_name(c.required))} |"
                         for c in rubric.criteria)
        parts.append(
            f"<details><summary>Rubric: {escape_html(rubric.title)}</summary>\n\n"
            f"| Criterion | Required level |\n|---|---|\n{rows}\n\nEvery criterion must reach its "
            "required level; levels are never averaged.\n\n</details>")
        parts.append(
            "<details><summary>Review template (coaches: paste into your review)</summary>\n\n"
            f"```yaml\n{review_template(module, rubric)}```\n\n</details>")
    return "\n\n".join(parts) + "\n"


def _one_per_module(reports: list[SubmissionReport]) -> list[SubmissionReport]:
    """The first report of each module: its rubric and template are shown once."""
    first: dict[str, SubmissionReport] = {}
    for report in reports:
        first.setdefault(report.module, report)
    return list(first.values())
