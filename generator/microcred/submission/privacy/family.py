"""Family circumstances tied to a student: custody and court orders, foster care and
guardianship, a parent's incarceration or deportation, immigration status, housing (a shelter,
homelessness), free or reduced-price meals. Like a health status, such a phrase is flagged in
a line that names someone or after words that tie it to one child ('his family is in ...'),
not where it describes a group or a seat code ('students on free lunch', 'S4 is in foster care').
"""

from __future__ import annotations

import re

from microcred.submission.privacy.hits import Detector
from microcred.submission.privacy.patterns import any_of, tied_phrase

_FAMILY = re.compile(
    r"\b(?:(?:on |gets |receives |qualifies for )?(?:free|reduced)(?:[- ]price)?"
    r"(?: (?:or|and|/) reduced(?:[- ]price)?|/reduced)? (?:lunch|meals?|breakfast)|"
    r"custody(?: order| agreement| arrangement| dispute| hearing)?|(?:court|restraining|"
    r"no[- ]contact|protective) order|(?:legal |temporary )?guardianship|"
    r"foster (?:care|home|placement|family|parents?)|kinship care|group home|"
    r"(?:incarcerat|deport)\w*|immigration status|undocumented|situaci[oó]n migratoria|"
    r"refugee status|asylum|"
    r"(?:in|at|to) (?:the |a )?(?:homeless |family |women'?s )?shelter|homeless(?:ness)?|"
    r"mckinney[- ]vento|living in (?:a|their|the family) car)\b",
    re.IGNORECASE)
_HINTS = ("free", "reduced", "custody", "court order", "restraining order", "contact order",
          "protective order", "guardianship", "foster", "kinship", "group home", "incarcerat",
          "deport", "immigration", "undocumented", "migratoria", "refugee", "asylum", "shelter",
          "homeless", "mckinney", "living in")
# Words before a circumstance that tie it to one student ('his family is', 'she is in').
_TIE = re.compile(r"\b(?:his|her|he|she|he's|she's|has|had|is|was|lives|living|placed|"
                  r"with|since|under|su)\b[^.;]{0,40}$", re.IGNORECASE)
# ...unless its subject is a group or a seat code: 'students on free lunch', 'S4 is in ...'.
_GROUP = re.compile(r"\b(?:students|kids|children|pupils|learners|families|number of|all|"
                    r"percent|%|S-?\d{1,3}|(?:a|one|any|each|every) (?:student|child|kid|"
                    r"learner|pupil|family))\b[^.;]{0,40}$", re.IGNORECASE)

_maybe_family = any_of(_HINTS)


def family(names: Detector) -> Detector:
    """Family circumstances in a line that names someone, or tied to one student by the
    words before them."""
    return tied_phrase(names, "family-circumstance", _FAMILY, _maybe_family, _TIE, _GROUP, 50)
