"""Smart recrawl: which URLs a recrawl asks again, and which it takes from the last run (pure).

A full recrawl asks every URL again. Its requests are conditional (a 304 reuses the stored
page) so few bytes travel, but it still sends one request per URL under the per-host delay
and takes as long as the first crawl. A smart recrawl starts from what the last run learned
(the stored pages with their links, the document checks, the findings' evidence) and asks:

- robots.txt, the sitemaps and the start page, always;
- the last run's evidence URLs, the pages they were found on and the pages leading there
  from the start page (the shortest chain of links in the stored link graph);
- pages and documents whose sitemap ``<lastmod>`` changed, that are new in a sitemap or that
  a sitemap no longer lists;
- pages within ``recrawl_hub_depth`` links of the start page;
- every URL without a stored copy: new pages linked from pages that changed, and pages that
  failed last time.

Everything else is the last run's copy, taken unasked (``Page.reused``). The crawl walks the
same link graph either way, so a page that changed leads to the new pages it links.
What this cannot see is a change on a page off every evidence chain on a site whose sitemap
has no ``<lastmod>``: the full crawl (every ``full_every_days``, see ``flows.schedules``)
catches it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scrapers.model import DocumentCheck, Page
from scrapers.urls import normalize_url


@dataclass(frozen=True)
class SmartRecrawl:
    """What a smart recrawl of one site starts from, besides the stored pages and checks."""

    evidence: tuple[str, ...] = ()
    """The last run's evidence URLs and the pages they were found on."""
    platform: str = ""
    """The platform the last run saw; a different one now makes this crawl a full one."""

    @classmethod
    def from_findings(cls, findings: Iterable[object], platform: str = "") -> SmartRecrawl:
        """From the last run's findings (anything with ``evidence_url`` and ``page_url``:
        ``Finding``, ``PriorFinding``), whatever their status: a broken link may be mended."""
        urls: list[str] = []
        for finding in findings:
            for attribute in ("evidence_url", "page_url"):
                url = getattr(finding, attribute, None)
                if url:
                    urls.append(url)
        return cls(evidence=tuple(dict.fromkeys(urls)), platform=platform)


def link_parents(start: str, pages: Mapping[str, Page]) -> dict[str, str]:
    """The stored link graph walked breadth-first from ``start``: each reached URL's parent
    (the page that first links it), as the crawl met them."""
    parents: dict[str, str] = {}
    seen = {start}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        page = pages.get(url)
        if page is None:
            continue
        for link in page.links:
            target = normalize_url(link.url)
            if target is None or target in seen:
                continue
            seen.add(target)
            parents[target] = url
            queue.append(target)
    return parents


def navigation_chain(url: str, parents: Mapping[str, str]) -> list[str]:
    """The pages from the start page's first link down to ``url`` (``url`` included)."""
    chain = [url]
    while chain[-1] in parents and len(chain) <= len(parents):
        chain.append(parents[chain[-1]])
    return chain


def within_depth(start: str, pages: Mapping[str, Page], depth: int) -> set[str]:
    """Stored pages at most ``depth`` links from ``start`` (``start`` itself at 0)."""
    found = {start}
    frontier = {start}
    for _ in range(depth):
        nxt = set()
        for url in frontier:
            page = pages.get(url)
            for link in page.links if page else ():
                target = normalize_url(link.url)
                if target and target not in found and target in pages:
                    nxt.add(target)
        found |= nxt
        frontier = nxt
    return found


def revalidation_set(start: str, pages: Mapping[str, Page], smart: SmartRecrawl,
                     hub_depth: int = 0) -> set[str]:
    """The URLs a smart recrawl asks again before reading any sitemap: the start page, the
    pages within ``hub_depth``, every evidence URL and the chain of pages leading to it."""
    wanted = within_depth(start, pages, hub_depth)
    parents = link_parents(start, pages)
    for raw in smart.evidence:
        url = normalize_url(raw) if raw else None
        if url:
            wanted.update(navigation_chain(url, parents))
    return wanted


def stored_lastmods(pages: Mapping[str, Page],
                    documents: Mapping[str, DocumentCheck]) -> dict[str, str]:
    """The sitemap ``<lastmod>`` of every URL the last run found listed in a sitemap."""
    listed = {url: p.sitemap_lastmod for url, p in pages.items() if p.sitemap_lastmod is not None}
    listed.update({url: d.sitemap_lastmod for url, d in documents.items()
                   if d.sitemap_lastmod is not None})
    return listed  # type: ignore[return-value]


def sitemap_changes(before: Mapping[str, str], now: Mapping[str, str],
                    known: Iterable[str] = ()) -> set[str]:
    """URLs to ask again after reading the sitemaps: a changed ``<lastmod>``, a URL the
    sitemaps list for the first time, or one they no longer list. When the last run saw no
    sitemap at all, only URLs without a stored copy (``known``) count as new; when no sitemap
    could be read this time, nothing counts as changed (the pages are walked as usual)."""
    if not now:
        return set()
    if not before:
        stored = set(known)
        return {url for url in now if url not in stored}
    changed = {url for url, stamp in now.items() if before.get(url) != stamp}
    changed |= {url for url in before if url not in now}
    return changed
