import threading
import time

import pytest

from scrapers.crawling.politeness import BudgetExceeded, HostThrottle, shared_throttle


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
