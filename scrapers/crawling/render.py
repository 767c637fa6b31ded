"""Rendering a page in headless Chromium, with every browser request made by the crawler.

Some PPID sites send an empty app shell (``scrapers.detection.shell``) and build the page in
the browser from a JSON API. :class:`Renderer` opens such a page in headless Chromium
(Playwright driving Debian's ``/usr/bin/chromium``; nothing is downloaded) and returns the
DOM a person would see, plus the JSON answers the page read while it was built.

The browser never touches the network itself. Every request it makes is intercepted
(``BrowserContext.route``) and handed to the caller's ``fetch`` function, which is the
crawler's own :class:`~scrapers.crawling.fetch.Fetcher` behind its robots.txt, scope and
per-host delay checks; the answer is given back to the browser with ``route.fulfill``.
Images, fonts and media are refused before they are asked for, and so is any request the
caller's ``allow`` check refuses (another host, robots.txt); a rendered page may make at
most ``render_max_requests`` requests (the site's settings). WebSockets and service workers are refused, and the
browser is started with a proxy that does not exist, so a request that somehow escaped the
interception fails instead of leaving the machine.

One browser per worker process, shared by every site the worker crawls (:func:`shared_renderer`),
started when the first page needs it and closed at exit; at most ``render_pages`` pages are
open in it at once. Playwright's objects belong to one event loop, so the browser lives in a
thread of its own and callers (crawler threads) wait for their render's result.
"""

from __future__ import annotations

import asyncio
import atexit
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path

from core.settings import CrawlSettings

BLOCKED_TYPES = frozenset({"image", "font", "media", "imageset", "texttrack", "beacon", "ping",
                           "websocket", "manifest", "eventsource"})
"""Resource types a rendered page never gets: they carry no list of publications."""
SHOT_BLOCKED_TYPES = frozenset({"media", "texttrack", "beacon", "ping", "websocket", "manifest",
                                "eventsource"})
"""Resource types refused while a page is rendered for a screenshot: images and fonts are
fetched (by the crawler, like every request) so the picture is what a person sees."""
JSON_TYPES = ("application/json", "text/json", "+json", "application/javascript-json")
BROWSER_ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-domain-reliability", "--disable-quic", "--dns-prefetch-disable",
    "--mute-audio", "--metrics-recording-only",
)
NOWHERE_PROXY = "http://127.0.0.1:9"
"""Every request the browser makes is fulfilled by the crawler; one that is not would go to
this proxy (the discard port, nothing listens) and fail rather than reach the network."""


@dataclass
class Fetched:
    """What the caller's fetch brought back for one browser request."""

    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Rendered:
    """One rendered page: the DOM after scripts ran and the JSON answers the page read."""

    url: str
    final_url: str = ""
    html: str = ""
    json_answers: list[tuple[str, bytes]] = field(default_factory=list)
    """(URL, body) of every JSON answer the page fetched while it was built."""
    requests: int = 0
    """Requests the page made that the crawler fetched."""
    refused: Counter[str] = field(default_factory=Counter)
    """Requests refused, by reason (``image``, ``another host``, ``robots.txt`` …)."""
    error: str | None = None
    """Why the render failed (timeout, browser crash); the DOM so far may still be in ``html``."""
    png: bytes = b""
    """The screenshot, when one was asked for (:meth:`Renderer.screenshot`)."""


FetchFn = Callable[[str, str, dict[str, str]], Fetched]
"""``fetch(url, method, headers)``: the crawler's request with its redirects followed, each hop
checked like the first (raises on a network error). Chromium does not send the request that
follows a redirect given to ``route.fulfill`` back through the interception, so the browser is
never handed a redirect; an answer that is still one (a refused hop) is refused."""
AllowFn = Callable[[str], str | None]
"""``allow(url)``: None when the browser may request ``url``, else why not."""


class BrowserUnavailable(RuntimeError):
    """No browser can be started here (Playwright not installed, Chromium missing, launch failed)."""


def browser_problem(settings: CrawlSettings) -> str | None:
    """Why no browser can be used with ``settings`` (checked without starting one), or None."""
    if not settings.render_enabled:
        return "rendering switched off (crawl.render_enabled)"
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install 'pantau-ppid[render]')"
    path = settings.browser_path
    if not (Path(path).is_file() or shutil.which(path)):
        return f"no browser at {path} (apt-get install chromium, or set crawl.browser_path)"
    return None


