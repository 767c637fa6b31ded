"""Hostile cells in dashboard downloads: no cell of any download can run as a formula."""

import ast
import io
from pathlib import Path

import openpyxl
import pandas as pd

from dashboard import downloads

HOSTILE = [
    "=HYPERLINK(\"http://evil\",\"klik\")",
    " =1+1",
    "\n=cmd|' /C calc'!A0",
    "\r\n@SUM(A1)",
    "\t-2+3",
    "   +1",
    "\u00a0=NBSP",
    "\uff1dFULLWIDTH()",
    "-",
    "\x0b\x00=kontrol",
    "biasa",
]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "teks": HOSTILE,
        "string": pd.array(HOSTILE, dtype="string"),
        "kategori": pd.Categorical(HOSTILE),
        "daftar": [[h, "x"] for h in HOSTILE],
        "tuple": [(h,) for h in HOSTILE],
        "angka": range(len(HOSTILE)),
        "=kolom": ["a"] * len(HOSTILE),
    })


def formula_like(text: str) -> bool:
    return downloads.is_formula_like(text)


def test_every_csv_cell_and_header_is_neutralised():
    back = pd.read_csv(io.StringIO(downloads.to_csv(frame()).decode("utf-8-sig")), dtype=str,
                       keep_default_na=False)
    assert "'=kolom" in back.columns
    for column in ("teks", "string", "kategori", "daftar", "tuple"):
        for value in back[column]:
            assert not formula_like(value), (column, value)
    assert back["teks"].iloc[-1] == "biasa"
    assert back["daftar"].iloc[0] == "'=HYPERLINK(\"http://evil\",\"klik\"), x"
    assert list(back["angka"]) == [str(i) for i in range(len(HOSTILE))]


def test_no_excel_cell_is_a_formula():
    book = openpyxl.load_workbook(io.BytesIO(downloads.to_excel(frame(), "data")))
    sheet = book["data"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not formula_like(cell.value), (cell.coordinate, cell.value)


def test_every_table_download_goes_through_the_neutralising_module():
    """The dashboard's table downloads go through ui.download_buttons (downloads.to_csv and
    to_excel); the other buttons offer the reports (PDF, HTML, the Monev sheet, which uses
    the same rule from core.spreadsheet)."""
    root = Path(__file__).resolve().parents[1] / "dashboard"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "download_button":
                source = ast.get_source_segment(text, node) or ""
                assert path.name == "ui.py" or "d.report(" in source, (path, source[:80])


def test_the_monev_sheet_uses_the_same_rule():
    from warehouse.reports import monev

    for text in HOSTILE:
        value = monev._cell(text)
        assert not formula_like(value.lstrip("'")) or value.startswith("'"), text
