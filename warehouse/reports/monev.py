"""The Monev-ready evidence sheet of one agency, and the official Monev results of earlier
years recorded beside Pantau's score.

The sheet is what a PPID fills into Komisi Informasi's e-Monev self-assessment (SAQ): each
checklist item with the URL of its evidence, the document year and what is still missing —
as Excel and PDF. It also carries a *predicted* band, labelled for what it is (see
``shared/spec/monev.md``): an estimate from what the website shows, covering only the
website-verifiable part of the evaluation, never the Komisi Informasi's result.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from core import formats, palette
from core.spreadsheet import xlsx_text
from warehouse import queries
from warehouse.reports import content
from warehouse.reports.pdf import Document
from warehouse.scoring import BAND_NAMES, band

ESTIMATE_LABEL = "perkiraan dari informasi yang terlihat di situs"
COVERAGE = (
    "Perkiraan ini hanya mencakup bagian penilaian yang dapat diperiksa di situs: jenis "
    "informasi yang dipublikasikan dan sarana layanan daring (menu PPID, DIP, DIK, formulir, "
    "SOP, maklumat, laporan). Bagian itu termasuk dalam kuesioner penilaian mandiri (SAQ) dan "
    "verifikasi, yang bersama-sama berbobot sekitar 70% dari penilaian; presentasi/uji publik "
    "(sekitar 30%), komitmen organisasi, ruang layanan, waktu tanggapan dan sengketa informasi "
    "tidak terlihat dari situs. Jadi perkiraan ini mencakup paling banyak sekitar 70% "
    "penilaian dan bukan hasil Komisi Informasi.")


class MonevFileError(ValueError):
    """A Monev results file that cannot be recorded; the message names the file and row."""


@dataclass(frozen=True)
class OfficialResult:
    """A Komisi Informasi Monev result of one agency in one year."""

    agency_id: str
    year: int
    score: float | None
    band: str
    source: str = ""


@dataclass
class SheetRow:
    """One checklist item of the sheet."""

    number: int
    group: str
    name: str
    legal_basis: str
    status: str
    evidence_url: str | None
    document_year: int | None
    still_missing: str
    status_word: str = ""
    """The status as shown ("Ditemukan ✎ (dikoreksi)" for a reviewer's override)."""

    @property
    def shown_status(self) -> str:
        """The status word, marked when a reviewer overrode it."""
        return self.status_word or content.STATUS_WORDS.get(self.status, self.status)


@dataclass
class MonevSheet:
    """The evidence sheet of one agency."""

    generated_at: datetime
    tz: str
    agency: content.AgencyLine
    rows: list[SheetRow]
    official: list[OfficialResult] = field(default_factory=list)

    @property
    def predicted_band(self) -> str:
        return band(self.agency.score) if self.agency.score is not None else content.NO_SCORE

    def prediction_sentence(self) -> str:
        if self.agency.score is None:
            return ("Perkiraan predikat Monev tidak dapat dibuat: situs tidak terjangkau pada "
                    "putaran terakhir.")
        return (f"Perkiraan predikat Monev: {self.predicted_band} (skor Pantau "
                f"{formats.number(self.agency.score)}) — {ESTIMATE_LABEL}.")


def still_missing(finding: content.Finding, hint: str) -> str:
    """What the agency still has to do for this item, in words."""
    if finding.status == "found":
        return formats.DASH
    if finding.status == "stale":
        year = finding.document_year or formats.DASH
        return f"Dokumen terbaru tahun {year} sudah kedaluwarsa. {hint}".strip()
    if finding.status == "broken":
        return f"Tautan bukti rusak; perbaiki tautannya. {hint}".strip()
    if finding.status == "unreachable":
        return "Belum dapat diperiksa: situs tidak terjangkau."
    return hint or "Belum ditemukan di situs."


def _with_override(finding: content.Finding, text: str) -> str:
    """The item's text, preceded by the reviewer's override (who, when, why) when there is one."""
    if not finding.overridden:
        return text
    return f"{finding.override_note}. {text}" if text != formats.DASH else finding.override_note


def evidence_sheet(con: duckdb.DuckDBPyConnection, agency_id: str, *, tz: str | None = None,
                   now: datetime | None = None) -> MonevSheet:
    """The sheet of one agency from its latest run (``LookupError`` when it has none)."""
    report = content.agency_report(con, agency_id, tz=tz, now=now)
    hints = content.upload_hints()
    rows = [SheetRow(number=i, group=content.group_word(f.group), name=f.name,
                     legal_basis=f.legal_basis, status=f.status, evidence_url=f.evidence_url,
                     document_year=f.document_year, status_word=f.status_word,
                     still_missing=_with_override(f, still_missing(f, hints.get(f.category_id, ""))))
            for i, f in enumerate(report.agency.findings, start=1)]
    return MonevSheet(generated_at=report.generated_at, tz=report.tz, agency=report.agency,
                      rows=rows, official=official_results(con, agency_id))


def official_results(con: duckdb.DuckDBPyConnection, agency_id: str) -> list[OfficialResult]:
    """The recorded Monev results of an agency, newest year first."""
    frame = queries.run(con, "monev_results", agency_id=agency_id)
    return [OfficialResult(agency_id, int(r.year),
                           None if formats.unknown(r.score) else float(r.score), r.band,
                           "" if formats.unknown(r.source) else r.source)
            for r in frame.itertuples(index=False)]


# The file of official results -----------------------------------------------------------------

def read_results_file(path: str | Path) -> list[OfficialResult]:
    """Official Monev results from a CSV or YAML file (columns ``agency_id, year, score,
    band, source``; score or band may be empty, not both). Every bad row is named with its
    spreadsheet row number; a file with a bad row is refused whole."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MonevFileError(f"{path}: tidak dapat dibaca: {exc}") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise MonevFileError(f"{path}: bukan YAML yang sah: {exc}") from exc
        entries = data.get("results") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise MonevFileError(f"{path}: harus berisi daftar 'results:'")
        rows = [(i + 1, e) for i, e in enumerate(entries)]
    else:
        rows = [(i + 2, e) for i, e in enumerate(csv.DictReader(io.StringIO(text)))]
    results, problems, seen = [], [], set()
    for number, entry in rows:
        try:
            result = _result(entry)
        except ValueError as exc:
            problems.append(f"{path}: baris {number}: {exc}")
            continue
        if (result.agency_id, result.year) in seen:
            problems.append(f"{path}: baris {number}: {result.agency_id} {result.year} ganda")
        seen.add((result.agency_id, result.year))
        results.append(result)
    if problems:
        raise MonevFileError("\n".join(problems))
    return results


def _result(entry: object) -> OfficialResult:
    if not isinstance(entry, dict):
        raise ValueError("bukan baris dengan kolom agency_id, year, score, band")
    agency_id = str(entry.get("agency_id") or "").strip()
    if not agency_id:
        raise ValueError("agency_id kosong")
    try:
        year = int(str(entry.get("year") or "").strip())
    except ValueError:
        raise ValueError(f"tahun tidak sah: {entry.get('year')!r}") from None
    if not 2000 <= year <= 2100:
        raise ValueError(f"tahun di luar 2000–2100: {year}")
    raw_score = str(entry.get("score") if entry.get("score") is not None else "").strip()
    score = None
    if raw_score:
        try:
            score = float(raw_score.replace(",", "."))
        except ValueError:
            raise ValueError(f"skor tidak sah: {raw_score!r}") from None
        if not 0 <= score <= 100:
            raise ValueError(f"skor di luar 0–100: {raw_score}")
    named = str(entry.get("band") or "").strip()
    if named and named not in BAND_NAMES:
        raise ValueError(f"predikat tidak dikenal: {named!r} (salah satu dari: "
                         f"{', '.join(BAND_NAMES)})")
    if not named and score is None:
        raise ValueError("skor dan predikat kosong: isi salah satunya")
    return OfficialResult(agency_id, year, score, named or band(score),
                          str(entry.get("source") or "").strip())


def record_results(con: duckdb.DuckDBPyConnection, results: list[OfficialResult]) -> int:
    """Store the results (a year already recorded for an agency is replaced)."""
    now = datetime.now(UTC)
    queries.execute_many(con, "record_monev_result",
                         [[r.agency_id, r.year, r.score, r.band, r.source, now] for r in results])
    return len(results)


# Files ----------------------------------------------------------------------------------------

def _cell(value: object) -> object:
    """A spreadsheet cell that cannot run as a formula (crawled text may start with ``=``)."""
    return xlsx_text(value) if isinstance(value, str) else value


HEADER = ["No.", "Kelompok", "Kategori", "Dasar hukum", "Status", "URL bukti",
          "Tahun dokumen", "Yang masih kurang"]


def sheet_excel(sheet: MonevSheet) -> bytes:
    """The sheet as an Excel workbook: the items, then the estimate and its coverage."""
    book = Workbook()
    items = book.active
    items.title = "Lembar bukti"
    a = sheet.agency
    items.append([_cell(f"Lembar bukti Monev — {a.name}")])
    items.append([f"Putaran #{a.run_id}, diperiksa {formats.moment(a.checked_at, sheet.tz)}; "
                  f"dibuat {formats.moment(sheet.generated_at, sheet.tz)}"])
    items.append([sheet.prediction_sentence()])
    items.append([])
    items.append(HEADER)
    for cell in items[5]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        items.append([row.number, row.group, _cell(row.name), _cell(row.legal_basis),
                      row.shown_status,
                      _cell(row.evidence_url or ""), row.document_year,
                      _cell(row.still_missing)])
        status = items.cell(row=items.max_row, column=5)
        status.fill = PatternFill("solid", fgColor=palette.STATUS_COLORS[row.status][1:])
        status.font = Font(color=palette.STATUS_TEXT_COLORS[row.status][1:])
    for column, width in zip("ABCDEFGH", (5, 20, 42, 36, 16, 48, 10, 60), strict=True):
        items.column_dimensions[column].width = width
    for row in items.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    items.freeze_panes = "A6"
    notes = book.create_sheet("Perkiraan")
    notes.append([sheet.prediction_sentence()])
    notes.append([COVERAGE])
    notes.append([])
    notes.append(["Hasil resmi Monev Komisi Informasi", "Tahun", "Skor", "Predikat", "Sumber"])
    for r in sheet.official:
        notes.append(["", r.year, r.score, r.band, _cell(r.source)])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_pdf(sheet: MonevSheet) -> bytes:
    """The sheet as a PDF (A4 landscape)."""
    a = sheet.agency
    title = f"Lembar bukti Monev — {a.name}"
    doc = Document(title, f"Pantau PPID · {a.name} · putaran #{a.run_id} · dibuat "
                          f"{formats.moment(sheet.generated_at, sheet.tz, short=False)}", "L")
    doc.add_page()
    doc.heading(title, 14)
    doc.paragraph(f"Putaran #{a.run_id}, diperiksa "
                  f"{formats.moment(a.checked_at, sheet.tz, short=False)}.")
    doc.paragraph(sheet.prediction_sentence(), size=11, bold=True)
    doc.paragraph(COVERAGE, size=8.5)
    if sheet.official:
        doc.paragraph("Hasil resmi Monev Komisi Informasi: " + "; ".join(
            f"{r.year}: {r.band}" + (f" ({formats.number(r.score)})" if r.score is not None
                                     else "") for r in sheet.official)
            + f". Skor Pantau saat ini: {formats.number(a.score)}.")
    doc.grid(HEADER, [[str(r.number), r.group, r.name, r.legal_basis,
                       (r.shown_status,
                        palette.STATUS_COLORS[r.status], palette.STATUS_TEXT_COLORS[r.status]),
                       _pdf_link(r.evidence_url),
                       str(r.document_year) if r.document_year else formats.DASH,
                       r.still_missing] for r in sheet.rows],
             [9, 24, 46, 40, 22, 60, 14, 58], size=7)
    return bytes(doc.output())


def _pdf_link(url: str | None):
    from warehouse.reports.html import safe_link

    if not url:
        return formats.DASH
    return (url, None, None, safe_link(url)) if safe_link(url) else url
