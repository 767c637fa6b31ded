"""Flipbooks: a document published as one HTML page per page of the PDF (pure).

Flipbook makers (FlipHTML5, FlipBuilder, dflip, turn.js exports) publish a report as a viewer
page plus numbered pages (``…/basic-html/page-1.html``, ``page2.html`` …) that link each other.
Such a page *is* the document, so a link to it is evidence like a link to a PDF. The shape:
the page names a flipbook somewhere in its markup or URL, and it is one of a run of numbered
pages in one folder or links at least two of them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapers.model import Link

PAGE_FILE_RE = re.compile(r"^(?:page|halaman|hal|pg|p)[-_]?0*\d{1,4}\.html?$", re.I)
MARKER_RE = re.compile("flip", re.I)
MARKER_BYTES_RE = re.compile(b"flip", re.I)
"""A word in a flipbook's markup or URL (flipbook, flip-book, dflip, FlipHTML5, FlipBuilder)."""
MIN_RUN = 2


def _folder_and_file(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    return f"{parts.scheme}://{parts.netloc}{folder}", name


def is_numbered_page(url: str) -> bool:
    """``…/page-3.html``, ``…/halaman2.htm``: one page of a flipbook export."""
    return bool(PAGE_FILE_RE.match(_folder_and_file(url)[1]))


def is_flipbook_page(url: str, html: str | bytes, links: list[Link]) -> bool:
    """Whether a page is a flipbook (its index or one of its numbered pages)."""
    marker = MARKER_BYTES_RE if isinstance(html, bytes) else MARKER_RE
    if not (MARKER_RE.search(url) or marker.search(html)):
        return False
    if is_numbered_page(url):
        return True
    runs: dict[str, set[str]] = {}
    for link in links:
        folder, name = _folder_and_file(link.url)
        if PAGE_FILE_RE.match(name):
            runs.setdefault(folder, set()).add(name.lower())
    return any(len(names) >= MIN_RUN for names in runs.values())
