"""A generated world of PPID-like static sites, and the servers that serve it.

Every site has its own loopback address *and* port (``127.77.X.Y:PORT``). Both crawlers'
per-host limits key on the host name without the port (Pantau's ``HostThrottle`` and Scrapy's
download slots alike), so 200 sites on ``127.0.0.1`` would be one "host" to both and the
per-host concurrency of 1 would serialise the whole benchmark. Linux routes all of
127.0.0.0/8 to the loopback interface, so no setup is needed.

A site: ``/`` and ``pages - 1`` pages ``/informasi/halaman-K.html`` (a menu of the first nine
on every page, and page K links its ten children 10K … 10K+9, so every page is within
two hops of ``/``); ``documents`` PDFs ``/dokumen/…pdf`` linked from table rows of pages
1 … ``documents``; a ``robots.txt`` that disallows ``/admin/`` (every page links there);
links to other hosts (not followed). Pages are ~15 KB of PPID-style HTML.

Servers: :class:`Nginx` (Debian's nginx as a child process, one ``server`` block per site;
sends ETag/Last-Modified, answers conditional requests with 304 and ranges with 206) or
:class:`PythonServer` (a documented fallback with the same behaviour: a threaded
``http.server`` per site) when nginx is missing and cannot be installed.
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

WORDS = (
    "informasi publik pejabat pengelola dokumentasi badan daerah kota kabupaten dinas layanan "
    "permohonan keberatan laporan keuangan kinerja tahunan anggaran realisasi program kegiatan "
    "rencana strategis pengadaan barang jasa peraturan keputusan surat edaran standar operasional "
    "prosedur maklumat pelayanan pengumuman agenda pimpinan rapat koordinasi sosialisasi data "
    "statistik sektoral transparansi akuntabilitas pemerintahan masyarakat partisipasi"
).split()
DOC_TITLES = (
    "Laporan Keuangan", "Laporan Kinerja Instansi Pemerintah (LKjIP)", "Rencana Strategis",
    "Daftar Informasi Publik", "SK PPID", "Laporan Layanan Informasi Publik", "Rencana Kerja",
    "Daftar Informasi yang Dikecualikan", "SOP Pelayanan Informasi", "LHKPN Pejabat",
)
MENU = ("Beranda", "Profil", "Informasi Berkala", "Informasi Serta Merta", "Informasi Setiap Saat",
        "Informasi Dikecualikan", "Regulasi", "Layanan Informasi", "Kontak")


@dataclass(frozen=True)
class WorldSpec:
    sites: int = 200
    pages: int = 100
    """HTML pages per site, ``/`` included."""
    documents: int = 5
    """PDFs per site (each verified with one ranged request)."""
    doc_bytes: int = 64 * 1024
    seed: int = 7
    offsite_links: bool = True
    """Pages link LAPOR, JDIH and Satu Data (off-site hosts; the crawler verifies LAPOR's)."""


@dataclass(frozen=True)
class Site:
    index: int
    address: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}/"

    @property
    def name(self) -> str:
        return f"site{self.index:03d}"


@dataclass
class World:
    spec: WorldSpec
    root: Path
    sites: list[Site]

    def site_dir(self, site: Site) -> Path:
        return self.root / "sites" / site.name

    def save(self) -> Path:
        """world.json: what the crawler subprocesses read."""
        path = self.root / "world.json"
        path.write_text(json.dumps({
            "spec": asdict(self.spec), "root": str(self.root),
            "sites": [asdict(s) for s in self.sites],
        }))
        return path

    @classmethod
    def load(cls, path: Path) -> World:
        data = json.loads(Path(path).read_text())
        return cls(WorldSpec(**data["spec"]), Path(data["root"]), [Site(**s) for s in data["sites"]])

    @property
    def total_pages(self) -> int:
        return self.spec.sites * self.spec.pages

    @property
    def total_documents(self) -> int:
        return self.spec.sites * self.spec.documents


def address_of(index: int) -> str:
    return f"127.77.{index // 200}.{index % 200 + 1}"


