"""A small PPID site on loopback that a test changes between two crawls (tests of the smart
recrawl: scrapers.crawling.recrawl and the crawl_all flow)."""

from __future__ import annotations

from core.settings import CrawlSettings
from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.politeness import HostThrottle
from tests.conftest import TODAY
from tests.loopback import LoopbackServer, Reply, html

SETTINGS = CrawlSettings(host_delay=0.0, retries=0, allow_private=True)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 3000 + b"\n%%EOF"
YEAR = TODAY.year - 1


def menu() -> str:
    return ('<nav><a href="/">Beranda</a> <a href="/profil">Profil</a> '
            '<a href="/informasi-berkala">Informasi Berkala</a> <a href="/berita">Berita</a></nav>')


def news(n: int, extra: str = "") -> Reply:
    return html(f"<html><head><title>Berita {n}</title></head><body>{menu()}"
                f"<h1>Berita {n}</h1><p>Kegiatan dinas minggu ke-{n}.</p>{extra}</body></html>")


def sitemap(stamps: dict[str, str]) -> Reply:
    entries = "".join(f"<url><loc>{{origin}}{path}</loc><lastmod>{stamp}</lastmod></url>"
                      for path, stamp in stamps.items())
    body = ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')
    return Reply(200, body, content_type="application/xml")


class ChangingSite:
    """A small PPID site on loopback whose pages, documents and sitemap a test can change."""

    def __init__(self) -> None:
        self.server = LoopbackServer({})
        self.stamps = {"/": "2026-01-05", "/profil": "2026-01-05",
                       "/informasi-berkala": "2026-01-05", "/berita": "2026-01-05",
                       **{f"/berita/{n}": "2026-01-05" for n in range(1, 7)}}
        self.route("/robots.txt", Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain"))
        self.route("/", html(f"<html><head><title>PPID Dinas Contoh</title></head><body>{menu()}"
                             "<h1>PPID Dinas Contoh</h1></body></html>"))
        self.route("/profil", html(f"<html><head><title>Profil</title></head><body>{menu()}"
                                   "<h1>Profil PPID</h1><p>Visi dan misi.</p></body></html>"))
        self.route("/informasi-berkala", html(
            f"<html><head><title>Informasi Berkala</title></head><body>{menu()}"
            "<h1>Informasi Berkala</h1><table><tr><td>Laporan Keuangan</td>"
            f'<td><a href="/dokumen/laporan-keuangan-{YEAR}.pdf">Laporan Keuangan {YEAR}</a></td>'
            "</tr></table></body></html>"))
        self.route("/berita", html(
            f"<html><head><title>Berita</title></head><body>{menu()}<h1>Berita</h1><ul>"
            + "".join(f'<li><a href="/berita/{n}">Berita {n}</a></li>' for n in range(1, 7))
            + "</ul></body></html>"))
        for n in range(1, 7):
            self.route(f"/berita/{n}", news(n))
        self.route(f"/dokumen/laporan-keuangan-{YEAR}.pdf", Reply(200, PDF, content_type="application/pdf"))
        self.publish_sitemap()

    def route(self, path: str, reply: Reply) -> None:
        self.server.route(path, reply)

    def publish_sitemap(self) -> None:
        reply = sitemap(self.stamps)
        reply.body = reply.body.replace("{origin}", self.server.origin)
        self.route("/sitemap.xml", reply)

    def crawl(self, cache=None, doc_cache=None, smart=None):
        """One crawl_site of the site as it is now (no delay, its own throttle)."""
        self.server.requests.clear()
        return crawl_site(self.server.url("/"), SETTINGS, cache=cache, doc_cache=doc_cache,
                          throttle=HostThrottle(), hosts=(), smart=smart)

    def asked(self) -> set[str]:
        return {r.path_only for r in self.server.requests}

    def close(self) -> None:
        self.server.close()
