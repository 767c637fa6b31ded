"""The loopback server of the sample world: every sample site on its own port.

``SampleWorld`` starts one ``ThreadingHTTPServer`` per site on 127.0.0.1 (port 0, listening
before ``start()`` returns), the HTTPS site with a certificate made at start, the outside
document host ("drive"), and for the down site a port that is bound but never listens, so a
connection to it is refused. Every response carries Content-Type, Content-Length, ETag and
Last-Modified, honours If-None-Match / If-Modified-Since (304), HEAD and ``Range: bytes=``.
"""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from . import dynamic
from .render import TEXT_TYPES, render_file, substitute
from .site import EPOCHS, IMPLIED_SUFFIXES, INDEX_NAMES, SiteDef, SiteFile, epoch_date, load_sites
from .tls import server_context, write_self_signed

PACKAGE_ROOT = Path(__file__).parent
PLATFORM_WORLD = PACKAGE_ROOT / "platforms"
"""A second world: one sample site per real PPID platform (``SampleWorld(root=PLATFORM_WORLD)``)."""
YEAR_IN_PATH = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
DEFAULT_NOT_FOUND = (
    '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>404 Halaman tidak '
    "ditemukan</title></head><body><h1>404</h1><p>Halaman tidak ditemukan.</p></body></html>"
)


