"""Smart recrawl (scrapers.crawling.recrawl): the planning functions, and crawl_site twice
against a real loopback site that changes between the runs."""

from __future__ import annotations

import pytest

from core.checklist import load_checklist
from core.vocabulary import FOUND, FULL_CRAWL, FULL_REASONS, SMART_CRAWL
from scrapers.crawling.recrawl import (
    SmartRecrawl,
    link_parents,
    navigation_chain,
    revalidation_set,
    sitemap_changes,
    within_depth,
)
from scrapers.detection.detect import detect_site
from scrapers.model import Link, Page
from tests.conftest import TODAY
from tests.loopback import Reply, html
from tests.recrawl_site import PDF, YEAR, ChangingSite, menu, news

CHECKLIST = load_checklist()


# --- planning (pure) -----------------------------------------------------------------------


def page(url: str, *links: str, depth: int = 0) -> Page:
    return Page(url=url, status=200, links=[Link(url=u, text=u) for u in links], depth=depth)


GRAPH = {
    "http://s.id/": page("http://s.id/", "http://s.id/a", "http://s.id/b"),
    "http://s.id/a": page("http://s.id/a", "http://s.id/a/1", "http://s.id/"),
    "http://s.id/b": page("http://s.id/b", "http://s.id/a/1", "http://s.id/b/doc.pdf"),
    "http://s.id/a/1": page("http://s.id/a/1", "http://s.id/a/1/doc.pdf"),
}


def test_the_navigation_chain_is_the_first_path_the_crawl_met():
    parents = link_parents("http://s.id/", GRAPH)
    assert navigation_chain("http://s.id/a/1/doc.pdf", parents) == [
        "http://s.id/a/1/doc.pdf", "http://s.id/a/1", "http://s.id/a", "http://s.id/"]
    assert navigation_chain("http://s.id/elsewhere", parents) == ["http://s.id/elsewhere"]


def test_revalidation_set_holds_the_start_page_the_evidence_and_the_way_there():
    smart = SmartRecrawl(evidence=("http://s.id/b/doc.pdf", "http://s.id/b"))
    assert revalidation_set("http://s.id/", GRAPH, smart) == {
        "http://s.id/", "http://s.id/b", "http://s.id/b/doc.pdf"}
    assert within_depth("http://s.id/", GRAPH, 1) == {"http://s.id/", "http://s.id/a", "http://s.id/b"}


def test_sitemap_changes_are_new_changed_and_dropped_urls():
    before = {"/a": "2026-01-01", "/b": "2026-01-01", "/c": ""}
    now = {"/a": "2026-01-01", "/b": "2026-02-01", "/c": "", "/d": "2026-02-01"}
    assert sitemap_changes(before, now) == {"/b", "/d"}
    assert sitemap_changes(before, {"/a": "2026-01-01"}) == {"/b", "/c"}
    assert sitemap_changes(before, {}) == set()  # a sitemap that did not answer changes nothing
    assert sitemap_changes({}, {"/a": "x", "/new": "x"}, known=["/a"]) == {"/new"}


def test_smart_recrawl_from_findings_takes_every_evidence_and_page_url():
    class Prior:
        def __init__(self, evidence_url, page_url):
            self.evidence_url, self.page_url = evidence_url, page_url

    smart = SmartRecrawl.from_findings([Prior("/x.pdf", "/p"), Prior(None, None), Prior("/x.pdf", "/q")],
                                       platform="wordpress")
    assert smart.evidence == ("/x.pdf", "/p", "/q") and smart.platform == "wordpress"


# --- crawl_site against a site that changes between two runs --------------------------------


@pytest.fixture
def site():
    s = ChangingSite()
    yield s
    s.close()


def remember(crawl):
    """What the warehouse keeps for the next run: pages that answered, document checks, and
    the smart recrawl's starting point from the findings."""
    cache = {p.url: p for p in crawl.pages if p.status == 200}
    findings = detect_site(crawl, CHECKLIST, TODAY)
    return cache, dict(crawl.documents), SmartRecrawl.from_findings(findings, crawl.platform), findings


def statuses(crawl) -> dict[str, str]:
    return {f.category_id: f.status for f in detect_site(crawl, CHECKLIST, TODAY)}


