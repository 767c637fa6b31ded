"""One total deadline per request: the watchdog cuts a blocked read at the deadline."""

import socket
import threading
import time

from core.settings import CrawlSettings
from scrapers.crawling.deadline import current_scope, request_scope
from scrapers.crawling.fetch import Fetcher, FetchError
from scrapers.crawling.politeness import HostThrottle
from tests.hostile import HeaderDripServer, http_answer
from tests.loopback import loopback_guard


def test_a_blocked_read_returns_at_the_deadline():
    left, right = socket.socketpair()
    with left, right:
        started = time.monotonic()
        with request_scope(started + 0.3) as scope:
            scope.attach(left)
            assert current_scope() is scope
            data = left.recv(10)  # nothing is ever sent: only the watchdog ends this
        assert data == b""
        assert scope.expired
        assert 0.25 < time.monotonic() - started < 2.0
    assert current_scope() is None


def test_a_request_finished_in_time_leaves_its_socket_alone():
    left, right = socket.socketpair()
    with left, right:
        with request_scope(time.monotonic() + 0.2) as scope:
            scope.attach(left)
        time.sleep(0.3)  # past the deadline: the socket must still work (it is back in a pool)
        right.sendall(b"ok")
        assert left.recv(2) == b"ok"
        assert not scope.expired


def test_header_drip_is_cut_at_page_timeout_not_site_timeout():
    settings = CrawlSettings(
        page_timeout=0.5, read_timeout=5, connect_timeout=5, retries=0, host_delay=0
    )
    fetcher = Fetcher(settings, throttle=HostThrottle(), guard=loopback_guard())
    with HeaderDripServer(interval=0.05) as server:
        started = time.monotonic()
        try:
            fetcher.request(server.url("/slow"), deadline=started + 60)
        except FetchError as error:
            assert error.kind == "timeout"
            assert "page_timeout" in str(error)
        else:
            raise AssertionError("a response whose headers never end was accepted")
        elapsed = time.monotonic() - started
        assert elapsed < 2.0, elapsed
        # The server saw the client go away: the connection is not held any more.
        deadline = time.monotonic() + 2
        while server.dripping and time.monotonic() < deadline:
            threading.Event().wait(0.02)
        assert server.dripping == 0
    fetcher.close()


def test_site_budget_names_site_timeout_when_it_is_the_nearer_limit():
    settings = CrawlSettings(page_timeout=30, read_timeout=30, retries=0, host_delay=0)
    fetcher = Fetcher(settings, throttle=HostThrottle(), guard=loopback_guard())
    with HeaderDripServer({"/": http_answer("ok")}, interval=0.05) as server:
        assert fetcher.request(server.url("/")).body == b"ok"
        started = time.monotonic()
        try:
            fetcher.request(server.url("/slow"), deadline=started + 0.4)
        except FetchError as error:
            assert "site_timeout" in str(error)
        else:
            raise AssertionError("no timeout")
        assert time.monotonic() - started < 2.0
    fetcher.close()


def test_a_hanging_dns_lookup_is_cut_at_the_page_deadline():
    """The resolver hook never answers (a DNS server that drops queries): the request fails
    as a timeout within page_timeout and no connection is opened."""
    from scrapers.crawling.guard import LOOPBACK, AddressGuard
    from tests.hostile import RecordingOpener

    release = threading.Event()

    def hanging(host, port, timeout):
        release.wait(30)
        return ["127.0.0.1"]

    opener = RecordingOpener()
    guard = AddressGuard(frozenset({LOOPBACK}), hanging, opener)
    settings = CrawlSettings(page_timeout=0.5, connect_timeout=10, retries=0, host_delay=0)
    fetcher = Fetcher(settings, throttle=HostThrottle(), guard=guard)
    started = time.monotonic()
    try:
        fetcher.request("http://lambat.test/")
    except FetchError as error:
        assert error.kind in {"timeout", "dns"}, error
    else:
        raise AssertionError("a lookup that never answers produced a response")
    finally:
        release.set()
        fetcher.close()
    assert time.monotonic() - started < 2.0
    assert opener.opened == []
