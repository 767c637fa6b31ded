"""Shell pages in a crawl: rendered in real Chromium, or read from their JSON, or `unreachable`."""

from __future__ import annotations

import pytest

from core.checklist import load_checklist
from core.settings import CrawlSettings
from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.render import Renderer
from scrapers.detection.detect import detect_site
from scrapers.detection.inline_data import VIA_JSON
from scrapers.model import FOUND, UNREACHABLE
from tests.conftest import TODAY
from tests.loopback import html
from tests.shell_app import DOCUMENT_TITLES, SHELL, shell_app

SETTINGS = CrawlSettings(host_delay=0.0, connect_timeout=3, read_timeout=5, page_timeout=10,
                         retries=0, site_timeout=60, render_timeout=20, use_sitemaps=False)
NO_BROWSER = Renderer(CrawlSettings(browser_path="/nonexistent/chromium"))


@pytest.mark.browser
def test_auto_renders_the_shell_and_reads_every_page_of_its_json_list(renderer):
    with shell_app() as app:
        crawl = crawl_site(app.url("/"), SETTINGS, renderer=renderer)
        paths = app.paths()
    assert crawl.reachable, crawl.error
    start = crawl.pages[0]
    assert start.rendered and "app root div#__next" in start.shell
    assert start.h1 == "Informasi Berkala"
    row = next(link for link in start.links if link.url.endswith("lkjip-2025.pdf"))
    assert (row.text, row.context) == ("Unduh", f"{DOCUMENT_TITLES[1]} | 2025 | Unduh")
    titles = {link.text for link in start.links if link.via == VIA_JSON}
    assert titles == set(DOCUMENT_TITLES)  # page 2 of the API too, which the DOM never showed
    assert all(check.ok for check in crawl.documents.values())
    assert len(crawl.documents) == len(DOCUMENT_TITLES)
    assert paths.count("/api/dokumen?page=1") == 2  # once for each rendered page; never re-read
    assert "/api/dokumen?page=2" in paths
    assert "/logo.png" not in paths and "/api/private/statistik" not in paths
    assert any(note.startswith("rendered 2 page(s) in a browser") for note in crawl.notes)
    findings = {f.category_id: f for f in detect_site(crawl, load_checklist(), TODAY)}
    found = [cid for cid, f in findings.items() if f.status == FOUND]
    assert len(found) >= 4, findings


@pytest.mark.browser
def test_browser_requests_keep_the_per_host_delay(renderer):
    settings = CrawlSettings(**{**SETTINGS.__dict__, "host_delay": 0.25, "max_pages": 1,
                                "max_documents": 0})
    with shell_app() as app:
        crawl = crawl_site(app.url("/"), settings, renderer=renderer)
        arrivals = [request.received_at for request in app.requests]
    assert crawl.pages[0].rendered
    assert len(arrivals) >= 4  # robots.txt, the shell, the script, the API answers
    gaps = sorted(b - a for a, b in zip(arrivals, arrivals[1:], strict=False))
    # The delay is kept between request starts; a late first arrival may shrink one gap.
    assert gaps[len(gaps) // 2] >= 0.24, gaps
    assert arrivals[-1] - arrivals[0] >= (len(arrivals) - 2) * 0.25, gaps


def test_no_browser_makes_a_shell_site_unreachable_with_the_reason():
    with shell_app() as app:
        crawl = crawl_site(app.url("/"), SETTINGS, renderer=NO_BROWSER)
    assert not crawl.reachable
    assert crawl.error.startswith("needs a browser: the start page is built by JavaScript")
    assert "no browser at /nonexistent/chromium" in crawl.error
    findings = detect_site(crawl, load_checklist(), TODAY)
    assert {f.status for f in findings} == {UNREACHABLE}


def test_render_never_on_a_shell_is_unreachable_too():
    with shell_app() as app:
        crawl = crawl_site(app.url("/"), SETTINGS, render="never", renderer=NO_BROWSER)
    assert not crawl.reachable
    assert "the registry says render: never" in crawl.error


def test_without_a_browser_the_endpoints_a_shell_names_are_read():
    shell = SHELL.replace("</body>", "<script>window.API = '/api/dokumen?page=1'</script></body>")
    with shell_app() as app:
        app.route("/", html(shell))
        crawl = crawl_site(app.url("/"), SETTINGS, renderer=NO_BROWSER)
    assert crawl.reachable, crawl.error
    start = crawl.pages[0]
    assert not start.rendered
    assert {link.text for link in start.links} == set(DOCUMENT_TITLES)
    assert {link.via for link in start.links} == {VIA_JSON}
    assert len(crawl.documents) == len(DOCUMENT_TITLES)
    assert "read 2 page(s) of 1 JSON list(s)" in crawl.notes


def test_without_a_browser_a_shell_with_inline_state_is_read_from_it():
    state = ('<script>window.__DATA__ = {"dokumen": [{"judul": "Laporan Keuangan 2025", '
             '"file": "/files/laporan-keuangan-2025.pdf"}]};</script></body>')
    with shell_app() as app:
        app.route("/", html(SHELL.replace("</body>", state)))
        crawl = crawl_site(app.url("/"), SETTINGS, render="never", renderer=NO_BROWSER)
    assert crawl.reachable, crawl.error
    assert crawl.pages[0].shell and not crawl.pages[0].rendered
    assert [link.text for link in crawl.pages[0].links] == ["Laporan Keuangan 2025"]


def test_without_a_browser_a_page_with_a_scripted_table_is_read_as_it_is():
    with shell_app() as app:
        app.route("/", html(
            "<html><body><nav><a href='/'>Beranda</a></nav><h1>Dokumen PPID</h1>"
            "<table id='dok'><tr><th>Nama</th><th>Tahun</th></tr></table>"
            "<script src='/assets/tabel.js'></script></body></html>"))
        crawl = crawl_site(app.url("/"), SETTINGS, renderer=NO_BROWSER)
    assert crawl.reachable, crawl.error
    assert crawl.pages[0].shell == "empty table filled by a script (dok)"
    assert not crawl.pages[0].rendered


@pytest.mark.browser
def test_plain_pages_are_never_rendered(renderer):
    before = renderer.renders
    with shell_app() as app:
        app.route("/", html("<html><body><h1>PPID</h1><a href='/files/dip-2025.pdf'>DIP</a>"
                            "<a href='/a'>a</a><a href='/b'>b</a><a href='/c'>c</a></body></html>"))
        crawl = crawl_site(app.url("/"), SETTINGS, renderer=renderer)
    assert crawl.reachable and not any(page.rendered for page in crawl.pages)
    assert renderer.renders == before


@pytest.mark.browser
def test_always_renders_every_page(renderer):
    with shell_app() as app:
        app.route("/", html("<html><body><h1>PPID</h1><a href='/profil'>Profil</a></body></html>"))
        crawl = crawl_site(app.url("/"), SETTINGS, render="always", renderer=renderer)
    assert [page.rendered for page in crawl.pages] == [True, True]
