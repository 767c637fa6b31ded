"""Hostile servers and files: each case is bounded, refused and explained, and nothing is lost.

Every server is real and on loopback; host names that stand for private, link-local or
metadata addresses resolve through the guard's resolver hook, and connections are opened by a
recording opener that only ever connects to loopback, so the tests prove that no connection
was opened to a refused address without sending a packet off this machine.
"""

from __future__ import annotations

import threading
import time

from core.settings import CrawlSettings
from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.guard import AddressGuard, static_resolver
from scrapers.crawling.politeness import HostThrottle
from tests.hostile import HeaderDripServer, RecordingOpener, http_answer
from tests.loopback import LoopbackServer, Reply, html, redirect

FAST = CrawlSettings(
    host_delay=0.0,
    retries=0,
    page_timeout=0.5,
    read_timeout=5.0,
    connect_timeout=2.0,
    site_timeout=20.0,
    use_sitemaps=False,
)


def links(*hrefs: str) -> str:
    return "".join(f'<a href="{h}">{h}</a> ' for h in hrefs)


def guarded(registry_url: str, names: dict[str, list[str]], opener: RecordingOpener):
    return AddressGuard.for_registry_url(
        registry_url, resolver=static_resolver(names), opener=opener
    )


# --- 1. one total deadline per request; no starvation of a shared host -----------------


def test_a_stuck_agency_does_not_make_its_neighbour_on_the_same_host_unreachable():
    """Agency A answers its start page and then drips the headers of every other page; B
    (another port of the same host, so the same politeness slot: one connection) is
    healthy. B must be crawled completely, well within its budget."""
    stuck_pages = [f"/p{i}" for i in range(20)]
    start = http_answer(f"<html><body>{links(*stuck_pages)}</body></html>")
    throttle = HostThrottle()
    results: dict[str, object] = {}
    with HeaderDripServer({"/": start, "/robots.txt": http_answer("", "404 Not Found")},
                          interval=0.05) as stuck, \
            LoopbackServer({"/": html(links("/a", "/b", "/c")), "/a": html("a"),
                            "/b": html("b"), "/c": html("c")}) as healthy:
        first_drip = threading.Event()

        def crawl_stuck():
            results["stuck"] = crawl_site(stuck.url("/"), FAST, throttle=throttle)

        def crawl_healthy():
            first_drip.wait(5)
            began = time.monotonic()
            results["healthy"] = crawl_site(healthy.url("/"), FAST, throttle=throttle)
            results["healthy_seconds"] = time.monotonic() - began

        threads = [threading.Thread(target=crawl_stuck), threading.Thread(target=crawl_healthy)]
        threads[0].start()
        wait_until(lambda: stuck.dripping > 0, 5)
        first_drip.set()
        threads[1].start()
        for thread in threads:
            thread.join(30)
    healthy_crawl, stuck_crawl = results["healthy"], results["stuck"]
    assert healthy_crawl.reachable, healthy_crawl.error
    assert {p.url.rsplit("/", 1)[1] for p in healthy_crawl.pages} == {"", "a", "b", "c"}
    assert results["healthy_seconds"] < 8, results["healthy_seconds"]
    # The stuck site is cut per request and then left for the run, with the reason noted.
    timed_out = [p for p in stuck_crawl.pages if (p.error or "").startswith("page_timeout")]
    assert 1 <= len(timed_out) <= FAST.max_timeouts_in_row + 1
    assert any("site stalls" in note for note in stuck_crawl.notes)


def test_start_url_whose_headers_never_end_is_unreachable_in_page_time():
    with HeaderDripServer({"/robots.txt": http_answer("", "404 Not Found")},
                          interval=0.05) as server:
        began = time.monotonic()
        crawl = crawl_site(server.url("/"), FAST, throttle=HostThrottle())
        assert time.monotonic() - began < 3
    assert not crawl.reachable
    assert crawl.error.startswith("page_timeout exceeded")


# --- 2. SSRF: the address guard and the start-redirect rules ---------------------------


def test_start_redirect_to_another_port_on_the_same_machine_is_refused():
    with LoopbackServer({"/": html("<title>admin panel</title>")}) as other, \
            LoopbackServer({"/": redirect(other.url("/"))}) as site:
        crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle())
        assert other.paths() == []
    assert not crawl.reachable
    assert crawl.error.startswith("redirect refused: port")
    assert crawl.pages == []