class Renderer:
    """A headless Chromium shared by the crawls of one worker process.

    ``render(url, fetch, allow, timeout)`` may be called from any thread. The browser is
    started on first use; if it cannot be, :attr:`unavailable` says why and every later
    ``render`` raises :class:`BrowserUnavailable` at once.
    """

    def __init__(self, settings: CrawlSettings) -> None:
        self.settings = settings
        self.unavailable: str | None = browser_problem(settings)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._playwright = None
        self._browser = None
        self._pages: asyncio.Semaphore | None = None
        self._fetch_pool: ThreadPoolExecutor | None = None
        self.renders = 0
        """Pages rendered by this browser so far (all sites)."""

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Start the browser now (``render`` does it on first use). Raises BrowserUnavailable."""
        with self._lock:
            if self.unavailable:
                raise BrowserUnavailable(self.unavailable)
            if self._browser is not None:
                return
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="pantau-browser", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread
            self._fetch_pool = ThreadPoolExecutor(
                max_workers=max(2, self.settings.render_pages * 4), thread_name_prefix="render-fetch"
            )
            try:
                asyncio.run_coroutine_threadsafe(self._launch(), loop).result(
                    timeout=self.settings.render_timeout
                )
            except Exception as exc:  # noqa: BLE001 - any launch failure means "no browser"
                self.unavailable = f"browser failed to start: {_first_line(exc)}"
                self._stop_loop()
                raise BrowserUnavailable(self.unavailable) from exc

    async def _launch(self) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=self.settings.browser_path,
            args=list(BROWSER_ARGS),
            proxy={"server": NOWHERE_PROXY, "bypass": ""},
            timeout=self.settings.render_timeout * 1000,
        )
        self._pages = asyncio.Semaphore(max(1, self.settings.render_pages))

    def close(self) -> None:
        """Close the browser and its thread; a later ``render`` starts a new one."""
        with self._lock:
            if self._loop is None:
                return
            if self._browser is not None:
                future = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
                try:
                    future.result(timeout=30)
                except Exception:  # noqa: BLE001 - closing a crashed browser may fail; go on
                    pass
            self._stop_loop()

    async def _shutdown(self) -> None:
        try:
            await self._browser.close()
        finally:
            await self._playwright.stop()

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._browser = self._playwright = self._pages = None
        self._loop = self._thread = None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None:
                thread.join(timeout=10)
            loop.close()
        if self._fetch_pool is not None:
            self._fetch_pool.shutdown(wait=False, cancel_futures=True)
            self._fetch_pool = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- rendering ------------------------------------------------------------------------

    def render(
        self, url: str, fetch: FetchFn, allow: AllowFn, *, timeout: float, max_requests: int
    ) -> Rendered:
        """Open ``url`` in a fresh browser context, wait until the page is built (network
        idle) or ``timeout`` seconds passed, and return its DOM. The page may make at most
        ``max_requests`` requests (the site's budget). Raises BrowserUnavailable."""
        self.start()
        loop = self._loop
        assert loop is not None
        started = time.monotonic()
        future = asyncio.run_coroutine_threadsafe(self._render(url, fetch, allow, timeout, max_requests), loop
        )
        try:
            # The coroutine keeps its own time; this bound only covers a browser that hangs.
            return future.result(timeout=timeout + 15)
        except FutureTimeout:
            future.cancel()
            return Rendered(url=url, error=f"render timed out after {time.monotonic() - started:.0f}s")
        except Exception as exc:  # noqa: BLE001 - a crashed browser fails this render, not the crawl
            if self._browser_gone():
                self.close()  # the next render starts a new browser
            return Rendered(url=url, error=f"browser: {_first_line(exc)}")

    def screenshot(
        self, url: str, fetch: FetchFn, allow: AllowFn, *, timeout: float, max_requests: int,
        width: int, max_height: int,
    ) -> Rendered:
        """As :meth:`render`, and a PNG of the page (``Rendered.png``) ``width`` CSS pixels wide,
        the whole page down to at most ``max_height`` pixels. Images and fonts are fetched
        (through ``fetch``, as every request); media and beacons are not."""
        self.start()
        loop = self._loop
        assert loop is not None
        shot = (width, max_height)
        future = asyncio.run_coroutine_threadsafe(
            self._render(url, fetch, allow, timeout, max_requests, shot), loop)
        try:
            return future.result(timeout=timeout + 15)
        except FutureTimeout:
            future.cancel()
            return Rendered(url=url, error=f"screenshot timed out after {timeout:.0f}s")
        except Exception as exc:  # noqa: BLE001 - a crashed browser fails this capture only
            if self._browser_gone():
                self.close()
            return Rendered(url=url, error=f"browser: {_first_line(exc)}")

    def _browser_gone(self) -> bool:
        """Whether the browser can no longer be used, asked after a render failed: it is
        disconnected, or it refuses a new context (a browser that is closing says so only
        later through ``is_connected``, and the next render would fail the same way)."""
        browser, loop = self._browser, self._loop
        if browser is None or loop is None:
            return False
        if not browser.is_connected():
            return True

        async def probe() -> None:
            context = await browser.new_context()
            await context.close()

        try:
            asyncio.run_coroutine_threadsafe(probe(), loop).result(timeout=10)
        except Exception:  # noqa: BLE001 - refused, crashed or hung: a new browser is needed
            return True
        return False

    async def _render(
        self, url: str, fetch: FetchFn, allow: AllowFn, timeout: float, max_requests: int,
        shot: tuple[int, int] | None = None,
    ) -> Rendered:
        assert self._pages is not None and self._browser is not None
        result = Rendered(url=url)
        deadline = time.monotonic() + timeout
        async with self._pages:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                result.error = "no time left to render"
                return result
            context = await self._browser.new_context(
                user_agent=self.settings.user_agent,
                service_workers="block",
                accept_downloads=False,
                java_script_enabled=True,
                locale="id-ID",
                ignore_https_errors=True,  # fetches are made (and TLS checked) by the crawler
                **({"viewport": {"width": shot[0], "height": 900}} if shot else {}),
            )
            try:
                blocked = SHOT_BLOCKED_TYPES if shot else BLOCKED_TYPES
                await context.route(
                    "**/*", self._router(result, fetch, allow, deadline, max_requests, blocked)
                )
                await context.route_web_socket("**/*", _refuse_web_socket)
                page = await context.new_page()
                self.renders += 1
                await self._load(page, url, result, deadline)
                if shot:
                    await _take_screenshot(page, result, shot, deadline)
            finally:
                await context.close()
        return result

    async def _load(self, page, url: str, result: Rendered, deadline: float) -> None:
        from playwright.async_api import Error as PlaywrightError

        try:
            await page.goto(url, wait_until="load", timeout=_ms_left(deadline))
            await page.wait_for_load_state("networkidle", timeout=_ms_left(deadline))
        except PlaywrightError as exc:
            result.error = f"render: {_first_line(exc)}"
        try:
            result.final_url = page.url
            result.html = await page.content()
        except PlaywrightError as exc:
            result.error = result.error or f"render: {_first_line(exc)}"

    def _router(
        self, result: Rendered, fetch: FetchFn, allow: AllowFn, deadline: float, max_requests: int,
        blocked: frozenset[str] = BLOCKED_TYPES,
    ):
        loop = self._loop

        async def handle(route, request) -> None:
            kind = request.resource_type
            reason = None
            if kind in blocked:
                reason = kind
            elif request.method not in ("GET", "HEAD"):
                reason = f"{request.method} request"
            elif result.requests >= max_requests:
                reason = "render_max_requests reached"
            elif time.monotonic() >= deadline:
                reason = "render_timeout reached"
            else:
                reason = allow(request.url)
            if reason is not None:
                result.refused[reason] += 1
                await route.abort("blockedbyclient")
                return
            result.requests += 1
            headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_HEADERS}
            try:
                answer = await loop.run_in_executor(
                    self._fetch_pool, fetch, request.url, request.method, headers
                )
            except Exception as exc:  # noqa: BLE001 - a failed fetch is a failed request
                result.refused[f"fetch failed: {_first_line(exc)}"] += 1
                await route.abort("failed")
                return
            if 300 <= answer.status < 400:
                result.refused["redirect not followed"] += 1
                await route.abort("blockedbyclient")
                return
            if _is_json(answer.headers) and 200 <= answer.status < 300:
                result.json_answers.append((request.url, answer.body))
            await route.fulfill(
                status=answer.status, headers=_passed_on(answer.headers), body=answer.body
            )

        return handle


