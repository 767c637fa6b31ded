"""Paginated JSON lists: parsing an answer and finding its next page (pure, no I/O).

The lists a client-rendered PPID app shows come from JSON endpoints that return one page at
a time (``/api/dokumen?kategori=berkala&page=1``): Laravel's paginator (``current_page``,
``last_page``, ``next_page_url``), JSON:API and DRF (``links.next``, ``next``), or a page
counter under ``meta``/``pagination``. The crawler reads every page of such a list
(``scrapers.crawling.shells``); what a page's records mean is read by
``scrapers.detection.inline_data.publications_from_json``, the one JSON → publications module.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapers.detection.extract import clean_url


def parse_json(text: str | bytes) -> Any | None:
    """The JSON value of ``text``, or None when it is not JSON (an HTML error page)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.strip().lstrip("\ufeff")
    if not text or text[0] not in "[{":
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None



NEXT_KEYS = ("next_page_url", "next", "nextpage", "next_url", "nextpageurl")
PAGE_KEYS = ("current_page", "page", "currentpage", "page_number", "pagenumber")
LAST_KEYS = ("last_page", "total_pages", "totalpages", "pages", "page_count", "pagecount", "lastpage")


def next_page_url(data: Any, url: str) -> str | None:
    """The URL of the next page of a paginated JSON list, or None on the last page.

    Understands an explicit next link (Laravel's ``next_page_url``, JSON:API/DRF ``next``,
    ``links.next``) and a page counter with a total (``current_page``/``last_page``,
    ``page``/``total_pages``, in the root or under ``meta``/``pagination``), which sets the
    ``page`` query parameter of ``url``.
    """
    if not isinstance(data, dict):
        return None
    for holder in _pagination_holders(data):
        for key in NEXT_KEYS:
            value = holder.get(key)
            if isinstance(value, dict):
                value = _lower_keys(value).get("href")
            if isinstance(value, str) and value.strip():
                return clean_url(value, url)
    for holder in _pagination_holders(data):
        current, last = _number(holder, PAGE_KEYS), _number(holder, LAST_KEYS)
        if current is not None and last is not None:
            return _with_page(url, current + 1) if current < last else None
    return None


def _lower_keys(record: dict) -> dict[str, Any]:
    return {str(key).lower(): value for key, value in record.items()}


def _pagination_holders(data: dict) -> list[dict]:
    lowered = _lower_keys(data)
    holders = [lowered]
    for key in ("links", "meta", "pagination", "paging", "page_info", "pageinfo"):
        value = lowered.get(key)
        if isinstance(value, dict):
            holders.append(_lower_keys(value))
    return holders


def _number(holder: dict, keys: tuple[str, ...]) -> int | None:
    for key in keys:
        value = holder.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
    return None


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))
