import gzip
import itertools
import time

import pytest

from core.settings import CrawlSettings
from scrapers.crawling.fetch import Fetcher, FetchError
from scrapers.crawling.politeness import HostThrottle
from tests.loopback import LoopbackServer, Reply, drip, html, loopback_guard, redirect

FAST = CrawlSettings(host_delay=0.0, retry_backoff=0.01, page_timeout=5.0, read_timeout=5.0)


def fetcher(settings: CrawlSettings = FAST, **kw) -> Fetcher:
    return Fetcher(settings, throttle=HostThrottle(), guard=loopback_guard(), **kw)


@pytest.mark.timeout(20)
def test_slow_drip_body_is_cut_at_page_timeout():
    endless_drip = drip(itertools.repeat(b"<p>x</p>"), pause=0.05)
    with LoopbackServer({"/slow": Reply(200, endless_drip)}) as server:
        f = fetcher(CrawlSettings(host_delay=0, retries=0, page_timeout=1.0, read_timeout=5.0))
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            f.request(server.url("/slow"))
        assert caught.value.kind == "timeout"
        assert time.monotonic() - started >= 1.0


@pytest.mark.timeout(20)
def test_slow_drip_slower_than_the_read_timeout_allows_still_ends():
    # One byte every 0.4 s never trips a 5 s read timeout; only the page budget stops it.
    one_byte_drip = drip(itertools.repeat(b"x"), pause=0.4)
    with LoopbackServer({"/slow": Reply(200, one_byte_drip)}) as server:
        f = fetcher(CrawlSettings(host_delay=0, retries=0, page_timeout=1.5, read_timeout=5.0))
        with pytest.raises(FetchError, match="page_timeout"):
            f.request(server.url("/slow"))


@pytest.mark.timeout(10)
def test_a_pause_longer_than_the_page_budget_is_cut_at_the_budget():
    # The next byte would come after 30 s, inside the 60 s read timeout: only the page
    # budget (1 s) stops the wait; the pytest timeout is what fails a crawler that waits.
    stalled = drip([b"<p>", b"never"], pause=30)
    with LoopbackServer({"/stall": Reply(200, stalled)}) as server:
        f = fetcher(CrawlSettings(host_delay=0, retries=0, page_timeout=1.0, read_timeout=60.0))
        with pytest.raises(FetchError) as caught:
            f.request(server.url("/stall"))
    assert caught.value.kind == "timeout"


@pytest.mark.timeout(20)
def test_endless_page_is_cut_at_max_page_bytes():
    endless = itertools.repeat(b"<p>" + b"a" * 1021 + b"</p>")
    with LoopbackServer({"/huge": Reply(200, endless)}) as server:
        f = fetcher(CrawlSettings(host_delay=0, max_page_bytes=200_000))
        response = f.request(server.url("/huge"))
    assert response.truncated
    assert len(response.body) == 200_000
    assert f.stats.body_bytes >= 200_000


def test_whole_body_read_is_not_truncated_and_counted():
    with LoopbackServer({"/": html("<p>hello</p>")}) as server:
        f = fetcher()
        response = f.request(server.url("/"))
    assert response.status == 200 and response.body == b"<p>hello</p>" and not response.truncated
    assert f.stats.requests == 1 and f.stats.body_bytes == len(b"<p>hello</p>")


def test_gzip_body_is_decoded_and_counted_compressed():
    page = b"<p>" + b"laporan keuangan " * 2000 + b"</p>"
    packed = gzip.compress(page)
    with LoopbackServer({"/": Reply(200, packed, {"Content-Encoding": "gzip"})}) as server:
        f = fetcher()
        response = f.request(server.url("/"))
    assert response.body == page
    assert response.wire_bytes == len(packed) < len(page)


def test_connections_are_kept_alive():
    with LoopbackServer({"/a": html("a"), "/b": html("b"), "/c": html("c")}) as server:
        f = fetcher()
        for path in ("/a", "/b", "/c"):
            f.request(server.url(path))
        ports = {r.client_port for r in server.requests}
    assert len(ports) == 1


def test_redirect_loop_stops_at_max_redirects():
    routes = {"/a": redirect("/b"), "/b": redirect("/a")}
    with LoopbackServer(routes) as server:
        with pytest.raises(FetchError, match="loop") as caught:
            fetcher(CrawlSettings(host_delay=0, max_redirects=3)).follow(server.url("/a"))
        assert caught.value.kind == "redirect"
        assert server.paths() == ["/a", "/b", "/a", "/b"]


