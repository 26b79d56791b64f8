"""Coaching records -> public pages: each cohort's calendar and each Learning Exchange session.

Pure. Only what is public reaches a page: dates, windows, cadence, an exchange's theme,
description and materials, and how many attended. Logs, community records and attendance lists
never do.
"""

from __future__ import annotations

import posixpath

from microcred.coaching.records import Calendar, Exchange, Records
from microcred.model import Course
from microcred.site.pages import PageSpec, module_uri, relative, render


def calendar_uri(programme: str, cohort: str) -> str:
    return f"calendars/{programme}/{cohort}.md"


def exchange_uri(exchange_id: str) -> str:
    return f"exchanges/{exchange_id}/index.md"


def coaching_pages(course: Course, records: Records) -> list[PageSpec]:
    """One page per calendar and per exchange whose programme and cohort the course knows."""
    pages = [_calendar_page(course, records, c) for c in records.calendars
             if _cohort_title(course, c.programme, c.cohort)]
    pages += [_exchange_page(course, records, x) for x in records.exchanges
              if _cohort_title(course, x.programme, x.cohort)]
    return pages


def _cohort_title(course: Course, programme_id: str, cohort_id: str) -> str:
    programme = course.programmes.get(programme_id)
    cohort = next((c for c in programme.cohorts if c.id == cohort_id), None) if programme else None
    return (cohort.title or cohort.id) if cohort else ""


def _calendar_page(course: Course, records: Records, cal: Calendar) -> PageSpec:
    here = calendar_uri(cal.programme, cal.cohort)
    title = _cohort_title(course, cal.programme, cal.cohort)

    def module_link(module_id: str) -> str:
        module = course.modules.get(module_id)
        return f"[{module.title}]({relative(here, module_uri(module_id))})" if module else module_id

    md = render(
        "calendar.md.j2",
        cal=cal, cohort_title=title, programme=course.programmes[cal.programme], here=here,
        rel=relative, module_link=module_link, exchange_uri=exchange_uri,
        exchanges=records.exchanges_of(cal.programme, cal.cohort))
    return PageSpec(here, md, cal.title or f"{title} calendar")


def _exchange_page(course: Course, records: Records, x: Exchange) -> PageSpec:
    here = exchange_uri(x.id)

    def link(target: str) -> str:
        if target.startswith("https://"):
            return target
        path, _, anchor = target.partition("#")
        return posixpath.relpath(path, posixpath.dirname(here)) + (f"#{anchor}" if anchor else "")

    md = render(
        "exchange.md.j2",
        x=x, programme=course.programmes[x.programme], here=here, rel=relative, link=link,
        cohort_title=_cohort_title(course, x.programme, x.cohort),
        calendar=calendar_uri(x.programme, x.cohort))
    return PageSpec(here, md, x.title)