def _free_base_port(count: int, addresses: list[str]) -> int:
    """A base port such that base + i is free on address i for every site."""
    rng = random.Random(os.getpid() ^ int(time.time()))
    for _ in range(50):
        base = rng.randrange(20000, 60000 - count)
        sockets = []
        try:
            for i, address in enumerate(addresses):
                s = socket.socket()
                sockets.append(s)
                s.bind((address, base + i))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free port range on loopback")


def page_path(k: int) -> str:
    return "/" if k == 0 else f"/informasi/halaman-{k}.html"


def doc_path(site: int, d: int) -> str:
    return f"/dokumen/{DOC_TITLES[d % len(DOC_TITLES)].split(' (')[0].lower().replace(' ', '-')}-{2020 + d % 6}-{d}.pdf"


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def render_page(spec: WorldSpec, site: Site, k: int, rng: random.Random) -> str:
    title = "Beranda PPID" if k == 0 else f"Halaman Informasi {k}"
    menu_items = [page_path(i) for i in range(1, min(spec.pages, len(MENU) + 1))]
    nav = "".join(
        f'<li class="menu-item menu-item-has-children"><a href="{path}">{MENU[i % len(MENU)]}</a>'
        '<ul class="sub-menu">'
        + "".join(f'<li class="menu-item"><a href="{page_path(j)}">{MENU[i % len(MENU)]} {j}</a></li>'
                  for j in range(10 * (i + 1), 10 * (i + 1) + 3) if j < spec.pages)
        + "</ul></li>"
        for i, path in enumerate(menu_items)
    )
    children = [c for c in range(10 * k, 10 * k + 10) if 0 < c < spec.pages and c != k]
    rows = []
    for c in children:
        rows.append(f'<li class="post-item"><h3><a href="{page_path(c)}">Informasi {c}: '
                    f'{" ".join(rng.choice(WORDS) for _ in range(4))}</a></h3>'
                    f"<p>{_sentence(rng, 40)}</p></li>")
    doc_rows = ""
    if 1 <= k <= spec.documents:
        d = k - 1
        doc_rows = (
            "<table class='table'><caption>Dokumen</caption><thead><tr><th>No</th><th>Jenis Informasi</th>"
            "<th>Tahun</th><th>Unduh</th></tr></thead><tbody>"
            f"<tr><td>1</td><td>{DOC_TITLES[d % len(DOC_TITLES)]}</td><td>{2020 + d % 6}</td>"
            f'<td><a href="{doc_path(site.index, d)}">Unduh PDF</a></td></tr></tbody></table>'
        )
    paragraphs = "".join(f"<p>{_sentence(rng, 60)}</p>" for _ in range(12))
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{title} | PPID Perangkat Daerah {site.index}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/style.css"></head>
<body>
<header class="site-header"><div class="logo"><a href="/">PPID Perangkat Daerah {site.index}</a></div>
<nav class="main-navigation"><ul class="menu">{nav}<li class="menu-item"><a href="/admin/login">Admin</a></li></ul></nav>
</header>
<main class="content"><article class="entry">
<h1>{title}</h1>
<div class="breadcrumb"><a href="/">Beranda</a> / <span>{title}</span></div>
{paragraphs}
<h2>Daftar Informasi</h2>
<ul class="posts">{''.join(rows)}</ul>
{doc_rows}
</article>
{_offsite_aside() if spec.offsite_links else ""}
</main>
<footer class="site-footer"><p>Hak Cipta {2025} PPID Perangkat Daerah {site.index}. {_sentence(rng, 12)}</p></footer>
</body></html>
"""


def _offsite_aside() -> str:
    return """<aside class="widget"><h3 class="widget-title">Tautan</h3><ul>