async def _take_screenshot(page, result: Rendered, shot: tuple[int, int], deadline: float) -> None:
    """A PNG of the page as loaded, the whole page down to ``shot[1]`` pixels (a page that
    never ends is cut there)."""
    from playwright.async_api import Error as PlaywrightError

    width, max_height = shot
    try:
        height = await page.evaluate(
            "() => Math.max(document.documentElement.scrollHeight, document.body ? "
            "document.body.scrollHeight : 0)")
        height = max(1, min(int(height or 900), max_height))
        result.png = await page.screenshot(
            full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height},
            timeout=_ms_left(deadline), animations="disabled")
    except PlaywrightError as exc:
        result.error = result.error or f"screenshot: {_first_line(exc)}"


FORWARDED_HEADERS = frozenset({"accept", "content-type", "x-requested-with", "x-inertia",
                               "x-inertia-version", "authorization", "referer"})
"""Request headers the page sets that change the answer (an Inertia or AJAX request)."""


async def _refuse_web_socket(ws) -> None:
    """A WebSocket the page opens gets no server: nothing is sent anywhere."""
    await ws.close()


HOP_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection",
                         "keep-alive"})
"""Headers of the crawler's answer that no longer describe the (decoded, whole) body."""


def _passed_on(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS}


def _is_json(headers: dict[str, str]) -> bool:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return any(kind in content_type.lower() for kind in JSON_TYPES)


def _ms_left(deadline: float) -> float:
    return max(1.0, (deadline - time.monotonic()) * 1000)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


_shared: Renderer | None = None
_shared_lock = threading.Lock()


def shared_renderer(settings: CrawlSettings) -> Renderer:
    """The worker process's one browser (created on first call, closed at exit).

    Its browser settings (path, pages at once) are those of the first call's ``settings``.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Renderer(settings)
            atexit.register(_shared.close)
        return _shared
