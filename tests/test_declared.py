"""scrapers.detection.declared: detection for one category on a declared URL's crawl (pure),
and confirmed declarations applied to the findings (raise only, never an unreachable site)."""

from __future__ import annotations

from datetime import date

from core.checklist import load_checklist
from scrapers.detection.declared import (
    DeclaredUrl,
    address_reason,
    apply_declarations,
    confirm_declaration,
    fault_reason,
)
from scrapers.detection.extract import extract_page
from scrapers.model import DocumentCheck, Finding, SiteCrawl

CHECKLIST = load_checklist()
TODAY = date(2026, 12, 1)
BASE = "https://ppid.contoh.go.id"


def crawl_of(url, html, documents=()):
    page = extract_page(url, html)
    page.status = 200
    return SiteCrawl(start_url=url, reachable=True, pages=[page],
                     documents={d.url: d for d in documents})


def declared(category, path):
    return DeclaredUrl(7, "contoh", category, BASE + path)


def test_a_page_listing_the_category_s_live_document_confirms():
    pdf = DocumentCheck(f"{BASE}/f/lhkpn-2026.pdf", ok=True, status=200)
    crawl = crawl_of(f"{BASE}/arsip", "<h1>Arsip</h1><table><tr><td>LHKPN Tahun 2026</td><td>"
                                      "<a href='/f/lhkpn-2026.pdf'>Unduh</a></td></tr></table>",
                     [pdf])
    check = confirm_declaration(declared("lhkpn", "/arsip"), crawl, CHECKLIST, TODAY)
    assert check.confirmed and check.finding.status == "found"
    assert (check.finding.status_source, check.finding.declaration_id) == ("declared", 7)
    assert check.finding.evidence_url == pdf.url


def test_the_same_page_does_not_confirm_another_category():
    pdf = DocumentCheck(f"{BASE}/f/lhkpn-2026.pdf", ok=True, status=200)
    crawl = crawl_of(f"{BASE}/arsip", "<table><tr><td>LHKPN Tahun 2026</td><td>"
                                      "<a href='/f/lhkpn-2026.pdf'>Unduh</a></td></tr></table>", [pdf])
    check = confirm_declaration(declared("laporan_keuangan", "/arsip"), crawl, CHECKLIST, TODAY)
    assert not check.confirmed and check.reason == "halaman tidak menyebut kategori ini"


def test_a_dead_document_does_not_confirm_and_says_why():
    pdf = DocumentCheck(f"{BASE}/f/lhkpn-2026.pdf", ok=False, status=404, reason="http 404")
    crawl = crawl_of(f"{BASE}/arsip", "<table><tr><td>LHKPN 2026</td><td>"
                                      "<a href='/f/lhkpn-2026.pdf'>Unduh</a></td></tr></table>", [pdf])
    check = confirm_declaration(declared("lhkpn", "/arsip"), crawl, CHECKLIST, TODAY)
    assert not check.confirmed
    assert check.reason.startswith("bukti yang ditunjuk tidak dapat dibuka (http 404)")


def test_a_placeholder_page_does_not_confirm():
    crawl = crawl_of(f"{BASE}/lhkpn", "<h1>LHKPN</h1><p>Belum ada data.</p>")
    check = confirm_declaration(declared("lhkpn", "/lhkpn"), crawl, CHECKLIST, TODAY)
    assert not check.confirmed and check.reason == "halaman menyatakan belum ada data"


def test_faults_are_named_in_indonesian():
    assert address_reason("address refused: 10.0.0.1 is private") == (
        "alamat tidak diizinkan: alamat privat")
    assert address_reason("address refused: x.test resolves to 169.254.169.254 is link-local") == (
        "alamat tidak diizinkan: alamat link-local")
    assert address_reason("address refused: 10.0.0.1 is private (redirect of the start URL to "
                          "http://10.0.0.1/)") == "alamat tidak diizinkan: alamat privat"
    assert fault_reason("start URL answered HTTP 503", []) == "alamat menjawab 503"
    down = "robots.txt answered HTTP 503: treated as disallow-all (RFC 9309)"
    assert fault_reason(down, ["nothing crawled: robots.txt does not allow the start URL"]) == (
        f"robots.txt tidak dapat dibaca, dianggap melarang semua ({down})")
    assert fault_reason("robots.txt disallows the start URL",
                        ["nothing crawled: robots.txt does not allow the start URL"]) == (
        "diblokir robots.txt")
    assert fault_reason("connection refused", []) == "koneksi ditolak"
    crawl = SiteCrawl(start_url=BASE, reachable=False, error="read timeout")
    check = confirm_declaration(declared("lhkpn", "/"), crawl, CHECKLIST, TODAY)
    assert check.reason.startswith("waktu habis")


def confirmed(category, status):
    return type("C", (), {"category_id": category, "confirmed": True,
                          "finding": Finding(category, status, evidence_url="u",
                                             status_source="declared", declaration_id=1)})()


def test_a_declaration_raises_a_finding_never_lowers_it_nor_touches_unreachable():
    findings = [Finding("lhkpn", "missing"), Finding("dip", "found", evidence_url="crawl"),
                Finding("sop_ppid", "stale"), Finding("regulasi", "unreachable")]
    checks = [confirmed("lhkpn", "found"), confirmed("dip", "stale"),
              confirmed("sop_ppid", "found"), confirmed("regulasi", "found")]
    result = {f.category_id: f for f in apply_declarations(findings, checks)}
    assert (result["lhkpn"].status, result["lhkpn"].status_source,
            result["lhkpn"].detector_status) == ("found", "declared", "missing")
    assert (result["dip"].status, result["dip"].evidence_url) == ("found", "crawl")
    assert (result["sop_ppid"].status, result["sop_ppid"].detector_status) == ("found", "stale")
    assert result["regulasi"].status == "unreachable"
