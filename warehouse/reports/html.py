"""The reports as printable HTML (Jinja2, autoescaped): the same content as the PDF, for a
browser's "Print" or for e-mail. Crawled and registry text is escaped, never markup; links
are only http(s). Table headers repeat on every printed page (``thead`` as a header group)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from core import formats, palette, vocabulary
from warehouse.reports import content
from warehouse.reports.content import AgencyReport, CityReport

TEMPLATES = Path(__file__).with_name("templates")


def safe_link(url: object) -> str | None:
    """The URL when it is an absolute http(s) link; anything else is not made clickable."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


@cache
def environment() -> Environment:
    """The Jinja2 environment of the report templates (autoescaped, Indonesian formats)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=formats.number, signed=formats.signed, text=formats.text,
                       day=formats.day, moment=formats.moment, link=safe_link)
    env.globals.update(palette=palette, content=content, formats=formats, vocabulary=vocabulary)
    return env


def city_html(report: CityReport) -> str:
    """The city report as one self-contained HTML page."""
    informatif = report.band_counts.get(content.BANDS[0][1], 0)
    return environment().get_template("city.html.j2").render(
        r=report, sentence=content.city_sentence(report.average, len(report.agencies),
                                                 informatif),
        changes=content.grouped_changes(report.changes))


def agency_html(report: AgencyReport) -> str:
    """One agency's report as one self-contained HTML page."""
    return environment().get_template("agency.html.j2").render(r=report, a=report.agency)
