"""Links a script follows instead of an ``href``: onclick handlers and data attributes (pure).

PPID sites often make a button or a table row the link: a download-manager button
``<a href="#" onclick="location.href='…?wpdmdl=12'">``, a row ``<tr onclick="window.open('/berkas/
lkjip.pdf')">``, ``<a href="javascript:void(0)" data-file="/uploads/dip.pdf">``, an ``<iframe
data-src="/pratinjau/12">`` that a script fills in when the page has loaded, a flipbook
``<div class="_df_book" source="/uploads/lkjip.pdf">``. A browser user clicks and gets the
document; this module reads the URL those scripts would open.
"""

from __future__ import annotations

import re

from scrapers.detection.doctypes import document_kind

HANDLER_ATTRS = ("onclick", "onmousedown", "ontouchstart", "onkeypress")
NAVIGATION_RE = re.compile(
    r"""(?:\b(?:window|document|top|self|parent)\s*\.\s*)?\blocation(?:\s*\.\s*href)?\s*=\s*"""
    r"""(["'`])([^"'`]+?)\1"""
    r"""|\b(?:location\s*\.\s*(?:assign|replace)|(?:window\s*\.\s*)?open)\s*\(\s*(["'`])([^"'`]+?)\3"""
)
"""``location.href='…'``, ``window.location = "…"``, ``location.assign('…')``, ``window.open('…')``."""
URL_DATA_ATTRS = ("data-href", "data-url", "data-link", "data-file", "data-pdf", "data-doc",
                  "data-download", "data-source", "source", "data-src")
"""Attributes through which scripts get a link's target or a viewer's document."""
SCRIPTED_ATTRS = frozenset(HANDLER_ATTRS + URL_DATA_ATTRS)
MEDIA_TAGS = frozenset({"img", "picture", "source", "video", "audio", "track", "script", "link",
                        "style", "input", "meta"})
"""Their ``data-src`` is a lazy image or media file, not a document link."""
LINK_TAGS = frozenset({"a", "button"})
"""A link or a button whose data attribute names its target, document-like or not."""
VIEWER_TAGS = frozenset({"iframe", "embed", "object", "frame"})


def handler_url(code: str) -> str | None:
    """The URL a script navigates to or opens, or None (``location.href='/a.pdf'`` → ``/a.pdf``)."""
    if not code or "location" not in code and "open" not in code:
        return None
    match = NAVIGATION_RE.search(code)
    if match is None:
        return None
    url = (match.group(2) or match.group(4) or "").strip()
    if not url or url.startswith("#") or "${" in url or url.lower().startswith("javascript:"):
        return None
    return url


def scripted_targets(el, tag: str, names) -> list[tuple[str, str]]:
    """``(raw URL, via)`` pairs an element's scripts lead to; ``names`` are its attribute names.

    ``via`` is ``script`` for a handler or a data attribute of a clickable element and
    ``embed`` for a viewer's lazily filled source. A data attribute of another element counts
    only when it names a document (``data-file="/up/dip.pdf"``), not any URL a widget keeps.
    """
    if tag in MEDIA_TAGS:
        return []
    script_href = tag == "a" and (el.get("href") or "").lstrip()[:11].lower() == "javascript:"
    if not script_href and SCRIPTED_ATTRS.isdisjoint(names):
        return []
    found: list[tuple[str, str]] = []
    for name in HANDLER_ATTRS:
        url = handler_url(el.get(name) or "")
        if url:
            found.append((url, "script"))
    if script_href:
        url = handler_url(el.get("href"))
        if url:
            found.append((url, "script"))
    for name in URL_DATA_ATTRS:
        value = (el.get(name) or "").strip()
        if not value or value.startswith(("#", "{", "[")) or value.lower().startswith("javascript:"):
            continue
        if tag in VIEWER_TAGS:
            found.append((value, "embed"))
        elif document_kind(value) or (tag in LINK_TAGS and name not in ("data-src", "source")):
            found.append((value, "script"))
    return found
