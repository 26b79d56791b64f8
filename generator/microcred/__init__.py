"""microcred: micro-credential programmes as a Git workflow."""

from __future__ import annotations

__version__ = "0.1.0"
