"""Find likely student-identifying details in evidence, and report them masked.

A detector is a small function from one line of text to the matched spans (hits.py). The
detectors: shapes such as emails and phone numbers (patterns.py), people's names from shipped
name lists and context (names.py, gazetteer.py), and a programme's hashed roster (roster.py);
rules.py names them and says how to fix each; scan.py runs them and masks what it reports.
A shape detector is `Gated` by what its matches need, so a text without it skips the detector;
`Remembering` detectors read each short line once per process. Neither changes what is found.
"""

from __future__ import annotations

from microcred.submission.privacy.hits import Detector, Hit
from microcred.submission.privacy.patterns import is_public_video
from microcred.submission.privacy.rules import RULE_TEXT, Settings, allowed_forms, detectors
from microcred.submission.privacy.scan import (
    MAX_FINDINGS_PER_FILE,
    Span,
    find_spans,
    line_hits,
    mask,
    remembering,
    scan,
)

__all__ = ["MAX_FINDINGS_PER_FILE", "RULE_TEXT", "Detector", "Hit", "Settings", "Span",
           "allowed_forms", "detectors", "find_spans", "is_public_video", "line_hits", "mask",
           "remembering", "scan"]
