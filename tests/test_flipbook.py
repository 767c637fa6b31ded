"""flipbook: a page of a flipbook export is the document; a link to it is document evidence."""

from datetime import date

from core.checklist import load_checklist
from scrapers.detection.detect import detect_site
from scrapers.detection.extract import extract_page
from scrapers.model import SiteCrawl

SITE = "https://ppid.contoh.go.id"
BOOK = SITE + "/flipbook/lkjip-2025/"


def page(url: str, body: str, head: str = ""):
    return extract_page(url, f"<html><head>{head}<title>PPID</title></head><body>{body}</body></html>")


def test_a_flipbook_index_linking_numbered_pages_is_a_document_view():
    index = page(BOOK, '<div class="flipbook-viewer"><a href="files/page-1.html">1</a>'
                       '<a href="files/page-2.html">2</a></div>')
    assert index.document_view


def test_one_numbered_page_of_a_flipbook_is_a_document_view():
    one = page(BOOK + "files/page-3.html", '<div class="flip-page">Halaman 3</div>')
    assert one.document_view


def test_pagination_without_a_flipbook_is_not():
    listing = page(SITE + "/berita/", '<a href="page-1.html">1</a><a href="page-2.html">2</a>')
    assert not listing.document_view
    assert not page(SITE + "/flip-flop/", "<p>Sandal</p>").document_view


def test_a_link_to_a_flipbook_counts_as_the_document():
    home = page(SITE + "/", f'<a href="{BOOK}">LKjIP 2025 (Flipbook)</a>')
    book = page(BOOK, '<div class="flipbook"><a href="files/page-1.html">1</a>'
                      '<a href="files/page-2.html">2</a></div>')
    crawl = SiteCrawl(start_url=SITE + "/", reachable=True, pages=[home, book])
    findings = {f.category_id: f for f in detect_site(crawl, load_checklist(), date(2026, 3, 1))}
    assert findings["kinerja"].status == "found"
    assert findings["kinerja"].evidence_url == BOOK
