"""Re-checking old evidence URLs later in a run (I/O), for ``scrapers.detection.confirm``.

A document URL is verified as the crawler verifies documents (a ranged GET of its first
bytes: it must still be the file it was); a page URL must answer 2xx. Every request goes
through the same ``Fetcher`` and address guard as the crawl (deadline, retries, politeness,
TLS choice, the agency's allowed address classes).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from core.settings import CrawlSettings
from scrapers.crawling.documents import failed_check, verify_document
from scrapers.crawling.fetch import Fetcher, FetchError
from scrapers.crawling.guard import AddressGuard
from scrapers.crawling.politeness import BudgetExceeded
from scrapers.detection.doctypes import document_kind
from scrapers.model import DocumentCheck

PAGE_PROBE_BYTES = 4096
"""A page re-check reads only this much: the status is what counts."""


def recheck(urls: Iterable[str], settings: CrawlSettings, *, start_url: str,
            verify_tls: bool | None = None, guard: AddressGuard | None = None,
            ) -> dict[str, DocumentCheck]:
    """Each URL's answer now, as a DocumentCheck (``ok`` is whether it still answers).

    ``start_url`` is the agency's registry URL: its address guard is the crawl's (the same
    address classes allowed), unless ``guard`` is given."""
    if guard is None:
        guard = AddressGuard.for_registry_url(start_url, allow_private=settings.allow_private,
                                              timeout=settings.connect_timeout)
    fetcher = Fetcher(settings, verify_tls=verify_tls, guard=guard)
    results: dict[str, DocumentCheck] = {}
    try:
        for url in dict.fromkeys(urls):
            results[url] = _check(fetcher, url, settings)
    finally:
        fetcher.close()
    return results


def _check(fetcher: Fetcher, url: str, settings: CrawlSettings) -> DocumentCheck:
    try:
        if document_kind(url):
            return verify_document(fetcher, url, probe_bytes=settings.document_probe_bytes,
                                   head_first=settings.document_head_first)
        response = fetcher.follow(url, body_limit=PAGE_PROBE_BYTES)
    except (FetchError, BudgetExceeded) as error:
        return failed_check(url, str(error) or type(error).__name__)
    ok = 200 <= response.status < 300
    return DocumentCheck(url=url, ok=ok, status=response.status,
                         content_type=response.content_type,
                         reason="" if ok else f"http {response.status}",
                         checked_at=datetime.now(UTC))
