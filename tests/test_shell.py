"""Shell-page detection: pure, on HTML strings."""

from __future__ import annotations

from scrapers.detection.extract import extract_page, parse_html
from scrapers.detection.shell import api_endpoints, script_signs

NEXT_SHELL = """<!DOCTYPE html><html><head><title>PPID Dinas</title>
<script src="/_next/static/chunks/main-abc.js" defer></script></head>
<body><div id="__next"></div>
<noscript>You need to enable JavaScript to run this app.</noscript></body></html>"""

VUE_SHELL = """<html><head><title>PPID</title></head><body>
<noscript>Mohon aktifkan JavaScript untuk membuka situs ini.</noscript>
<div id="app"></div><script type="module" src="/assets/index-4f2a.js"></script>
<script>window.API_BASE = "/api/v1"; fetch('/api/v1/dokumen?kategori=berkala&page=1')</script>
</body></html>"""

SVELTE_SHELL = """<html><head><link rel="modulepreload" href="/_app/immutable/entry/start.js"></head>
<body data-sveltekit-preload-data="hover"><div style="display: contents"></div></body></html>"""

BARE_BUNDLE = """<html><head><title>Memuat…</title></head><body><div id="x-shell-7"></div>
<script src="/bundle.js"></script></body></html>"""

SSR_NEXT = """<html><head><script src="/_next/static/chunks/main.js"></script></head><body>
<div id="__next"><h1>Informasi Berkala</h1><table>
<tr><td>Laporan Keuangan 2024</td><td><a href="/files/lk-2024.pdf">Unduh</a></td></tr>
<tr><td>LKjIP 2024</td><td><a href="/files/lkjip-2024.pdf">Unduh</a></td></tr>
<tr><td>Renstra 2021-2026</td><td><a href="/files/renstra.pdf">Unduh</a></td></tr>
<tr><td>DIP 2024</td><td><a href="/files/dip.pdf">Unduh</a></td></tr></table></div></body></html>"""

PLAIN_SHORT = """<html><head><title>Kontak</title></head><body><h1>Kontak</h1>
<p>Jl. Merdeka 1, telepon 0343-123456.</p><a href="/">Beranda</a></body></html>"""


def test_next_shell_is_a_shell_with_its_reasons():
    page = extract_page("http://127.0.0.1/", NEXT_SHELL)
    assert "app root div#__next" in page.shell
    assert "Next.js bundles" in page.shell
    assert "noscript asks for JavaScript" in page.shell
    assert "0 content links" in page.shell


def test_vue_shell_names_its_api_endpoints():
    page = extract_page("http://127.0.0.1:8000/ppid/", VUE_SHELL)
    assert "app root div#app" in page.shell
    assert page.api_urls == [
        "http://127.0.0.1:8000/api/v1",
        "http://127.0.0.1:8000/api/v1/dokumen?kategori=berkala&page=1",
    ]


def test_sveltekit_shell_is_a_shell():
    page = extract_page("http://127.0.0.1/", SVELTE_SHELL)
    assert "SvelteKit bundles" in page.shell and "SvelteKit markup" in page.shell


def test_unknown_framework_script_bundle_and_no_links_is_a_shell():
    page = extract_page("http://127.0.0.1/", BARE_BUNDLE)
    assert page.shell.startswith("script bundles and no links")


def test_server_rendered_next_page_is_not_a_shell():
    page = extract_page("http://127.0.0.1/", SSR_NEXT)
    assert page.shell == ""
    assert page.api_urls == []


def test_short_server_rendered_next_page_with_only_a_menu_is_not_a_shell():
    html = ('<html><head><script src="/_next/static/chunks/main.js"></script></head><body>'
            '<div id="__next"><nav><a href="/">Beranda</a> <a href="/profil">Profil</a></nav>'
            '<main><h1>Selamat Datang</h1></main></div></body></html>')
    assert extract_page("http://127.0.0.1/", html).shell == ""
    loading = html.replace('<nav><a href="/">Beranda</a> <a href="/profil">Profil</a></nav>'
                           '<main><h1>Selamat Datang</h1></main>', "<p>Memuat…</p>")
    assert "app root div#__next" in extract_page("http://127.0.0.1/", loading).shell


def test_short_plain_page_without_scripts_is_not_a_shell():
    assert extract_page("http://127.0.0.1/kontak", PLAIN_SHORT).shell == ""


def test_long_text_page_with_an_app_root_is_not_a_shell():
    html = f"<html><body><div id='app'><p>{'Profil dinas. ' * 60}</p></div></body></html>"
    assert extract_page("http://127.0.0.1/", html).shell == ""


def test_noscript_text_does_not_count_as_page_text():
    html = ("<html><body><div id='root'></div><noscript>" + "Aktifkan JavaScript. " * 40
            + "</noscript></body></html>")
    assert "app root div#root" in extract_page("http://127.0.0.1/", html).shell


def test_script_signs_and_endpoint_filtering():
    root = parse_html(
        "<html><body><app-root ng-version='17'></app-root><script>"
        "const a = '/manifest.json'; const b = \"/api/ppid/berkala\"; const c = `/api/x/${id}`;"
        "const d = 'https://data.example.go.id/dip.json'</script></body></html>"
    )
    assert script_signs(root, "ng-version") == ["app root <app-root>", "Angular markup"]
    assert api_endpoints(root, "", "http://127.0.0.1/") == [
        "http://127.0.0.1/api/ppid/berkala",
        "https://data.example.go.id/dip.json",
    ]


DATATABLE = """<html><head><title>Dokumen PPID</title></head><body>
<ul class="nav-menu"><li><a href="/">Beranda</a></li><li><a href="/profil">Profil</a></li></ul>
<h1>Dokumen PPID</h1><p>{text}</p>
<table id="tabel-dokumen" class="display"><thead><tr><th>No</th><th>Nama Dokumen</th>
<th>Tahun</th><th>Aksi</th></tr></thead><tbody></tbody></table>
<script src="/assets/tabel-dokumen.js"></script></body></html>"""


def test_empty_table_a_script_fills_is_partly_scripted_however_long_the_page():
    for text in ("", "Daftar dokumen PPID BPBD. " * 40):
        page = extract_page("http://127.0.0.1/ppid/dokumen", DATATABLE.format(text=text))
        assert page.shell == "empty table filled by a script (tabel-dokumen)"


def test_a_table_with_rows_or_without_scripts_is_not_scripted():
    filled = DATATABLE.replace("<tbody></tbody>", "<tbody><tr><td>1</td><td>DIP</td></tr></tbody>")
    assert extract_page("http://127.0.0.1/", filled.format(text="")).shell == ""
    no_script = DATATABLE.replace('<script src="/assets/tabel-dokumen.js"></script>', "")
    assert extract_page("http://127.0.0.1/", no_script.format(text="")).shell == ""
