"""Text that a spreadsheet must not run as a formula: one rule for every download (the
dashboard's CSV/Excel files, the Monev evidence sheet).

A cell is neutralised with a leading apostrophe when it starts with ``=``, ``+``, ``-`` or
``@`` (also after leading spaces, line breaks, control or zero-width characters, which
spreadsheets may skip, and in their full-width forms), or with a tab, carriage return or line
feed: crawled text such as ``=HYPERLINK(...)`` must not run on the reader's computer.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_CHARS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""Formula starts, with their full-width forms (some spreadsheets fold them)."""
_LEADING_JUNK = re.compile(r"^[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]+")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters an .xlsx cell cannot hold (openpyxl refuses them)."""


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_START) or _LEADING_JUNK.sub("", text).startswith(FORMULA_CHARS)


def safe_text(text: str) -> str:
    """``text``, with a leading apostrophe when a spreadsheet could read it as a formula."""
    return "'" + text if is_formula_like(text) else text


def xlsx_text(text: str) -> str:
    """``text`` for an .xlsx cell: control characters dropped first (they could hide a
    formula start), then neutralised."""
    return safe_text(_XLSX_ILLEGAL.sub("", text))