def test_an_unchanged_site_is_asked_only_its_start_page_evidence_and_sitemap(site):
    first = site.crawl()
    assert first.mode == FULL_CRAWL
    cache, docs, smart, findings = remember(first)
    assert statuses(first)["laporan_keuangan"] == FOUND
    second = site.crawl(cache, docs, smart)
    assert second.mode == SMART_CRAWL and second.reachable
    evidence = {url.removeprefix(site.server.origin) for url in smart.evidence}
    assert {"/informasi-berkala", f"/dokumen/laporan-keuangan-{YEAR}.pdf"} <= evidence
    assert not any(path.startswith("/berita") for path in evidence)
    assert site.asked() == {"/robots.txt", "/sitemap.xml", "/"} | evidence
    assert second.requests < first.requests / 2
    assert {p.url for p in second.pages} == {p.url for p in first.pages}
    assert {p.url.removeprefix(site.server.origin) for p in second.pages if not p.reused} == (
        {"/"} | evidence) - {f"/dokumen/laporan-keuangan-{YEAR}.pdf"}
    assert statuses(second) == statuses(first)


def test_a_page_whose_lastmod_changed_is_asked_and_its_new_document_found(site):
    cache, docs, smart, _ = remember(site.crawl())
    site.route("/berita/4", news(4, f'<p><a href="/dokumen/lkjip-{YEAR}.pdf">Laporan Kinerja '
                                    f'Instansi Pemerintah (LKjIP) {YEAR}</a></p>'))
    site.route(f"/dokumen/lkjip-{YEAR}.pdf", Reply(200, PDF, content_type="application/pdf"))
    site.stamps["/berita/4"] = "2026-02-01"
    site.publish_sitemap()
    second = site.crawl(cache, docs, smart)
    asked = site.asked()
    assert "/berita/4" in asked and f"/dokumen/lkjip-{YEAR}.pdf" in asked
    assert "/berita/5" not in asked
    assert statuses(second)["kinerja"] == FOUND
    # What the sitemap said is kept for the next run; /berita/4 is now evidence (asked as such).
    cache, docs, smart, _ = remember(second)
    assert cache[site.server.url("/berita/4")].sitemap_lastmod == "2026-02-01"
    assert site.server.url("/berita/4") in smart.evidence
    site.crawl(cache, docs, smart)
    assert "/berita/4" in site.asked() and "/berita/5" not in site.asked()


def test_a_removed_evidence_document_is_noticed(site):
    first = site.crawl()
    cache, docs, smart, _ = remember(first)
    site.route(f"/dokumen/laporan-keuangan-{YEAR}.pdf", html("Tidak ditemukan", status=404))
    second = site.crawl(cache, docs, smart)
    assert f"/dokumen/laporan-keuangan-{YEAR}.pdf" in site.asked()
    assert statuses(second)["laporan_keuangan"] != FOUND
    assert statuses(second)["laporan_keuangan"] == statuses(site.crawl())["laporan_keuangan"]


def test_a_new_page_linked_from_a_changed_page_is_crawled(site):
    cache, docs, smart, _ = remember(site.crawl())
    site.route("/", html(f"<html><head><title>PPID Dinas Contoh</title></head><body>{menu()}"
                         '<a href="/maklumat">Maklumat Pelayanan</a></body></html>'))
    site.route("/maklumat", html(
        f"<html><head><title>Maklumat Pelayanan</title></head><body>{menu()}"
        "<h1>Maklumat Pelayanan Informasi Publik</h1><p>Dengan ini kami menyatakan sanggup "
        "menyelenggarakan pelayanan informasi publik sesuai standar pelayanan.</p></body></html>"))
    second = site.crawl(cache, docs, smart)
    assert "/maklumat" in site.asked()
    assert statuses(second) == statuses(site.crawl())  # what a full crawl of the changed site finds


def test_a_new_platform_makes_the_smart_recrawl_a_full_one(site):
    first = site.crawl()
    cache, docs, smart, _ = remember(first)
    other = SmartRecrawl(evidence=smart.evidence, platform="wordpress" if first.platform != "wordpress" else "joomla")
    second = site.crawl(cache, docs, other)
    assert second.mode == FULL_CRAWL
    assert second.mode_reason.startswith(FULL_REASONS["platform"])
    assert "/berita/5" in site.asked()
    assert not any(p.reused for p in second.pages)


def test_without_a_stored_copy_a_smart_recrawl_is_a_full_crawl(site):
    crawl = site.crawl({}, {}, SmartRecrawl(evidence=("/x",)))
    assert crawl.mode == FULL_CRAWL and crawl.mode_reason == FULL_REASONS["first"]
    assert "/berita/6" in site.asked()
