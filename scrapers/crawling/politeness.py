"""A thread-safe per-host throttle, shared by every site crawled in one process.

Two agencies often live on one host (``kab.go.id/dinkes`` and ``kab.go.id/diskominfo``, or a
shared government hosting box), so politeness is per host, not per site: the throttle keeps,
for each host name, the time its next request may start and the number of requests in
flight. Like Scrapy's download slots, the key is the host name without port and the delay is
measured between request starts.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class BudgetExceeded(Exception):
    """Waiting for the host would run past the caller's deadline."""


class HostThrottle:
    """Per-host spacing of request starts plus a cap on requests in flight per host.

    ``slot(host, delay, concurrency, deadline)`` blocks until both hold, reserves the start
    time and yields; leave the block when the response has been read. Each caller passes its
    own delay (a robots.txt Crawl-delay raises one site's delay) and the host's reservations
    honour the delay of the request being placed. Connections and turns are given first come
    first served, so waiting threads do not race each other and none is starved.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Condition()
        self._next_start: dict[str, float] = {}
        self._in_flight: dict[str, int] = defaultdict(int)
        self._queues: dict[str, deque[object]] = defaultdict(deque)

    @contextmanager
    def slot(
        self,
        host: str,
        delay: float = 0.0,
        concurrency: int = 1,
        deadline: float | None = None,
    ) -> Iterator[None]:
        self._enter(host, max(1, concurrency), deadline)
        try:
            self._wait_for_turn(host, max(0.0, delay), deadline)
            yield
        finally:
            self._leave(host)

    def _enter(self, host: str, concurrency: int, deadline: float | None) -> None:
        """Take a connection to ``host`` in arrival order: a site that finishes a request and
        asks again queues behind the sites already waiting, so a slow site sharing the host
        cannot keep the others out."""
        with self._lock:
            queue = self._queues[host]
            ticket = object()
            queue.append(ticket)
            try:
                while self._in_flight[host] >= concurrency or queue[0] is not ticket:
                    timeout = None if deadline is None else deadline - self._clock()
                    if timeout is not None and timeout <= 0:
                        raise BudgetExceeded(f"no free connection to {host} before the deadline")
                    self._lock.wait(timeout)
            except BaseException:
                queue.remove(ticket)
                self._lock.notify_all()
                raise
            queue.popleft()
            if not queue:
                del self._queues[host]
            self._in_flight[host] += 1
            self._lock.notify_all()  # the next in line may fit too (concurrency > 1)

    def _leave(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] -= 1
            self._lock.notify_all()

    def _wait_for_turn(self, host: str, delay: float, deadline: float | None) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            if deadline is not None and start > deadline:
                raise BudgetExceeded(f"next turn on {host} is after the deadline")
            self._next_start[host] = start + delay
        if start > now:
            self._sleep(start - now)


_shared = HostThrottle()


def shared_throttle() -> HostThrottle:
    """The process-wide throttle that ``crawl_site`` uses unless given another."""
    return _shared
