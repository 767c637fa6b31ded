import socket
import struct
import threading
import time

import pytest

from core.settings import CrawlSettings
from scrapers.crawling.fetch import Fetcher
from scrapers.crawling.politeness import BudgetExceeded, HostThrottle, request_sent, shared_throttle
from tests.loopback import loopback_guard


class FakeClock:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def test_same_host_requests_are_spaced_by_the_delay():
    clock = FakeClock()
    throttle = HostThrottle(clock, clock.sleep)
    starts = []
    for _ in range(3):
        with throttle.slot("ppid.kota.go.id", delay=2.0):
            starts.append(clock.now)
    assert starts == [100.0, 102.0, 104.0]


def test_other_hosts_do_not_wait():
    clock = FakeClock()
    throttle = HostThrottle(clock, clock.sleep)
    with throttle.slot("a.go.id", delay=5.0):
        pass
    with throttle.slot("b.go.id", delay=5.0):
        pass
    assert clock.sleeps == []


def test_larger_delay_of_one_caller_holds_for_the_next_caller():
    clock = FakeClock()
    throttle = HostThrottle(clock, clock.sleep)
    with throttle.slot("h", delay=5.0):  # a site with robots.txt Crawl-delay: 5
        pass
    with throttle.slot("h", delay=1.0):
        assert clock.now == 105.0


def test_turn_after_the_deadline_raises_budget_exceeded():
    clock = FakeClock()
    throttle = HostThrottle(clock, clock.sleep)
    with throttle.slot("h", delay=10.0):
        pass
    with pytest.raises(BudgetExceeded):
        with throttle.slot("h", delay=10.0, deadline=clock.now + 3):
            pass


def test_a_late_send_pushes_the_next_request_back():
    # The turn came at 100, but the thread only got the request out at 100.7 (CPU or GIL
    # contention): the next request may start 2 s after the real send, not after the turn.
    clock = FakeClock()
    throttle = HostThrottle(clock, clock.sleep)
    with throttle.slot("h", delay=2.0):
        clock.now += 0.7
        request_sent()
        clock.now += 0.1  # reading the response
    with throttle.slot("h", delay=2.0):
        assert clock.now == 102.7


def test_the_gap_counts_from_the_send_not_from_the_end_of_the_response():
    clock = FakeClock()
    throttle = HostThrottle(clock, clock.sleep)
    with throttle.slot("h", delay=2.0):
        request_sent()
        clock.now += 1.5  # a slow response
    with throttle.slot("h", delay=2.0):
        assert clock.now == 102.0


def test_concurrent_requests_to_one_host_take_turns_from_real_sends():
    # Two connections allowed: the second caller still waits for the first one's send,
    # and then for the delay after it.
    throttle = HostThrottle()
    sends: list[float] = []
    first_in = threading.Event()
    let_first_send = threading.Event()

    def first():
        with throttle.slot("h", delay=0.05, concurrency=2):
            first_in.set()
            let_first_send.wait(5)
            sends.append(time.monotonic())
            request_sent()

    def second():
        first_in.wait(5)
        with throttle.slot("h", delay=0.05, concurrency=2):
            sends.append(time.monotonic())
            request_sent()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_in.wait(5)
    let_first_send.set()
    for t in threads:
        t.join(5)
    assert len(sends) == 2 and sends[1] - sends[0] >= 0.05


def test_request_sent_outside_a_slot_does_nothing():
    request_sent()


def test_real_clock_spacing_lower_bound():
    throttle = HostThrottle()
    before = time.monotonic()
    starts = []
    for _ in range(4):
        with throttle.slot("h", delay=0.1):
            starts.append(time.monotonic())
    # The n-th request may start no earlier than n delays after the first one could.
    assert all(start >= before + n * 0.1 for n, start in enumerate(starts))


