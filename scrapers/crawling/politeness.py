"""A thread-safe per-host throttle, shared by every site crawled in one process.

Two agencies often live on one host (``kab.go.id/dinkes`` and ``kab.go.id/diskominfo``, or a
shared government hosting box), so politeness is per host, not per site: the throttle keeps,
for each host name, when the last request was actually sent and the number of requests in
flight. Like Scrapy's download slots, the key is the host name without port.

The delay is a floor *as the server sees it*: the gap is measured from the moment the previous
request was on the wire (:func:`request_sent`, called by the connection right after it has sent
the request), not from the moment its turn was reserved. A thread that wakes late (CPU or GIL
contention) therefore sends late *and* pushes the next request back with it; a reservation
scheme lets the next request, on time, arrive less than the delay after the late one.
One thread per host holds the *send turn* from its wait until its request is sent, so the
next request's earliest start is always computed from a real send time.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


class BudgetExceeded(Exception):
    """Waiting for the host would run past the caller's deadline."""


@dataclass
class _HostState:
    """One host's politeness state (guarded by the throttle's lock)."""

    next_start: float | None = None
    """Earliest start of the next request: last send time + that request's delay."""
    in_flight: int = 0
    connections: deque[object] = field(default_factory=deque)
    """Callers waiting for a connection, in arrival order."""
    turns: deque[object] = field(default_factory=deque)
    """Callers waiting for the send turn, in arrival order."""
    sender: object | None = None
    """The caller holding the send turn (from its wait until its request is on the wire)."""


class _Turn:
    """One caller's send turn on a host; :meth:`sent` ends it (once)."""

    def __init__(self, throttle: HostThrottle, host: str, delay: float) -> None:
        self.throttle = throttle
        self.host = host
        self.delay = delay
        self.held = False
        self.sent_at: float | None = None

    def sent(self) -> None:
        """The request is on the wire now: the next one on this host may start ``delay`` later."""
        self.throttle._release_turn(self)


_local = threading.local()


def request_sent() -> None:
    """Mark the calling thread's current request as sent (the connection calls this right
    after writing the request). Outside a throttle slot it does nothing."""
    turn = getattr(_local, "turn", None)
    if turn is not None:
        turn.sent()


class HostThrottle:
    """Per-host spacing of actual sends plus a cap on requests in flight per host.

    ``slot(host, delay, concurrency, deadline)`` blocks until a connection is free and the
    host's next start has come, then yields with the host's send turn held; the turn ends when
    the request is on the wire (:func:`request_sent`) or, if nothing was sent, when the block
    is left. Leave the block when the response has been read. Each caller passes its own delay
    (a robots.txt Crawl-delay raises one site's delay): the gap after a request is that
    request's delay. Connections and turns are given first come first served, so waiting
    threads do not race each other and none is starved.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Condition()
        self._hosts: dict[str, _HostState] = defaultdict(_HostState)

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
            turn = _Turn(self, host, max(0.0, delay))
            self._take_turn(turn, deadline)
            outer = getattr(_local, "turn", None)
            _local.turn = turn
            try:
                yield
            finally:
                _local.turn = outer
                turn.sent()  # nothing went out (an error before sending): count it sent now
        finally:
            self._leave(host)

    def _wait(self, ready: Callable[[], bool], deadline: float | None, what: str) -> None:
        """Wait on the lock (held) until ``ready()``; BudgetExceeded at the deadline."""
        while not ready():
            timeout = None if deadline is None else deadline - self._clock()
            if timeout is not None and timeout <= 0:
                raise BudgetExceeded(f"{what} before the deadline")
            self._lock.wait(timeout)

    def _enter(self, host: str, concurrency: int, deadline: float | None) -> None:
        """Take a connection to ``host`` in arrival order: a site that finishes a request and
        asks again queues behind the sites already waiting, so a slow site sharing the host
        cannot keep the others out."""
        with self._lock:
            state = self._hosts[host]
            ticket = object()
            state.connections.append(ticket)
            try:
                self._wait(lambda: state.in_flight < concurrency
                           and state.connections[0] is ticket,
                           deadline, f"no free connection to {host}")
            except BaseException:
                state.connections.remove(ticket)
                self._lock.notify_all()
                raise
            state.connections.popleft()
            state.in_flight += 1
            self._lock.notify_all()  # the next in line may fit too (concurrency > 1)

    def _leave(self, host: str) -> None:
        with self._lock:
            state = self._hosts[host]
            state.in_flight -= 1
            self._lock.notify_all()
            idle = not (state.in_flight or state.turns or state.connections or state.sender)
            if idle and (state.next_start is None or state.next_start <= self._clock()):
                del self._hosts[host]  # nothing left to remember: the map stays small

    def _take_turn(self, turn: _Turn, deadline: float | None) -> None:
        """Hold the host's send turn (in arrival order), then sleep until its next start."""
        with self._lock:
            state = self._hosts[turn.host]
            state.turns.append(turn)
            try:
                self._wait(lambda: state.sender is None and state.turns[0] is turn,
                           deadline, f"no turn on {turn.host}")
            except BaseException:
                state.turns.remove(turn)
                self._lock.notify_all()
                raise
            state.turns.popleft()
            state.sender = turn
            turn.held = True
            start = state.next_start
        try:
            while start is not None:
                now = self._clock()
                if now >= start:
                    break
                if deadline is not None and start > deadline:
                    raise BudgetExceeded(f"next turn on {turn.host} is after the deadline")
                self._sleep(start - now)
        except BaseException:
            self._release_turn(turn, sent=False)
            raise

    def _release_turn(self, turn: _Turn, sent: bool = True) -> None:
        with self._lock:
            if not turn.held:
                return
            turn.held = False
            state = self._hosts[turn.host]
            if sent:
                turn.sent_at = self._clock()
                state.next_start = turn.sent_at + turn.delay
            state.sender = None
            self._lock.notify_all()


_shared = HostThrottle()


def shared_throttle() -> HostThrottle:
    """The process-wide throttle that ``crawl_site`` uses unless given another."""
    return _shared
