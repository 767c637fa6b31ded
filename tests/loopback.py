"""A real HTTP(S) server on 127.0.0.1 for tests, with routes written as small functions.

Usage (context manager)::

    from tests.loopback import LoopbackServer, Reply, html

    def test_something():
        with LoopbackServer({"/": html("<a href='/a'>a</a>"), "/a": html("A")}) as server:
            response = requests.get(server.url("/"))
            assert server.paths() == ["/"]

or as a pytest fixture (import it into the test module)::

    from tests.loopback import loopback  # noqa: F401  (pytest finds fixtures by name)

    def test_other(loopback):
        loopback.route("/robots.txt", Reply(404))
        ...

Facts tests can rely on:

- The server binds port 0 on 127.0.0.1 and is listening when the constructor returns (the
  socket is bound and ``listen()``-ed before the serving thread starts), so no test sleeps.
- Routes map a path (without query) to a :class:`Reply`, or to a function
  ``(Request) -> Reply``. A key ending in ``*`` matches by prefix (``"/r/*"``); the longest
  matching key wins; anything else gets ``default`` (404 unless given).
- A Reply's ``body`` is bytes/str (sent with Content-Length, keep-alive on: the server speaks
  HTTP/1.1) or an iterable of byte chunks, sent as they come without a length and then the
  connection closes. A generator that sleeps between chunks is a slow-drip server; one that
  never ends is an endless page. Streaming stops when the client goes away or the server stops.
- HEAD gets the headers a GET would (the body is not sent).
- Every request is recorded (:attr:`LoopbackServer.requests`) with its method, path, headers
  and ``time.monotonic()`` arrival time, so politeness is measured server-side.
- ``tls=True`` serves HTTPS with a self-signed certificate for 127.0.0.1/localhost made on the
  spot (``cryptography``); clients that verify certificates reject it.
- ``LoopbackServer.refused_url()`` gives a URL on a port where nothing listens.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scrapers.crawling.guard import LOOPBACK, AddressGuard


@dataclass
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    """Path with query string, as sent."""
    headers: Mapping[str, str]
    body: bytes
    received_at: float
    """``time.monotonic()`` when the request line was read."""
    client_port: int = 0
    """The client's source port: requests sharing it came over one kept-alive connection."""

    @property
    def path_only(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"


Handler = Reply | Callable[[Request], Reply]


def html(text: str, status: int = 200, **headers: str) -> Reply:
    """An HTML reply (UTF-8)."""
    return Reply(status, text, dict(headers))


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location}, content_type=None)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # an endless stream must not hold up the test's teardown
    allow_reuse_address = True

    owner: LoopbackServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up or reject our certificate are part of the tests: stay quiet."""


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the client's delayed ACK adds
    # ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def _handle(self) -> None:
        received = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            self.command,
            self.path,
            dict(self.headers.items()),
            body,
            received,
            self.client_address[1],
        )
        owner = self.server.owner
        owner._record(request)
        reply = owner._reply_for(request)
        self._send(reply, head=self.command == "HEAD")

    do_GET = do_HEAD = do_POST = _handle  # noqa: N815 - stdlib naming

    def _send(self, reply: Reply, head: bool) -> None:
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        streaming = not isinstance(body, bytes | bytearray)
        self.send_response(reply.status)
        if reply.content_type and not any(k.lower() == "content-type" for k in reply.headers):
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        has_length = any(k.lower() == "content-length" for k in reply.headers)
        if streaming:
            self.send_header("Connection", "close")
            self.close_connection = True
        elif not has_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head or reply.status in (204, 304):
            return
        try:
            if streaming:
                self._stream(body)
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    def _stream(self, chunks: Iterable[bytes]) -> None:
        for chunk in chunks:
            if self.server.owner.stopping.is_set():
                break
            self.wfile.write(chunk)
            self.wfile.flush()


class LoopbackServer:
    """See the module docstring."""

    def __init__(
        self,
        routes: Mapping[str, Handler] | None = None,
        *,
        default: Handler | None = None,
        tls: bool = False,
    ) -> None:
        self.routes: dict[str, Handler] = dict(routes or {})
        self.default: Handler = default or Reply(404, "<h1>404</h1>")
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.owner = self
        self.tls = tls
        if tls:
            # The handshake then happens in the handler thread, not in the accepting one.
            self._server.socket = _tls_context().wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False
            )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    # --- configuration ---------------------------------------------------------------

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    @staticmethod
    def refused_url(path: str = "/") -> str:
        """A URL on a loopback port that is bound but not listening: connecting is refused."""
        holder = socket.socket()
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
        _REFUSING_SOCKETS.append(holder)  # kept bound so no other test takes the port
        return f"http://127.0.0.1:{port}{path}"

    # --- inspection ------------------------------------------------------------------

    def paths(self, method: str | None = None) -> list[str]:
        """Paths requested so far (with query), in arrival order."""
        with self._lock:
            return [r.path for r in self.requests if method is None or r.method == method]

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path_only == path]

    # --- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _reply_for(self, request: Request) -> Reply:
        handler = self._match(request.path_only)
        return handler(request) if callable(handler) else handler

    def _match(self, path: str) -> Handler:
        if path in self.routes:
            return self.routes[path]
        prefixes = [k for k in self.routes if k.endswith("*") and path.startswith(k[:-1])]
        if prefixes:
            return self.routes[max(prefixes, key=len)]
        return self.default


_REFUSING_SOCKETS: list[socket.socket] = []


def drip(chunks: Iterable[bytes], pause: float) -> Iterator[bytes]:
    """Yield each chunk after ``pause`` seconds: a server that sends slowly (server side)."""
    for chunk in chunks:
        time.sleep(pause)
        yield chunk


def _tls_context() -> ssl.SSLContext:
    cert_pem, key_pem = self_signed_pem()
    with tempfile.TemporaryDirectory() as folder:
        cert_path, key_path = Path(folder, "cert.pem"), Path(folder, "key.pem")
        cert_path.write_bytes(cert_pem)
        key_path.write_bytes(key_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
    return context


def self_signed_pem() -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM) of a fresh self-signed certificate for 127.0.0.1/localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A started :class:`LoopbackServer` with no routes (add them with ``route``)."""
    with LoopbackServer() as server:
        yield server


def loopback_guard() -> AddressGuard:
    """The address guard of an agency whose registry URL is on 127.0.0.1 (what a crawl of a
    loopback test site gets), for tests that build a Fetcher directly."""
    return AddressGuard(frozenset({LOOPBACK}))