<li><a href="https://www.lapor.go.id/">SP4N-LAPOR!</a></li>
<li><a href="https://jdih.example.go.id/">JDIH</a></li>
<li><a href="https://data.example.go.id/">Satu Data</a></li></ul></aside>"""


BASE_MTIME = 1_790_000_000
"""Every file of a new world was last modified at this time (2026-09-21): its sitemap's
``lastmod``, and nginx's Last-Modified and ETag, come from the files' times."""


def write_sitemap(world: World, site: Site) -> None:
    """``/sitemap.xml`` listing every page and document with its file's time as ``lastmod``
    (what a CMS writes: the time the entry was last saved)."""
    root = world.site_dir(site)
    entries = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".html", ".pdf"):
            continue
        rel = path.relative_to(root).as_posix()
        url = site.url if rel == "index.html" else f"{site.url}{rel}"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(path.stat().st_mtime))
        entries.append(f"<url><loc>{url}</loc><lastmod>{stamp}</lastmod></url>")
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(entries) + "</urlset>\n", encoding="utf-8")


NEW_DOC_TITLES = ("Laporan Layanan Informasi Publik", "Rencana Kerja", "SOP Pelayanan Informasi",
                  "Maklumat Pelayanan", "LHKPN Pejabat", "Daftar Informasi yang Dikecualikan")


def mutate(world: World, share: float = 0.05, seed: int = 11) -> dict[str, int]:
    """Change ``share`` of the world's pages and of its documents, as a week on real sites
    would: every changed page gets a new paragraph and every other one also a new document
    (a category the site may not have had); half the changed documents are deleted (their
    links stay: broken), the others replaced by a new file. Sitemaps are rewritten from the
    files' new times. Returns how many of each changed."""
    rng = random.Random(seed)
    spec = world.spec
    pages = [(site, k) for site in world.sites for k in range(spec.pages)]
    docs = [(site, d) for site in world.sites for d in range(spec.documents)]
    changed_pages = rng.sample(pages, round(share * len(pages)))
    changed_docs = rng.sample(docs, round(share * len(docs)))
    counts = {"pages": len(changed_pages), "new_documents": 0, "documents_deleted": 0,
              "documents_replaced": 0}
    for i, (site, k) in enumerate(changed_pages):
        root = world.site_dir(site)
        path = root / ("index.html" if k == 0 else page_path(k).lstrip("/"))
        extra = f"<p>Pembaruan minggu ini: {_sentence(rng, 30)}</p>"
        if i % 2 == 0:
            title = NEW_DOC_TITLES[(i // 2) % len(NEW_DOC_TITLES)]
            name = f"/dokumen/{title.lower().replace(' ', '-')}-{2026}-{k}.pdf"
            (root / name.lstrip("/")).write_bytes(_pdf(spec.doc_bytes))
            extra += ("<table class='table'><caption>Dokumen baru</caption><tbody><tr><td>1</td>"
                      f"<td>{title}</td><td>2026</td><td><a href=\"{name}\">Unduh PDF</a></td>"
                      "</tr></tbody></table>")
            counts["new_documents"] += 1
        html = path.read_text(encoding="utf-8")
        path.write_text(html.replace("</article>", extra + "</article>", 1), encoding="utf-8")
    for j, (site, d) in enumerate(changed_docs):
        path = world.site_dir(site) / doc_path(site.index, d).lstrip("/")
        if j % 2 == 0:
            path.unlink()
            counts["documents_deleted"] += 1
        else:
            path.write_bytes(_pdf(spec.doc_bytes + 512))
            counts["documents_replaced"] += 1
    for site in world.sites:
        write_sitemap(world, site)
    return counts


def generate(spec: WorldSpec, root: Path) -> World:
    """Write every site's files under ``root/sites`` and return the world (ports reserved)."""
    root = Path(root)
    addresses = [address_of(i) for i in range(spec.sites)]
    base = _free_base_port(spec.sites, addresses)
    world = World(spec, root, [Site(i, addresses[i], base + i) for i in range(spec.sites)])
    rng = random.Random(spec.seed)
    pdf_body = _pdf(spec.doc_bytes)
    for site in world.sites:
        d = world.site_dir(site)
        (d / "informasi").mkdir(parents=True, exist_ok=True)
        (d / "dokumen").mkdir(exist_ok=True)
        (d / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n")
        for k in range(spec.pages):
            name = "index.html" if k == 0 else page_path(k).lstrip("/")
            (d / name).write_text(render_page(spec, site, k, rng), encoding="utf-8")
        for doc in range(spec.documents):
            (d / doc_path(site.index, doc).lstrip("/")).write_bytes(pdf_body)
        for path in d.rglob("*"):
            if path.is_file():
                os.utime(path, (BASE_MTIME, BASE_MTIME))
        write_sitemap(world, site)
    os.chmod(root, 0o755)  # nginx workers run as an unprivileged user
    world.save()
    return world


def _pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
    return head + b"0" * max(0, size - len(head) - 6) + b"\n%%EOF"


# --- servers ------------------------------------------------------------------------------


def wait_listening(sites: list[Site], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    for site in (sites[0], sites[-1]) if sites else ():
        while True:
            try:
                socket.create_connection((site.address, site.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server not listening on {site.url}") from None
                time.sleep(0.05)


def find_nginx(install: bool = True, log=print) -> str | None:
    """Debian's nginx binary; installs nginx-light (as root) when it is missing."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    if not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    log("  nginx missing: apt-get install -y nginx-light")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for package in ("nginx-light", "nginx"):
        done = subprocess.run(["apt-get", "install", "-y", "-q", package], env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
            done = subprocess.run(["apt-get", "install", "-y", "-q", package], env=env,
                                  capture_output=True, text=True)
        if done.returncode == 0 and os.access("/usr/sbin/nginx", os.X_OK):
            return "/usr/sbin/nginx"
    return None


class Nginx:
    """nginx serving the world, as a child process (``daemon off``), stopped on exit."""

    kind = "nginx"

    def __init__(self, world: World, binary: str, *, access_log: bool = False,
                 workers: int = 1) -> None:
        self.world = world
        self.binary = binary
        self.prefix = world.root / "nginx"
        self.access_log = self.prefix / "access.log" if access_log else None
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def config(self) -> str:
        p = self.prefix
        log = (f"log_format bench '$msec $request_time $server_addr $status $request_method $uri';\n"
               f"    access_log {self.access_log} bench buffer=256k flush=1s;"
               if self.access_log else "access_log off;")
        servers = "\n".join(
            f"    server {{ listen {s.address}:{s.port}; root {self.world.site_dir(s)}; }}"
            for s in self.world.sites
        )
        user = "user root root;\n" if os.geteuid() == 0 else ""
        return f"""{user}worker_processes {self.workers};
pid {p}/nginx.pid;
error_log {p}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    types {{ text/html html; application/pdf pdf; text/plain txt; text/css css;
             text/javascript js; application/json json; }}
    default_type application/octet-stream;
    charset utf-8;
    {log}
    client_body_temp_path {p}/client_body;
    proxy_temp_path {p}/proxy;
    fastcgi_temp_path {p}/fastcgi;
    uwsgi_temp_path {p}/uwsgi;
    scgi_temp_path {p}/scgi;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    gzip off;
    etag on;
    index index.html;
{servers}
}}
"""

    def __enter__(self) -> Nginx:
        self.prefix.mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(self.config())
        self.process = subprocess.Popen(
            [self.binary, "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=open(self.prefix / "stderr.log", "wb"),
        )
        try:
            wait_listening(self.world.sites)
        except Exception as exc:
            self.__exit__(None, None, None)
            raise RuntimeError("nginx did not start: "
                               + (self.prefix / "stderr.log").read_text(errors="replace")[-2000:]) from exc
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: flushes the access log
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request_log(self) -> list[tuple[float, str, int, str, str]]:
        """(start time, server address, status, method, path) of every request
        (access_log=True); the start is the logged end ``$msec`` minus ``$request_time``."""
        if not self.access_log or not self.access_log.exists():
            return []
        rows = []
        for line in self.access_log.read_text().splitlines():
            parts = line.split(" ")
            if len(parts) >= 6:
                start = float(parts[0]) - float(parts[1])
                rows.append((start, parts[2], int(parts[3]), parts[4], parts[5]))
        return rows


class _StaticHandler(BaseHTTPRequestHandler):
    """GET/HEAD of static files with ETag, Last-Modified, 304 and single ranges (like nginx)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "pantau-bench"
    types = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf",
             ".txt": "text/plain; charset=utf-8", ".js": "text/javascript",
             ".json": "application/json"}

    def log_message(self, format, *args):  # noqa: A002 - stdlib name
        pass

    def do_HEAD(self):  # noqa: N802 - stdlib naming
        self._serve(head=True)

    def do_GET(self):  # noqa: N802 - stdlib naming
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        self.server.owner.record(self.server.server_address[0], self.command, self.path)
        path = unquote(urlsplit(self.path).path)
        target = (self.server.root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if self.server.root not in target.parents or not target.is_file():
            return self._reply(404, b"<html><body>404 Not Found</body></html>",
                               {"Content-Type": "text/html"}, head)
        stat = target.stat()
        etag = f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        headers = {"Content-Type": self.types.get(target.suffix, "application/octet-stream"),
                   "ETag": etag, "Last-Modified": modified, "Accept-Ranges": "bytes"}
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (inm and etag in [t.strip() for t in inm.split(",")]) or (not inm and ims == modified):
            return self._reply(304, b"", headers, head=True)
        body = target.read_bytes()
        status = 200
        rng = self.headers.get("Range", "")
        if rng.startswith("bytes=") and "," not in rng:
            first, _, last = rng[6:].partition("-")
            if first.isdigit():
                start = int(first)
                end = min(int(last), len(body) - 1) if last.isdigit() else len(body) - 1
                if start < len(body):
                    headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
                    body, status = body[start:end + 1], 206
        self._reply(status, body, headers, head)

    def _reply(self, status, body, headers, head):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and status != 304:
            try:
                self.wfile.write(body)
            except OSError:
                self.close_connection = True


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


class PythonServer:
    """The fallback: one threaded ``http.server`` per site (much slower than nginx, so crawl
    throughput against it measures the server as much as the crawler)."""

    kind = "python http.server (fallback)"

    def __init__(self, world: World, *, access_log: bool = False) -> None:
        self.world = world
        self.servers: list[_SiteServer] = []
        self.threads: list[threading.Thread] = []
        self.log: list[tuple[float, str, int, str, str]] = []
        self._lock = threading.Lock()

    def record(self, address: str, method: str, path: str) -> None:
        with self._lock:
            self.log.append((time.time(), address, 200, method, path))

    def __enter__(self) -> PythonServer:
        for site in self.world.sites:
            server = _SiteServer((site.address, site.port), _StaticHandler)
            server.root = self.world.site_dir(site).resolve()
            server.owner = self
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      daemon=True)
            thread.start()
            self.servers.append(server)
            self.threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def request_log(self):
        return list(self.log)


class StampServer:
    """The world served by ``benchmarks.stamp_server`` in a child process, which logs each
    request with the kernel's arrival stamp (what the host saw, whatever the load)."""

    kind = "a kernel-stamping server (SO_TIMESTAMPNS)"

    def __init__(self, world: World) -> None:
        self.world = world
        self.log_path = world.root / "arrivals.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> StampServer:
        import sys

        root = Path(__file__).resolve().parent.parent
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.stamp_server", str(self.world.root / "world.json"),
             str(self.log_path)], cwd=root, stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":  # listening on every site
            self.process.kill()
            raise RuntimeError("the stamping server did not start")
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request_log(self) -> list[tuple[float, str, int, str, str]]:
        """(kernel arrival time, server address, status, method, path) of every request."""
        if not self.log_path.exists():
            return []
        rows = []
        for line in self.log_path.read_text().splitlines():
            arrival, address, status, method, path = line.split(" ", 4)
            rows.append((float(arrival), address, int(status), method, path))
        return rows


def serve(world: World, *, prefer_nginx: bool = True, access_log: bool = False, log=print):
    """nginx when available (installing it if need be), else the Python fallback."""
    binary = find_nginx(log=log) if prefer_nginx else None
    if binary:
        return Nginx(world, binary, access_log=access_log)
    return PythonServer(world, access_log=access_log)
