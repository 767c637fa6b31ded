"""The Monev evidence sheet and the official results beside Pantau's score."""

import io
import re
import subprocess
import sys

import openpyxl
import pypdf
import pytest

from tests import dashboard_fixture as fx
from warehouse import db
from warehouse.reports import monev


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    return fx.build(tmp_path_factory.mktemp("monev") / "city.duckdb")


def pantau(*args, cwd):
    return subprocess.run([sys.executable, "-c", "from pantau.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def test_sheet_lists_every_item_with_evidence_year_and_what_is_missing(city):
    with db.read_only(city.path) as con:
        sheet = monev.evidence_sheet(con, fx.DINKES.id)
    statuses = city.latest(fx.DINKES)
    assert [r.name for r in sheet.rows] == [c.name for c in city.cats]
    for row, cat in zip(sheet.rows, city.cats, strict=True):
        assert row.legal_basis == cat.legal_basis
        if statuses[cat.id] == "found":
            assert row.evidence_url and row.document_year == 2026 and row.still_missing == "—"
        if statuses[cat.id] == "stale":
            assert row.still_missing.startswith("Dokumen terbaru tahun 2023 sudah kedaluwarsa")
            assert cat.upload_hint in row.still_missing
    sentence = sheet.prediction_sentence()
    assert "perkiraan dari informasi yang terlihat di situs" in sentence
    assert "Perkiraan predikat Monev: Menuju Informatif" in sentence


def test_excel_and_pdf_carry_the_estimate_its_coverage_and_official_results(city, tmp_path):
    results = tmp_path / "monev.csv"
    results.write_text("agency_id,year,score,band,source\n"
                       "dinkes,2024,71.5,,KI Provinsi\n"
                       "dinkes,2025,,Menuju Informatif,KI Provinsi\n", encoding="utf-8")
    answer = pantau("monev", "import", str(results), "--db", str(city.path), cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert "2 hasil Monev dicatat" in answer.stdout
    with db.read_only(city.path) as con:
        sheet = monev.evidence_sheet(con, fx.DINKES.id)
    assert [(r.year, r.score, r.band) for r in sheet.official] == [
        (2025, None, "Menuju Informatif"), (2024, 71.5, "Cukup Informatif")]
    book = openpyxl.load_workbook(io.BytesIO(monev.sheet_excel(sheet)))
    items = book["Lembar bukti"]
    header = [c.value for c in items[5]]
    assert header == monev.HEADER
    assert items.max_row == 5 + len(city.cats)
    notes = " ".join(str(c.value) for row in book["Perkiraan"].iter_rows() for c in row if c.value)
    assert "paling banyak sekitar 70%" in notes and "bukan hasil Komisi Informasi" in notes
    assert "2024" in notes and "Cukup Informatif" in notes
    text = re.sub(r"\s+", " ", " ".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(monev.sheet_pdf(sheet))).pages))
    assert "Lembar bukti Monev — Dinas Kesehatan Kota Contoh" in text
    assert "perkiraan dari informasi yang terlihat di situs" in text
    assert "bukan hasil Komisi Informasi" in text
    assert "2025: Menuju Informatif" in text and "2024: Cukup Informatif (71,5)" in text


def test_a_bad_results_file_names_its_rows_and_stores_nothing(city, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("agency_id,year,score,band,source\n"
                   "dinkes,20x4,70,,\n"
                   ",2024,70,,\n"
                   "dinkes,2023,,Hebat,\n"
                   "dinkes,2022,,,\n", encoding="utf-8")
    with pytest.raises(monev.MonevFileError) as info:
        monev.read_results_file(bad)
    message = str(info.value)
    assert "baris 2: tahun tidak sah" in message and "baris 3: agency_id kosong" in message
    assert "baris 4: predikat tidak dikenal: 'Hebat'" in message
    assert "baris 5: skor dan predikat kosong" in message
    answer = pantau("monev", "import", str(bad), "--db", str(city.path), cwd=tmp_path)
    assert answer.returncode == 1 and "Traceback" not in answer.stderr


def test_sheet_command_writes_excel_and_pdf(city, tmp_path):
    answer = pantau("monev", "sheet", "--db", str(city.path), "--agency", "disdik",
                    "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "lembar-bukti-monev-disdik.pdf", "lembar-bukti-monev-disdik.xlsx"]
