import gzip

from core.settings import CrawlSettings
from scrapers.crawling.fetch import Fetcher
from scrapers.crawling.politeness import HostThrottle
from scrapers.crawling.sitemap import collect_sitemap_urls, gunzip_bounded, parse_sitemap
from tests.loopback import LoopbackServer, Reply, loopback_guard

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(*urls: str) -> bytes:
    items = "".join(f"<url><loc>{u}</loc><lastmod>2024-01-01</lastmod></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{items}</urlset>'.encode()


def index(*sitemaps: str) -> bytes:
    items = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in sitemaps)
    return f"<sitemapindex {NS}>{items}</sitemapindex>".encode()


def test_urlset():
    content = parse_sitemap(urlset("http://x.go.id/a", "http://x.go.id/b.pdf#p2", "mailto:no"))
    assert content.urls == ["http://x.go.id/a", "http://x.go.id/b.pdf"]
    assert content.sitemaps == []


def test_index_lists_sitemaps():
    content = parse_sitemap(
        index("http://x.go.id/post-sitemap.xml", "http://x.go.id/page-sitemap.xml")
    )
    assert content.sitemaps == [
        "http://x.go.id/post-sitemap.xml",
        "http://x.go.id/page-sitemap.xml",
    ]
    assert content.urls == []


def test_gzip_and_whitespace_and_bom():
    body = gzip.compress(b"\xef\xbb\xbf\n  " + urlset("http://x.go.id/a"))
    assert parse_sitemap(body).urls == ["http://x.go.id/a"]


def test_plain_text_sitemap():
    assert parse_sitemap(b"http://x.go.id/a\n\nhttp://x.go.id/b\n").urls == [
        "http://x.go.id/a",
        "http://x.go.id/b",
    ]


def test_html_or_garbage_gives_nothing():
    assert parse_sitemap(b"<html><body>404</body></html>").urls == []
    assert parse_sitemap(b"\x00\x01binary").urls == []
    assert parse_sitemap(b"").urls == []


def test_gzip_bomb_is_bounded():
    bomb = gzip.compress(b"\0" * 5_000_000)
    data, cut = gunzip_bounded(bomb, 100_000)
    assert len(data) == 100_000 and cut


def fetcher() -> Fetcher:
    return Fetcher(CrawlSettings(host_delay=0, retries=0), throttle=HostThrottle(), guard=loopback_guard())


def test_collect_follows_indexes_and_reads_gzip():
    with LoopbackServer() as server:
        server.route(
            "/sitemap_index.xml",
            Reply(
                200,
                index(server.url("/a.xml"), server.url("/b.xml.gz")),
                content_type="application/xml",
            ),
        )
        server.route(
            "/a.xml",
            Reply(
                200, urlset(server.url("/p1"), server.url("/p2")), content_type="application/xml"
            ),
        )
        server.route(
            "/b.xml.gz",
            Reply(
                200,
                gzip.compress(urlset(server.url("/p2"), server.url("/doc.pdf"))),
                content_type="application/x-gzip",
            ),
        )
        result = collect_sitemap_urls(
            fetcher(),
            [server.url("/sitemap_index.xml"), server.url("/sitemap.xml")],
            max_sitemaps=10,
            max_bytes=10**6,
        )
    assert result.urls == [server.url("/p1"), server.url("/p2"), server.url("/doc.pdf")]
    assert result.fetched == [
        server.url("/sitemap_index.xml"),
        server.url("/a.xml"),
        server.url("/b.xml.gz"),
    ]


def test_collect_bounded_by_max_sitemaps_and_guards_loops():
    with LoopbackServer() as server:
        # An index that lists itself and ten children.
        children = [server.url(f"/s{i}.xml") for i in range(10)]
        server.route("/index.xml", Reply(200, index(server.url("/index.xml"), *children)))
        server.route(
            "/s*", lambda request: Reply(200, urlset(server.url(request.path_only + "-page")))
        )
        result = collect_sitemap_urls(
            fetcher(), [server.url("/index.xml")], max_sitemaps=4, max_bytes=10**6
        )
        assert len(server.paths()) == 4
    assert len(result.fetched) == 4 and len(result.urls) == 3
    assert any("max_sitemaps" in note for note in result.notes)


def test_collect_respects_allow():
    with LoopbackServer({"/sitemap.xml": Reply(200, urlset("http://x/a"))}) as server:
        result = collect_sitemap_urls(
            fetcher(),
            [server.url("/sitemap.xml")],
            max_sitemaps=5,
            max_bytes=10**6,
            allow=lambda url: False,
        )
        assert server.paths() == []
    assert result.urls == [] and "robots" in result.notes[0]
