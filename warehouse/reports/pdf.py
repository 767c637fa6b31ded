"""The reports as PDF (fpdf2): the city report and one per agency, A4, Bahasa Indonesia.

Text from a crawl or a registry is printed as text (fpdf2's Markdown is off), with control
characters removed. Tables repeat their header row on every page. The font is DejaVu Sans
Condensed, bundled (``fonts/``, Bitstream Vera licence), so the PDF looks the same on every
machine and carries Indonesian text, ``—`` and the status glyphs.
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, XPos, YPos

from core import formats, palette
from core.vocabulary import OVERRIDE_MARK, OVERRIDE_WORD
from warehouse.reports import content
from warehouse.reports.content import AgencyReport, CityReport

FONTS = Path(__file__).with_name("fonts")
FONT = "DejaVu"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e]")
HEAD_FILL = "#E8EEF4"


def clean(value: object, limit: int = 300) -> str:
    """Printable text: control and direction characters removed, long text shortened."""
    text = CONTROL.sub("", formats.text(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Document(FPDF):
    """A4 with the report's title in the header and the page number in the footer."""

    def __init__(self, title: str, footer: str, orientation: str = "P"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSansCondensed.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSansCondensed-Bold.ttf"))
        self.report_title = title
        self.report_footer = footer
        self.set_title(title)
        self.set_creator("Pantau PPID")
        self.set_lang("id")
        self.set_auto_page_break(True, margin=15)
        self.set_margins(12, 12, 12)

    def header(self) -> None:
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, clean(self.report_title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, f"{clean(self.report_footer)} · halaman {self.page_no()}/{{nb}}",
                  align="C")
        self.set_text_color(0)

    # Building blocks --------------------------------------------------------------------------
    def heading(self, text: str, size: int = 13) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_font(FONT, "", 9)

    def paragraph(self, text: str, size: float = 9.5, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, clean(text, 2000), align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.ln(1)
        self.set_font(FONT, "", 9)

    def grid(self, header: list[str], rows: list[list], widths: list[float], *,
             size: float = 8, align: str = "LEFT") -> None:
        """A table whose header repeats on each page. A row cell is text, or a tuple
        (text, fill colour, text colour) or (text, None, None, link)."""
        self.set_font(FONT, "", size)
        heading = FontFace(emphasis="BOLD", fill_color=HEAD_FILL)
        with self.table(col_widths=widths, width=sum(widths), text_align=align,
                        headings_style=heading, line_height=size * 0.48,
                        repeat_headings=1, padding=0.8, align="LEFT",
                        cell_fill_mode=TableCellFillMode.NONE) as table:
            head = table.row()
            for label in header:
                head.cell(clean(label))
            for cells in rows:
                row = table.row()
                for cell in cells:
                    if isinstance(cell, tuple):
                        text, fill, color, link = (*cell, None, None, None)[:4]
                        style = FontFace(fill_color=fill, color=color) if fill or color else None
                        row.cell(clean(text), style=style, link=link)
                    else:
                        row.cell(clean(cell))
        self.ln(2)


def _status_cell(status: str, overridden: bool = False) -> tuple[str, str, str]:
    glyph = palette.STATUS_GLYPHS.get(status, "?") + (OVERRIDE_MARK if overridden else "")
    return (glyph, palette.STATUS_COLORS.get(status, "#FFFFFF"),
            palette.STATUS_TEXT_COLORS.get(status, "#000000"))


def _band_cell(score: float | None, band_word: str) -> tuple[str, str, str]:
    text = f"{formats.number(score)} · {band_word}" if score is not None else band_word
    return text, palette.band_color(band_word), palette.band_text_color(band_word)


def _dated(report) -> str:
    return f"dibuat {formats.moment(report.generated_at, report.tz, short=False)}"


def legend_text() -> str:
    """The line that explains the matrix glyphs."""
    return ("Tanda: " + " · ".join(f"{palette.STATUS_GLYPHS[s]} {content.STATUS_WORDS[s]}"
                                   for s in palette.STATUS_GLYPHS)
            + f" · {OVERRIDE_MARK} {OVERRIDE_WORD.lower()} oleh peninjau")


def city_pdf(report: CityReport) -> bytes:
    """The city report: standing in words, bands, ranking with main gaps, matrix, changes,
    agencies past their reply-by date."""
    title = "Laporan kepatuhan PPID kota"
    run = (f"Putaran #{report.run_id}, selesai "
           f"{formats.moment(report.run_finished_at, report.tz, short=False)}")
    doc = Document(title, f"Pantau PPID · putaran #{report.run_id} · {_dated(report)}")
    doc.add_page()
    doc.heading(title, 16)
    doc.paragraph(f"{run}; {_dated(report)}.")
    informatif = report.band_counts.get(content.BANDS[0][1], 0)
    doc.paragraph(content.city_sentence(report.average, len(report.agencies), informatif),
                  size=11, bold=True)

    doc.heading("Sebaran predikat")
    doc.grid(["Predikat", "Jumlah badan publik"],
             [[(name, palette.band_color(name), palette.band_text_color(name)), str(n)]
              for name, n in report.band_counts.items()], [70, 40])

    doc.heading("Peringkat badan publik (terendah dahulu)")
    rows = []
    for i, a in enumerate(report.agencies, start=1):
        rows.append([str(i), a.name, _band_cell(a.score, a.band_word),
                     formats.signed(a.delta), content.gap_sentence(a)])
    doc.grid(["No.", "Badan publik", "Skor · predikat", "Perubahan", "Kekurangan utama"],
             rows, [10, 52, 38, 18, 68])

    doc.heading("Badan publik melewati batas waktu tanggapan")
    if report.overdue:
        doc.grid(["Badan publik", "Pengingat terkirim", "Batas tanggapan", "Masih kurang"],
                 [[o.agency.name, formats.day(o.sent_at, report.tz),
                   formats.day(o.reply_by, report.tz), str(len(o.agency.gaps))]
                  for o in report.overdue], [70, 38, 38, 40])
    else:
        doc.paragraph("Tidak ada: belum ada pengingat yang melewati batas tanggapannya.")

    doc.heading("Perubahan sejak putaran sebelumnya")
    if report.previous_run_id is None:
        doc.paragraph("Belum ada putaran sebelumnya untuk dibandingkan.")
    elif not report.changes:
        doc.paragraph(f"Tidak ada perubahan status sejak putaran #{report.previous_run_id}.")
    else:
        doc.paragraph(f"Dibandingkan dengan putaran #{report.previous_run_id}.")
        doc.grid(["Badan publik", "Perubahan", "Kategori"],
                 [[agency, words, categories]
                  for agency, words, categories in content.grouped_changes(report.changes)],
                 [52, 40, 94])

    _matrix_pages(doc, report)
    _legal_basis_page(doc, report)
    return bytes(doc.output())


def _matrix_pages(doc: Document, report: CityReport) -> None:
    doc.add_page(orientation="L")
    doc.heading("Matriks status per kategori")
    doc.paragraph(legend_text() + ". Baris terakhir: jumlah badan publik yang "
                  "mempublikasikan kategori itu (Ditemukan).")
    numbers = {c[0]: str(i) for i, c in enumerate(report.categories, start=1)}
    width_name = 55
    width_cell = min(9.0, int(10 * (doc.epw - width_name - 12) / max(1, len(report.categories))) / 10)
    header = ["Badan publik", "Skor", *numbers.values()]
    rows = []
    for a in report.agencies:
        rows.append([a.name, formats.number(a.score),
                     *[_status_cell(a.status_of(c[0]), a.overridden(c[0])) for c in report.categories]])
    totals = report.column_totals()
    rows.append(["Jumlah Ditemukan", "", *[str(totals[c[0]]) for c in report.categories]])
    doc.grid(header, rows, [width_name, 12, *[width_cell] * len(report.categories)], size=7,
             align="CENTER")
    doc.paragraph("Nomor kolom: " + "; ".join(f"{numbers[c[0]]} = {c[1]}"
                                              for c in report.categories), size=7.5)


def _legal_basis_page(doc: Document, report: CityReport) -> None:
    doc.add_page(orientation="P")
    doc.heading("Kategori dan dasar hukumnya")
    doc.grid(["No.", "Kategori", "Kelompok", "Dasar hukum"],
             [[str(i), name, content.group_word(group), report.legal_basis.get(cid, "")]
              for i, (cid, name, group) in enumerate(report.categories, start=1)],
             [10, 70, 34, 72], size=7.5)


def agency_pdf(report: AgencyReport) -> bytes:
    """One agency: its standing, gaps with what to upload and the legal basis, evidence
    links, score history."""
    a = report.agency
    title = f"Laporan kepatuhan PPID — {a.name}"
    doc = Document(title, f"Pantau PPID · {a.name} · putaran #{a.run_id} · {_dated(report)}")
    doc.add_page()
    doc.heading(title, 15)
    parent = f" · melapor ke {a.parent_name}" if a.parent_name else ""
    doc.paragraph(f"{content.role_word(a.role)}{parent} · situs PPID: {a.url}")
    doc.paragraph(f"Putaran #{a.run_id}, diperiksa "
                  f"{formats.moment(a.checked_at, report.tz, short=False)}; {_dated(report)}.")
    if a.reachable:
        doc.paragraph(f"Skor {formats.number(a.score)} — predikat {a.band_word}. "
                      f"{a.found} dari {len(a.findings)} kategori ditemukan; "
                      f"{len(a.gaps)} kategori perlu dilengkapi.", size=11, bold=True)
    else:
        doc.paragraph(f"Situs tidak terjangkau pada putaran ini: {formats.text(a.error)}. "
                      "Statusnya belum diketahui dan tidak dihitung sebagai tidak "
                      "mempublikasikan.", size=11, bold=True)

    doc.heading("Yang perlu dilengkapi")
    if a.gaps:
        doc.grid(["Kategori", "Status", "Yang perlu diunggah", "Dasar hukum"],
                 [[g.name, (g.status_word, palette.STATUS_COLORS[g.status],
                            palette.STATUS_TEXT_COLORS[g.status]),
                   g.upload_hint, g.legal_basis] for g in a.gaps], [46, 24, 70, 46])
    elif a.reachable:
        doc.paragraph("Semua kategori ditemukan.")
    else:
        doc.paragraph("Tidak dapat ditentukan: situs tidak terjangkau.")

    doc.heading("Bukti yang ditemukan")
    evidence = [f for f in a.findings if f.evidence_url or f.evidence_text]
    if evidence:
        doc.grid(["Kategori", "Status", "Tahun", "Bukti"],
                 [[f.name, (f.status_word, palette.STATUS_COLORS[f.status],
                            palette.STATUS_TEXT_COLORS[f.status]),
                   str(f.document_year) if f.document_year else formats.DASH,
                   _link_cell(f.evidence_url, f.evidence_text)] for f in evidence],
                 [50, 24, 14, 98])
    else:
        doc.paragraph("Belum ada bukti yang ditemukan.")
    _override_notes(doc, a)

    doc.heading("Riwayat skor")
    doc.grid(["Putaran", "Tanggal", "Skor", "Predikat"],
             [[f"#{run}", formats.day(when, report.tz), formats.number(score),
               band or content.NO_SCORE] for run, when, score, band in report.history],
             [22, 44, 22, 50])
    return bytes(doc.output())


def _override_notes(doc, agency) -> None:
    """The reviewers' overrides in force, each with who, when and why (as text)."""
    overridden = [f for f in agency.findings if f.overridden]
    if overridden:
        doc.heading("Koreksi peninjau")
        for f in overridden:
            doc.paragraph(f"{f.name} — {f.status_word}. {f.override_note}")


def _link_cell(url: str | None, text: str | None):
    from urllib.parse import urlsplit

    shown = url or text or ""
    try:
        safe = url and urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc
    except ValueError:
        safe = False
    return (shown, None, None, url) if safe else shown