def test_start_redirect_to_the_metadata_address_opens_no_connection():
    opener = RecordingOpener()
    with LoopbackServer() as site:
        port = site.port
        site.route("/", redirect("http://meta.kota.test/latest/meta-data/"))
        site.route("/robots.txt", Reply(404, b""))
        guard = guarded(
            f"http://kota.test:{port}/",
            {"kota.test": ["127.0.0.1"], "meta.kota.test": ["169.254.169.254"]},
            opener,
        )
        crawl = crawl_site(f"http://kota.test:{port}/", FAST, throttle=HostThrottle(),
                           guard=guard)
    assert opener.hosts() == {"127.0.0.1"}
    assert not crawl.reachable
    assert "169.254.169.254 is link-local" in crawl.error

    opener = RecordingOpener()
    with LoopbackServer({"/": redirect("http://169.254.169.254/latest/")}) as site:
        crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle(),
                           guard=AddressGuard.for_registry_url(site.url("/"), opener=opener))
    assert opener.hosts() == {"127.0.0.1"}
    assert crawl.error.startswith("redirect refused")


def test_document_probes_and_sitemaps_on_refused_addresses_open_no_connection():
    opener = RecordingOpener()
    names = {
        "kota.test": ["127.0.0.1"],
        "intranet.kota.test": ["10.0.0.5"],
        "meta.kota.test": ["169.254.169.254"],
        "mapped.kota.test": ["::ffff:192.168.1.1"],
        "rebind.kota.test": ["127.0.0.1", "10.9.9.9"],
    }
    docs = [
        "http://intranet.kota.test/laporan.pdf",
        "http://meta.kota.test/latest/meta-data/iam.pdf",
        "http://mapped.kota.test/dip.pdf",
        "http://rebind.kota.test/sk.pdf",
    ]
    with LoopbackServer() as site:
        port = site.port
        site.route("/", html(links(*docs, "/ok.pdf")))
        site.route("/ok.pdf", Reply(200, b"%PDF-1.4\n" + b"x" * 100,
                                    content_type="application/pdf"))
        site.route("/robots.txt", Reply(200, "Sitemap: http://meta.kota.test/sitemap.xml\n",
                                        content_type="text/plain"))
        settings = CrawlSettings(**{**FAST.__dict__, "use_sitemaps": True})
        crawl = crawl_site(f"http://kota.test:{port}/", settings, throttle=HostThrottle(),
                           guard=guarded(f"http://kota.test:{port}/", names, opener))
    assert opener.hosts() == {"127.0.0.1"}
    assert crawl.reachable
    assert crawl.documents[f"http://kota.test:{port}/ok.pdf"].ok
    for url in docs:
        check = crawl.documents[url]
        assert not check.ok
        assert check.reason.startswith("address refused"), check.reason


def test_loopback_test_world_and_same_domain_moves_keep_working():
    """The registry's own class (loopback here) is allowed: a start URL that moves to https
    on 443 is out of reach on loopback, so the move tested is to the registry's port."""
    opener = RecordingOpener()
    with LoopbackServer() as site:
        port = site.port
        site.route("/", redirect(f"http://ppid.kota.test:{port}/ppid"))
        site.route("/ppid", html(links("/ppid/dip")))
        site.route("/ppid/dip", html("dip"))
        names = {"kota.test": ["127.0.0.1"], "ppid.kota.test": ["127.0.0.1"]}
        crawl = crawl_site(f"http://kota.test:{port}/", FAST, throttle=HostThrottle(),
                           guard=guarded(f"http://kota.test:{port}/", names, opener))
    assert crawl.reachable, crawl.error
    assert len(crawl.pages) == 2


def wait_until(condition, seconds: float) -> None:
    """Poll ``condition`` (a server-side fact) until true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        threading.Event().wait(0.01)


# --- 3. a site that refuses the monitor is unreachable ("diblokir"), not empty ---------


def test_start_page_401_or_403_is_blocked_not_missing():
    for status in (401, 403):
        with LoopbackServer(default=html("<h1>Access denied</h1>", status=status)) as site:
            crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle())
        assert not crawl.reachable
        assert crawl.error.startswith(f"diblokir: HTTP {status}")


def test_waf_that_lets_only_the_first_request_through_is_blocked():
    pages = [f"/p{i}" for i in range(5)]
    routes = {"/": html(links(*pages)), "/robots.txt": Reply(404, b"")}
    with LoopbackServer(routes, default=html("Forbidden", status=403)) as site:
        crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle())
    assert not crawl.reachable
    assert crawl.error.startswith("diblokir: HTTP 403")


def test_a_few_forbidden_pages_on_an_open_site_are_just_failed_pages():
    routes = {"/": html(links("/admin", "/a", "/b")), "/a": html("a"), "/b": html("b"),
              "/admin": html("no", status=403), "/robots.txt": Reply(404, b"")}
    with LoopbackServer(routes) as site:
        crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle())
    assert crawl.reachable
