"""Hostile servers and tools for the hostile-input tests (tests/test_hostile.py and others).

- :class:`HeaderDripServer`: a raw TCP server on 127.0.0.1 (port 0, listening when the
  constructor returns) that answers chosen paths normally and drips the headers of every
  other path one line at a time, never ending them: what ``http.client`` and a socket
  read timeout cannot bound.
- :class:`RecordingOpener`: an opener for :class:`~scrapers.crawling.guard.AddressGuard` that
  records every address a connection is opened to and opens only loopback ones, so a test
  proves that no connection was opened to a refused address and never sends a packet off lo.
"""

from __future__ import annotations

import socket
import threading
import time

from scrapers.crawling.guard import LOOPBACK, address_class


class HeaderDripServer:
    """``answers`` maps a path to a full HTTP response (bytes); any other path gets a status
    line and then one header line every ``interval`` seconds, forever."""

    def __init__(self, answers: dict[str, bytes] | None = None, interval: float = 0.1) -> None:
        self.answers = answers or {}
        self.interval = interval
        self.paths: list[str] = []
        self.dripping = 0
        """Connections currently held open by a drip."""
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> HeaderDripServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop accepting and end every drip."""
        self._stop.set()
        self._thread.join(2)
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = b""
            try:
                while b"\r\n\r\n" not in request:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    request += chunk
            except OSError:
                return
            path = request.split(b" ", 2)[1].decode("latin-1") if b" " in request else "/"
            with self._lock:
                self.paths.append(path)
            if path in self.answers:
                try:
                    conn.sendall(self.answers[path])
                except OSError:
                    pass
                return
            self._drip(conn)

    def _drip(self, conn: socket.socket) -> None:
        with self._lock:
            self.dripping += 1
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            line = 0
            while not self._stop.is_set():
                line += 1
                conn.sendall(f"X-Drip-{line}: {'x' * 10}\r\n".encode())
                time.sleep(self.interval)
        except OSError:
            pass  # the client hung up: what a deadline should make it do
        finally:
            with self._lock:
                self.dripping -= 1


def http_answer(body: str, status: str = "200 OK", content_type: str = "text/html") -> bytes:
    """A complete HTTP/1.1 response that closes the connection."""
    data = body.encode("utf-8")
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}; charset=utf-8\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + data


class RecordingOpener:
    """Opens TCP connections for an AddressGuard, recording each address; anything that is
    not loopback is recorded and refused here, so a broken guard fails the test instead of
    sending a packet off this machine."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    def __call__(self, address: tuple[str, int], timeout: float) -> socket.socket:
        with self._lock:
            self.opened.append(address)
        if address_class(address[0]) != LOOPBACK:
            raise ConnectionRefusedError(f"test opener: {address[0]} is not loopback")
        return socket.create_connection(address, timeout)

    def hosts(self) -> set[str]:
        """Every address a connection was opened (or attempted) to."""
        with self._lock:
            return {address for address, _ in self.opened}
