"""A screenshot of a finding's evidence page, taken on request with the crawler's browser.

The page is rendered in the same headless Chromium as app-shell pages
(:mod:`scrapers.crawling.render`): the browser never touches the network itself, every
request it makes (the page, its redirects, scripts, styles, images) is made by a crawler
:class:`~scrapers.crawling.fetch.Fetcher` with the agency's address guard (the address
classes of its registry URL), the total deadline of each request, the per-host delay and
``render_timeout`` for the whole capture. Requests to hosts other than the agency's site and
the evidence's own host are refused. robots.txt is not read: the capture is one page a person
asked to see, as a person opening it in a browser would.

A document (PDF, Office file, archive) is not a page: no screenshot is taken
(:attr:`Capture.not_applicable` says why); its evidence is the file itself and its hash.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from core.settings import CrawlSettings
from scrapers.crawling.fetch import Fetcher, FetchError
from scrapers.crawling.guard import AddressGuard
from scrapers.crawling.politeness import BudgetExceeded
from scrapers.crawling.render import Fetched, Renderer, shared_renderer
from scrapers.detection.doctypes import content_type_kind, document_kind
from scrapers.urls import SiteScope, normalize_url


@dataclass
class Capture:
    """The outcome of one screenshot request."""

    url: str
    png: bytes = b""
    final_url: str = ""
    not_applicable: str = ""
    """Why no screenshot is taken for this evidence (a PDF is a document, not a page)."""
    error: str = ""
    """Why the capture failed (no browser, timeout, the page could not be fetched)."""
    requests: int = 0
    refused: Counter[str] = field(default_factory=Counter)


def not_a_page(url: str, content_type: str | None = None) -> str:
    """Why the evidence at ``url`` (answering ``content_type``) has no screenshot, or ""."""
    kind = document_kind(url) or content_type_kind(content_type or "", None)
    return f"a {kind} document is not a page" if kind else ""


def capture_evidence(url: str, *, agency_url: str, settings: CrawlSettings,
                     content_type: str | None = None, verify_tls: bool | None = None,
                     renderer: Renderer | None = None) -> Capture:
    """A PNG of the evidence page at ``url`` (see the module docstring). ``agency_url`` is the
    agency's registry URL (its address guard and its site); ``content_type`` is what the
    evidence answered in the crawl (a PDF is not rendered). ``renderer`` defaults to the
    process's shared browser."""
    reason = not_a_page(url, content_type)
    if reason:
        return Capture(url=url, not_applicable=reason)
    renderer = renderer or shared_renderer(settings)
    if renderer.unavailable:
        return Capture(url=url, error=f"no browser: {renderer.unavailable}")
    guard = AddressGuard.for_registry_url(agency_url, allow_private=settings.allow_private,
                                          timeout=settings.connect_timeout)
    fetcher = Fetcher(settings, verify_tls=verify_tls, guard=guard)
    scope = SiteScope.of(agency_url)
    scope.add(url)
    main = normalize_url(url) or url
    seen: dict[str, str] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + settings.render_timeout

    def allow(target: str) -> str | None:
        return None if scope.contains(target) else "another host"

    def fetch(target: str, method: str, headers: dict[str, str]) -> Fetched:
        is_main = (normalize_url(target) or target) == main
        try:
            response = fetcher.follow(target, method=method, headers=headers,
                                      body_limit=settings.max_page_bytes, allow_hop=allow,
                                      deadline=deadline)
        except (FetchError, BudgetExceeded) as error:
            if is_main:  # the browser would show its own error page: that is no evidence
                with lock:
                    seen["error"] = str(error) or type(error).__name__
            raise
        if is_main and response.truncated:
            with lock:
                seen["error"] = f"the page is larger than max_page_bytes ({settings.max_page_bytes})"
        if is_main:
            with lock:  # the browser never sees the redirects: the fetch followed them
                seen["content_type"] = response.content_type
                seen["final_url"] = response.url
        return Fetched(response.status, dict(response.headers), response.body)

    try:
        rendered = renderer.screenshot(
            url, fetch, allow, timeout=settings.render_timeout,
            max_requests=settings.render_max_requests, width=settings.screenshot_width,
            max_height=settings.screenshot_max_height)
    finally:
        fetcher.close()
    capture = Capture(url=url, final_url=seen.get("final_url") or rendered.final_url,
                      requests=rendered.requests,
                      refused=rendered.refused)
    reason = not_a_page("", seen.get("content_type"))
    if reason:  # the URL said nothing, the answer was a PDF
        capture.not_applicable = reason
    elif seen.get("error"):
        capture.error = f"the evidence page could not be read: {seen['error']}"
    elif rendered.png:
        capture.png = rendered.png
    else:
        capture.error = rendered.error or "the browser returned no picture"
    return capture
