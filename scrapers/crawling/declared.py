"""Fetching declared URLs (I/O): each one as a one-page crawl of it, under the agency's rules.

A declared URL is fetched by the crawler itself (``SiteCrawler``, what
:func:`scrapers.crawling.crawler.crawl_site` runs), started at the URL with at most one page and the documents that page links (``claims.max_documents``),
no sitemaps: the same robots.txt, per-host delay (the process-wide throttle), address guard,
deadline, redirect and size rules as the agency's crawl. The address guard is the agency's
(built from its registry URL), not the declared URL's: a declaration cannot open an address
class the agency's own site does not have.

Before anything is sent, :func:`declared_host_refusal` keeps a declaration to the agency's own
site (its registrable domain, as the crawler lets a start URL move) or a known publication
host (``publication_hosts`` in ``core/platforms.yaml``); :func:`address_refusal` asks the
guard. The dashboard form uses the same two checks before it stores a declaration.

Detection on what was fetched is pure: :mod:`scrapers.detection.declared`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from core.registry import Agency
from core.settings import CrawlSettings
from scrapers.crawling.crawler import SiteCrawler
from scrapers.crawling.guard import AddressGuard, registrable_domain, start_redirect_refusal
from scrapers.crawling.platforms import platform_named
from scrapers.detection.declared import NOT_ALLOWED, DeclaredFetch, DeclaredUrl, address_reason
from scrapers.detection.hosts import HostRule, bundled_host_rules
from scrapers.model import SiteCrawl
from scrapers.urls import normalize_url


def on_publication_host(url: str, rules: Iterable[HostRule] | None = None) -> bool:
    """Whether ``url``'s host is a known publication host (by its host name or host pattern;
    a path shape alone on another host does not count)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return False
    for rule in bundled_host_rules() if rules is None else rules:
        if any(host == d or host.endswith("." + d) for d in rule.domains):
            return True
        if any(re.search(p, host) for p in rule.host_patterns):
            return True
    return False


def declared_host_refusal(agency_url: str, url: str,
                          rules: Iterable[HostRule] | None = None) -> str | None:
    """Why an agency may not declare ``url`` (Indonesian), or None: it must be http(s), on the
    agency's own site (within its registrable domain, on its port or 80/443, as the crawler
    lets the start URL redirect) or on a known publication host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{NOT_ALLOWED}: bukan alamat http(s)"
    if on_publication_host(url, rules):
        return None
    if start_redirect_refusal(agency_url, url) is None:
        return None
    home = registrable_domain(urlsplit(agency_url).hostname or "")
    return (f"{NOT_ALLOWED}: {parts.hostname} bukan situs badan publik ini ({home}) dan bukan "
            "layanan publikasi yang dikenal")


def agency_guard(agency_url: str, settings: CrawlSettings) -> AddressGuard:
    """The address guard of the agency's crawl (its registry URL's address classes)."""
    return AddressGuard.for_registry_url(agency_url, allow_private=settings.allow_private,
                                         timeout=settings.connect_timeout)


def address_refusal(url: str, guard: AddressGuard, timeout: float) -> str | None:
    """Why the guard refuses ``url`` (Indonesian: ``alamat tidak diizinkan: alamat privat``,
    or a name that does not resolve), or None."""
    reason = guard.check_url(url, timeout)
    if reason is None:
        return None
    if reason.startswith("DNS lookup failed"):
        return f"alamat tidak ditemukan: {urlsplit(url).hostname} tidak dapat di-resolve"
    return address_reason(reason) or f"{NOT_ALLOWED}: {reason}"


def declared_settings(settings: CrawlSettings, max_documents: int) -> CrawlSettings:
    """The crawl settings of one declared URL: its page only, the documents it links, no
    sitemaps; every other limit as for the agency's crawl."""
    return settings.model_copy(update={"max_pages": 1, "max_depth": 1, "use_sitemaps": False,
                                       "max_documents": max_documents})


def fetch_declared(agency: Agency, declared: list[DeclaredUrl], settings: CrawlSettings, *,
                   max_documents: int = 20, verify_tls: bool | None = None,
                   guard: AddressGuard | None = None) -> list[DeclaredFetch]:
    """Fetch each of the agency's declared URLs (one-page crawls, in order)."""
    guard = guard or agency_guard(agency.url, settings)
    one_page = declared_settings(settings, max_documents)
    fetched = []
    for item in declared:
        refusal = (declared_host_refusal(agency.url, item.url)
                   or address_refusal(item.url, guard, settings.connect_timeout))
        if refusal:
            fetched.append(DeclaredFetch(item, refusal=refusal))
            continue
        fetched.append(DeclaredFetch(item, crawl=crawl_declared(
            item.url, agency, one_page, verify_tls=verify_tls, guard=guard)))
    return fetched


def crawl_declared(url: str, agency: Agency, settings: CrawlSettings, *,
                   verify_tls: bool | None, guard: AddressGuard) -> SiteCrawl:
    """One declared URL crawled by the crawler itself (``SiteCrawler``, what ``crawl_site``
    runs), with the URL marked as a document whose first page is read: a declared
    ``scan-001.pdf`` says what it is on its first page, not in its name."""
    crawler = SiteCrawler(url, settings, cache={}, doc_cache={}, verify_tls=verify_tls,
                          throttle=None, platform=platform_named(agency.platform)
                          if agency.platform else None, render=agency.render,
                          hosts=bundled_host_rules(), guard=guard)
    crawler.untitled.add(normalize_url(url) or url)
    return crawler.run()
