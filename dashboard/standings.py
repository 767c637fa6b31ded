"""HTML blocks for the pages (pure: data -> an HTML string for ``st.html``).

Used where a data grid cannot do the job: the Ringkasan's worst-first list (every row
visible without an inner scroll, band-coloured scores, each agency's main gaps, a link to
its page; readable at 390 px and printed with its header on every page) and an agency's
categories (what to upload, the legal basis).

Every value from a crawl or a registry goes through ``html.escape``: it is shown as text,
never as markup; links are built only from http(s) URLs or from our own page paths.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from core import formats, palette
from core.vocabulary import OVERRIDE_MARK, OVERRIDE_WORD, overridden_status_word
from warehouse.reports import content

STYLE = """
<style>
.pantau-lead { border-left: 8px solid var(--band); padding: 0.6rem 0.9rem; margin: 0 0 0.6rem;
  background: #f6f8fa; font-size: 1.15rem; line-height: 1.45; }
.pantau-lead b.band { background: var(--band); color: var(--band-text); padding: 0 0.35rem;
  border-radius: 4px; }
table.pantau { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
table.pantau thead { display: table-header-group; }
table.pantau tr { break-inside: avoid; }
table.pantau th { text-align: left; background: #e8eef4; padding: 0.3rem 0.4rem;
  border-bottom: 2px solid #999; }
table.pantau td { padding: 0.35rem 0.4rem; border-bottom: 1px solid #ddd; vertical-align: top; }
table.pantau td.num { text-align: right; white-space: nowrap; }
table.pantau .gaps { color: #333; font-size: 0.85rem; margin-top: 0.15rem; }
table.pantau .score { display: inline-block; min-width: 3.2rem; text-align: center;
  padding: 0.1rem 0.35rem; border-radius: 4px; font-weight: 700; }
table.pantau .bandname { font-size: 0.8rem; color: #333; white-space: nowrap; }
table.pantau .status { display: inline-block; padding: 0 0.3rem; border-radius: 3px;
  white-space: nowrap; }
@media (max-width: 640px) {
  .pantau-lead { font-size: 1rem; padding: 0.4rem 0.6rem; line-height: 1.35; }
  table.pantau { font-size: 0.85rem; }
  table.pantau td, table.pantau th { padding: 0.25rem 0.3rem; }
  table.pantau .gaps { font-size: 0.78rem; }
  table.pantau .wide { display: none; }
}
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
</style>
"""


def agency_href(agency_id: str) -> str:
    """The agency's dashboard page, relative to the app's root (``badan-publik?agency=ID``)."""
    return f"badan-publik?agency={quote(agency_id, safe='')}"


def lead_html(sentence: str, band: str) -> str:
    """The city's standing in words, framed in its band's colour."""
    colour, text = palette.band_color(band), palette.band_text_color(band)
    shown = escape(sentence).replace(
        escape(f"predikat {band}"),
        f'predikat <b class="band">{escape(band)}</b>', 1)
    return (f'{STYLE}<div class="pantau-lead" data-testid="pantau-lead" '
            f'style="--band:{colour};--band-text:{text}">{shown}</div>')


def _score_cell(line: content.AgencyLine) -> str:
    band = line.band_word
    style = f"background:{palette.band_color(band)};color:{palette.band_text_color(band)}"
    number = formats.number(line.score) if line.score is not None else "—"
    return (f'<span class="score" style="{style}" title="{escape(band)}">{number}</span>'
            f'<div class="bandname">{escape(band)}</div>')


def _override_line(line: content.AgencyLine) -> str:
    """``✎ 2 status dikoreksi peninjau`` under an agency whose score includes overrides."""
    count = sum(1 for f in line.findings if f.overridden)
    if not count:
        return ""
    return (f'<div class="gaps" data-testid="pantau-overridden">'
            f'{escape(OVERRIDE_MARK)} {count} status {escape(OVERRIDE_WORD.lower())} peninjau'
            '</div>')


def standings_html(lines: list[content.AgencyLine]) -> str:
    """The worst-first list: rank, agency (link) with its main gaps, score, change."""
    rows = []
    for rank, line in enumerate(lines, start=1):
        rows.append(
            f'<tr data-agency="{escape(line.agency_id)}"><td class="num">{rank}</td>'
            f'<td><a href="{escape(agency_href(line.agency_id))}" target="_self">'
            f'{escape(line.name)}</a>'
            f'<div class="gaps">{escape(content.gap_sentence(line))}</div>'
            f'{_override_line(line)}</td>'
            f'<td class="num">{_score_cell(line)}</td>'
            f'<td class="num wide">{escape(formats.signed(line.delta))}</td></tr>')
    return (f'{STYLE}<table class="pantau" data-testid="pantau-standings"><thead><tr>'
            '<th>No.</th><th>Badan publik · kekurangan utama</th><th>Skor</th>'
            '<th class="wide">Perubahan</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def status_badge(status: str, overridden: bool = False) -> str:
    """The status in its colour, with its glyph (readable without the colour); a reviewer's
    override is marked as such."""
    style = (f"background:{palette.STATUS_COLORS.get(status, '#fff')};"
             f"color:{palette.STATUS_TEXT_COLORS.get(status, '#000')}")
    word = (overridden_status_word(status) if overridden
            else content.STATUS_WORDS.get(status, status))
    return (f'<span class="status" style="{style}">'
            f'{escape(palette.STATUS_GLYPHS.get(status, "?"))} {escape(word)}</span>')


def gaps_html(gaps: list[content.Gap]) -> str:
    """An agency's gaps: category, status, what to upload, legal basis."""
    rows = "".join(
        f"<tr><td>{escape(g.name)}</td><td>{status_badge(g.status, g.overridden)}</td>"
        f"<td>{escape(formats.text(g.upload_hint))}</td>"
        f'<td class="wide">{escape(formats.text(g.legal_basis))}</td></tr>' for g in gaps)
    return (f'{STYLE}<table class="pantau" data-testid="pantau-gaps"><thead><tr>'
            '<th>Kategori</th><th>Status</th><th>Yang perlu diunggah</th>'
            '<th class="wide">Dasar hukum</th></tr></thead><tbody>' + rows + "</tbody></table>")
