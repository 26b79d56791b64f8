"""The one comment microcred keeps on a pull request: checklist, privacy, chart, rubric, template."""

from __future__ import annotations

from microcred.forge.base import BOT_MARKER
from microcred.markdown import escape_html, escape_text, mention
from microcred.model import Course
from microcred.site.pages import review_template
from microcred.submission.report import CheckResult, to_markdown


def render_comment(result: CheckResult, course: Course, coaches: list[str],
                   reviews: list[str] | None = None) -> str:
    """The comment body for a pull request, from its check result and the trusted course.

    `reviews` are the lines of `review.summary.review_lines`: each review read back.
    """
    parts = [BOT_MARKER, to_markdown(result).rstrip()]
    if reviews:
        parts.append("**Reviews**\n\n" + "\n".join(reviews))
    if coaches and result.passed:
        names = ", ".join(mention(c) for c in coaches)
        parts.append(f"**Coach:** {names} (requested as reviewer).")
    elif coaches:
        parts.append("**Coach review** starts once every item above is fixed.")
    for report in result.reports:
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
