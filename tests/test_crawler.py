import hashlib
import itertools
import threading

import pytest

from core.settings import CrawlSettings
from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.guard import AddressGuard, static_resolver
from scrapers.crawling.politeness import HostThrottle
from tests.loopback import LoopbackServer, Reply, drip, html, redirect

FAST = CrawlSettings(
    host_delay=0.0, retries=1, retry_backoff=0.01, page_timeout=5.0, read_timeout=5.0
)
PDF = b"%PDF-1.5\n" + b"stream data " * 300
SLACK = 0.05
"""Seconds a server-side gap may fall short of the client-side delay (connection setup,
server threads scheduled late on a busy machine)."""


def crawl(url: str, settings: CrawlSettings = FAST, **kw):
    kw.setdefault("throttle", HostThrottle())
    return crawl_site(url, settings, **kw)


def links(*hrefs: str) -> str:
    return "".join(f'<li><a href="{h}">{h}</a></li>' for h in hrefs)


def pdf_reply() -> Reply:
    return Reply(200, PDF, content_type="application/pdf")


def urls_of(result) -> dict[str, int]:
    return {page.url: page.depth for page in result.pages}


def test_breadth_first_pages_documents_and_ignored_links():
    with LoopbackServer() as other:
        routes = {
            "/": html(
                "<title>PPID</title><ul>"
                + links(
                    "/profil",
                    "/dip",
                    "mailto:ppid@x.go.id",
                    "tel:123",
                    "javascript:void(0)",
                    other.url("/luar"),
                )
                + "</ul>"
            ),
            "/profil": html(links("/profil/struktur", "/")),
            "/dip": html(links("/files/dip-2024.pdf", other.url("/laporan.pdf"))),
            "/profil/struktur": html("<h1>Struktur</h1>"),
            "/files/dip-2024.pdf": pdf_reply(),
        }
        other.route("/laporan.pdf", pdf_reply())
        with LoopbackServer(routes) as site:
            result = crawl(site.url("/"))
            assert "/luar" not in other.paths()  # off-site page not crawled
            assert other.paths() == ["/laporan.pdf"]  # but an off-site document is verified
    assert result.reachable and result.error is None
    assert urls_of(result) == {
        site.url("/"): 0,
        site.url("/profil"): 1,
        site.url("/dip"): 1,
        site.url("/profil/struktur"): 2,
    }
    assert set(result.documents) == {site.url("/files/dip-2024.pdf"), other.url("/laporan.pdf")}
    assert all(check.ok for check in result.documents.values())
    assert result.pages[0].title == "PPID"
    assert result.requests >= 6 and result.body_bytes > 0
    assert result.started_at <= result.finished_at


def tree_site(fanout: int = 3):
    """Every page /n links to /n0 … /n{fanout-1}: an endless tree."""

    def page(request):
        path = request.path_only.rstrip("/")
        return html(links(*(f"{path}/{i}" for i in range(fanout))))

    return LoopbackServer({"/robots.txt": Reply(404, b""), "/*": page})


def test_max_pages_bound_and_noted():
    with tree_site() as site:
        result = crawl(site.url("/"), CrawlSettings(host_delay=0, max_pages=7, max_depth=50))
    assert len(result.pages) == 7
    assert max(urls_of(result).values()) == 2  # breadth-first: 1 + 3 + 3 of the next level
    assert any("max_pages" in note for note in result.notes)


def test_max_depth_bound_and_noted():
    with tree_site(fanout=2) as site:
        result = crawl(site.url("/"), CrawlSettings(host_delay=0, max_pages=100, max_depth=2))
    assert len(result.pages) == 1 + 2 + 4
    assert any("max_depth" in note for note in result.notes)


def test_traps_endless_pagination_and_repeated_segments_are_bounded():
    def berita(request):
        n = int(request.query.get("page", ["1"])[0])
        return html(links(f"/berita?page={n + 1}", f"/berita?page={n + 1}&PHPSESSID=s{n}"))

    routes = {
        "/": html(links("/berita?page=1", "ppid/")),
        "/berita": berita,
        # A relative link on a page that answers every depth: /ppid/ → /ppid/ppid/ → …
        "/ppid/*": html(links("ppid/")),
    }
    settings = CrawlSettings(
        host_delay=0, max_pages=300, max_depth=100, max_query_variants=5, max_path_segment_repeats=2
    )
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"), settings)
        requested = site.paths()
    assert len([p for p in requested if p.startswith("/berita")]) == 5
    assert not any("PHPSESSID" in p for p in requested)
    assert [p for p in requested if p.startswith("/ppid")] == ["/ppid/", "/ppid/ppid/"]
    notes = " ".join(result.notes)
    assert "max_query_variants" in notes and "max_path_segment_repeats" in notes


