"""What the dashboard calls things (Bahasa Indonesia) and the colours it gives them.

Also the two escapes the pages need for text that came from a crawl or a registry file:
``md_escape`` for Streamlit's Markdown elements and ``plotly_escape`` for Plotly labels.
Crawled text is never rendered as HTML.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from warehouse.scoring import BANDS

STATUSES = ("found", "stale", "broken", "missing", "unreachable")

STATUS_LABELS = {
    "found": "Ditemukan",
    "stale": "Kedaluwarsa",
    "broken": "Tautan rusak",
    "missing": "Tidak ditemukan",
    "unreachable": "Tidak terjangkau",
}

STATUS_COLORS = {
    "found": "#2e7d32",  # green
    "stale": "#f9a825",  # amber
    "broken": "#c62828",  # red
    "missing": "#bdbdbd",  # grey
    "unreachable": "#607d8b",  # blue-grey
}

# Readable text colour on each status colour (for table cells).
STATUS_TEXT_COLORS = {
    "found": "#ffffff",
    "stale": "#000000",
    "broken": "#ffffff",
    "missing": "#000000",
    "unreachable": "#ffffff",
}

GROUPS = ("berkala", "serta_merta", "setiap_saat", "dikecualikan", "layanan")

GROUP_LABELS = {
    "berkala": "Informasi berkala",
    "serta_merta": "Informasi serta merta",
    "setiap_saat": "Informasi setiap saat",
    "dikecualikan": "Informasi dikecualikan",
    "layanan": "Layanan informasi",
}

ROLE_LABELS = {"utama": "PPID Utama", "pelaksana": "PPID Pelaksana"}

# Band names are the Komisi Informasi's own (already Indonesian), best first.
BAND_NAMES = tuple(name for _, name in BANDS)
BAND_THRESHOLDS = tuple((lower, name) for lower, name in BANDS if lower > 0)
NO_SCORE = "Tidak terjangkau"
"""Shown instead of a band for an agency whose site could not be crawled (no score)."""

BAND_COLORS = {
    "Informatif": "#1b5e20",
    "Menuju Informatif": "#66bb6a",
    "Cukup Informatif": "#fdd835",
    "Kurang Informatif": "#fb8c00",
    "Tidak Informatif": "#c62828",
    NO_SCORE: "#607d8b",
}

CHANGES = ("newly_found", "newly_missing", "became_broken", "became_stale", "became_unreachable",
           "other")

CHANGE_LABELS = {
    "newly_found": "Baru ditemukan",
    "newly_missing": "Baru hilang",
    "became_broken": "Menjadi rusak",
    "became_stale": "Menjadi kedaluwarsa",
    "became_unreachable": "Menjadi tidak terjangkau",
    "other": "Lainnya",
}

REMINDER_STATUS_LABELS = {
    "pending": "Menunggu",
    "sent": "Terkirim",
    "failed": "Gagal",
    "skipped": "Dilewati",
}

REMINDER_KIND_LABELS = {
    "reminder": "Pengingat",
    "digest": "Ringkasan situs tak terjangkau",
}

REMINDER_STATUS_COLORS = {
    "pending": "#90a4ae",
    "sent": "#2e7d32",
    "failed": "#c62828",
    "skipped": "#f9a825",
}


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def group_label(group: str | None) -> str:
    return GROUP_LABELS.get(group or "", (group or "").replace("_", " ").capitalize())


def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", role or "")


def band_label(band: str | None) -> str:
    """The band, or "Tidak terjangkau" for an agency without a score."""
    if band is None or band != band:  # None or NaN
        return NO_SCORE
    return band


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&:])")


WORD_JOINER = "\u2060"
"""An invisible character that breaks Markdown's automatic links without changing the text."""
_AUTOLINK_STARTS = re.compile(r"(?i)(@|:(?=//)|\bwww(?=\.))")


def md_escape(text: object) -> str:
    """Text that Streamlit's Markdown shows literally: every Markdown/HTML character escaped,
    and no automatic link: GitHub-flavoured Markdown turns ``ppid@kota.go.id``,
    ``www.kota.go.id`` and ``https://…`` in plain text into links (``mailto:`` …) even when
    escaped, so a word joiner goes after ``@``, ``www`` and the scheme's ``:``."""
    value = "" if text is None else str(text)
    value = _AUTOLINK_STARTS.sub(lambda m: m.group(1) + WORD_JOINER, value)
    return _MD_SPECIAL.sub(r"\\\1", value).replace("\n", " ")


def plotly_escape(text: object) -> str:
    """Text for Plotly labels and hover: its HTML-like tags become entities, shown literally."""
    value = "" if text is None else str(text)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute http(s) link, else None: a crawled ``javascript:`` or
    ``data:`` URL must never become a clickable link."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url