def test_redirect_to_itself_that_sets_a_cookie_is_followed():
    def cookie_gate(request):
        if "lolos=1" in request.headers.get("Cookie", ""):
            return html("masuk")
        return Reply(
            302, b"", {"Location": "/", "Set-Cookie": "lolos=1; Path=/"}, content_type=None
        )

    with LoopbackServer({"/": cookie_gate}) as server:
        response = fetcher().follow(server.url("/"))
    assert response.status == 200 and response.body == b"masuk"


def test_endless_redirect_chain_stops_at_max_redirects():
    def next_hop(request):
        n = int(request.path_only.rsplit("/", 1)[-1])
        return redirect(f"/r/{n + 1}", 301)

    with LoopbackServer({"/r/*": next_hop}) as server:
        f = fetcher(CrawlSettings(host_delay=0, max_redirects=4))
        with pytest.raises(FetchError, match="more than 4 redirects"):
            f.follow(server.url("/r/0"))
        assert len(server.paths()) == 5  # the first request and 4 followed redirects


def test_redirects_followed_and_recorded():
    routes = {"/old": redirect("/new", 301), "/new": html("new")}
    with LoopbackServer(routes) as server:
        response = fetcher().follow(server.url("/old"))
    assert response.status == 200 and response.body == b"new"
    assert response.url == server.url("/new")
    assert response.redirects == [server.url("/old")]


def test_refused_hop_returns_the_redirect():
    routes = {"/old": redirect("/private"), "/private": html("secret")}
    with LoopbackServer(routes) as server:
        response = fetcher().follow(server.url("/old"), allow_hop=lambda url: "robots")
        assert response.status == 302 and response.location == server.url("/private")
        assert server.paths() == ["/old"]


def test_retries_503_then_success():
    answers = iter([Reply(503, "busy"), Reply(503, "busy"), html("ok")])
    with LoopbackServer({"/": lambda request: next(answers)}) as server:
        f = fetcher(CrawlSettings(host_delay=0, retries=2, retry_backoff=0.05))
        started = time.monotonic()
        response = f.request(server.url("/"))
        assert response.status == 200
        assert len(server.paths()) == 3
    assert time.monotonic() - started >= 0.05 + 0.1  # backoff doubles


def test_retries_exhausted_returns_the_last_5xx():
    with LoopbackServer({"/": Reply(502, "bad gateway")}) as server:
        response = fetcher(CrawlSettings(host_delay=0, retries=1, retry_backoff=0.01)).request(
            server.url("/")
        )
        assert response.status == 502
        assert len(server.paths()) == 2


def test_404_is_not_retried():
    with LoopbackServer() as server:
        assert fetcher().request(server.url("/missing")).status == 404
        assert len(server.paths()) == 1


def test_refused_connection_is_retried_then_raised():
    f = fetcher(CrawlSettings(host_delay=0, retries=2, retry_backoff=0.01))
    with pytest.raises(FetchError) as caught:
        f.request(LoopbackServer.refused_url())
    assert caught.value.kind == "refused"
    assert f.stats.requests == 3


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_tls_error_is_named_and_verify_false_accepts():
    with LoopbackServer({"/": html("secure")}, tls=True) as server:
        with pytest.raises(FetchError) as caught:
            fetcher().request(server.url("/"))
        assert caught.value.kind == "tls"
        assert "certificate" in str(caught.value).lower()
        response = fetcher(verify_tls=False).request(server.url("/"))
        assert response.status == 200 and response.body == b"secure"


def test_user_agent_and_extra_headers_sent():
    with LoopbackServer({"/": html("x")}) as server:
        fetcher().request(server.url("/"), headers={"If-None-Match": '"v1"'})
        sent = server.requests[0].headers
    assert sent["User-Agent"] == FAST.user_agent
    assert sent["If-None-Match"] == '"v1"'


def test_body_limit_decided_from_headers():
    pdf = b"%PDF-1.7\n" + b"0" * 100_000
    with LoopbackServer({"/f": Reply(200, pdf, content_type="application/pdf")}) as server:
        response = fetcher().request(
            server.url("/f"),
            body_limit=lambda status, headers: 16 if "pdf" in headers["Content-Type"] else 10**6,
        )
    assert response.body == pdf[:16] and response.truncated


def test_per_host_delay_applies_between_requests():
    with LoopbackServer({"/a": html("a"), "/b": html("b"), "/c": html("c")}) as server:
        f = fetcher(CrawlSettings(host_delay=0.2))
        for path in ("/a", "/b", "/c"):
            f.request(server.url(path))
        times = [r.received_at for r in server.requests]
    assert all(
        b - a >= 0.2 - 0.05 for a, b in zip(times, times[1:], strict=False)
    )  # slack: connection setup
