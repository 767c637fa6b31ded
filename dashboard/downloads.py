"""Tables as CSV and Excel files for the download buttons (pure: DataFrame -> bytes).

Cells that a spreadsheet would read as a formula (text starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) get a leading apostrophe: crawled text such as
``=HYPERLINK(...)`` must not run as a formula on the reader's computer (CSV injection).
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, list | tuple):
        return ", ".join("" if v is None else str(v) for v in value)
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):  # numpy arrays
        return ", ".join(str(v) for v in value.tolist())
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as formulas and whose list cells are text."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_safe_cell)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Indonesian text correctly."""
    return spreadsheet_safe(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """A table as an .xlsx file (cells neutralised against formula injection)."""
    buffer = io.BytesIO()
    safe = spreadsheet_safe(frame)
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet[:31] or "Data")
    return buffer.getvalue()
