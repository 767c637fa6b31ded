"""``crawl_site()``: one agency's site, breadth-first from its start URL and its sitemaps.

The scheduler (this module) runs in the calling thread and owns every piece of crawl state:
the frontier, the set of URLs seen, the trap guard, the notes. Workers (a pool of
``connections_per_host`` threads) only fetch: a page (decoded and handed to
:func:`scrapers.detection.extract.extract_page`) or a document check. So the state needs no locks,
and the per-host limits live in the shared :class:`~scrapers.crawling.politeness.HostThrottle`.

Order of work: robots.txt → the start URL (its redirects may move the site, e.g. to https)
→ the sitemaps → pages by depth, links found on pages before sitemap URLs of equal depth.
HTML pages count against ``max_pages``; documents (on any host) are verified, never parsed,
and count against ``max_documents``.

Re-crawls are conditional: ``cache``/``doc_cache`` carry the previous run's pages and document
checks (read from the warehouse), their ETag/Last-Modified go out as If-None-Match /
If-Modified-Since, and a 304 reuses the stored result. This is hand-written rather than
``requests-cache`` because what is reused is the *parsed* page (its links) and the document
verdict, not the HTTP body: they already live in DuckDB with the run they came from, travel to
a Dask worker as plain task arguments, and need no second cache store (a SQLite file of whole
bodies per worker) to be kept, sized and expired beside the warehouse.

A smart recrawl (``smart``, see :mod:`scrapers.crawling.recrawl`) goes further: it walks the
same link graph but asks again only what may have changed (the start page, the last run's
evidence and the pages leading to it, pages whose sitemap ``lastmod`` changed, URLs without a
stored copy) and takes every other page and document check from the last run unasked.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.settings import CrawlSettings
from core.vocabulary import BLOCKED, FULL_CRAWL, FULL_REASONS, SMART_CRAWL
from scrapers.crawling.charset import decode_html
from scrapers.crawling.documents import (
    conditional_headers,
    document_check_from_response,
    verify_document,
    verify_host_link,
)
from scrapers.crawling.fetch import REDIRECT_BODY_BYTES, Fetcher, FetchError, Response
from scrapers.crawling.guard import AddressGuard, start_redirect_refusal
from scrapers.crawling.platforms import GENERIC, Platform, detect_platform, platform_named
from scrapers.crawling.politeness import BudgetExceeded, HostThrottle
from scrapers.crawling.recrawl import (
    SmartRecrawl,
    revalidation_set,
    sitemap_changes,
    stored_lastmods,
)
from scrapers.crawling.render import Renderer
from scrapers.crawling.robots import RobotsPolicy, fetch_robots
from scrapers.crawling.shared_checks import SharedChecks
from scrapers.crawling.shells import AUTO, ShellReader
from scrapers.crawling.sitemap import collect_sitemap_urls
from scrapers.detection.detect import is_generic_anchor
from scrapers.detection.doctypes import (
    content_type_kind,
    document_kind,
    image_kind,
    not_public_reason,
)
from scrapers.detection.extract import extract_page
from scrapers.detection.firstpage import file_name_says_nothing, first_page_title
from scrapers.detection.hosts import HostRule, bundled_host_rules, host_rule_for
from scrapers.model import DocumentCheck, Page, SiteCrawl
from scrapers.urls import SiteScope, TrapGuard, host_of, normalize_url, origin_of

HTML_TYPES = ("text/html", "application/xhtml+xml")
PAGE, DOCUMENT = "page", "document"
FROM_LINK, FROM_SITEMAP = 0, 1
"""Rank of a URL's source: at equal depth, links found on pages go before sitemap entries."""
BLOCKED_STATUSES = frozenset({401, 403})
BLOCKED_AFTER = 3
"""A site whose start page answered but whose next this-many pages (and all others) answer
401/403 blocks the monitor too (a WAF that lets the first request through)."""


def blocked_error(status: int) -> str:
    """The unreachable reason of a site that refuses the monitor with ``status``."""
    return f"{BLOCKED}: HTTP {status} (situs menolak pemantau)"


