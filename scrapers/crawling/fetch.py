"""HTTP for the crawler: one ``requests.Session`` per site, every request bounded.

Each request goes through the shared :class:`~scrapers.crawling.politeness.HostThrottle` (the
connection tells it when the request is on the wire, so the per-host delay is a floor on real
sends), streams
its body so that a size cap and a total time budget hold even against a server that drips
one byte a second, retries connection errors and 5xx answers with exponential backoff, and
never follows redirects by itself: :meth:`Fetcher.follow` does, hop by hop, so that the
caller can check each hop (robots.txt, same site) and a redirect loop ends.

Every connection goes through the site's :class:`~scrapers.crawling.guard.AddressGuard` (the
host is resolved and every address checked before connecting, after every redirect too), and
every request runs under one total deadline (:mod:`scrapers.crawling.deadline`) that covers DNS,
connect, headers and body: a server that drips its headers is cut at ``page_timeout``.

Nothing here parses HTML; callers get bytes and headers.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    InsecureRequestWarning,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.util.response import is_fp_closed

from core.settings import CrawlSettings
from scrapers.crawling.deadline import RequestScope, current_scope, request_scope
from scrapers.crawling.guard import AddressGuard, AddressRefused
from scrapers.crawling.politeness import (
    BudgetExceeded,
    HostThrottle,
    request_sent,
    shared_throttle,
)
from scrapers.urls import host_of, normalize_url

# verify_tls=False is an explicit per-agency choice; one warning per request adds nothing.
warnings.filterwarnings("ignore", category=InsecureRequestWarning)

READ_CHUNK = 65536
REDIRECT_BODY_BYTES = 65536
"""A redirect's body is read (and dropped) up to this size so that its connection can be reused."""
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524})

BodyLimit = int | Callable[[int, Mapping[str, str]], int]
"""How many body bytes to read: a number, or a function of (status, headers) that decides
once the headers are in (an HTML page is read up to ``max_page_bytes``, a PDF only probed)."""


