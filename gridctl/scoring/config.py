"""Moved to `gridctl.config.scoring` (the monthly report and the assessment both read it, so it
lives below both); these names stay importable from here for code written before the move."""

from gridctl.config.scoring import CHOICES, load_scoring, weights  # noqa: F401
