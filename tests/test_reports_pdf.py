"""The PDF reports, read back with pypdf: what a Wali Kota or an OPD gets on paper."""

import io
import re
from datetime import UTC, datetime

import pypdf
import pytest

from tests import dashboard_fixture as fx
from warehouse import db
from warehouse.reports import content, pdf

NOW = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)  # 08.30 WIB


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    return fx.build(tmp_path_factory.mktemp("pdf") / "city.duckdb")


@pytest.fixture(scope="module")
def city_text(city):
    with db.read_only(city.path) as con:
        report = content.city_report(con, now=NOW)
    return report, text_of(pdf.city_pdf(report))


def test_city_report_is_dated_with_its_run_and_zone(city_text):
    report, text = city_text
    assert "Laporan kepatuhan PPID kota" in text
    assert f"Putaran #{report.run_id}, selesai 2 November 2026 09.00 WIB" in text
    assert "dibuat 3 November 2026 08.30 WIB" in text
    assert "None" not in text and "nan" not in text.split()


def test_city_report_answers_who_is_failing(city, city_text):
    report, text = city_text
    assert content.city_sentence(report.average, len(report.agencies),
                                 report.band_counts["Informatif"]) in text
    for agency in fx.AGENCIES:
        assert agency.name in text
    positions = [text.index(a.name) for a in report.agencies]
    assert positions == sorted(positions), "ranking not worst first"
    disdik = next(a for a in report.agencies if a.agency_id == fx.DISDIK.id)
    assert f"Kurang: {disdik.main_gaps[0].name}" in text
    for band in ("Informatif", "Menuju Informatif", "Cukup Informatif", "Kurang Informatif",
                 "Tidak Informatif", "Tidak terjangkau"):
        assert band in text


def test_city_report_has_matrix_totals_changes_overdue_and_legal_basis(city, city_text):
    report, text = city_text
    assert "Matriks status per kategori" in text and "Jumlah Ditemukan" in text
    assert "✓ Ditemukan" in text and "R Tautan rusak" in text
    assert f"Dibandingkan dengan putaran #{report.previous_run_id}" in text
    assert "Menjadi tidak terjangkau" in text
    assert "Badan publik melewati batas waktu tanggapan" in text
    for category in city.cats:
        assert re.sub(r"\s+", " ", category.legal_basis) in text, category.id


def test_agency_report_lists_gaps_with_upload_hint_and_legal_basis(city):
    with db.read_only(city.path) as con:
        report = content.agency_report(con, fx.DINKES.id, now=NOW)
    text = text_of(pdf.agency_pdf(report))
    assert f"Laporan kepatuhan PPID — {fx.DINKES.name}" in text
    assert f"Skor {report.agency.score:.1f}".replace(".", ",") in text
    for gap in report.agency.gaps:
        assert gap.name in text
        assert re.sub(r"\s+", " ", gap.upload_hint)[:40] in text
    assert "Riwayat skor" in text
    for run, *_ in report.history:
        assert f"#{run}" in text
    evidence = next(f for f in report.agency.findings if f.evidence_url)
    assert evidence.evidence_url in text.replace(" ", "")


def test_unreachable_agency_shows_the_reason_and_no_zero(city):
    with db.read_only(city.path) as con:
        report = content.agency_report(con, fx.DISHUB.id, now=NOW)
    text = text_of(pdf.agency_pdf(report))
    assert "Situs tidak terjangkau pada putaran ini" in text
    history = text[text.index("Riwayat skor"):]
    assert "Tidak terjangkau" in history
    assert " 0,0 " not in history


def link_targets(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    targets = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_crawled_text_is_printed_as_text_and_only_http_links_are_links(city):
    with db.read_only(city.path) as con:
        report = content.agency_report(con, fx.XSS.id, now=NOW)
    data = pdf.agency_pdf(report)
    assert fx.SCRIPT in text_of(data)
    targets = link_targets(data)
    assert targets and all(t.startswith("http://") for t in targets)
    assert "javascript:alert(1)" not in targets
