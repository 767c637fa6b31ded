"""The browser: a real headless Chromium whose every request the test's fetch function makes."""

from __future__ import annotations

import asyncio
import threading

import pytest
import requests

from core.settings import CrawlSettings
from scrapers.crawling.render import Fetched, Renderer, browser_problem
from tests.loopback import Reply
from tests.shell_app import shell_app

pytestmark = pytest.mark.browser


def plain_fetch(calls: list[str]):
    """A fetch function over ``requests`` that records what the browser asked for."""
    lock = threading.Lock()

    def fetch(url: str, method: str, headers: dict[str, str]) -> Fetched:
        with lock:
            calls.append(f"{method} {url}")
        answer = requests.request(method, url, headers=headers, timeout=5)
        return Fetched(answer.status_code, dict(answer.headers), answer.content)

    return fetch


def test_renders_the_shell_and_captures_the_json_it_reads(renderer):
    calls: list[str] = []
    with shell_app() as app:
        result = renderer.render(app.url("/"), plain_fetch(calls), lambda url: None, timeout=20, max_requests=50)
        paths = app.paths()
    assert result.error is None
    assert "<h1>Informasi Berkala</h1>" in result.html
    assert "lkjip-2025.pdf" in result.html
    assert result.final_url == app.url("/")
    assert [url for url, _ in result.json_answers] == [
        app.url("/api/dokumen?page=1"), app.url("/api/private/statistik")]
    # Every request the server saw came through the fetch function; images and POSTs never did.
    own = [call.split(" ", 1)[1] for call in calls if call.startswith(f"GET {app.origin}/")]
    assert sorted(paths) == sorted(url.removeprefix(app.origin) for url in own)
    assert "GET http://127.0.0.2:9/tracker.js" in calls  # allowed here, so asked of fetch
    assert "/logo.png" not in paths and "/api/hit" not in paths
    assert result.refused["image"] == 1
    assert result.refused["POST request"] == 1


def test_the_callers_allow_check_refuses_requests(renderer):
    calls: list[str] = []
    with shell_app() as app:
        def allow(url: str) -> str | None:
            return "disallowed by robots.txt" if "/api/private/" in url else None

        result = renderer.render(app.url("/"), plain_fetch(calls), allow, timeout=20, max_requests=50)
        paths = app.paths()
    assert "/api/private/statistik" not in paths
    assert result.refused["disallowed by robots.txt"] == 1


def test_redirects_are_followed_by_the_fetch_never_by_the_browser(renderer):
    calls: list[str] = []

    def no_redirects(url: str, method: str, headers: dict[str, str]) -> Fetched:
        calls.append(url)
        answer = requests.request(method, url, headers=headers, timeout=5, allow_redirects=False)
        return Fetched(answer.status_code, dict(answer.headers), answer.content)

    with shell_app() as app:
        app.route("/lama", Reply(302, b"", {"Location": "/"}, content_type=None))
        followed = renderer.render(app.url("/lama"), plain_fetch([]), lambda url: None,
                                   timeout=20, max_requests=50)
        refused = renderer.render(app.url("/lama"), no_redirects, lambda url: None,
                                  timeout=20, max_requests=50)
        paths = app.paths()
    assert "Informasi Berkala" in followed.html
    assert calls == [app.url("/lama")]
    assert refused.refused["redirect not followed"] == 1
    assert paths.count("/") == 1  # the browser itself never followed the 302


def test_request_cap_and_timeout_bound_a_render(renderer):
    calls: list[str] = []
    with shell_app() as app:
        result = renderer.render(app.url("/"), plain_fetch(calls), lambda url: None,
                                 timeout=20, max_requests=1)
        assert calls == [f"GET {app.url('/')}"]
        assert result.refused["render_max_requests reached"] >= 1
        assert "Informasi Berkala" not in result.html
        slow = renderer.render(app.url("/"), plain_fetch([]), lambda url: None,
                               timeout=0.001, max_requests=50)
    assert slow.error is not None


def test_no_browser_is_named_not_raised():
    settings = CrawlSettings(browser_path="/nonexistent/chromium")
    assert browser_problem(settings).startswith("no browser at /nonexistent/chromium")
    assert browser_problem(CrawlSettings(render_enabled=False)).startswith("rendering switched off")
    with pytest.raises(Exception, match="no browser at"):
        Renderer(settings).start()


def test_a_crashed_browser_fails_the_render_and_the_next_one_starts_afresh():
    """The browser is gone before the render, but still says it is connected (as a browser
    that is closing does for a moment): the failed render finds out by asking for a new
    context, and the next render starts a new browser."""
    calls: list[str] = []
    with Renderer(CrawlSettings(render_timeout=30.0)) as own, shell_app() as app:
        own.start()
        asyncio.run_coroutine_threadsafe(own._browser.close(), own._loop).result(timeout=30)
        own._browser.is_connected = lambda: True
        crashed = own.render(app.url("/"), plain_fetch(calls), lambda url: None,
                             timeout=20, max_requests=50)
        again = own.render(app.url("/"), plain_fetch(calls), lambda url: None,
                           timeout=20, max_requests=50)
    assert crashed.error and crashed.error.startswith("browser:")
    assert again.error is None and "Informasi Berkala" in again.html