def test_concurrency_cap_per_host_across_threads():
    throttle = HostThrottle()
    in_flight = 0
    peak = 0
    lock = threading.Lock()
    release = threading.Event()
    entered = threading.Semaphore(0)

    def worker():
        nonlocal in_flight, peak
        with throttle.slot("h", delay=0.0, concurrency=2):
            request_sent()  # as the connection does once the request is written
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            entered.release()
            release.wait(5)
            with lock:
                in_flight -= 1

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for t in threads:
        t.start()
    entered.acquire(timeout=5)
    entered.acquire(timeout=5)
    assert not entered.acquire(timeout=0.2)  # a third request cannot get in while two are open
    release.set()
    for t in threads:
        t.join(5)
    assert peak == 2


def test_waiting_for_a_connection_respects_the_deadline():
    throttle = HostThrottle()
    with throttle.slot("h", concurrency=1):
        with pytest.raises(BudgetExceeded):
            with throttle.slot("h", concurrency=1, deadline=time.monotonic() + 0.05):
                pass


def test_shared_throttle_is_one_instance():
    assert shared_throttle() is shared_throttle()


# --- the floor as a real server sees it ------------------------------------------------------

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; 35 on every architecture
OK_REPLY = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


class ArrivalServer:
    """A loopback HTTP server (port 0, listening before use) that records when each request's
    first bytes reached the server's kernel (``SO_TIMESTAMPNS``): the arrival times do not
    depend on when this process's threads get to run, so a loaded machine cannot make a gap
    look shorter than it was."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        # Set on the listening socket, so that accepted ones stamp from their first byte (set
        # after accept(), a request already queued would come without a stamp).
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.arrivals: list[float | None] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}{path}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        buffer, arrived = b"", None
        with conn:
            while True:
                try:
                    data, ancillary, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(16))
                except OSError:
                    return
                if not data:
                    return
                if not buffer:
                    arrived = next((_timestamp(d) for level, kind, d in ancillary
                                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS),
                                   None)
                buffer += data
                while b"\r\n\r\n" in buffer:
                    _, buffer = buffer.split(b"\r\n\r\n", 1)
                    with self._lock:
                        self.arrivals.append(arrived)
                    arrived = None
                    conn.sendall(OK_REPLY)

    def close(self) -> None:
        self.sock.close()


def _timestamp(data: bytes) -> float:
    seconds, nanoseconds = struct.unpack("qq", data[:16])
    return seconds + nanoseconds / 1e9


def _burn(stop: threading.Event) -> None:
    """Load: Python work that competes for the interpreter with the crawler's threads."""
    while not stop.is_set():
        sum(i * i for i in range(20_000))


@pytest.mark.timeout(60)
def test_no_two_requests_reach_the_server_closer_than_the_delay():
    # Three sites on one host (one throttle), two connections each allowed, while other
    # threads keep the interpreter busy: every gap between two arrivals, as the server's
    # kernel stamped them, is at least the delay (the client's sleeps can only lengthen it).
    delay = 0.04
    server = ArrivalServer()
    throttle = HostThrottle()
    settings = CrawlSettings(host_delay=delay, connections_per_host=2, retries=0)
    stop = threading.Event()
    load = [threading.Thread(target=_burn, args=(stop,), daemon=True) for _ in range(3)]
    errors: list[BaseException] = []

    def site(n: int) -> None:
        fetcher = Fetcher(settings, throttle=throttle, guard=loopback_guard())
        try:
            for i in range(6):
                fetcher.request(server.url(f"/site{n}/halaman-{i}"))
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)
        finally:
            fetcher.close()

    sites = [threading.Thread(target=site, args=(n,)) for n in range(3)]
    try:
        for t in load + sites:
            t.start()
        for t in sites:
            t.join(30)
    finally:
        stop.set()
        server.close()
    assert not errors
    assert len(server.arrivals) == 18 and None not in server.arrivals
    arrivals = sorted(server.arrivals)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert min(gaps) >= delay - 0.001, sorted(gaps)[:3]
