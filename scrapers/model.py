"""The records that pass between crawler, detection and warehouse.

Plain dataclasses: picklable (Dask ships them between processes) and convertible to and
from JSON dicts (the warehouse keeps a page's extracted links so that a 304 answer on the
next run can reuse them). A dict leaves out the fields that hold their default value
(``from_dict`` puts the defaults back): a national run stores some 200,000 such dicts, and
most fields of a page or a link are empty (a third of the JSON, and of the time the
warehouse takes to compress it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Finding statuses, as in the contract (declared once in core.vocabulary).
from core.vocabulary import BROKEN, FOUND, MISSING, STALE, STATUSES, UNREACHABLE

__all__ = ["BROKEN", "FOUND", "MISSING", "STALE", "STATUSES", "UNREACHABLE", "DocumentCheck",
           "Finding", "Link", "Page", "SiteCrawl"]


def _plain(record: Any) -> dict[str, Any]:
    """A dataclass's fields that differ from their default as a new dict, lists copied (their
    items are plain values)."""
    defaults = _DEFAULTS[type(record)]
    return {k: list(v) if isinstance(v, list) else v for k, v in vars(record).items()
            if k not in defaults or v != defaults[k]}


def _defaults(cls: type) -> dict[str, Any]:
    """Each field's default value (a factory's is what it makes: an empty list)."""
    unset = dataclasses.MISSING  # not this module's MISSING, the finding status
    return {f.name: f.default if f.default is not unset else f.default_factory()
            for f in dataclasses.fields(cls)
            if f.default is not unset or f.default_factory is not unset}


@dataclass
class Link:
    """A link on a page with the text around it that may name what it points to."""

    url: str
    """Absolute URL, fragment removed."""
    text: str = ""
    """Anchor text (whitespace folded), or an image's alt text."""
    title: str = ""
    """The title attribute."""
    context: str = ""
    """Text of the enclosing table row, list item or card (``Jenis Informasi | Tahun | Unduh``)."""
    heading: str = ""
    """The nearest heading above the link (h1–h6, a table caption, an accordion title)."""
    in_nav: bool = False
    """The link sits in a menu (nav, header, a menu list)."""
    media: str = ""
    """``image`` for an image shown on the page (``<img>``): its alt text is ``text``, its
    figure caption ``context``; the image itself may be the publication (a chart, a poster)."""
    via: str = ""
    """How the link was seen when not as a plain ``<a href>``: ``embedded-json`` (inline
    state, a JSON answer), ``script`` (an onclick handler or a data attribute), ``embed``
    (an iframe/embed/object viewer)."""


@dataclass
class Page:
    """One fetched HTML page, reduced to what detection needs."""

    url: str
    status: int
    final_url: str = ""
    content_type: str = ""
    title: str = ""
    h1: str = ""
    headings: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    depth: int = 0
    bytes: int = 0
    etag: str | None = None
    last_modified: str | None = None
    from_cache: bool = False
    fetched_at: datetime | None = None
    error: str | None = None
    placeholder: bool = False
    """The page's content says there is nothing yet ("Belum ada data", "Belum ada dokumen",
    "Segera hadir") or is empty (headings over nothing)."""
    not_public: str = ""
    """Why the page is not public, when it is not: its URL led to a log-in page
    (``not public: leads to a log-in page (/login)``). Such a page is a dead link."""
    lead: str = ""
    """The content text of a page that shows nothing but text (no link, image or embed in its
    content), cut short; empty for any other page. Detection reads it only to recognise a page
    that merely defines its category."""
    generator: str = ""
    """``<meta name="generator">``: which platform built the site (WordPress 6.4 …)."""
    document_view: bool = False
    """The page shows one document (a flipbook page by page, a viewer), so a link to it is a
    link to that document."""
    shell: str = ""
    """Why the HTML is only a shell that scripts fill in (``scrapers.detection.shell``), or ""."""
    api_urls: list[str] = field(default_factory=list)
    """JSON endpoints a shell names in its HTML, readable without a browser."""
    rendered: bool = False
    """The page was rendered in a headless browser: title, headings and links are what a
    person sees after scripts ran, not the HTML the server sent."""
    redirects: list[str] = field(default_factory=list)
    """The URLs that redirected to ``final_url``, in order (the first is ``url``)."""
    sha256: str | None = None
    """SHA-256 of the body as the server sent it (decoded), for a 2xx answer; a 304 keeps
    the previous run's. See :attr:`DocumentCheck.sha256`."""
    sha256_bytes: int | None = None
    """How many body bytes ``sha256`` covers."""
    sha256_whole: bool = False
    """``sha256`` covers the whole body (False: ``max_page_bytes`` cut it)."""
    sitemap_lastmod: str | None = None
    """The site's sitemap ``<lastmod>`` for this URL ("" listed without one; None: not
    listed): a smart recrawl asks again when it changes (``scrapers.crawling.recrawl``)."""
    reused: bool = False
    """A smart recrawl took the last run's copy without asking the server (``from_cache`` too)."""

    def to_dict(self) -> dict[str, Any]:
        """The page as JSON-ready data (what the HTTP cache keeps). Built field by field, not
        with ``dataclasses.asdict``, whose deep copies cost more than the crawl of a small
        site: a national run converts hundreds of thousands of pages."""
        data = _plain(self)
        if self.links:
            data["links"] = [_plain(link) for link in self.links]
        if self.fetched_at:
            data["fetched_at"] = self.fetched_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Page:
        data = dict(data)
        data["links"] = [Link(**link) for link in data.get("links", [])]
        if data.get("fetched_at"):
            data["fetched_at"] = datetime.fromisoformat(data["fetched_at"])
        return cls(**data)


