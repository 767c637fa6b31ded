"""What the dashboard calls things and the colours it gives them; the words themselves are
``core.vocabulary``'s (one vocabulary for dashboard, e-mails and CLI).

Also the two escapes the pages need for text that came from a crawl or a registry file:
``md_escape`` for Streamlit's Markdown elements and ``plotly_escape`` for Plotly labels.
Crawled text is never rendered as HTML.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core import palette
from core.vocabulary import (
    BAND_NAMES,
    BANDS,
    CHANGE_WORDS,
    CHANGES,
    GROUP_WORDS,
    GROUPS,
    HELD,
    HELD_WORD,
    HELD_WORDS,
    NO_SCORE,
    OVERRIDE_MARK,
    OVERRIDE_WORD,
    REMINDER_KIND_WORDS,
    REMINDER_STATUS_WORDS,
    ROLE_WORDS,
    SITE_CHANGED_WORD,
    SOURCE_OVERRIDE,
    STABLE_WORD,
    STATUS_WORDS,
    STATUSES,
    UNCONFIRMED_WORD,
    band_word,
    crawl_mode_word,
    group_word,
    last_seen_word,
    overridden_status_word,
    role_word,
    run_crawl_word,
    status_word,
)

__all__ = ["BAND_NAMES", "BAND_THRESHOLDS", "CHANGES", "GROUPS", "NO_SCORE", "STATUSES"]

# The words are core.vocabulary's (one vocabulary for dashboard, e-mails, CLI); the dashboard
# keeps its historical names for them.
STATUS_LABELS = STATUS_WORDS
GROUP_LABELS = GROUP_WORDS
ROLE_LABELS = ROLE_WORDS
CHANGE_LABELS = CHANGE_WORDS
REMINDER_STATUS_LABELS = REMINDER_STATUS_WORDS
REMINDER_KIND_LABELS = REMINDER_KIND_WORDS
status_label = status_word
group_label = group_word
role_label = role_word
band_label = band_word

BAND_THRESHOLDS = tuple((lower, name) for lower, name in BANDS if lower > 0)

# Colours: one colour-blind-safe palette (core.palette), and a glyph per status.
STATUS_COLORS = palette.STATUS_COLORS
STATUS_TEXT_COLORS = palette.STATUS_TEXT_COLORS
STATUS_GLYPHS = palette.STATUS_GLYPHS
BAND_COLORS = palette.BAND_COLORS
BAND_TEXT_COLORS = palette.BAND_TEXT_COLORS

REMINDER_STATUS_COLORS = {
    "pending": palette.STATUS_COLORS["missing"],
    "sent": palette.STATUS_COLORS["found"],
    "failed": palette.STATUS_COLORS["broken"],
    "skipped": palette.STATUS_COLORS["stale"],
}


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


# Issue 13: confirmation, site health, follow-up (words from core.vocabulary).
UNCONFIRMED = UNCONFIRMED_WORD
SITE_CHANGED = SITE_CHANGED_WORD
STABLE = STABLE_WORD
HELD_LABELS = HELD_WORDS


def change_label(change: str, held_reason: str | None = None) -> str:
    """A change's label; a held row says why it is held."""
    if change == HELD:
        return HELD_WORDS.get(held_reason or "", HELD_WORD)
    return CHANGE_LABELS.get(change, change)


def shown_status_label(status: str | None, confirmed: bool = True,
                       source: str | None = None) -> str:
    """The status label, with "(belum dikonfirmasi)" while a drop awaits its re-check, and
    marked "✎ (dikoreksi)" when it is a reviewer's override."""
    if source == SOURCE_OVERRIDE:
        return overridden_status_word(status)
    label = status_label(status)
    return label if confirmed else f"{label} ({UNCONFIRMED})"


OVERRIDE_MARK_LEGEND = f"{OVERRIDE_MARK} {OVERRIDE_WORD.lower()} oleh peninjau"
"""The legend entry of the override mark (matrix, tables)."""


def days_ago_label(days: object) -> str:
    """``terakhir terlihat 12 hari lalu``; ``hari ini`` for 0."""
    if days is None or days != days:
        return last_seen_word(None)
    return last_seen_word(int(days))


def crawl_label(mode: str | None, full_crawls: int = 0, smart_crawls: int = 0) -> str:
    """How a run's crawl is named beside it: ``crawl cerdas``, ``crawl penuh`` or, for a mixed
    run, ``crawl campuran (28 cerdas, 2 penuh)``; "" for a run without agencies."""
    if not mode or mode != mode:  # None or NaN
        return ""
    if mode == "mixed":
        return run_crawl_word(full_crawls, smart_crawls)
    return f"crawl {crawl_mode_word(mode).lower()}"


def agency_crawl_label(mode: str | None, reason: str | None) -> str:
    """One agency's crawl in a run: ``Cerdas``, or ``Penuh: jadwal crawl penuh (tiap 30 hari)``."""
    if not mode or mode != mode:  # None or NaN
        return ""
    word = crawl_mode_word(mode)
    if reason and reason == reason:
        return f"{word}: {reason}"
    return word