def crawl_site(
    start_url: str,
    settings: CrawlSettings,
    *,
    cache: Mapping[str, Page] | None = None,
    doc_cache: Mapping[str, DocumentCheck] | None = None,
    verify_tls: bool | None = None,
    throttle: HostThrottle | None = None,
    platform: str | None = None,
    render: str = AUTO,
    renderer: Renderer | None = None,
    hosts: tuple[HostRule, ...] | None = None,
    guard: AddressGuard | None = None,
    smart: SmartRecrawl | None = None,
    shared_checks: SharedChecks | None = None,
) -> SiteCrawl:
    """Crawl one site within ``settings``' limits.

    ``cache``/``doc_cache`` hold the previous run's pages and document checks by URL: their
    ETag/Last-Modified make requests conditional and a 304 reuses them (``from_cache``).
    ``verify_tls=False`` accepts a bad certificate (None: ``settings.verify_tls``).
    ``throttle`` defaults to the process-wide one, so sites on one host share its delay.
    ``platform`` names the site's platform (``scrapers.crawling.platforms``); None detects it from the
    start page. Its pages without PPID information (feeds, log-in, tag archives) are skipped.
    ``render`` is the registry's mode (``auto``, ``always``, ``never``) for pages whose HTML is
    an app shell (``scrapers.crawling.shells``); ``renderer`` defaults to the worker's browser.
    ``hosts`` are the off-site publication hosts whose links are verified (None: the bundled
    table, ``scrapers.detection.hosts``).
    ``guard`` decides which addresses may be reached; None: the guard of ``start_url`` (its
    own address class is allowed, see :mod:`scrapers.crawling.guard`).
    ``smart`` makes it a smart recrawl (:mod:`scrapers.crawling.recrawl`) when ``cache`` holds
    the last run's pages; None (or an empty cache) crawls fully.
    ``shared_checks`` shares the answers of off-site publication hosts (LAPOR!, JDIH …) with the
    other sites of the run (:mod:`scrapers.crawling.shared_checks`); None: this site asks itself.
    """
    if guard is None:
        guard = AddressGuard.for_registry_url(
            start_url, allow_private=settings.allow_private, timeout=settings.connect_timeout
        )
    crawler = SiteCrawler(
        start_url,
        settings,
        cache=cache or {},
        doc_cache=doc_cache or {},
        verify_tls=verify_tls,
        throttle=throttle,
        platform=platform_named(platform) if platform else None,
        render=render,
        renderer=renderer,
        hosts=bundled_host_rules() if hosts is None else hosts,
        guard=guard,
        smart=smart,
        shared_checks=shared_checks,
    )
    return crawler.run()


@dataclass(order=True)
class _Item:
    depth: int
    rank: int
    seq: int
    url: str = field(compare=False)
    kind: str = field(compare=False)


@dataclass
class _Outcome:
    """What a worker brings back for one item."""

    item: _Item
    page: Page | None = None
    document: DocumentCheck | None = None
    final_url: str | None = None
    skipped: str | None = None
    """Why nothing was recorded (a redirect to a URL crawled anyway, a non-HTML answer)."""
    out_of_time: bool = False
    truncated: bool = False
    unreadable: str | None = None
    """Why the page, an app shell, could not be read (no browser, nothing in its JSON)."""