@dataclass
class DocumentCheck:
    """The verification of one linked document (PDF, Office file, archive, drive link)."""

    url: str
    ok: bool
    status: int | None = None
    content_type: str = ""
    bytes: int | None = None
    """Content-Length, or the bytes read when the server sends none."""
    last_modified: str | None = None
    etag: str | None = None
    reason: str = ""
    """Why it is not ok: ``http 404``, ``empty``, ``html instead of pdf``, ``timeout`` …"""
    checked_at: datetime | None = None
    from_cache: bool = False
    first_page: str = ""
    """The first lines of a PDF's first page, read when no link text or file name said what
    it is (``dokumen-12.pdf`` behind "Unduh"): its title and year."""
    final_url: str = ""
    """Where the redirects ended ("" when there were none)."""
    redirects: list[str] = field(default_factory=list)
    """The URLs that redirected to ``final_url``, in order (the first is ``url``); for an
    endless redirect chain, the hops requested before ``max_redirects`` stopped it."""
    sha256: str | None = None
    """SHA-256 of the body bytes read (decoded), for a 2xx answer; None for a HEAD-only
    check or a failed one. A 304 keeps the previous run's hash, so unchanged content keeps
    its hash. Documents are only probed: see :attr:`sha256_whole`."""
    sha256_bytes: int | None = None
    """How many body bytes ``sha256`` covers."""
    sha256_whole: bool = False
    """``sha256`` covers the whole file. False when only the first ``sha256_bytes`` were read
    (the probe or size cap): the hash then changes when those bytes change, not the rest."""
    sitemap_lastmod: str | None = None
    """The sitemap ``<lastmod>`` for this URL, as on :class:`Page`."""
    reused: bool = False
    """A smart recrawl took the last run's check without asking the server."""

    def to_dict(self) -> dict[str, Any]:
        """The check as JSON-ready data (what the HTTP cache keeps)."""
        data = _plain(self)
        if self.checked_at:
            data["checked_at"] = self.checked_at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentCheck:
        data = dict(data)
        if data.get("checked_at"):
            data["checked_at"] = datetime.fromisoformat(data["checked_at"])
        return cls(**data)


@dataclass
class SiteCrawl:
    """Everything one crawl of one agency's site produced."""

    start_url: str
    reachable: bool
    error: str | None = None
    """Why the site is unreachable (DNS, refused, timeout, 5xx, TLS), or None."""
    pages: list[Page] = field(default_factory=list)
    documents: dict[str, DocumentCheck] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    requests: int = 0
    body_bytes: int = 0
    """Response body bytes received over the network (cached 304 pages add nothing)."""
    notes: list[str] = field(default_factory=list)
    """What the crawler left out and why (robots, traps, limits), for the run summary."""
    platform: str = ""
    """The site platform the crawl used (``scrapers.crawling.platforms``): given or detected."""
    mode: str = "full"
    """``full`` (every URL asked again) or ``smart`` (``scrapers.crawling.recrawl``)."""
    mode_reason: str = ""
    """Why a full crawl was made (Indonesian, shown to users), or ""."""


@dataclass
class Finding:
    """The verdict on one category for one agency in one run."""

    category_id: str
    status: str
    evidence_url: str | None = None
    evidence_text: str | None = None
    page_url: str | None = None
    document_year: int | None = None
    matched_rule: str | None = None
    detector_status: str | None = None
    """What detection said this run when ``status`` differs from it (a drop held back until
    confirmed, or a drop not believed because the old evidence still answers); None: the same."""
    confirmed: bool = True
    """False while a drop from found/stale awaits its re-checks (``status`` is still the
    published one)."""
    drop_checks: int = 0
    """Failing re-checks of the old evidence counted so far for a pending drop."""
    held_reason: str | None = None
    """Why ``status`` is not the detector's: ``unconfirmed``, ``evidence_live``, ``site_changed``."""
    status_source: str = "crawler"
    """Where ``status`` comes from: ``crawler`` (this run's detection, possibly held), or
    ``declared`` (a declaration this run confirmed: ``scrapers.detection.declared``)."""
    declaration_id: int | None = None
    """The declaration that gave ``status`` when ``status_source`` is ``declared``."""


_DEFAULTS = {cls: _defaults(cls) for cls in (Link, Page, DocumentCheck)}
"""The default of each field of the records kept as JSON: what their dicts leave out."""