@dataclass
class Response:
    """One answer of the sample-world server."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _at_eight(day: date) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC)


def document_date(url_path: str, changed: date) -> date:
    """Last-Modified of a file: when its epoch uploaded it, but a document named for an old
    year was uploaded early in the year after (LKjIP_2019.pdf in February 2020)."""
    years = [int(y) for y in YEAR_IN_PATH.findall(url_path)]
    if not years:
        return changed
    return min(changed, date(max(years) + 1, 2, 15))


class SiteServer:
    """Serves one site for the world's current epoch and counts its traffic."""

    def __init__(self, site: SiteDef, world: SampleWorld):
        self.site = site
        self.world = world
        self.httpd: ThreadingHTTPServer | None = None
        self.reserved: socket.socket | None = None
        self.port = 0
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self._rendered: dict[tuple[int, str], Response] = {}
        self._files: dict[int, dict[str, SiteFile]] = {}

    # --- lifecycle -------------------------------------------------------------------------
    def bind(self, tls: ssl.SSLContext | None) -> None:
        """Take a port. The down site binds without listening, so connecting is refused."""
        self._rendered.clear()
        if self.site.down:
            self.reserved = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.reserved.bind(("127.0.0.1", 0))
            self.port = self.reserved.getsockname()[1]
            return
        self.httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(
                self.httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = self.httpd.server_address[1]

    def serve(self) -> None:
        if self.httpd is None:
            return
        self.thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits for one poll per site
            name=f"sample-{self.site.id}",
            daemon=True,
        )
        self.thread.start()

    def close(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.reserved is not None:
            self.reserved.close()
            self.reserved = None

    @property
    def origin(self) -> str:
        return f"{self.site.scheme}://127.0.0.1:{self.port}"

    # --- traffic counters ------------------------------------------------------------------
    def count(self, status: int, body_bytes: int) -> None:
        with self.lock:
            self.counts["requests"] += 1
            self.counts["bytes"] += body_bytes
            self.counts[f"status_{status}"] += 1
            if status == 304:
                self.counts["not_modified"] += 1

    def stats(self) -> dict[str, int]:
        with self.lock:
            result = {"requests": 0, "bytes": 0, "not_modified": 0}
            result.update(self.counts)
            return result

    def reset_stats(self) -> None:
        with self.lock:
            self.counts.clear()

    # --- answering -------------------------------------------------------------------------
    def files(self) -> dict[str, SiteFile]:
        epoch = self.world.epoch
        if epoch not in self._files:
            self._files[epoch] = self.site.files(epoch, self.world.year)
        return self._files[epoch]

    def respond(self, target: str) -> Response:
        """The full (unconditional, unranged) response to a GET of ``target``."""
        parts = urlsplit(target)
        path = unquote(parts.path) or "/"
        answer = (
            self._dynamic(path, parts.query)
            or self._redirect(path)
            or self._static_query(path, parts.query)
            or self._static(path)
        )
        return answer or self._not_found(path)

    def _static_query(self, path: str, query: str) -> Response | None:
        """``/informasi?page=2`` → the file ``informasi@page=2.html`` when the site has one
        (pagination by query, ``?wpdmdl=12`` download links, JSON API pages)."""
        if not query:
            return None
        return self._static(f"{path}@{unquote(query)}")

    def _origins(self) -> dict[str, str]:
        return {**self.world.origins(), "base": self.origin}

    def _render_text(self, text: str) -> bytes:
        return substitute(text, self.world.year, self._origins()).encode(self.site.encoding)

    def _html_type(self, media: str = "text/html") -> str:
        if media in TEXT_TYPES.values() and self.site.charset_header:
            return f"{media}; charset={self.site.encoding}"
        return media

    def _redirect(self, path: str) -> Response | None:
        target = (self.site.config.get("redirects") or {}).get(path)
        if target is None:
            return None
        location = self.origin + substitute(target, self.world.year, {})
        body = f'<html><body>Dipindahkan ke <a href="{location}">{location}</a></body></html>'
        return Response(302, body.encode(), headers={"Location": location})

    def _locate(self, path: str) -> tuple[str, SiteFile] | None:
        files = self.files()
        if path.endswith("/"):
            for name in INDEX_NAMES:
                if path + name in files:
                    return path + name, files[path + name]
            return None
        if path in files:
            return path, files[path]
        for suffix in IMPLIED_SUFFIXES:
            if path + suffix in files:
                return path + suffix, files[path + suffix]
        return None

    def _static(self, path: str) -> Response | None:
        located = self._locate(path)
        if located is None:
            if not path.endswith("/") and self._locate(path + "/"):
                location = self.origin + path + "/"
                return Response(301, b"", headers={"Location": location})
            return None
        file_path, site_file = located
        key = (self.world.epoch, path)
        if key not in self._rendered:
            self._rendered[key] = self._render(path, file_path, site_file)
        return self._rendered[key]

    def _render(self, path: str, file_path: str, site_file: SiteFile) -> Response:
        raw = site_file.source.read_bytes()
        body, media = render_file(
            raw, Path(file_path).suffix, self.site.encoding, self.world.year, self._origins()
        )
        changed = epoch_date(self.world.today, site_file.epoch)
        extra = {
            name: substitute(str(value), self.world.year, self._origins())
            for name, value in ((self.site.config.get("headers") or {}).get(path) or {}).items()
        }
        return Response(
            200,
            body,
            self._html_type(media),
            _etag(body),
            _at_eight(document_date(path, changed)),
            extra,
        )

    def _dynamic(self, path: str, query: str) -> Response | None:
        config = self.site.config.get("dynamic") or {}
        html = None
        archive, agenda = config.get("archive"), config.get("agenda")
        if archive and path == archive["path"]:
            html = dynamic.archive_page(
                self._text(archive["template"]),
                self._lines(archive["titles"]),
                path,
                query,
                self.world.today,
            )
        elif archive and path == archive["path"] + "/baca":
            html = dynamic.archive_article(
                self._text(archive["article_template"]),
                self._lines(archive["titles"]),
                query,
                self.world.today,
            )
        elif agenda and path.startswith(agenda["prefix"]):
            html = dynamic.agenda_month(
                self._text(agenda["template"]),
                self._lines(agenda["entries"]),
                agenda["prefix"],
                path[len(agenda["prefix"]) - 1 :],
            )
        if html is None:
            return None
        body = html.encode(self.site.encoding)
        changed = _at_eight(epoch_date(self.world.today, 1))
        return Response(200, body, self._html_type(), _etag(body), changed)

    def _text(self, relative: str) -> str:
        raw = (self.site.folder / relative).read_bytes()
        return self._render_text(raw.decode(self.site.encoding)).decode(self.site.encoding)

    def _lines(self, relative: str) -> list[str]:
        return [line for line in self._text(relative).splitlines() if line.strip()]

    def _not_found(self, path: str) -> Response:
        for rule in self.site.config.get("not_found") or []:
            if path.startswith(rule["prefix"]):
                source = self.site.folder / rule["file"]
                body, media = render_file(
                    source.read_bytes(),
                    source.suffix,
                    self.site.encoding,
                    self.world.year,
                    self._origins(),
                )
                return Response(404, body, self._html_type(media))
        return Response(404, DEFAULT_NOT_FOUND.encode("utf-8"), "text/html; charset=utf-8")


# --- conditional and ranged requests ---------------------------------------------------------
def _etag_matches(header: str, etag: str) -> bool:
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in candidates or etag in candidates


def not_modified(headers: Any, response: Response) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    if response.status != 200:
        return False
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        return response.etag is not None and _etag_matches(if_none_match, response.etag)
    since = headers.get("If-Modified-Since")
    if since and response.last_modified is not None:
        try:
            return response.last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def byte_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """(first, last) of a single ``bytes=`` range, None when absent or not understood
    (serve it all), False when unsatisfiable (416)."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        length = int(last)
        return (max(0, size - length), size - 1) if length and size else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


# --- the HTTP plumbing ------------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Clients that hang up or fail the TLS handshake are normal here, not errors."""


def _handler_for(site_server: SiteServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_SiteHandler):
        server_version = site_server.site.config.get("server_header", "nginx")

        def version_string(self) -> str:
            return self.server_version

    Handler.site_server = site_server
    return Handler


class _SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this every keep-alive answer waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    timeout = 30
    site_server: SiteServer

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        response = self.site_server.respond(self.path)
        if not_modified(self.headers, response):
            self._send(Response(304, b"", "", response.etag, response.last_modified), send_body)
            return
        if response.status == 200:
            response = self._ranged(response)
        self._send(response, send_body)

    def _ranged(self, response: Response) -> Response:
        size = len(response.body)
        span = byte_range(self.headers.get("Range"), size)
        if span is None:
            return response
        if span is False:
            return Response(
                416,
                b"",
                response.content_type,
                response.etag,
                response.last_modified,
                {"Content-Range": f"bytes */{size}"},
            )
        first, last = span
        return Response(
            206,
            response.body[first : last + 1],
            response.content_type,
            response.etag,
            response.last_modified,
            {**response.headers, "Content-Range": f"bytes {first}-{last}/{size}"},
        )

    def _send(self, response: Response, send_body: bool) -> None:
        body = response.body if send_body and response.status != 304 else b""
        # Counted before anything is written, so a client that has its answer sees it counted.
        self.site_server.count(response.status, len(body))
        self.send_response(response.status)
        if response.status != 304:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Accept-Ranges", "bytes")
        if response.etag:
            self.send_header("ETag", response.etag)
        if response.last_modified:
            self.send_header("Last-Modified", format_datetime(response.last_modified, usegmt=True))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)


