"""Sitemaps (sitemaps.org): ``<urlset>``, ``<sitemapindex>``, gzip'ed or plain-text lists.

PPID portals often list their documents (``/storage/dokumen/….pdf``) in a sitemap that no
menu links to; the crawler reads every sitemap it finds as an extra source of URLs.
Parsing (:func:`parse_sitemap`) is pure; :func:`collect_sitemap_urls` does the fetching.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

from scrapers.crawling.fetch import Fetcher, FetchError
from scrapers.urls import normalize_url

GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class SitemapContent:
    """What one sitemap file lists: page/document URLs and nested sitemap URLs."""

    urls: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    truncated: bool = False
    lastmod: dict[str, str] = field(default_factory=dict)
    """Each listed URL's ``<lastmod>`` as written ("" when the entry has none)."""


def gunzip_bounded(data: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Decompress gzip data to at most ``max_bytes``; (data, was cut). A gzip bomb stops at
    the cap instead of filling memory."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes)
    except zlib.error:
        return b"", False
    return out, bool(decompressor.unconsumed_tail)


def _local_name(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _parse_xml(body: bytes) -> SitemapContent:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return SitemapContent()
    content = SitemapContent()
    if root is None:
        return content
    is_index = _local_name(root.tag) == "sitemapindex"
    for element in root.iter():
        if _local_name(element.tag) != "loc" or not element.text:
            continue
        url = normalize_url(element.text)
        if not url:
            continue
        parent = element.getparent()
        if is_index or (parent is not None and _local_name(parent.tag) == "sitemap"):
            content.sitemaps.append(url)
        else:
            content.urls.append(url)
            content.lastmod[url] = _lastmod_of(parent)
    return content


def _lastmod_of(entry: etree._Element | None) -> str:
    """The ``<lastmod>`` text of a ``<url>`` entry, stripped ("" when absent)."""
    if entry is None:
        return ""
    for child in entry:
        if _local_name(child.tag) == "lastmod" and child.text:
            return child.text.strip()[:64]
    return ""


def _parse_text(body: bytes) -> SitemapContent:
    lines = body.decode("utf-8", errors="replace").splitlines()
    urls = [u for u in (normalize_url(line) for line in lines if line.strip()) if u]
    return SitemapContent(urls=urls, lastmod=dict.fromkeys(urls, ""))


def parse_sitemap(body: bytes, max_bytes: int = 50_000_000) -> SitemapContent:
    """The URLs a sitemap body lists. Gzip is recognised by its magic bytes (servers label it
    ``application/octet-stream``, ``application/x-gzip`` or not at all)."""
    truncated = False
    if body.startswith(GZIP_MAGIC):
        body, truncated = gunzip_bounded(body, max_bytes)
    stripped = body.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"<"):
        content = _parse_xml(stripped)
    elif stripped.lower().startswith((b"http://", b"https://")):
        content = _parse_text(stripped)
    else:
        content = SitemapContent()
    content.truncated = truncated
    return content


@dataclass
class SitemapResult:
    """What reading a site's sitemaps gave: URLs, the sitemap files read and notes."""

    urls: list[str] = field(default_factory=list)
    """Page and document URLs in the order the sitemaps list them, without duplicates."""
    fetched: list[str] = field(default_factory=list)
    """Sitemap files read."""
    notes: list[str] = field(default_factory=list)
    lastmod: dict[str, str] = field(default_factory=dict)
    """Each listed URL's ``<lastmod>`` ("" when its entry has none): what a smart recrawl
    compares with the last run's to tell which pages changed."""


def collect_sitemap_urls(
    fetcher: Fetcher,
    seeds: Iterable[str],
    *,
    max_sitemaps: int,
    max_bytes: int,
    allow: Callable[[str], bool] = lambda url: True,
    deadline: float | None = None,
) -> SitemapResult:
    """Read the seed sitemaps and, breadth-first, the sitemaps their indexes list.

    At most ``max_sitemaps`` files are fetched, each read up to ``max_bytes`` (decompressed).
    A missing sitemap (the ``/sitemap.xml`` guess usually is) is not an error.
    """
    result = SitemapResult()
    queue = deque(dict.fromkeys(s for s in seeds if s))
    seen = set(queue)
    listed: dict[str, None] = {}
    while queue:
        sitemap_url = queue.popleft()
        if len(result.fetched) >= max_sitemaps:
            result.notes.append(
                f"sitemaps: {len(queue) + 1} sitemap file(s) left out (max_sitemaps={max_sitemaps})"
            )
            break
        if not allow(sitemap_url):
            result.notes.append(f"sitemap {sitemap_url} not read (robots.txt or off-site)")
            continue
        content = _fetch_one(fetcher, sitemap_url, max_bytes, deadline, result)
        if content is None:
            continue
        result.fetched.append(sitemap_url)
        listed.update(dict.fromkeys(content.urls))
        for url, stamp in content.lastmod.items():
            result.lastmod[url] = stamp or result.lastmod.get(url, "")
        for nested in content.sitemaps:
            if nested not in seen:
                seen.add(nested)
                queue.append(nested)
    result.urls = list(listed)
    return result


def _fetch_one(
    fetcher: Fetcher, url: str, max_bytes: int, deadline: float | None, result: SitemapResult
) -> SitemapContent | None:
    try:
        response = fetcher.follow(url, body_limit=max_bytes, deadline=deadline)
    except FetchError as error:
        result.notes.append(f"sitemap {url}: {error}")
        return None
    if response.status != 200 or not response.body:
        return None
    content = parse_sitemap(response.body, max_bytes)
    if response.truncated or content.truncated:
        result.notes.append(f"sitemap {url} cut at {max_bytes} bytes (max_sitemap_bytes)")
    return content
