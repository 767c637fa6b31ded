"""scrapers.crawling.declared: declared URLs fetched under the agency's rules (loopback
server; no packet leaves 127.0.0.1), then judged by scrapers.detection.declared."""

from __future__ import annotations

from datetime import date

from core.checklist import load_checklist
from core.registry import Agency
from core.settings import CrawlSettings
from scrapers.crawling.declared import declared_host_refusal, fetch_declared, on_publication_host
from scrapers.detection.declared import DeclaredUrl, confirm_fetched
from tests.loopback import LoopbackServer, Reply, drip, html, redirect

SETTINGS = CrawlSettings(host_delay=0.0, retries=0, page_timeout=1.5, read_timeout=1.0,
                         connect_timeout=1.0)


def checks(server, paths, category="lhkpn"):
    agency = Agency("contoh", "Dinas Contoh", server.url("/"), role="utama")
    declared = [DeclaredUrl(i, "contoh", category, server.url(p) if p.startswith("/") else p)
                for i, p in enumerate(paths, start=1)]
    fetched = fetch_declared(agency, declared, SETTINGS)
    return [c.reason for c in confirm_fetched(fetched, load_checklist(), date(2026, 12, 1))]


def test_hostile_and_faulty_declared_urls_are_not_confirmed_and_say_why():
    routes = {
        "/robots.txt": Reply(404),
        "/ke-privat": redirect("http://10.0.0.1/lhkpn.pdf"),
        "/ke-lain": redirect("http://127.0.0.2/lhkpn.pdf"),
        "/lambat": lambda request: Reply(200, drip([b"<html>"] * 50, 0.2)),
        "/hilang": html("<h1>Tidak ada</h1>", status=404),
        "/rusak": html("<h1>Galat</h1>", status=500),
        "/masuk": redirect("/login?next=/lhkpn"),
        "/login": html("<form><input type=password></form>"),
    }
    with LoopbackServer(routes) as server:
        reasons = checks(server, ["/ke-privat", "/ke-lain", "/lambat", "/hilang", "/rusak",
                                  "/masuk", "http://10.0.0.1/x.pdf", "ftp://127.0.0.1/x"])
        requested = server.paths()
    assert reasons[0].startswith("alamat dialihkan ke situs lain")
    assert reasons[1].startswith("alamat dialihkan ke situs lain")
    assert reasons[2].startswith("waktu habis")
    assert reasons[3] == "alamat menjawab 404"
    assert reasons[4] == "alamat menjawab 500"
    assert reasons[5].startswith("alamat tidak publik")
    assert reasons[6].startswith("alamat tidak diizinkan: 10.0.0.1 bukan situs badan publik ini")
    assert reasons[7] == "alamat tidak diizinkan: bukan alamat http(s)"
    assert not any(p.startswith("/x.pdf") for p in requested)


def test_which_hosts_an_agency_may_declare():
    site = "https://dinkes.kota-contoh.go.id/ppid/"
    assert declared_host_refusal(site, "https://dinkes.kota-contoh.go.id/a.pdf") is None
    assert declared_host_refusal(site, "https://kota-contoh.go.id/arsip/a.pdf") is None
    assert declared_host_refusal(site, "https://drive.google.com/file/d/1AbCdEfGhIjK/view") is None
    assert declared_host_refusal(site, "https://jdih.kota-contoh.go.id/perda/1") is None
    assert declared_host_refusal(site, "https://kota-lain.go.id/a.pdf") is not None
    assert declared_host_refusal(site, "https://dinkes.kota-contoh.go.id:8443/a.pdf") is not None
    # A Drive-like path on any host is not Drive.
    assert not on_publication_host("https://evil.example/file/d/1AbCdEfGhIjK/view")
    assert on_publication_host("https://drive.google.com/file/d/1AbCdEfGhIjK/view")
