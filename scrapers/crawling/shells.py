"""Reading the pages whose HTML is not the page: render them, or read the JSON they are built from.

For each fetched HTML page the crawler asks :meth:`ShellReader.wanted`; the site's registry
``render`` mode decides:

- ``auto`` (default): a shell page (``Page.shell``, see ``scrapers.detection.shell``) is
  rendered in the worker's shared browser (``scrapers.crawling.render``);
- ``always``: every page is rendered (an app whose shell the detection does not recognise);
- ``never``: nothing is rendered.

A rendered page is re-extracted from the browser's DOM (``Page.rendered``), and the JSON
answers the page read while it was built are read as publications
(``scrapers.detection.inline_data``, the one JSON → publications module), their further
pages (``scrapers.detection.json_pages``) fetched by the crawler. Without a browser (none
installed, ``render: never``, the site's ``render_max_pages`` used up, a failed render), the
JSON endpoints the shell names in its HTML are read instead. A shell that gives nothing either
way cannot be checked: :meth:`ShellReader.complete` says why, and a start page that cannot be
read makes the site ``unreachable`` with that reason, never "30 × missing".

Every request, the browser's included, is made by the crawler's :class:`Fetcher` (per-host
delay, connection limit, site deadline) after the crawler's robots.txt and same-site checks.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from core.registry import RENDER_MODES
from core.settings import CrawlSettings
from scrapers.crawling.fetch import Fetcher, FetchError
from scrapers.crawling.politeness import BudgetExceeded
from scrapers.crawling.render import BrowserUnavailable, Fetched, Renderer, shared_renderer
from scrapers.detection.extract import extract_page
from scrapers.detection.inline_data import publications_from_json
from scrapers.detection.json_pages import next_page_url, parse_json
from scrapers.detection.shell import PARTIAL
from scrapers.model import Link, Page

AUTO, ALWAYS, NEVER = RENDER_MODES
JSON_ACCEPT = {"Accept": "application/json, text/plain;q=0.9, */*;q=0.5",
               "X-Requested-With": "XMLHttpRequest"}


@dataclass
class ShellStats:
    """What reading shell pages cost one site, for its crawl notes."""

    rendered: int = 0
    browser_requests: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    json_lists: int = 0
    json_pages: int = 0
    failures: list[str] = field(default_factory=list)


class ShellReader:
    """Renders or reads the JSON of one site's shell pages, within its budget."""

    def __init__(
        self,
        settings: CrawlSettings,
        fetcher: Fetcher,
        *,
        mode: str,
        allow: Callable[[str], str | None],
        deadline: float,
        renderer: Renderer | None = None,
    ) -> None:
        if mode not in RENDER_MODES:
            raise ValueError(f"render mode {mode!r} is not one of {', '.join(RENDER_MODES)}")
        self.settings = settings
        self.fetcher = fetcher
        self.mode = mode
        self.allow = allow
        self.deadline = deadline
        self._renderer = renderer
        self._renders_left = settings.render_max_pages
        self._lock = threading.Lock()
        self.stats = ShellStats()

    def wanted(self, page: Page) -> bool:
        """Does this page need more than its HTML: a shell (or any page with ``always``)?"""
        if self.mode == ALWAYS:
            return True
        return bool(page.shell)

    def complete(self, page: Page) -> tuple[Page, str | None]:
        """The page as a person would see it, and why a shell could not be read (else None):
        no browser, ``render: never``, the render budget used up, a failed render — and its
        JSON endpoints, if it names any, gave no publication either.

        The returned page keeps the fetch's fields (status, ETag …) and ``shell``; a rendered
        one has ``rendered`` set and the DOM's title, headings and links.
        """
        problem = None
        if self.mode != NEVER:
            rendered, problem = self._render(page)
            if rendered is not None:
                return rendered, None
        else:
            problem = "the registry says render: never"
        if not page.shell:
            return page, None  # "always" on a page that has its content anyway
        links = self._endpoint_links(page)
        page.links = _merged(page.links, links)
        if page.shell.startswith(PARTIAL) or any(link.via for link in page.links):
            # Read as far as it can be without a browser: its inline state (``__DATA__``,
            # ``__NEXT_DATA__``), scripted links or the JSON endpoints it names.
            return page, None
        return page, problem

    # --- rendering --------------------------------------------------------------------------

    def _renderer_or_problem(self) -> tuple[Renderer | None, str | None]:
        renderer = self._renderer or shared_renderer(self.settings)
        if renderer.unavailable:
            return None, renderer.unavailable
        with self._lock:
            if self._renders_left <= 0:
                return None, f"render_max_pages ({self.settings.render_max_pages}) reached"
            self._renders_left -= 1
        return renderer, None

    def _render(self, page: Page) -> tuple[Page | None, str | None]:
        renderer, problem = self._renderer_or_problem()
        if renderer is None:
            return None, problem
        timeout = min(self.settings.render_timeout, self.deadline - time.monotonic())
        if timeout <= 0:
            return None, "site_timeout reached"
        url = page.final_url or page.url
        try:
            result = renderer.render(
                url, self._browser_fetch, self.allow, timeout=timeout,
                max_requests=self.settings.render_max_requests,
            )
        except BrowserUnavailable as exc:
            return None, str(exc)
        with self._lock:
            self.stats.browser_requests += result.requests
            self.stats.refused.update(result.refused)
        if not result.html:
            self._failed(f"{url}: {result.error or 'empty DOM'}")
            return None, f"render failed: {result.error or 'empty DOM'}"
        if result.error:
            self._failed(f"{url}: {result.error} (DOM read as it was)")
        html = result.html[: self.settings.max_page_bytes]  # a DOM is bounded like a page body
        seen = extract_page(result.final_url or url, html, page.depth)
        answers = dict(result.json_answers)
        read: set[str] = set()
        json_links: list[Link] = []
        for answer_url in answers:
            if answer_url not in read:
                json_links += self.read_json_list(answer_url, answers, read)
        fields = {k: getattr(page, k) for k in ("url", "status", "final_url", "content_type",
                                                 "bytes", "etag", "last_modified", "fetched_at",
                                                 "shell", "api_urls", "redirects", "sha256",
                                                 "sha256_bytes", "sha256_whole")}
        seen.__dict__.update(fields)
        seen.rendered = True
        seen.links = _merged(seen.links, json_links)
        with self._lock:
            self.stats.rendered += 1
        return seen, None

    def _browser_fetch(self, url: str, method: str, headers: dict[str, str]) -> Fetched:
        """One browser request made by the crawler, redirects followed where allowed."""
        response = self.fetcher.follow(
            url, method=method, headers=headers, body_limit=self.settings.max_page_bytes,
            allow_hop=self.allow, deadline=self.deadline,
        )
        return Fetched(response.status, dict(response.headers), response.body)

    def _failed(self, text: str) -> None:
        with self._lock:
            self.stats.failures.append(text)

    # --- JSON lists ---------------------------------------------------------------------------

    def _endpoint_links(self, page: Page) -> list[Link]:
        links: list[Link] = []
        for url in page.api_urls:
            if self.allow(url) is None:
                links += self.read_json_list(url, {}, set())
        return links

    def read_json_list(self, url: str, known: dict[str, bytes], read: set[str]) -> list[Link]:
        """Publications of a JSON list at ``url``, following its pagination up to
        ``max_api_pages`` pages on allowed URLs. ``known`` holds answers the browser already
        fetched (by URL), which are not asked for again; ``read`` collects the URLs read."""
        links: list[Link] = []
        for number in range(self.settings.max_api_pages):
            read.add(url)
            body = known.get(url)
            if body is None:
                body = self._get_json(url)
            data = parse_json(body) if body is not None else None
            if data is None:
                break
            found = [p.to_link() for p in publications_from_json(data, url)]
            with self._lock:
                self.stats.json_pages += 1
                self.stats.json_lists += number == 0
            links += found
            following = next_page_url(data, url)
            if not found or following is None or following in read or self.allow(following):
                break
            url = following
        return links

    def _get_json(self, url: str) -> bytes | None:
        try:
            response = self.fetcher.follow(
                url, headers=JSON_ACCEPT, body_limit=self.settings.max_page_bytes,
                allow_hop=self.allow, deadline=self.deadline,
            )
        except (FetchError, BudgetExceeded):
            return None
        if response.status != 200 or response.truncated:
            return None
        return response.body

    def notes(self) -> list[str]:
        """What reading shell pages did, for the crawl's notes."""
        s = self.stats
        notes = []
        if s.rendered:
            refused = ", ".join(f"{reason} {n}" for reason, n in s.refused.most_common(5))
            notes.append(f"rendered {s.rendered} page(s) in a browser: {s.browser_requests} "
                         f"request(s) made by the crawler" + (f"; refused: {refused}" if refused else ""))
        if s.json_pages:
            notes.append(f"read {s.json_pages} page(s) of {s.json_lists} JSON list(s)")
        notes += [f"render problem: {text}" for text in s.failures[:3]]
        return notes


def _merged(links: list[Link], more: list[Link]) -> list[Link]:
    """``links`` then those of ``more`` whose (URL, text) is new."""
    seen = {(link.url, link.text) for link in links}
    merged = list(links)
    for link in more:
        if (link.url, link.text) not in seen:
            seen.add((link.url, link.text))
            merged.append(link)
    return merged
