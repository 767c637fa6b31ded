"""One total deadline per request: DNS, connect, headers and body together.

A socket timeout bounds the wait for *one* read, so a server that sends one header line per
second never trips it. :func:`request_scope` gives each request a
:class:`RequestScope` with an absolute deadline; the connection code attaches every socket it
opens or reuses to the current scope, and one watchdog thread shuts those sockets down when the
deadline passes. A read blocked inside ``http.client`` (headers) or TLS then returns at once
and the request fails as ``timeout``, whatever the server does.

The scope is per thread (``requests`` runs a request in the calling thread), so the connection
classes find it without it being passed through ``requests`` and ``urllib3``.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class RequestScope:
    """The deadline of one request and the sockets it uses."""

    def __init__(self, deadline: float, limit_name: str = "page_timeout") -> None:
        self.deadline = deadline
        self.limit_name = limit_name
        """The setting that set the deadline, named in the error."""
        self.expired = False
        self.closed = False
        self.refusal: str | None = None
        """Why the address guard refused the host, when it did."""
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        """Seconds left (negative once past)."""
        return self.deadline - time.monotonic()

    def attach(self, sock: socket.socket | None) -> None:
        """Cut ``sock`` at the deadline (at once when it has passed)."""
        if sock is None:
            return
        with self._lock:
            if self.closed:
                return
            if not self.expired:
                self._sockets.append(sock)
                return
        _shut(sock)

    def close(self) -> None:
        """The request is over: its sockets (back in the pool, maybe reused) are let go."""
        with self._lock:
            self.closed = True
            self._sockets = []

    def expire(self) -> None:
        """The deadline passed: shut every attached socket down (unless already let go)."""
        with self._lock:
            if self.closed:
                return
            self.expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    """Shut the connection down (both directions) without closing the descriptor, so a read
    blocked in another thread returns; ``socket.socket.shutdown`` is called directly so an
    SSL socket is not unwrapped under its reader. A socket closed meanwhile is left alone."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


class _Watchdog:
    """One daemon thread that expires scopes at their deadlines."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, RequestScope]] = []
        self._live: set[int] = set()
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, scope: RequestScope) -> int:
        with self._cond:
            ticket = next(self._seq)
            heapq.heappush(self._heap, (scope.deadline, ticket, scope))
            self._live.add(ticket)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="pantau-deadline", daemon=True
                )
                self._thread.start()
            self._cond.notify()
            return ticket

    def unwatch(self, ticket: int) -> None:
        with self._cond:
            self._live.discard(ticket)

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][1] not in self._live:
                    heapq.heappop(self._heap)  # finished in time
                if not self._heap:
                    self._cond.wait()
                    continue
                deadline, ticket, scope = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
                self._live.discard(ticket)
            scope.expire()


_watchdog = _Watchdog()
_local = threading.local()


@contextmanager
def request_scope(deadline: float, limit_name: str = "page_timeout") -> Iterator[RequestScope]:
    """Run one request under ``deadline`` (a ``time.monotonic()`` value) in this thread."""
    scope = RequestScope(deadline, limit_name)
    previous = getattr(_local, "scope", None)
    _local.scope = scope
    ticket = _watchdog.watch(scope)
    try:
        yield scope
    finally:
        scope.close()
        _watchdog.unwatch(ticket)
        _local.scope = previous


def current_scope() -> RequestScope | None:
    """The scope of the request running in this thread, if any."""
    return getattr(_local, "scope", None)
