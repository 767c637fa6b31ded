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
                  "data-download", "data-downloadurl", "data-source", "source", "data-src")
"""Attributes through which scripts get a link's target or a viewer's document."""
SCRIPTED_ATTRS = frozenset(HANDLER_ATTRS + URL_DATA_ATTRS)
MEDIA_TAGS = frozenset({"img", "picture", "source", "video", "audio", "track", "script", "link",
                        "style", "input", "meta"})
"""Their ``data-src`` is a lazy image or media file, not a document link."""
LINK_TAGS = frozenset({"a", "button"})
"""A link or a button whose data attribute names its target, document-like or not."""
VIEWER_TAGS = frozenset({"iframe", "embed", "object", "frame"})


QUOTED_RE = re.compile(r"""(["'])([^"'\s]{3,2000}?)\1""")
DOCUMENT_IN_TEXT_RE = re.compile(
    r"""(?:https?://|/|\.{0,2}/)?[\w./%~:+-]*?[\w%~+-]\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|csv|zip|rar)"""
    r"""(?:\?[^"'\s<>]*)?(?=["'\s<>,;)}\]]|$)""",
    re.IGNORECASE,
)
"""A document URL or path inside any text (a widget's JSON options, a data attribute)."""


def handler_url(code: str, loose: bool = True) -> str | None:
    """The URL a script navigates to or opens, or None (``location.href='/a.pdf'`` → ``/a.pdf``).

    Besides navigation (``location.href=``, ``window.open(…)``), with ``loose`` a quoted document
    path passed to any function counts: ``unduhBerkas('/files/lkjip.pdf')`` (not on a link that
    has a real href, whose handler is then analytics: ``ga('send', 'event', 'lkjip.pdf')``)."""
    if not code:
        return None
    match = NAVIGATION_RE.search(code) if "location" in code or "open" in code else None
    if match is not None:
        url = (match.group(2) or match.group(4) or "").strip()
    elif loose:
        url = next((m.group(2) for m in QUOTED_RE.finditer(code) if document_kind(m.group(2))), "")
    else:
        return None
    if not url or url.startswith("#") or "${" in url or url.lower().startswith("javascript:"):
        return None
    return url


def documents_in_text(text: str) -> list[str]:
    """Document paths and URLs named anywhere in a text (``{"pdfUrl": "/up/lkjip.pdf"}``)."""
    if "." not in text:
        return []
    return list(dict.fromkeys(m.group(0) for m in DOCUMENT_IN_TEXT_RE.finditer(text.replace("\\/", "/"))))


def scripted_targets(el, tag: str, names) -> list[tuple[str, str]]:
    """``(raw URL, via)`` pairs an element's scripts lead to; ``names`` are its attribute names.

    ``via`` is ``script`` for a handler or a data attribute of a clickable element and
    ``embed`` for a viewer's lazily filled source. A data attribute of another element counts
    only when it names a document (``data-file="/up/dip.pdf"``), not any URL a widget keeps.
    """
    if tag in MEDIA_TAGS:
        return []
    if tag == "option":
        return _option_target(el)
    other_data = [n for n in names if n[:5] == "data-" and n not in SCRIPTED_ATTRS] if any(
        n[:5] == "data-" for n in names) else []
    script_href = tag == "a" and (el.get("href") or "")[:12].lstrip()[:11].lower() == "javascript:"
    if not script_href and not other_data and SCRIPTED_ATTRS.isdisjoint(names):
        return []
    found: list[tuple[str, str]] = []
    href = (el.get("href") or "").strip() if tag == "a" else ""
    real_href = bool(href) and not href.startswith("#") and not script_href
    for name in HANDLER_ATTRS:
        url = handler_url(el.get(name) or "", loose=not real_href)
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
    for name in other_data:  # a widget's options: data-flipbook-options='{"pdfUrl": "…"}'
        for url in documents_in_text(el.get(name) or ""):
            if "/" in url:  # a path or URL; a bare "laporan.pdf" is a name (data-title)
                found.append((url, "embed" if tag in VIEWER_TAGS else "script"))
    return found


def _option_target(el) -> list[tuple[str, str]]:
    """A ``<select>`` of documents: ``<option value="/up/lkjip-2024.pdf">LKjIP 2024</option>``,
    opened by the select's onchange handler."""
    value = (el.get("value") or "").strip()
    if not value or value.startswith(("#", "javascript:")):
        return []
    if document_kind(value):
        return [(value, "script")]
    select = el.getparent()
    while select is not None and select.tag not in ("select", "body"):
        select = select.getparent()
    handler = (select.get("onchange") or "") if select is not None and select.tag == "select" else ""
    if ("location" in handler or "open" in handler) and value.startswith(("/", "http://", "https://")):
        return [(value, "script")]
    return []