class SiteCrawler:
    """The state of one site crawl; use :func:`crawl_site`."""

    def __init__(
        self,
        start_url: str,
        settings: CrawlSettings,
        *,
        cache: Mapping[str, Page],
        doc_cache: Mapping[str, DocumentCheck],
        verify_tls: bool | None,
        throttle: HostThrottle | None,
        platform: Platform | None = None,
        render: str = AUTO,
        renderer: Renderer | None = None,
        hosts: tuple[HostRule, ...] = (),
        guard: AddressGuard | None = None,
        smart: SmartRecrawl | None = None,
        shared_checks: SharedChecks | None = None,
    ) -> None:
        self.settings = settings
        self.hosts = hosts
        self.shared_checks = shared_checks
        self.platform = platform
        self.start_url = start_url
        self.cache = cache
        self.doc_cache = doc_cache
        self.fetcher = Fetcher(settings, verify_tls=verify_tls, throttle=throttle, guard=guard)
        self.result = SiteCrawl(start_url=start_url, reachable=False, started_at=datetime.now(UTC))
        self.deadline = time.monotonic() + settings.site_timeout
        self.traps = TrapGuard(
            max_query_variants=settings.max_query_variants,
            max_path_segment_repeats=settings.max_path_segment_repeats,
            max_url_length=settings.max_url_length,
            min_calendar_year=settings.min_calendar_year,
            max_calendar_years_ahead=settings.max_calendar_years_ahead,
        )
        self.scope = SiteScope()
        self.seen: set[str] = set()
        self.frontier: list[_Item] = []
        self.sequence = itertools.count()
        self.pages_started = 0
        self.documents_started = 0
        self.timeouts_in_row = 0
        self._start_refusal: str | None = None
        self.left_out: Counter[str] = Counter()
        self.untitled: set[str] = set()
        """Document URLs whose first page is read (see :meth:`_note_untitled`)."""
        self.left_out_example: dict[str, str] = {}
        self._robots: dict[str, RobotsPolicy] = {}
        self._robots_lock = threading.Lock()
        self.shells = ShellReader(
            settings, self.fetcher, mode=render, allow=self._browser_may_request,
            deadline=self.deadline, renderer=renderer,
        )
        self.smart = smart if smart is not None and cache else None
        self.revalidate: set[str] = set()
        """URLs a smart recrawl asks again (the others with a stored copy are reused)."""
        self.sitemap_lastmod: dict[str, str] = {}
        self.reused = Counter()
        self.result.mode = SMART_CRAWL if self.smart else FULL_CRAWL
        if smart is not None and self.smart is None:
            self.result.mode_reason = FULL_REASONS["first"]

    # --- the run ----------------------------------------------------------------------

    def run(self) -> SiteCrawl:
        try:
            self._crawl()
        finally:
            self.fetcher.close()
            self._finish()
        return self.result

    def _crawl(self) -> None:
        start = normalize_url(self.start_url)
        if start is None:
            self.result.error = f"invalid start URL: {self.start_url!r}"
            return
        self.scope = SiteScope.of(start)
        if self.smart is not None:
            self.revalidate = revalidation_set(start, self.cache, self.smart,
                                               self.settings.recrawl_hub_depth)
        policy = self._robots_for(origin_of(start))
        if not policy.allowed(start, self.settings.user_agent):
            self.result.error = policy.error or policy.note or "robots.txt disallows the start URL"
            self.result.notes.append("nothing crawled: robots.txt does not allow the start URL")
            return
        self.seen.add(start)
        outcome = self._fetch_start(start)
        if not self._record_start(outcome):
            return
        self.result.reachable = True
        self._seed_sitemaps(start, outcome.final_url or start)
        self._breadth_first()
        self._check_blocked()

    def _check_blocked(self) -> None:
        """A site that answered its start page but refuses (401/403) every page after it is
        blocking the monitor: unreachable, not a site with nothing published."""
        later = self.result.pages[1:]
        refused = Counter(p.status for p in later if p.status in BLOCKED_STATUSES)
        answered = [p for p in later if 200 <= p.status < 300 or p.from_cache]
        if sum(refused.values()) >= BLOCKED_AFTER and not answered:
            status = refused.most_common(1)[0][0]
            self.result.reachable = False
            self.result.error = f"{blocked_error(status)} setelah halaman pertama"

    def _fetch_start(self, start: str) -> _Outcome:
        kind = DOCUMENT if document_kind(start) else PAGE
        if kind == DOCUMENT:
            self.documents_started += 1
        else:
            self.pages_started += 1
        return self._work(_Item(0, FROM_LINK, next(self.sequence), start, kind), start_hop=True)

    def _record_start(self, outcome: _Outcome) -> bool:
        """Record the start URL's outcome; False when the site counts as unreachable."""
        page = outcome.page
        if outcome.out_of_time:
            self.result.error = "site_timeout reached before the start URL answered"
            return False
        if page is not None and page.status == 0:
            self.result.error = page.error
            return False
        if page is not None and page.status >= 500:
            self.result.error = f"start URL answered HTTP {page.status}"
            return False
        if page is not None and page.status in BLOCKED_STATUSES:
            self.result.error = blocked_error(page.status)
            return False
        if page is not None and page.not_public:
            self.result.error = f"start URL is {page.not_public}"
            return False
        if outcome.unreadable:
            self.result.error = (
                f"needs a browser: the start page is built by JavaScript "
                f"({page.shell if page else 'app shell'}) and {outcome.unreadable}"
            )
            return False
        if page is None and outcome.document is None and outcome.skipped:
            if outcome.skipped.startswith(("redirect", "address")):
                # The start URL leads nowhere we may go: nothing of the site can be checked.
                self.result.error = outcome.skipped
                return False
        if outcome.final_url:
            self.scope.add(outcome.final_url)
            self.seen.add(outcome.final_url)
        if self.platform is None:
            self.platform = detect_platform(page) if page is not None else GENERIC
        self.result.platform = self.platform.name
        self._check_platform()
        self._absorb(outcome)
        return True

    def _check_platform(self) -> None:
        """A smart recrawl of a site whose platform changed becomes a full crawl: the stored
        link graph describes the old site."""
        before = self.smart.platform if self.smart else ""
        if before and self.result.platform and before != self.result.platform:
            self._full_after_all(f"{FULL_REASONS['platform']}: {before} → {self.result.platform}")

    def _full_after_all(self, reason: str) -> None:
        self.smart = None
        self.revalidate = set()
        self.result.mode = FULL_CRAWL
        self.result.mode_reason = reason

    def _seed_sitemaps(self, start: str, final: str) -> None:
        if not self.settings.use_sitemaps:
            return
        seeds: list[str] = []
        for origin in dict.fromkeys((origin_of(start), origin_of(final))):
            seeds += self._robots_for(origin).sitemaps
            seeds.append(f"{origin}/sitemap.xml")
        found = collect_sitemap_urls(
            self.fetcher,
            seeds,
            max_sitemaps=self.settings.max_sitemaps,
            max_bytes=self.settings.max_sitemap_bytes,
            allow=self._sitemap_allowed,
            deadline=self.deadline,
        )
        self.result.notes += found.notes
        self.sitemap_lastmod = found.lastmod
        if self.smart is not None:
            self.revalidate |= sitemap_changes(
                stored_lastmods(self.cache, self.doc_cache), found.lastmod,
                known=(*self.cache, *self.doc_cache))
        for url in found.urls:
            self._consider(url, 1, FROM_SITEMAP)

    def _sitemap_allowed(self, url: str) -> bool:
        if not self.scope.contains(url):
            return True  # robots.txt may point to sitemaps hosted elsewhere (RFC 9309 §2.2.4)
        return self._robots_allows(url)

    def _breadth_first(self) -> None:
        workers = max(1, self.settings.connections_per_host)
        in_flight: dict[Future[_Outcome], _Item] = {}
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="crawl") as pool:
            while self.frontier or in_flight:
                if time.monotonic() >= self.deadline:
                    break
                while self.frontier and len(in_flight) < workers:
                    item = self._next_item()
                    if item is None:
                        break
                    reused = self._reuse(item)
                    if reused is not None:
                        self._absorb(reused)  # no request: its links join the frontier now
                        continue
                    in_flight[pool.submit(self._work, item)] = item
                if not in_flight:
                    break
                done, _ = wait(
                    in_flight, timeout=self.deadline - time.monotonic(), return_when=FIRST_COMPLETED
                )
                for future in done:
                    del in_flight[future]
                    self._absorb(future.result())
            for future in in_flight:  # each of these stops at the deadline by itself
                self._absorb(future.result())
        if self.frontier:
            self._note_left_out("site_timeout reached", self.frontier[0].url, len(self.frontier))
            self.frontier.clear()

    def _next_item(self) -> _Item | None:
        """The next item within the page and document limits (the others are noted)."""
        while self.frontier:
            item = heapq.heappop(self.frontier)
            if item.kind == PAGE:
                if self.pages_started >= self.settings.max_pages:
                    self._note_left_out("max_pages reached", item.url)
                    continue
                self.pages_started += 1
            else:
                if self.documents_started >= self.settings.max_documents:
                    self._note_left_out("max_documents reached", item.url)
                    continue
                self.documents_started += 1
            return item
        return None

    def _reuse(self, item: _Item) -> _Outcome | None:
        """In a smart recrawl, the last run's copy of a URL it need not ask again (None: ask)."""
        if self.smart is None or item.url in self.revalidate:
            return None
        if item.kind == DOCUMENT or item.url in self.doc_cache:
            check = self.doc_cache.get(item.url)
            if check is None or not check.ok:  # a failed check is asked again: it may be fixed
                return None
            self.reused[DOCUMENT] += 1
            return _Outcome(item, document=reused_check(check))
        cached = self.cache.get(item.url)
        if cached is None or cached.shell or cached.status != 200:
            return None
        self.reused[PAGE] += 1
        return _Outcome(item, page=page_from_cache(cached, item.depth, reused=True),
                        final_url=cached.final_url or item.url)

    # --- what to follow -----------------------------------------------------------------

    def _consider(self, raw_url: str, depth: int, rank: int) -> None:
        """Queue a discovered URL if it is new, in bounds, not a trap and allowed."""
        if raw_url in self.seen:  # most links repeat (menus): skip them before normalising
            return
        url = normalize_url(raw_url)
        if url is None or url in self.seen:
            return
        self.seen.add(url)
        if image_kind(url):
            return  # an image is judged by what names it (alt, caption, file name), not fetched
        if document_kind(url):
            if self.scope.contains(url) and not self._robots_allows(url):
                self._note_left_out("disallowed by robots.txt", url)
                return
            self._push(_Item(depth, rank, next(self.sequence), url, DOCUMENT))
            return
        if not self.scope.contains(url):
            if host_rule_for(url, self.hosts):  # a Drive file, a Form, SiRUP …: verified
                self._push(_Item(depth, rank, next(self.sequence), url, DOCUMENT))
            return
        if depth > self.settings.max_depth:
            self._note_left_out("deeper than max_depth", url)
            return
        trap = self.traps.admit(url)
        if trap:
            self._note_left_out(f"crawler trap: {trap}", url)
            return
        skip = (self.platform or GENERIC).skip_reason(url)
        if skip:
            self._note_left_out(skip, url)
            return
        if not self._robots_allows(url):
            self._note_left_out("disallowed by robots.txt", url)
            return
        self._push(_Item(depth, rank, next(self.sequence), url, PAGE))

    def _push(self, item: _Item) -> None:
        heapq.heappush(self.frontier, item)

    def _robots_for(self, origin: str) -> RobotsPolicy:
        """The robots.txt policy of an origin, fetched once (from any thread)."""
        with self._robots_lock:
            policy = self._robots.get(origin)
            if policy is not None:
                return policy
            if not (self.settings.obey_robots or self.settings.use_sitemaps):
                policy = RobotsPolicy.allowing_all()
            else:
                policy = fetch_robots(self.fetcher, origin, self.deadline)
                if self.settings.obey_robots:
                    self._apply_crawl_delay(origin, policy)
                    if policy.note:
                        self.result.notes.append(f"{origin}: {policy.note}")
                else:  # read only for its Sitemap: lines
                    policy = RobotsPolicy(allow_all=True, sitemaps=policy.sitemaps)
            self._robots[origin] = policy
            return policy

    def _apply_crawl_delay(self, origin: str, policy: RobotsPolicy) -> None:
        delay = policy.crawl_delay(self.settings.user_agent)
        if delay is None:
            return
        capped = min(delay, self.settings.max_crawl_delay)
        if delay > capped:
            self.result.notes.append(
                f"{origin}: robots.txt Crawl-delay {delay:g}s capped at max_crawl_delay {capped:g}s"
            )
        host = host_of(origin)
        self.fetcher.host_delays[host] = max(self.settings.host_delay, capped)

    def _robots_allows(self, url: str) -> bool:
        if not self.settings.obey_robots:
            return True
        return self._robots_for(origin_of(url)).allowed(url, self.settings.user_agent)

    def _hop_check(self, url: str, start_hop: bool):
        """The redirect-hop check for a page fetch: robots.txt always; same site and not
        crawled otherwise, except on the start URL, whose redirects may move the site within
        the agency's registrable domain, to its port or 80/443 (``start_redirect_refusal``).

        A hop back into the URL's own chain is allowed (a redirect to itself that sets a
        cookie); a real loop ends at ``max_redirects`` in the fetcher.
        """
        chain = {url}

        def check(target: str) -> str | None:
            if start_hop:
                refusal = start_redirect_refusal(self.start_url, target) or (
                    self.fetcher.guard.check_url(target, self.settings.connect_timeout)
                )
                if refusal:
                    self._start_refusal = f"{refusal} (redirect of the start URL to {target})"
                    return refusal
            elif not self.scope.contains(target):
                return "off-site"
            if not self._robots_allows(target):
                return "disallowed by robots.txt"
            if not start_hop and target in self.seen and target not in chain:
                return "already seen"
            chain.add(target)
            return None

        return check

    def _browser_may_request(self, url: str) -> str | None:
        """None when a rendered page (or a JSON list's next page) may request ``url``: this
        site only, as robots.txt allows. The fetcher then applies the per-host limits."""
        if not self.scope.contains(url):
            return "another host"
        if not self._robots_allows(url):
            return "disallowed by robots.txt"
        return None

    def _document_hop_check(self, target: str) -> str | None:
        if self.scope.contains(target) and not self._robots_allows(target):
            return "disallowed by robots.txt"
        return None

    # --- fetching (worker threads) ------------------------------------------------------

    def _work(self, item: _Item, start_hop: bool = False) -> _Outcome:
        try:
            if item.kind == DOCUMENT or item.url in self.doc_cache:
                return _Outcome(item, document=self._verify(item.url))
            return self._fetch_page(item, start_hop)
        except BudgetExceeded:
            return _Outcome(item, out_of_time=True)

    def _verify(self, url: str) -> DocumentCheck:
        rule = None if self.scope.contains(url) else host_rule_for(url, self.hosts)
        if rule is not None:
            def fetch() -> DocumentCheck:
                return verify_host_link(
                    self.fetcher, url, rule, body_bytes=self.settings.host_check_bytes,
                    allow_hop=self._document_hop_check, deadline=self.deadline,
                )
            if self.shared_checks is None:
                return fetch()
            # asked the same way by another site of the run: the same answer
            key = (url, rule.name, self.fetcher.verify_tls, self.fetcher.guard.allowed)
            return self.shared_checks.answer(key, fetch)
        return verify_document(
            self.fetcher,
            url,
            probe_bytes=self.settings.document_probe_bytes,
            head_first=self.settings.document_head_first,
            cached=self.doc_cache.get(url),
            allow_hop=self._document_hop_check,
            deadline=self.deadline,
            title_bytes=self.settings.document_title_bytes if url in self.untitled else 0,
        )

    def _fetch_page(self, item: _Item, start_hop: bool) -> _Outcome:
        cached = self.cache.get(item.url)
        try:
            response = self.fetcher.follow(
                item.url,
                # A shell's HTML stays the same while its API's lists change: always re-read it.
                headers=(
                    conditional_headers(cached.etag, cached.last_modified)
                    if cached and not cached.shell else {}
                ),
                body_limit=self._untitled_body_limit if item.url in self.untitled else self._body_limit,
                allow_hop=self._hop_check(item.url, start_hop),
                deadline=self.deadline,
            )
        except FetchError as error:
            page = _failed_page(item, 0, str(error))
            page.redirects = error.redirects
            return _Outcome(item, page=page)
        return self._page_outcome(item, response, cached, start_hop)

    def _untitled_body_limit(self, status: int, headers: Mapping[str, str]) -> int:
        """As :meth:`_body_limit`, but a document is read up to ``document_title_bytes``."""
        limit = self._body_limit(status, headers)
        if content_type_kind(headers.get("Content-Type", ""), headers.get("Content-Disposition")):
            return max(limit, self.settings.document_title_bytes)
        return limit

    def _body_limit(self, status: int, headers: Mapping[str, str]) -> int:
        """Read an HTML page whole (up to max_page_bytes), a document only its first bytes,
        an error page just enough to keep the connection, anything else not at all."""
        content_type = headers.get("Content-Type", "")
        if content_type_kind(content_type, headers.get("Content-Disposition")):
            return self.settings.document_probe_bytes  # raised for untitled ones: see _fetch_page
        if status >= 400:
            return min(REDIRECT_BODY_BYTES, self.settings.max_page_bytes)
        if _is_html(content_type):
            return self.settings.max_page_bytes
        return 0

    def _page_outcome(
        self, item: _Item, response: Response, cached: Page | None, start_hop: bool = False
    ) -> _Outcome:
        final = normalize_url(response.url) or response.url
        hidden = not_public_reason(None, response.location or final, None, item.url)
        if hidden:  # "Unduh" → /login: a dead link, not the log-in page's content
            page = _failed_page(item, response.status, hidden, response.location or final)
            page.not_public = hidden
            page.redirects = list(response.redirects)
            return _Outcome(item, page=page, final_url=final)
        if response.location:  # a redirect we chose not to follow
            reason = self._unfollowed_redirect_reason(response.location, start_hop)
            return _Outcome(item, skipped=reason)
        if response.status == 304:
            if cached is None:
                return _Outcome(item, page=_failed_page(item, 304, "304 without a cached copy"))
            return _Outcome(
                item, page=page_from_cache(cached, item.depth), final_url=cached.final_url or final
            )
        headers = response.headers
        if content_type_kind(response.content_type, headers.get("Content-Disposition")):
            check = document_check_from_response(item.url, response, response.body)
            if check.ok and item.url in self.untitled:
                check.first_page = first_page_title(response.body, not response.truncated)
            return _Outcome(item, document=check, final_url=final)
        if response.status >= 400:
            page = _failed_page(item, response.status, f"http {response.status}", final)
            page.redirects = list(response.redirects)
            return _Outcome(item, page=page)
        if not _is_html(response.content_type):
            return _Outcome(
                item, final_url=final, skipped=f"not HTML ({response.content_type or 'no type'})"
            )
        try:
            page = extract_page(
                final, decode_html(response.body, response.content_type), item.depth
            )
        except Exception as exc:  # noqa: BLE001 - one unparsable page must not end the site's crawl
            return _Outcome(
                item, page=_failed_page(item, response.status, f"parse error: {exc!r}", final)
            )
        page.url = item.url
        page.status = response.status
        page.final_url = final
        page.content_type = response.content_type
        page.bytes = len(response.body)
        page.etag = headers.get("ETag")
        page.last_modified = headers.get("Last-Modified")
        page.fetched_at = datetime.now(UTC)
        keep_answer_evidence(page, response)
        unreadable = None
        if self.shells.wanted(page):
            page, unreadable = self.shells.complete(page)
        return _Outcome(
            item, page=page, final_url=final, truncated=response.truncated, unreadable=unreadable
        )

    def _unfollowed_redirect_reason(self, target: str, start_hop: bool = False) -> str:
        if start_hop and self._start_refusal:
            return self._start_refusal
        if not self.scope.contains(target):
            return "redirect off-site not followed"
        if target in self.seen:
            return "redirect to a URL crawled anyway"
        return "redirect disallowed by robots.txt"

    # --- results (scheduler thread) -----------------------------------------------------

    def _absorb(self, outcome: _Outcome) -> None:
        item = outcome.item
        if outcome.out_of_time:
            self._note_left_out("site_timeout reached", item.url)
            return
        if outcome.final_url:
            self.seen.add(outcome.final_url)
        if outcome.document is not None:
            self.result.documents[item.url] = outcome.document
            return
        if outcome.skipped:
            self._note_left_out(outcome.skipped, item.url)
            return
        page = outcome.page
        if page is None:
            return
        self._count_timeouts(page)
        self.result.pages.append(page)
        if outcome.unreadable:
            self._note_left_out(f"app shell not read: {outcome.unreadable}", item.url)
        if outcome.truncated:
            self._note_left_out("page cut at max_page_bytes", item.url)
        if page.status in (200, 203, 206) or page.from_cache:
            for link in page.links:
                if link.media != "image":  # shown on the page, judged by its alt text
                    self._note_untitled(link)
                    self._consider(link.url, item.depth + 1, FROM_LINK)

    def _note_untitled(self, link) -> None:
        """Remember a PDF whose first page is worth reading: its link's text and file name say
        nothing ("Unduh" → dokumen-12.pdf), or it is hosted on another site (whose document it
        may be: the first page names its region). A URL already seen through another link is
        verified once, as first seen."""
        if link.url in self.seen or not self.settings.document_title_bytes:
            return
        says_nothing = (is_generic_anchor(link.text) and is_generic_anchor(link.title)
                        and file_name_says_nothing(link.url))
        elsewhere = document_kind(link.url) == "pdf" and not self.scope.contains(link.url)
        if says_nothing or elsewhere:
            self.untitled.add(normalize_url(link.url) or link.url)

    def _count_timeouts(self, page: Page) -> None:
        """Leave a site that stalls: after ``max_timeouts_in_row`` requests in a row cut at
        page_timeout, the rest of its frontier is dropped (noted) for this run."""
        if page.status == 0 and (page.error or "").startswith("page_timeout exceeded"):
            self.timeouts_in_row += 1
        else:
            self.timeouts_in_row = 0
            return
        if self.timeouts_in_row >= max(1, self.settings.max_timeouts_in_row) and self.frontier:
            reason = f"site stalls ({self.timeouts_in_row} requests in a row cut at page_timeout)"
            self._note_left_out(reason, self.frontier[0].url, len(self.frontier))
            self.frontier.clear()

    def _note_sitemap_lastmod(self) -> None:
        """Keep each URL's sitemap ``lastmod`` for the next smart recrawl. When no sitemap
        could be read this time, reused copies keep what the last run saw."""
        if not self.sitemap_lastmod:
            return
        for page in self.result.pages:
            page.sitemap_lastmod = self.sitemap_lastmod.get(page.url)
        for check in self.result.documents.values():
            check.sitemap_lastmod = self.sitemap_lastmod.get(check.url)

    def _note_left_out(self, reason: str, url: str, count: int = 1) -> None:
        self.left_out[reason] += count
        self.left_out_example.setdefault(reason, url)

    def _finish(self) -> None:
        self.result.notes += self.shells.notes()
        self._note_sitemap_lastmod()
        if self.reused:
            self.result.notes.append(
                f"smart recrawl: {self.reused[PAGE]} page(s) and {self.reused[DOCUMENT]} "
                f"document(s) taken from the last run without asking; "
                f"{len(self.revalidate)} URL(s) asked again as possibly changed")
        for reason, count in self.left_out.most_common():
            self.result.notes.append(
                f"left out {count} URL(s): {reason} (e.g. {self.left_out_example[reason]})"
            )
        self.result.requests = self.fetcher.stats.requests
        self.result.body_bytes = self.fetcher.stats.body_bytes
        self.result.finished_at = datetime.now(UTC)