def test_robots_5xx_means_nothing_crawled_and_noted():
    with LoopbackServer({"/robots.txt": Reply(503, "down"), "/": html(links("/a"))}) as site:
        result = crawl(site.url("/"))
        assert set(site.paths()) == {"/robots.txt"}
    assert not result.pages and not result.reachable
    assert "503" in result.error
    assert any("robots.txt" in note and "disallow" in note for note in result.notes)


def test_robots_4xx_allows_everything():
    routes = {
        "/robots.txt": Reply(403, "User-agent: *\nDisallow: /", content_type="text/plain"),
        "/": html(links("/a")),
        "/a": html("a"),
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"))
    assert result.reachable and set(urls_of(result)) == {site.url("/"), site.url("/a")}


def test_robots_rules_obeyed_for_pages_documents_and_redirect_hops():
    routes = {
        "/robots.txt": Reply(
            200, "User-agent: *\nDisallow: /internal\n", content_type="text/plain"
        ),
        "/": html(links("/public", "/internal/page", "/internal/rahasia.pdf", "/go")),
        "/public": html("ok"),
        "/go": redirect("/internal/other"),
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"))
        assert not any(p.startswith("/internal") for p in site.paths())
    assert set(urls_of(result)) == {site.url("/"), site.url("/public")}
    assert not result.documents
    assert any("robots.txt" in note for note in result.notes)


def test_robots_disallowing_the_start_url():
    routes = {
        "/robots.txt": Reply(
            200, "User-agent: PantauPPID\nDisallow: /\n", content_type="text/plain"
        )
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"))
        assert site.paths() == ["/robots.txt"]
    assert not result.reachable and "robots.txt" in result.error


def test_obey_robots_off_ignores_rules_but_reads_sitemap_lines():
    with LoopbackServer() as site:
        site.route(
            "/robots.txt",
            Reply(
                200,
                f"User-agent: *\nDisallow: /\nSitemap: {site.url('/peta.xml')}\n",
                content_type="text/plain",
            ),
        )
        site.route("/", html(links("/a")))
        site.route("/a", html("a"))
        site.route(
            "/peta.xml",
            Reply(
                200,
                f"<urlset><url><loc>{site.url('/b')}</loc></url></urlset>",
                content_type="application/xml",
            ),
        )
        site.route("/b", html("b"))
        result = crawl(site.url("/"), CrawlSettings(host_delay=0, obey_robots=False))
    assert set(urls_of(result)) == {site.url("/"), site.url("/a"), site.url("/b")}


def test_start_url_that_is_a_document():
    with LoopbackServer({"/robots.txt": Reply(404, b""), "/sk.pdf": pdf_reply()}) as site:
        result = crawl(site.url("/sk.pdf"))
    assert result.reachable and not result.pages and result.documents[site.url("/sk.pdf")].ok


def test_crawl_delay_honoured_and_capped():
    routes = {
        "/robots.txt": Reply(200, "User-agent: *\nCrawl-delay: 60\n", content_type="text/plain"),
        "/": html(links("/a", "/b")),
        "/a": html("a"),
        "/b": html("b"),
    }
    settings = CrawlSettings(host_delay=0.0, max_crawl_delay=0.3, use_sitemaps=False)
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"), settings)
        times = [r.received_at for r in site.requests]
    assert len(result.pages) == 3
    gaps = [b - a for a, b in zip(times[1:], times[2:], strict=False)]  # after robots.txt
    assert gaps and all(gap >= 0.3 - SLACK for gap in gaps)
    assert any("Crawl-delay 60" in note and "max_crawl_delay" in note for note in result.notes)


def test_host_delay_shared_by_sites_on_one_host():
    # Both servers are on 127.0.0.1: one host, two sites, crawled at the same time.
    def site_routes(prefix):
        return {
            "/robots.txt": Reply(404, b""),
            "/": html(links(*(f"/{prefix}{i}" for i in range(4)))),
            "/*": html("x"),
        }

    throttle = HostThrottle()
    settings = CrawlSettings(host_delay=0.2, use_sitemaps=False)
    with LoopbackServer(site_routes("a")) as one, LoopbackServer(site_routes("b")) as two:
        results = {}
        threads = [
            threading.Thread(
                target=lambda s=s: results.setdefault(
                    s.port, crawl(s.url("/"), settings, throttle=throttle)
                )
            )
            for s in (one, two)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        times = sorted(r.received_at for r in one.requests + two.requests)
    assert all(len(r.pages) == 5 for r in results.values())
    assert len(times) == 12
    # Spacing is between request starts on the client; the server sees them later by however
    # long connection setup and a busy machine's scheduling take, which can shorten the gap
    # after a late one. So: the typical gap, and the whole span, are at least the delay.
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    assert gaps[len(gaps) // 2] >= 0.2 - SLACK
    assert times[-1] - times[0] >= 10 * 0.2  # 11 gaps; one may shrink by a late first arrival


def test_documents_found_only_through_a_sitemap_index():
    with LoopbackServer() as site:
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        site.route(
            "/robots.txt",
            Reply(
                200,
                f"User-agent: *\nAllow: /\nSitemap: {site.url('/sitemap_index.xml')}\n",
                content_type="text/plain",
            ),
        )
        site.route("/", html("<h1>Beranda</h1>"))
        site.route(
            "/sitemap_index.xml",
            Reply(
                200,
                f"<sitemapindex {ns}><sitemap><loc>{site.url('/dok-sitemap.xml')}</loc></sitemap></sitemapindex>",
                content_type="application/xml",
            ),
        )
        site.route(
            "/dok-sitemap.xml",
            Reply(
                200,
                f"<urlset {ns}><url><loc>{site.url('/storage/lhkpn-2024.pdf')}</loc></url>"
                f"<url><loc>{site.url('/halaman-tersembunyi')}</loc></url></urlset>",
                content_type="application/xml",
            ),
        )
        site.route("/storage/lhkpn-2024.pdf", pdf_reply())
        site.route("/halaman-tersembunyi", html("<h1>Tersembunyi</h1>"))
        result = crawl(site.url("/"))
    assert result.documents[site.url("/storage/lhkpn-2024.pdf")].ok
    assert urls_of(result)[site.url("/halaman-tersembunyi")] == 1


def test_retries_then_success_on_the_start_url():
    answers = iter([Reply(503, "busy"), Reply(503, "busy")])
    routes = {
        "/robots.txt": Reply(404, b""),
        "/": lambda request: next(answers, html("<title>Akhirnya</title>")),
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"), CrawlSettings(host_delay=0, retries=2, retry_backoff=0.01))
        assert site.paths().count("/") == 3
    assert result.reachable and result.pages[0].title == "Akhirnya"


def test_start_url_5xx_after_retries_is_unreachable():
    with LoopbackServer({"/robots.txt": Reply(404, b""), "/": Reply(500, "error")}) as site:
        result = crawl(site.url("/"))
    assert not result.reachable and "500" in result.error


def test_refused_start_url_is_unreachable():
    result = crawl(LoopbackServer.refused_url("/ppid"))
    assert not result.reachable
    assert result.error == "connection refused"
    assert not result.pages


def test_invalid_start_url():
    result = crawl("mailto:ppid@x.go.id")
    assert not result.reachable and "invalid start URL" in result.error


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_tls_error_recorded_and_accepted_with_verify_tls_false():
    routes = {"/robots.txt": Reply(404, b""), "/": html(links("/a")), "/a": html("a")}
    with LoopbackServer(routes, tls=True) as site:
        refused = crawl(site.url("/"))
        accepted = crawl(site.url("/"), verify_tls=False)
    assert not refused.reachable
    assert "TLS" in refused.error and "certificate" in refused.error.lower()
    assert accepted.reachable and len(accepted.pages) == 2


def conditional_site():
    """Pages and a PDF with ETags that answer 304 to a matching If-None-Match."""
    content = {
        "/": (html(links("/a", "/b", "/dok.pdf")), "text/html"),
        "/a": (html(links("/b") + "<h1>A</h1>"), "text/html"),
        "/b": (html("<h1>B</h1>"), "text/html"),
        "/dok.pdf": (Reply(200, PDF, content_type="application/pdf"), "application/pdf"),
    }

    def handler(request):
        if request.path_only not in content:
            return Reply(404, b"", content_type=None)
        reply, _ = content[request.path_only]
        body = reply.body if isinstance(reply.body, bytes) else reply.body.encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
        if request.headers.get("If-None-Match") == etag:
            return Reply(304, b"", {"ETag": etag}, content_type=None)
        return Reply(
            200,
            body,
            {"ETag": etag, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"},
            content_type=reply.content_type,
        )

    return LoopbackServer({"/*": handler})


def test_conditional_recrawl_reuses_pages_and_documents():
    with conditional_site() as site:
        first = crawl(site.url("/"))
        cache = {page.url: page for page in first.pages}
        second = crawl(site.url("/"), cache=cache, doc_cache=first.documents)
        second_requests = site.requests[len(site.requests) - second.requests :]
    assert first.body_bytes > 0 and not any(page.from_cache for page in first.pages)
    assert (
        set(urls_of(second))
        == set(urls_of(first))
        == {site.url("/"), site.url("/a"), site.url("/b")}
    )
    assert all(page.from_cache and page.bytes == 0 for page in second.pages)
    assert (
        second.documents[site.url("/dok.pdf")].from_cache
        and second.documents[site.url("/dok.pdf")].ok
    )
    assert second.body_bytes == 0
    conditional = [r for r in second_requests if r.path_only in {"/", "/a", "/b", "/dok.pdf"}]
    assert conditional and all("If-None-Match" in r.headers for r in conditional)


def test_cp1252_page_decoded():
    body = "<html><head><title>Informasi Berkala – “Laporan” Keuangan</title></head><body><h1>Café Daftar Informasi Publik</h1></body></html>"
    routes = {
        "/robots.txt": Reply(404, b""),
        "/": Reply(200, body.encode("cp1252"), content_type="text/html"),
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"))
    assert result.pages[0].title == "Informasi Berkala – “Laporan” Keuangan"
    assert result.pages[0].h1 == "Café Daftar Informasi Publik"


def test_document_recognised_by_content_type_and_broken_documents():
    routes = {
        "/robots.txt": Reply(404, b""),
        "/": html(
            links(
                "/dokumen/123/unduh",
                "/dokumen/124/unduh",
                "/kosong.pdf",
                "/palsu.pdf",
                "/hilang.pdf",
            )
        ),
        "/dokumen/123/unduh": Reply(
            200,
            PDF,
            {"Content-Disposition": 'attachment; filename="sk.pdf"'},
            content_type="application/pdf",
        ),
        "/dokumen/124/unduh": Reply(
            200,
            b"<html>Error</html>",
            {"Content-Disposition": 'attachment; filename="rka.pdf"'},
            content_type="application/octet-stream",
        ),
        "/kosong.pdf": Reply(200, b"", content_type="application/pdf"),
        "/palsu.pdf": html("<!DOCTYPE html><html><body>Halaman tidak ditemukan</body></html>"),
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"))
    docs = result.documents
    assert set(urls_of(result)) == {site.url("/")}
    assert docs[site.url("/dokumen/123/unduh")].ok
    assert docs[site.url("/dokumen/124/unduh")].reason == "html instead of pdf"
    assert docs[site.url("/kosong.pdf")].reason == "empty"
    assert docs[site.url("/palsu.pdf")].reason == "html instead of pdf"
    assert docs[site.url("/hilang.pdf")].reason == "http 404"


def test_start_redirect_moves_the_site_but_later_off_site_redirects_are_not_followed():
    # kota.test and ppid.kota.test share one registrable domain and the registry's port; the
    # names resolve to this server through the guard's resolver (no DNS, no packet off lo).
    with LoopbackServer({"/": html("elsewhere")}) as elsewhere, LoopbackServer() as server:
        port = server.port
        old, new = f"http://kota.test:{port}", f"http://ppid.kota.test:{port}"

        def by_host(home, moved):
            return lambda request: home if request.headers["Host"].startswith("kota.") else moved

        server.route("/", by_host(redirect(f"{new}/ppid", 301), html("new root")))
        server.route("/ppid", html(links("/ppid/dip", "/keluar")))
        server.route("/ppid/dip", html("dip"))
        server.route("/keluar", redirect(elsewhere.url("/")))
        resolver = static_resolver({"kota.test": ["127.0.0.1"], "ppid.kota.test": ["127.0.0.1"]})
        guard = AddressGuard.for_registry_url(f"{old}/", resolver=resolver)
        result = crawl(f"{old}/", guard=guard)
        assert elsewhere.paths() == []
    assert result.reachable, result.error
    assert result.pages[0].url == f"{old}/" and result.pages[0].final_url == f"{new}/ppid"
    assert f"{new}/ppid/dip" in urls_of(result)
    assert any("off-site" in note for note in result.notes)


def test_huge_and_slow_pages_are_bounded_and_the_crawl_goes_on():
    huge = itertools.chain(
        [b"<html><body>" + links("/after-huge").encode()],
        itertools.repeat(b"<p>" + b"x" * 1000 + b"</p>"),
    )
    routes = {
        "/robots.txt": Reply(404, b""),
        "/": html(links("/huge", "/slow", "/ok")),
        "/huge": Reply(200, huge),
        "/slow": Reply(200, drip(itertools.repeat(b"<p>x</p>"), 0.05)),
        "/ok": html("ok"),
        "/after-huge": html("after"),
    }
    settings = CrawlSettings(host_delay=0, retries=0, max_page_bytes=100_000, page_timeout=1.0)
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"), settings)
    pages = {page.url: page for page in result.pages}
    assert pages[site.url("/huge")].bytes == 100_000
    assert site.url("/after-huge") in pages  # links in the part read are followed
    assert "timeout" in pages[site.url("/slow")].error
    assert pages[site.url("/ok")].status == 200
    assert any("max_page_bytes" in note for note in result.notes)


def test_redirect_loop_page_fails_alone():
    routes = {
        "/robots.txt": Reply(404, b""),
        "/": html(links("/l1", "/ok")),
        "/l1": redirect("/l2"),
        "/l2": redirect("/l1"),
        "/ok": html("ok"),
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"))
    pages = {page.url: page for page in result.pages}
    assert "redirect loop" in pages[site.url("/l1")].error
    assert pages[site.url("/ok")].status == 200


def test_redirect_to_itself_with_a_cookie_is_crawled():
    def cookie_gate(name, page):
        def handler(request):
            if f"{name}=1" in request.headers.get("Cookie", ""):
                return page
            return Reply(
                302,
                b"",
                {"Location": request.path, "Set-Cookie": f"{name}=1; Path=/"},
                content_type=None,
            )

        return handler

    routes = {
        "/robots.txt": Reply(404, b""),
        "/": cookie_gate("lolos", html(links("/a"))),
        "/a": cookie_gate("lagi", html("a")),
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"))
    assert result.reachable and set(urls_of(result)) == {site.url("/"), site.url("/a")}


def test_non_html_answers_are_skipped():
    routes = {
        "/robots.txt": Reply(404, b""),
        "/": html(links("/logo", "/a")),
        "/logo": Reply(200, b"\x89PNG....", content_type="image/png"),
        "/a": html("a"),
    }
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"))
    assert set(urls_of(result)) == {site.url("/"), site.url("/a")}
    assert any("not HTML" in note for note in result.notes)


def test_site_timeout_stops_the_crawl_and_is_noted():
    with tree_site() as site:
        result = crawl(
            site.url("/"),
            CrawlSettings(host_delay=0.1, site_timeout=1.0, max_pages=300, use_sitemaps=False),
        )
    assert result.reachable and 2 <= len(result.pages) < 300
    assert any("site_timeout" in note for note in result.notes)


def test_error_pages_recorded_as_failed_pages():
    with LoopbackServer({"/robots.txt": Reply(404, b""), "/": html(links("/hilang"))}) as site:
        result = crawl(site.url("/"))
    failed = [page for page in result.pages if page.url == site.url("/hilang")]
    assert failed and failed[0].status == 404 and failed[0].error == "http 404"


def test_two_connections_per_host_run_in_parallel():
    started = threading.Barrier(2, timeout=5)

    def meet(request):
        started.wait()  # only returns when two requests are in flight together
        return html("met")

    routes = {"/robots.txt": Reply(404, b""), "/": html(links("/x1", "/x2")), "/x*": meet}
    settings = CrawlSettings(host_delay=0, connections_per_host=2, use_sitemaps=False)
    with LoopbackServer(routes) as site:
        result = crawl(site.url("/"), settings)
    assert all(page.status == 200 for page in result.pages) and len(result.pages) == 3


def test_the_platform_skips_feeds_and_tag_archives_and_says_so():
    home = (
        '<html><head><meta name="generator" content="WordPress 6.5"></head><body>'
        '<a href="/informasi-berkala/">Informasi Berkala</a><a href="/feed/">RSS</a>'
        '<a href="/tag/ppid/">ppid</a><a href="/?s=dip">Cari</a></body></html>'
    )
    routes = {"/robots.txt": Reply(404, b""), "/": html(home), "/*": html("halaman")}
    with LoopbackServer(routes) as server:
        crawl = crawl_site(server.url("/"), CrawlSettings(host_delay=0, use_sitemaps=False))
        fetched = {r.path for r in server.requests}
    assert crawl.platform == "wordpress"
    assert "/informasi-berkala/" in fetched
    assert not fetched & {"/feed/", "/tag/ppid/", "/?s=dip"}
    assert any("wordpress page without PPID information" in note for note in crawl.notes)


def test_a_platform_given_by_the_registry_wins_over_detection():
    routes = {"/robots.txt": Reply(404, b""), "/": html('<a href="/feed/">RSS</a>'), "/*": html("x")}
    with LoopbackServer(routes) as server:
        crawl = crawl_site(server.url("/"), CrawlSettings(host_delay=0, use_sitemaps=False),
                           platform="wordpress")
        fetched = {r.path for r in server.requests}
    assert crawl.platform == "wordpress" and "/feed/" not in fetched


def test_an_unduh_link_that_leads_to_a_log_in_page_is_a_dead_link_with_that_reason():
    from datetime import date

    from core.checklist import load_checklist
    from scrapers.detection.detect import detect_site

    home_page = html("<table><tr><td>SK PPID 2026</td><td><a href='/dokumen/5/unduh'>Unduh</a></td></tr>"
                     "<tr><td>Maklumat</td><td><a href='/login'>Masuk</a></td></tr></table>")
    login = html("<form method='post'><input name='u'><input type='password' name='p'></form>")
    routes = {"/": home_page, "/dokumen/5/unduh": redirect("/login?next=/dokumen/5/unduh"), "/login": login}
    with LoopbackServer(routes) as server:
        result = crawl(server.url("/"))
    walled = next(p for p in result.pages if p.url.endswith("/dokumen/5/unduh"))
    assert walled.not_public == "not public: leads to a log-in page (/login)"
    findings = {f.category_id: f for f in detect_site(result, load_checklist(), date(2026, 12, 1))}
    assert findings["sk_ppid"].status == "broken"
    assert findings["sk_ppid"].matched_rule.endswith("; broken: not public: leads to a log-in page (/login)")


def test_a_start_url_that_leads_to_a_log_in_page_is_unreachable():
    routes = {"/": redirect("/auth/login"), "/auth/login": html("<input type='password'>")}
    with LoopbackServer(routes) as server:
        result = crawl(server.url("/"))
    assert not result.reachable and "log-in page" in result.error


def test_images_are_judged_by_what_names_them_and_not_fetched():
    page_html = html("<img src='/img/maklumat.png' alt='Maklumat Pelayanan'>"
                     "<a href='/img/struktur.jpg'>Struktur Organisasi</a><a href='/profil'>Profil</a>")
    with LoopbackServer({"/": page_html, "/profil": html("<h1>Profil</h1>")}) as server:
        result = crawl(server.url("/"))
        paths = server.paths()
    assert not any(path.startswith("/img/") for path in paths)
    assert "/profil" in paths
    assert any(link.media == "image" for link in result.pages[0].links)


def test_a_pdf_behind_a_link_that_says_nothing_is_read_for_its_first_page():
    from datetime import date

    from core.checklist import load_checklist
    from sample_world.render import make_pdf
    from scrapers.detection.detect import detect_site
    from scrapers.detection.ownership import Owner

    named = make_pdf("LAPORAN KINERJA INSTANSI PEMERINTAH\nTAHUN 2025\n" + "isi\n" * 20000)
    copied = make_pdf("DAFTAR INFORMASI PUBLIK\nKABUPATEN MALANG\nTAHUN 2026\n")
    body = ("<ul><li><a href='/uploads/dokumen-12.pdf'>Unduh</a></li>"
            "<li><a href='/uploads/dokumen-13.pdf'>Unduh</a></li>"
            "<li><a href='/uploads/lkjip-2024.pdf'>LKjIP 2024</a></li></ul>")
    routes = {"/": html(body), "/uploads/dokumen-12.pdf": Reply(200, named, content_type="application/pdf"),
              "/uploads/dokumen-13.pdf": Reply(200, copied, content_type="application/pdf"),
              "/uploads/lkjip-2024.pdf": Reply(200, named, content_type="application/pdf")}
    settings = CrawlSettings(host_delay=0.0, retries=0, document_title_bytes=8192)
    with LoopbackServer(routes) as server:
        result = crawl(server.url("/"), settings)
    checks = {url.rsplit("/", 1)[1]: check for url, check in result.documents.items()}
    assert checks["dokumen-12.pdf"].first_page.startswith("LAPORAN KINERJA INSTANSI PEMERINTAH TAHUN 2025")
    assert checks["lkjip-2024.pdf"].first_page == ""  # its link says what it is
    assert len(named) > 8192 and checks["dokumen-12.pdf"].ok
    owner = Owner.of("Dinas Kesehatan Kota Contoh", server.url("/"))
    findings = {f.category_id: f for f in detect_site(result, load_checklist(), date(2026, 12, 1), owner)}
    kinerja = findings["kinerja"]
    assert (kinerja.status, kinerja.document_year) == ("found", 2025)
    assert kinerja.matched_rule == "label:Laporan Kinerja Instansi Pemerintah@firstpage#html"
    assert findings["dip"].status == "missing"
    assert findings["dip"].matched_rule.endswith("rejected: names another region (kabupaten malang)")


def test_no_first_page_is_read_with_a_zero_budget():
    from sample_world.render import make_pdf

    routes = {"/": html("<a href='/dokumen-12.pdf'>Unduh</a>"),
              "/dokumen-12.pdf": Reply(200, make_pdf("DIP 2026\n"), content_type="application/pdf")}
    with LoopbackServer(routes) as server:
        result = crawl(server.url("/"), CrawlSettings(host_delay=0.0, retries=0, document_title_bytes=0))
        ranges = [r.headers.get("Range") for r in server.requests if r.path.endswith(".pdf")]
    assert [c.first_page for c in result.documents.values()] == [""]
    assert ranges == [f"bytes=0-{CrawlSettings().document_probe_bytes - 1}"]


def test_links_to_publication_hosts_are_verified_as_each_host_answers():
    """Loopback stand-ins that answer like Google Drive, Forms and Sheets and like an LPSE."""
    from datetime import date

    from core.checklist import load_checklist
    from scrapers.detection.detect import detect_site
    from scrapers.detection.hosts import HostRule

    viewer = html("<title>SK PPID.pdf - Google Drive</title><div>SK PPID.pdf</div>")
    gone = html("<title>Google Drive - 404</title><p>Sorry, the file you have requested does not exist.</p>")
    closed = html("<p>Formulir Keberatan</p><p>Formulir ini tidak lagi menerima tanggapan.</p>")
    host = LoopbackServer({
        "/file/d/SKPPID00001/view": viewer, "/file/d/DELETED0001/view": gone,
        "/forms/d/e/OPEN0001/viewform": html("<title>Formulir Permohonan Informasi</title>"),
        "/forms/d/e/CLOSED001/viewform": redirect("/forms/d/e/CLOSED001/closedform"),
        "/forms/d/e/CLOSED001/closedform": closed,
        "/spreadsheets/d/PRIVATE01/edit": redirect("/ServiceLogin?continue=/spreadsheets/d/PRIVATE01"),
        "/ServiceLogin": html("<input type='password'>"),
        "/eproc4/beranda": html("<title>LPSE</title>"),
    })
    rules = (
        HostRule("google-drive", paths=(r"^/file/d/[\w-]{8,}",), any_host=True,
                 broken_phrases=("Sorry, the file you have requested does not exist",)),
        HostRule("google-forms", paths=(r"^/forms/d/",), any_host=True,
                 broken_phrases=("tidak lagi menerima tanggapan",), broken_urls=(r"/closedform",)),
        HostRule("google-sheets", paths=(r"^/spreadsheets/d/",), any_host=True),
        HostRule("lpse", paths=(r"^/eproc4/",), any_host=True, publishes=("pengadaan",)),
    )
    with host:
        body = (f"<li><a href='{host.url('/file/d/SKPPID00001/view')}'>SK PPID</a></li>"
                f"<li><a href='{host.url('/file/d/DELETED0001/view')}'>Maklumat Pelayanan</a></li>"
                f"<li><a href='{host.url('/forms/d/e/OPEN0001/viewform')}'>Permohonan Informasi Online</a></li>"
                f"<li><a href='{host.url('/forms/d/e/CLOSED001/viewform')}'>Formulir Keberatan</a></li>"
                f"<li><a href='{host.url('/spreadsheets/d/PRIVATE01/edit')}'>Data Pegawai 2026</a></li>"
                f"<li><a href='{host.url('/eproc4/beranda')}'>Lihat</a></li>")
        with LoopbackServer({"/": html(body)}) as site:
            result = crawl(site.url("/"), hosts=rules)
    reasons = {url.split("/", 3)[3]: (c.ok, c.reason) for url, c in result.documents.items()}
    assert reasons["file/d/SKPPID00001/view"] == (True, "")
    assert reasons["file/d/DELETED0001/view"] == (
        False, "google-drive: says 'Sorry, the file you have requested does not exist'")
    assert reasons["forms/d/e/CLOSED001/viewform"] == (False, "google-forms: closed (/forms/d/e/CLOSED001/closedform)")
    assert reasons["spreadsheets/d/PRIVATE01/edit"] == (
        False, "google-sheets: not public: leads to a log-in page (/ServiceLogin)")
    got = {f.category_id: f for f in detect_site(result, load_checklist(), date(2026, 12, 1), hosts=rules)}
    assert {c: got[c].status for c in ("sk_ppid", "maklumat", "formulir_permohonan", "formulir_keberatan",
                                       "kepegawaian", "pengadaan")} == {
        "sk_ppid": "found", "maklumat": "broken", "formulir_permohonan": "found",
        "formulir_keberatan": "broken", "kepegawaian": "broken", "pengadaan": "found"}
    assert got["pengadaan"].matched_rule == "host:lpse@url#html"
    assert got["formulir_keberatan"].matched_rule.endswith("; broken: google-forms: closed (/forms/d/e/CLOSED001/closedform)")


def test_a_pdf_hosted_on_another_site_is_read_for_its_first_page():
    from datetime import date

    from core.checklist import load_checklist
    from sample_world.render import make_pdf
    from scrapers.detection.detect import detect_site
    from scrapers.detection.ownership import Owner

    dip = make_pdf("DAFTAR INFORMASI PUBLIK\nPEMERINTAH KABUPATEN SUMBER MAKMUR\nTAHUN 2026\n")
    with LoopbackServer({"/uploads/dip-2026.pdf": Reply(200, dip, content_type="application/pdf")}) as other:
        body = f"<table><tr><td>DIP 2026</td><td><a href='{other.url('/uploads/dip-2026.pdf')}'>Unduh</a></td></tr></table>"
        with LoopbackServer({"/": html(body)}) as site:
            result = crawl(site.url("/"))
    [check] = result.documents.values()
    assert check.first_page.startswith("DAFTAR INFORMASI PUBLIK PEMERINTAH KABUPATEN SUMBER MAKMUR")
    owner = Owner.of("Kecamatan Contoh Barat", site.url("/"), "pelaksana", "Dinas Kominfo Kota Contoh")
    got = {f.category_id: f for f in detect_site(result, load_checklist(), date(2026, 12, 1), owner)}["dip"]
    assert got.status == "missing" and got.matched_rule.endswith("rejected: names another region (kabupaten sumber)")
