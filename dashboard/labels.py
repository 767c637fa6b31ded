"""What the dashboard calls things and the colours it gives them; the words themselves are
``core.vocabulary``'s (one vocabulary for dashboard, e-mails and CLI).

Also the two escapes the pages need for text that came from a crawl or a registry file:
``md_escape`` for Streamlit's Markdown elements and ``plotly_escape`` for Plotly labels.
Crawled text is never rendered as HTML.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core.vocabulary import (
    BAND_NAMES,
    BANDS,
    CHANGE_WORDS,
    CHANGES,
    GROUP_WORDS,
    GROUPS,
    NO_SCORE,
    REMINDER_KIND_WORDS,
    REMINDER_STATUS_WORDS,
    ROLE_WORDS,
    STATUS_WORDS,
    STATUSES,
    band_word,
    group_word,
    role_word,
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

BAND_COLORS = dict(zip(BAND_NAMES, ("#1b5e20", "#66bb6a", "#fdd835", "#fb8c00", "#c62828"),
                       strict=True))
BAND_COLORS[NO_SCORE] = "#607d8b"

REMINDER_STATUS_COLORS = {
    "pending": "#90a4ae",
    "sent": "#2e7d32",
    "failed": "#c62828",
    "skipped": "#f9a825",
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
