"""``pantau report``: the report files written to a folder (PDF and printable HTML)."""

from __future__ import annotations

import re
from pathlib import Path

from warehouse import db
from warehouse.reports import content, html, pdf

SAFE_NAME = re.compile(r"[^a-z0-9_-]+")


def file_stem(agency_id: str) -> str:
    """``laporan-dinkes``: a file name from an agency id, whatever characters the id has."""
    return "laporan-" + (SAFE_NAME.sub("-", agency_id.lower()).strip("-") or "badan-publik")


def write_reports(db_path: str | Path, out_dir: str | Path, *, agency: str | None = None,
                  tz: str | None = None, reply_within_days: int = 14) -> list[Path]:
    """The city report and one report per agency (only ``agency``'s when given), each as
    ``.pdf`` and ``.html``; the paths written. ``LookupError`` for an unknown agency or a
    database without a completed run."""
    out = Path(out_dir)
    with db.read_only(db_path) as con:
        if agency is not None:
            reports = [(file_stem(agency), content.agency_report(con, agency, tz=tz))]
        else:
            city = content.city_report(con, tz=tz, reply_within_days=reply_within_days)
            reports = [("laporan-kota", city)]
            reports += [(file_stem(a.agency_id), content.agency_report(con, a.agency_id, tz=tz))
                        for a in city.agencies]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, report in reports:
        if isinstance(report, content.CityReport):
            pages, page = pdf.city_pdf(report), html.city_html(report)
        else:
            pages, page = pdf.agency_pdf(report), html.agency_html(report)
        (out / f"{stem}.pdf").write_bytes(pages)
        (out / f"{stem}.html").write_text(page, encoding="utf-8")
        written += [out / f"{stem}.pdf", out / f"{stem}.html"]
    return written