class FetchError(Exception):
    """A request that produced no HTTP answer. ``kind`` is one of ``tls``, ``dns``,
    ``refused``, ``connect-timeout``, ``read-timeout``, ``timeout`` (the page or site budget),
    ``connection``, ``redirect``, ``invalid-url`` or ``address`` (refused by the address
    guard: a private, loopback, link-local … address the agency may not reach)."""

    def __init__(self, kind: str, message: str, redirects: list[str] | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.redirects = list(redirects or [])
        """The URLs requested before the request gave up (an endless redirect chain)."""

    def __str__(self) -> str:
        return self.message


@dataclass
class Response:
    """One HTTP answer (one hop), with as much of its body as the caller asked for."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    truncated: bool = False
    """The body was cut at the limit (the rest was not read)."""
    wire_bytes: int = 0
    """Body bytes received over the network (compressed size when gzip'ed)."""
    redirects: list[str] = field(default_factory=list)
    """URLs that redirected to this one, in order (filled by :meth:`Fetcher.follow`)."""
    request_method: str = "GET"

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    def body_digest(self) -> tuple[str | None, int | None, bool]:
        """(SHA-256 of the body read, bytes it covers, whether that is the whole body).

        Only a 2xx answer's body is evidence: redirects, 304s, error pages and HEAD answers
        give (None, None, False). The hash is over the decoded body (the same whatever the
        transfer compression), so unchanged content hashes the same on every run. When the
        size cap cut the body (``truncated``, or a 206 range shorter than the file), the
        hash covers only its first bytes and says so (False).
        """
        if not 200 <= self.status < 300 or self.request_method == "HEAD":
            return None, None, False
        whole = not self.truncated
        if self.status == 206:
            total = self.headers.get("Content-Range", "").rsplit("/", 1)[-1].strip()
            whole = whole and total.isdigit() and int(total) == len(self.body)
        return hashlib.sha256(self.body).hexdigest(), len(self.body), whole

    @property
    def location(self) -> str | None:
        """The absolute, normalised redirect target, if this is a redirect."""
        target = self.headers.get("Location")
        if self.status not in REDIRECT_STATUSES or not target:
            return None
        return normalize_url(urljoin(self.url, target.strip()))


@dataclass
class FetchStats:
    """Counters of one site's traffic, safe to update from several threads."""

    requests: int = 0
    body_bytes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, requests_made: int, body_bytes: int) -> None:
        with self._lock:
            self.requests += requests_made
            self.body_bytes += body_bytes


def classify_error(exc: Exception) -> FetchError:
    """A FetchError with a kind and a message a person can act on."""
    text = str(exc)
    if isinstance(exc, FetchError):
        return exc
    if isinstance(exc, requests.exceptions.SSLError) or isinstance(
        exc, urllib3.exceptions.SSLError
    ):
        return FetchError("tls", f"TLS/certificate error: {_short(text)}")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return FetchError("connect-timeout", "connect timeout")
    if isinstance(exc, requests.exceptions.ReadTimeout | urllib3.exceptions.ReadTimeoutError):
        return FetchError("read-timeout", "read timeout")
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return FetchError("invalid-url", f"invalid URL: {_short(text)}")
    lowered = text.lower()
    if (
        "name or service not known" in lowered
        or "nameresolution" in lowered
        or "failed to resolve" in lowered
    ):
        return FetchError("dns", f"DNS lookup failed: {_short(text)}")
    if "refused" in lowered:
        return FetchError("refused", "connection refused")
    if "certificate" in lowered or "ssl" in lowered:
        return FetchError("tls", f"TLS/certificate error: {_short(text)}")
    return FetchError("connection", f"connection error: {_short(text)}")


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _retryable(error: FetchError) -> bool:
    return error.kind in {"dns", "refused", "connect-timeout", "read-timeout", "connection"}


class _GuardedConnection:
    """Mixin for urllib3 connections: connect only through the address guard, and attach
    every socket to the running request's deadline scope."""

    guard: AddressGuard
    host: str
    port: int
    timeout: object
    socket_options: object
    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        scope = current_scope()
        timeout = self.timeout if isinstance(self.timeout, int | float) else 10.0
        if scope is not None:
            timeout = min(timeout, scope.remaining())
            if timeout <= 0:
                scope.expire()
                raise ConnectTimeoutError(self, f"{scope.limit_name} exceeded before connecting")
        try:
            sock = self.guard.connect(
                self._dns_host,  # type: ignore[attr-defined]
                self.port,
                timeout,
                socket_options=self.socket_options,  # type: ignore[arg-type]
            )
        except AddressRefused as refused:
            if scope is not None:
                scope.refusal = refused.reason
            raise NewConnectionError(self, refused.reason) from refused  # type: ignore[arg-type]
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(  # type: ignore[arg-type]
                self, f"Failed to establish a new connection: {exc}"
            ) from exc
        if scope is not None:
            scope.attach(sock)
        return sock

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        scope = current_scope()
        if scope is not None:
            scope.attach(self.sock)  # the TLS socket, once wrapped

    def request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - urllib3's signature
        scope = current_scope()
        if scope is not None:
            scope.attach(self.sock)  # a kept-alive connection taken from the pool
        try:
            return super().request(*args, **kwargs)  # type: ignore[misc]
        finally:
            request_sent()  # the per-host delay counts from here (as the server sees it)


def _guarded_pool_classes(guard: AddressGuard) -> dict[str, type]:
    """urllib3 pool classes whose connections go through ``guard``."""
    plain = type("GuardedHTTPConnection", (_GuardedConnection, HTTPConnection), {"guard": guard})
    tls = type("GuardedHTTPSConnection", (_GuardedConnection, HTTPSConnection), {"guard": guard})
    return {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": plain}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": tls}),
    }


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every connection is resolved, checked and opened by ``guard``."""

    def __init__(self, guard: AddressGuard, **kwargs) -> None:  # noqa: ANN003
        self._guard = guard
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _guarded_pool_classes(self._guard)


def make_session(
    settings: CrawlSettings, verify_tls: bool, guard: AddressGuard | None = None
) -> requests.Session:
    """A Session whose pooled adapters keep connections alive between a site's requests and
    connect only through ``guard`` (default: public addresses only)."""
    session = requests.Session()
    # No proxy, .netrc or CA bundle from the environment: a proxy would bypass the guard.
    session.trust_env = False
    adapter = GuardedAdapter(
        guard or AddressGuard(),
        pool_connections=8,
        pool_maxsize=max(2, settings.connections_per_host * 2),
        max_retries=0,
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(
        {
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "id,en;q=0.8",
        }
    )
    session.verify = verify_tls
    session.max_redirects = settings.max_redirects
    return session


def _limit_socket_wait(raw: urllib3.HTTPResponse, seconds: float) -> None:
    """Make the next socket read give up after ``seconds``, so that the page budget holds
    even while a server drips bytes slower than the read timeout would notice."""
    connection = getattr(raw, "_connection", None) or getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(max(0.001, seconds))


class Fetcher:
    """Bounded HTTP for one site crawl.

    ``delay_for(host)`` gives the politeness delay for a host (the site's own hosts get the
    robots.txt Crawl-delay on top of ``host_delay``); ``stats`` counts requests and body bytes.
    ``guard`` decides which addresses may be reached (default: public ones only; a crawl
    passes the guard of the agency's registry URL).
    """

    def __init__(
        self,
        settings: CrawlSettings,
        *,
        verify_tls: bool | None = None,
        throttle: HostThrottle | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        guard: AddressGuard | None = None,
    ) -> None:
        self.settings = settings
        self.verify_tls = settings.verify_tls if verify_tls is None else verify_tls
        self.throttle = throttle or shared_throttle()
        self.guard = guard or AddressGuard()
        self.session = session or make_session(settings, self.verify_tls, self.guard)
        self.stats = FetchStats()
        self.host_delays: dict[str, float] = {}
        """Per-host delays that override ``settings.host_delay`` (robots.txt Crawl-delay)."""
        self._sleep = sleep

    def close(self) -> None:
        self.session.close()

    def delay_for(self, host: str) -> float:
        return self.host_delays.get(host, self.settings.host_delay)

    def request(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body_limit: BodyLimit | None = None,
        deadline: float | None = None,
    ) -> Response:
        """One hop (redirects are returned, not followed), retried on connection errors and
        5xx answers. Raises FetchError when no answer came, BudgetExceeded when ``deadline``
        (a ``time.monotonic()`` value, the site's budget) would be passed."""
        limit = self.settings.max_page_bytes if body_limit is None else body_limit
        attempt = 0
        while True:
            try:
                response = self._attempt(url, method, headers, limit, deadline)
            except FetchError as error:
                if not _retryable(error) or attempt >= self.settings.retries:
                    raise
            else:
                if response.status not in RETRY_STATUSES or attempt >= self.settings.retries:
                    return response
            self._backoff(attempt, deadline)
            attempt += 1

    def follow(
        self,
        url: str,
        *,
        allow_hop: Callable[[str], str | None] | None = None,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body_limit: BodyLimit | None = None,
        deadline: float | None = None,
    ) -> Response:
        """Request ``url`` and follow up to ``max_redirects`` redirects.

        ``allow_hop(target)`` answers None when the redirect target may be requested, else
        why not (``robots.txt``, ``off-site``); the redirect response is then returned as is.
        Raises FetchError(kind="redirect") after ``max_redirects`` hops (a loop is named so).
        """
        chain: list[str] = []
        current = url
        while True:
            response = self.request(
                current, method=method, headers=headers, body_limit=body_limit, deadline=deadline
            )
            response.redirects = chain
            target = response.location
            if target is None:
                return response
            chain = [*chain, current]
            if len(chain) > self.settings.max_redirects:
                # A URL may come back once legitimately (a redirect to itself that sets a
                # cookie), so a loop is only called one when the cap is reached.
                if target in chain:
                    raise FetchError("redirect", f"redirect loop at {target}", chain)
                raise FetchError("redirect", f"more than {self.settings.max_redirects} redirects",
                                 chain)
            if allow_hop is not None and allow_hop(target) is not None:
                return response
            if method == "POST" and response.status in (301, 302, 303):
                method = "GET"  # as browsers do; HEAD and GET keep their method
            current = target

    def _backoff(self, attempt: int, deadline: float | None) -> None:
        pause = self.settings.retry_backoff * (2**attempt)
        if deadline is not None and time.monotonic() + pause > deadline:
            raise BudgetExceeded("no time left for a retry")
        self._sleep(pause)

    def _attempt(
        self,
        url: str,
        method: str,
        headers: Mapping[str, str] | None,
        limit: BodyLimit,
        deadline: float | None,
    ) -> Response:
        s = self.settings
        host = host_of(url)
        with self.throttle.slot(host, self.delay_for(host), s.connections_per_host, deadline):
            page_deadline = time.monotonic() + s.page_timeout
            limit_name = "page_timeout"
            if deadline is not None and deadline < page_deadline:
                page_deadline, limit_name = deadline, "site_timeout"
            remaining = page_deadline - time.monotonic()
            if remaining <= 0:
                raise BudgetExceeded("no time left for this request")
            with request_scope(page_deadline, limit_name) as scope:
                try:
                    raw_response = self.session.request(
                        method,
                        url,
                        headers=dict(headers or {}),
                        stream=True,
                        allow_redirects=False,
                        # Explicit: with verify left to the session, requests would let a
                        # REQUESTS_CA_BUNDLE in the environment switch verification back on.
                        verify=self.verify_tls,
                        timeout=(min(s.connect_timeout, remaining), min(s.read_timeout, remaining)),
                    )
                except (requests.RequestException, OSError, urllib3.exceptions.HTTPError) as exc:
                    self.stats.add(1, 0)
                    raise _scoped_error(exc, scope) from exc
                try:
                    return self._read(raw_response, method, limit, page_deadline, scope)
                finally:
                    self.stats.add(1, raw_response.raw.tell() if raw_response.raw else 0)

    def _read(
        self,
        raw_response: requests.Response,
        method: str,
        limit: BodyLimit,
        page_deadline: float,
        scope: RequestScope,
    ) -> Response:
        status = raw_response.status_code
        headers = raw_response.headers
        if method == "HEAD" or status == 304:
            wanted = 0
        elif status in REDIRECT_STATUSES:
            wanted = REDIRECT_BODY_BYTES
        else:
            wanted = limit(status, headers) if callable(limit) else limit
        try:
            body, complete = read_body(
                raw_response.raw, wanted, page_deadline, self.settings.read_timeout
            )
        except FetchError as error:
            release_or_close(raw_response.raw, complete=False)
            if scope.expired:
                raise _deadline_error(scope, "the body") from error
            raise
        if scope.expired:  # the watchdog cut the connection: what looks like an end is not
            release_or_close(raw_response.raw, complete=False)
            raise _deadline_error(scope, "the body")
        scope.close()  # the connection may go back to the pool: the watchdog lets it go
        release_or_close(raw_response.raw, complete)
        return Response(
            url=raw_response.url,
            status=status,
            headers=headers,
            body=body,
            truncated=not complete,
            wire_bytes=raw_response.raw.tell(),
            request_method=method,
        )


def _deadline_error(scope: RequestScope, part: str) -> FetchError:
    return FetchError("timeout", f"{scope.limit_name} exceeded while reading {part}")


def _scoped_error(exc: Exception, scope: RequestScope) -> FetchError:
    """The FetchError for a request that got no answer: a refusal of the address guard and
    the total deadline are named as such, whatever exception the cut connection raised."""
    if scope.refusal:
        return FetchError("address", scope.refusal)
    if scope.expired or scope.remaining() <= 0:
        return _deadline_error(scope, "the headers")
    return classify_error(exc)


def read_body(
    raw: urllib3.HTTPResponse, limit: int, deadline: float, read_timeout: float
) -> tuple[bytes, bool]:
    """Read at most ``limit`` decoded bytes before ``deadline``; (body, reached the end).

    ``read1`` returns whatever one socket read brings, so a slow server cannot hold us
    past the deadline by sending a byte just before each read timeout.
    """
    chunks: list[bytes] = []
    size = 0
    try:
        while size < limit:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError("timeout", "page_timeout exceeded while reading the body")
            _limit_socket_wait(raw, min(read_timeout, remaining))
            chunk = raw.read1(min(READ_CHUNK, limit - size), decode_content=True)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), _at_end(raw)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        if time.monotonic() >= deadline:
            raise FetchError("timeout", "page_timeout exceeded while reading the body") from exc
        raise classify_error(exc) from exc


def _at_end(raw: urllib3.HTTPResponse) -> bool:
    """True when nothing is left to read (a body exactly ``limit`` long, or limit 0 on an
    empty body), without reading from the network."""
    if raw.length_remaining == 0:
        return True
    fp = getattr(raw, "_fp", None)
    return fp is None or is_fp_closed(fp)


def release_or_close(raw: urllib3.HTTPResponse, complete: bool) -> None:
    """Return a fully read connection to the pool; drop one whose body we stopped reading
    (draining a 50 MB PDF to reuse the connection would cost more than a new handshake)."""
    if complete:
        raw.release_conn()
    else:
        raw.close()
        raw.release_conn()
