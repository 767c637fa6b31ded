"""The status and band colours every view uses (dashboard, reports), chosen to stay apart
for people with colour-vision deficiencies.

Colours are from Okabe & Ito's colour-blind-safe set: ``found`` blue, ``stale`` yellow,
``broken`` vermillion, ``missing`` light grey, ``unreachable`` dark grey (green against red —
the old ``found``/``broken`` — is the pair deuteranopes cannot tell apart).
``tests/test_palette.py`` simulates deuteranopia, protanopia and tritanopia (Machado et al.
2009) and checks minimum CIELAB distances between every pair. Colour is never the only cue:
each status also has a glyph (``STATUS_GLYPHS``) printed in matrix cells.
"""

from __future__ import annotations

from core.vocabulary import NO_SCORE

STATUS_COLORS = {
    "found": "#0072B2",  # blue
    "stale": "#F0E442",  # yellow
    "broken": "#D55E00",  # vermillion
    "missing": "#DDDDDD",  # light grey
    "unreachable": "#666666",  # dark grey
}

STATUS_TEXT_COLORS = {
    "found": "#FFFFFF",
    "stale": "#000000",
    "broken": "#000000",
    "missing": "#000000",
    "unreachable": "#FFFFFF",
}
"""Readable text on each status colour (contrast ≥ 4.5 : 1, checked by the test)."""

STATUS_GLYPHS = {
    "found": "✓",
    "stale": "K",
    "broken": "R",
    "missing": "✗",
    "unreachable": "?",
}
"""One sign per status (K = kedaluwarsa, R = rusak) so a cell reads without its colour."""


BAND_COLORS = {
    "Informatif": "#0072B2",  # blue
    "Menuju Informatif": "#56B4E9",  # sky blue
    "Cukup Informatif": "#F0E442",  # yellow
    "Kurang Informatif": "#E69F00",  # orange
    "Tidak Informatif": "#D55E00",  # vermillion
    NO_SCORE: "#666666",  # dark grey
}
"""Best (blue) to worst (vermillion), so a score bar's colour says its band."""

BAND_TEXT_COLORS = {
    "Informatif": "#FFFFFF",
    "Menuju Informatif": "#000000",
    "Cukup Informatif": "#000000",
    "Kurang Informatif": "#000000",
    "Tidak Informatif": "#000000",
    NO_SCORE: "#FFFFFF",
}


def rgb(color: str) -> tuple[int, int, int]:
    """``#0072B2`` → ``(0, 114, 178)``."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def band_color(band: str | None) -> str:
    """The fill colour of a band (the no-score colour for an agency without one)."""
    return BAND_COLORS.get(band or NO_SCORE, BAND_COLORS[NO_SCORE])


def band_text_color(band: str | None) -> str:
    """The text colour that stays readable on the band's fill."""
    return BAND_TEXT_COLORS.get(band or NO_SCORE, BAND_TEXT_COLORS[NO_SCORE])