# --- the world ----------------------------------------------------------------------------------
class SampleWorld:
    """The bundled sample PPID sites, served on loopback. Use as a context manager."""

    def __init__(self, root: str | Path | None = None, today: date | None = None, epoch: int = 1):
        self.root = Path(root) if root else PACKAGE_ROOT
        self.today = today or date.today()
        self._check_epoch(epoch)
        self.epoch = epoch
        self._defs = load_sites(self.root)
        self._servers = {site.id: SiteServer(site, self) for site in self._defs}
        self._tempdir: tempfile.TemporaryDirectory | None = None
        self.tls_certificate: Path | None = None
        """The self-signed certificate (PEM) of the HTTPS site, once started."""
        self.started = False

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def sites(self) -> list[str]:
        """The agency sites (in registry order); outside document hosts are not among them."""
        return [site.id for site in self._defs if not site.is_host]

    @property
    def hosts(self) -> list[str]:
        return [site.id for site in self._defs if site.is_host]

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> SampleWorld:
        if self.started:
            return self
        self._tempdir = tempfile.TemporaryDirectory(prefix="pantau-sample-world-")
        tls = self._tls_context(Path(self._tempdir.name))
        for server in self._servers.values():
            server.bind(tls if server.site.scheme == "https" else None)
        for server in self._servers.values():
            server.serve()
        self.started = True
        return self

    def _tls_context(self, folder: Path) -> ssl.SSLContext | None:
        if not any(site.scheme == "https" and not site.down for site in self._defs):
            return None
        cert, key = write_self_signed(folder)
        self.tls_certificate = cert
        return server_context(cert, key)

    def stop(self) -> None:
        for server in self._servers.values():
            server.close()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None
        self.started = False

    def __enter__(self) -> SampleWorld:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # --- addresses and expectations -----------------------------------------------------------
    def _server(self, site_id: str) -> SiteServer:
        if site_id not in self._servers:
            raise KeyError(f"no sample site {site_id!r}")
        return self._servers[site_id]

    def origin(self, site_id: str) -> str:
        """``scheme://127.0.0.1:port`` of a site or host (after ``start()``)."""
        if not self.started:
            raise RuntimeError("the sample world is not started")
        return self._server(site_id).origin

    def url(self, site_id: str) -> str:
        """The start URL of a site, as the registry lists it."""
        start = self._server(site_id).site.config.get("start", "/")
        return self.origin(site_id) + start

    def origins(self) -> dict[str, str]:
        """Placeholder values shared by every site: ``{{SITE:id}}`` and ``{{DRIVE}}``."""
        values = {f"site:{sid}": server.origin for sid, server in self._servers.items()}
        for sid, server in self._servers.items():
            if server.site.is_host:
                values[sid] = server.origin
        return values

    def site_name(self, site_id: str) -> str:
        return self._server(site_id).site.name

    def platform(self, site_id: str) -> str:
        """The platform a site is modelled on (site.yaml ``platform``)."""
        return self._server(site_id).site.platform

    def render_needed(self, site_id: str) -> bool:
        """Whether a site's lists appear only after its scripts run (site.yaml ``render``)."""
        return self._server(site_id).site.render_needed

    def labels(self, site_id: str, epoch: int | None = None) -> dict[str, str]:
        """Expected status of every category id for the current (or the given) epoch."""
        site = self._server(site_id).site
        if site.is_host:
            raise KeyError(f"{site_id!r} is a document host, not an agency")
        return site.labels(epoch or self.epoch)

    @staticmethod
    def _check_epoch(epoch: int) -> None:
        if epoch not in EPOCHS:
            raise ValueError(f"epoch must be one of {EPOCHS}, not {epoch!r}")

    def set_epoch(self, epoch: int) -> None:
        """Switch every site to epoch 1, 2 or 3 (uploads added, documents removed)."""
        self._check_epoch(epoch)
        self.epoch = epoch

    # --- registry and traffic -------------------------------------------------------------------
    def registry(self) -> dict[str, list[dict[str, Any]]]:
        utama = next(s.id for s in self._defs if s.config.get("role") == "utama")
        agencies = []
        for site in self._defs:
            if site.is_host:
                continue
            role = site.config.get("role", "pelaksana")
            row = {
                "id": site.id,
                "name": site.name,
                "url": self.url(site.id),
                "email": site.config.get("email", ""),
                "role": role,
                "parent": "" if role == "utama" else utama,
            }
            if site.config.get("insecure_tls"):
                row["insecure_tls"] = True
            agencies.append(row)
        return {"agencies": agencies}

    def write_registry(self, path: str | Path) -> Path:
        """Write the registry YAML (contract §2) of the started world to ``path``."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(self.registry(), allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    def stats(self) -> dict[str, dict[str, int]]:
        """Per site and host: requests answered, body bytes sent, 304 answers, and
        ``status_<code>`` counts."""
        return {sid: server.stats() for sid, server in self._servers.items()}

    def reset_stats(self) -> None:
        for server in self._servers.values():
            server.reset_stats()