def _is_html(content_type: str) -> bool:
    """HTML, or no Content-Type at all (old servers; the parser copes with anything)."""
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime in HTML_TYPES or mime == ""


def _failed_page(item: _Item, status: int, error: str, final_url: str = "") -> Page:
    return Page(
        url=item.url,
        status=status,
        final_url=final_url,
        depth=item.depth,
        error=error,
        fetched_at=datetime.now(UTC),
    )


def keep_answer_evidence(page: Page, response: Response) -> None:
    """Keep on ``page`` the evidence of its answer: the redirect hops followed and the
    SHA-256 of its body (``Response.body_digest``), for the finding's evidence bundle."""
    page.redirects = list(response.redirects)
    page.sha256, page.sha256_bytes, page.sha256_whole = response.body_digest()


def page_from_cache(cached: Page, depth: int, reused: bool = False) -> Page:
    """The previous run's page, confirmed unchanged by a 304 (or, ``reused``, taken unasked
    by a smart recrawl: it keeps the time it was last fetched): its links are reused."""
    return Page(
        **{
            **cached.__dict__,
            "depth": depth,
            "bytes": 0,
            "from_cache": True,
            "reused": reused,
            "fetched_at": cached.fetched_at if reused else datetime.now(UTC),
        }
    )


def reused_check(cached: DocumentCheck) -> DocumentCheck:
    """The previous run's document check, taken unasked by a smart recrawl."""
    return DocumentCheck(**{**cached.__dict__, "from_cache": True, "reused": True})
