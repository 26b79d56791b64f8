"""A consenting learner's record page: every badge they hold, its modules and results, and the
signed presentation that bundles the badges. Pure: the rows come from site/badges.py.

    learners/<token>/index.md      the page (out of the navigation and the search)
    learners/<token>/record.json   the signed presentation, byte for byte from the ledger

`<token>` is derived from the login (ledger/layout.py), so the address is stable and does not
spell the login out. Published only while the learner's consent file says `public_page: true`
and not `record: false`; the next build after a withdrawal publishes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcred.ledger import layout
from microcred.site.pages import PageSpec, _env, _rel


@dataclass(frozen=True)
class RecordRow:
    """One badge in the record, as the page shows it."""

    name: str  # already text-safe
    version: str
    issued: str
    until: str
    state: str  # "valid", "revoked", "expired" or "unknown"
    badge_page: str  # the badge's page uri
    modules: tuple[str, ...]  # titles, text-safe
    parts: tuple[str, ...]  # names of the credentials a stacked badge is built from, text-safe
    results: tuple[dict[str, str], ...]  # criterion, required, achieved


def record_uri(login: str, name: str = "index.md") -> str:
    return f"learners/{layout.record_token(login)}/{name}"


def record_page(login: str, *, recipient: str, rows: list[RecordRow], record_url: str,
                domain: str, built: str) -> PageSpec:
    here = record_uri(login)
    md = _env().get_template("record.md.j2").render(
        recipient=recipient, rows=rows, built=built, record_url=record_url, domain=domain,
        links={row.badge_page: _rel(here, row.badge_page) for row in rows},
        issuer_page=_rel(here, "issuer.md"), status_list=_rel(here, layout.STATUS_LIST_URL_PATH))
    return PageSpec(here, md, f"Learner record: {recipient}")
