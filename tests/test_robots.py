import pytest

from core.settings import CrawlSettings
from scrapers.crawling.fetch import Fetcher
from scrapers.crawling.politeness import HostThrottle
from scrapers.crawling.robots import RobotsPolicy, fetch_robots
from tests.loopback import LoopbackServer, Reply, loopback_guard, redirect

UA = CrawlSettings().user_agent
ROBOTS = b"""
User-agent: *
Disallow: /admin/
Crawl-delay: 3
Sitemap: /sitemap_index.xml
Sitemap: https://cdn.example.go.id/sitemap.xml

User-agent: PantauPPID
Disallow: /private/
Crawl-delay: 2
"""


def policy(status: int, body: bytes = b"") -> RobotsPolicy:
    return RobotsPolicy.from_answer(status, body, "text/plain", "http://x.go.id/robots.txt")


def test_rules_for_our_user_agent_group():
    rules = policy(200, ROBOTS)
    assert not rules.allowed("http://x.go.id/private/a", UA)
    assert rules.allowed("http://x.go.id/admin/", UA)  # the * group does not apply to us
    assert not rules.allowed("http://x.go.id/admin/", "SomeOtherBot/1.0")
    assert rules.crawl_delay(UA) == 2
    assert rules.note is None


def test_sitemap_lines_resolved():
    assert policy(200, ROBOTS).sitemaps == [
        "http://x.go.id/sitemap_index.xml",
        "https://cdn.example.go.id/sitemap.xml",
    ]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_4xx_allows_everything(status):
    rules = policy(status, b"User-agent: *\nDisallow: /")
    assert rules.allowed("http://x.go.id/anything", UA)
    assert rules.note is None


@pytest.mark.parametrize("status", [429, 500, 503])
def test_5xx_and_429_disallow_everything_with_a_note(status):
    rules = policy(status)
    assert not rules.allowed("http://x.go.id/", UA)
    assert str(status) in rules.note and "disallow" in rules.note


def test_empty_or_html_robots_allows_everything():
    assert policy(200, b"").allowed("http://x.go.id/a", UA)
    assert policy(200, b"<html><body>Selamat datang</body></html>").allowed("http://x.go.id/a", UA)


def fetcher() -> Fetcher:
    return Fetcher(CrawlSettings(host_delay=0, retry_backoff=0.01), throttle=HostThrottle(), guard=loopback_guard())


def test_fetch_follows_redirects():
    routes = {
        "/robots.txt": redirect("/real-robots.txt", 301),
        "/real-robots.txt": Reply(200, b"User-agent: *\nDisallow: /x", content_type="text/plain"),
    }
    with LoopbackServer(routes) as server:
        rules = fetch_robots(fetcher(), server.origin)
    assert not rules.allowed(server.url("/x"), UA)
    assert rules.allowed(server.url("/y"), UA)


def test_fetch_unreachable_disallows_and_keeps_the_error():
    rules = fetch_robots(fetcher(), LoopbackServer.refused_url("").rstrip("/"))
    assert not rules.allowed("http://127.0.0.1/", UA)
    assert rules.error == "connection refused"
    assert "unreachable" in rules.note


def test_fetch_retries_a_5xx_before_disallowing():
    with LoopbackServer({"/robots.txt": Reply(503, "maintenance")}) as server:
        rules = fetch_robots(fetcher(), server.origin)
        assert len(server.paths()) == 3  # the request and 2 retries
    assert not rules.allowed(server.url("/"), UA)


def test_rules_past_the_size_cap_are_not_read():
    filler = b"# " + b"x" * 2000 + b"\n"
    body = b"User-agent: *\nDisallow: /early\n" + filler * 10 + b"User-agent: *\nDisallow: /late\n"
    settings = CrawlSettings(host_delay=0, retry_backoff=0.01, max_robots_bytes=10_000)
    with LoopbackServer({"/robots.txt": Reply(200, body, content_type="text/plain")}) as server:
        capped = fetch_robots(Fetcher(settings, throttle=HostThrottle(), guard=loopback_guard()),
                              server.origin)
        whole = fetch_robots(fetcher(), server.origin)
    assert not capped.allowed(server.url("/early"), UA) and capped.allowed(server.url("/late"), UA)
    assert not whole.allowed(server.url("/late"), UA)
