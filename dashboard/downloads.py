"""Tables as CSV and Excel files for the download buttons (pure: DataFrame -> bytes).

Cells that a spreadsheet would read as a formula get a leading apostrophe: text starting
with ``=``, ``+``, ``-`` or ``@`` (also after leading spaces or line breaks, which spreadsheets
skip), or with a tab, carriage return or line feed. Crawled text such as ``=HYPERLINK(...)``
must not run as a formula on the reader's computer (CSV injection). Every cell of every
column is covered, list cells after they are joined into text, and the column names too.
"""

from __future__ import annotations

import io

import pandas as pd

from core.spreadsheet import is_formula_like, safe_text

__all__ = ["CSV_MIME", "XLSX_MIME", "is_formula_like", "safe_text", "spreadsheet_safe",
           "to_csv", "to_excel"]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_cell(value):
    if isinstance(value, list | tuple | set):
        value = ", ".join("" if v is None else str(v) for v in value)
    elif hasattr(value, "tolist") and not isinstance(value, str | bytes):  # numpy arrays
        listed = value.tolist()
        value = ", ".join(str(v) for v in listed) if isinstance(listed, list) else listed
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        return safe_text(value)
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) cannot run as formulas and whose list cells
    are text. Every column that is not purely numeric, boolean or a date is checked cell by
    cell, whatever its dtype (object, string, category)."""
    out = frame.copy()
    out.columns = [safe_text(c) if isinstance(c, str) else c for c in out.columns]
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if _cannot_hold_text(column):
            continue
        out.isetitem(position, column.astype(object).map(_safe_cell))
    return out


def _cannot_hold_text(column: pd.Series) -> bool:
    kinds = pd.api.types
    return (kinds.is_numeric_dtype(column) or kinds.is_bool_dtype(column)
            or kinds.is_datetime64_any_dtype(column) or kinds.is_timedelta64_dtype(column))


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Indonesian text correctly."""
    return spreadsheet_safe(frame).to_csv(index=False).encode("utf-8-sig")


def _xlsx_text(value):
    """Control characters (NUL, vertical tab …) that an .xlsx cannot hold are dropped, so
    crawled text with them cannot break the Excel download."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def to_excel(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """A table as an .xlsx file (cells neutralised against formula injection)."""
    buffer = io.BytesIO()
    clean = spreadsheet_safe(frame)  # list cells joined into text first
    clean.columns = [_xlsx_text(c) for c in clean.columns]
    for position in range(clean.shape[1]):
        if not _cannot_hold_text(clean.iloc[:, position]):
            clean.isetitem(position, clean.iloc[:, position].astype(object).map(_xlsx_text))
    safe = spreadsheet_safe(clean)  # after the clean-up, which could uncover a formula
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet[:31] or "Data")
    return buffer.getvalue()
