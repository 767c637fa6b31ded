"""inline_data: JSON → publications, and inline state read from HTML strings."""

import json
from html import escape

from scrapers.detection.extract import extract_page, parse_html
from scrapers.detection.inline_data import (
    MAX_DEPTH,
    VIA_JSON,
    Publication,
    inline_links,
    publications_from_json,
)

BASE = "https://ppid.contoh.go.id/ppid/berkala"


def test_an_inertia_paginator_gives_title_year_url_and_the_category_as_group():
    data = {"component": "Ppid/Index", "url": "/ppid/berkala", "props": {
        "kategori": {"id": 1, "nama": "Informasi Berkala"},
        "dokumen": {"current_page": 1, "data": [
            {"id": 7, "nama_informasi": "LKjIP 2024", "tahun": 2024, "file_url": "/storage/lkjip.pdf"},
        ], "last_page": 1}}}
    assert publications_from_json(data, BASE) == [
        Publication("LKjIP 2024", "https://ppid.contoh.go.id/storage/lkjip.pdf", "2024", "Informasi Berkala")
    ]


def test_nested_file_objects_spaces_and_absolute_urls():
    data = [{"judul": "Laporan Keuangan 2023", "file": {"url": "/storage/1704067200Laporan Keuangan.pdf"}},
            {"title": "DIP", "download_url": "https://cdn.contoh.go.id/dip.pdf"}]
    urls = [p.url for p in publications_from_json(data, BASE)]
    assert urls == ["https://ppid.contoh.go.id/storage/1704067200Laporan%20Keuangan.pdf",
                    "https://cdn.contoh.go.id/dip.pdf"]


def test_a_list_key_names_its_items_unless_a_field_already_did():
    data = {"site": {"title": "PPID"}, "serta_merta": [{"judul": "Banjir", "url": "/a.pdf"}],
            "kategori": "Informasi Berkala", "data": [{"judul": "LRA", "url": "/b.pdf"}]}
    groups = {p.title: p.group for p in publications_from_json(data, BASE)}
    assert groups == {"Banjir": "Informasi Berkala", "LRA": "Informasi Berkala"}
    assert publications_from_json({"serta_merta": [{"judul": "Banjir", "url": "/a.pdf"}]}, BASE)[0].group == "serta merta"
    assert publications_from_json({"data": [{"judul": "X", "url": "/x.pdf"}]}, BASE)[0].group == ""


def test_datatables_rows_as_arrays_are_read_cell_by_cell():
    data = {"data": [["1", "Rencana Strategis 2021-2026", "2026", '<a href="/up/renstra.pdf">Unduh</a>']]}
    assert publications_from_json(data, BASE) == [
        Publication("Rencana Strategis 2021-2026", "https://ppid.contoh.go.id/up/renstra.pdf", "2026", "")
    ]


def test_objects_without_a_title_or_a_url_and_script_assets_are_not_publications():
    data = {"title": "Beranda", "scripts": [{"name": "app", "src": "/build/app.js"}],
            "items": [{"url": "/x.pdf"}, {"judul": "Tanpa berkas"}, {"judul": "Teks", "url": "bukan url"}]}
    assert publications_from_json(data, BASE) == []


def test_hostile_json_is_bounded():
    deep: object = {"judul": "dalam", "url": "/d.pdf"}
    for _ in range(MAX_DEPTH * 3):
        deep = {"x": [deep]}
    assert publications_from_json(deep, BASE) == []
    many = [{"judul": f"Dokumen {i}", "url": f"/{i}.pdf"} for i in range(20_000)]
    assert len(publications_from_json(many, BASE)) == 5_000


def test_a_publication_is_a_link_read_like_a_table_row():
    link = Publication("LKjIP 2024", "https://x/l.pdf", "2024", "Informasi Berkala").to_link()
    assert (link.text, link.context, link.heading, link.via) == (
        "LKjIP 2024", "LKjIP 2024 | 2024", "Informasi Berkala", VIA_JSON)


def html_with(body: str) -> str:
    return f"<html><head><title>PPID</title></head><body>{body}</body></html>"


def test_inline_state_sources():
    page_json = escape(json.dumps({"props": {"dokumen": [{"judul": "A", "url": "/a.pdf"}]}}), quote=True)
    body = (
        f'<div id="app" data-page="{page_json}"></div>'
        '<script id="__NEXT_DATA__" type="application/json">'
        '{"props":{"pageProps":{"docs":[{"title":"B","href":"/b.pdf"}]}}}</script>'
        '<script>window.__DATA__ = {"rows":[{"nama":"C","link":"/c.pdf"}]};</script>'
        """<script>var state = JSON.parse('{"x":[{"judul":"D \\'kutip\\'","file":"/d.pdf"}]}');</script>"""
        '<script>window.app = {items: [{title: "E", url: "/e.pdf"}]};</script>'
        '<script src="/app.js">window.__DATA__ = {"rows":[{"nama":"F","link":"/f.pdf"}]}</script>'
    )
    titles = [link.text for link in inline_links(parse_html(html_with(body)), BASE)]
    assert titles == ["A", "B", "C", "D 'kutip'", "E"]


def test_broken_or_hostile_inline_state_is_ignored():
    body = ('<div data-page="{not json"></div><script>window.__DATA__ = {"a": [' + "[" * 100_000
            + "]};</script>")
    assert inline_links(parse_html(html_with(body)), BASE) == []


def test_extract_page_adds_inline_publications_to_the_links():
    page = extract_page(BASE, html_with(
        '<a href="/profil">Profil</a><script>window.__DATA__ = '
        '{"kategori":"Informasi Berkala","dokumen":[{"judul":"LKjIP 2024","url":"/l.pdf"}]}</script>'))
    assert [(link.text, link.heading, link.via) for link in page.links] == [
        ("Profil", "", ""), ("LKjIP 2024", "Informasi Berkala", VIA_JSON)]


def test_nuxt_data_is_unflattened_and_sveltekit_bodies_are_parsed():
    flat = [["ShallowReactive", 1], {"data": 2, "state": 8}, ["ShallowReactive", 3],
            {"dokumen-berkala": 4}, [5], {"judul": 6, "file": 7}, "LKjIP 2024", "/l.pdf", {}]
    body = (
        f'<script type="application/json" id="__NUXT_DATA__">{json.dumps(flat)}</script>'
        '<script type="application/json" data-sveltekit-fetched data-url="/api/docs">'
        '{"status":200,"headers":{},"body":"{\\"data\\":[{\\"title\\":\\"DIP 2025\\",\\"url\\":\\"/dip.pdf\\"}]}"}'
        "</script>"
    )
    links = inline_links(parse_html(html_with(body)), BASE)
    assert [(link.text, link.heading) for link in links] == [("LKjIP 2024", "dokumen berkala"), ("DIP 2025", "")]


def test_unflatten_survives_cycles_and_bad_indexes():
    from scrapers.detection.inline_data import unflatten

    assert unflatten([{"a": 1, "b": 99, "c": -1}, "x"]) == {"a": "x", "b": None, "c": None}
    cyclic = unflatten([{"self": 0}])
    assert cyclic["self"] is cyclic
    assert unflatten("x") == "x" and unflatten([]) == []


def test_text_sections_of_inline_state_are_page_headings():
    page = extract_page(BASE, html_with(
        '<script>window.__DATA__ = {"sections":[{"title":"Struktur Organisasi",'
        '"body":"Kepala Dinas: Dra. Sri; Sekretaris: Budi."},{"title":"Menu","link":"/m"}]}</script>'))
    assert "Struktur Organisasi" in page.headings and "Menu" not in page.headings


def test_keys_containing_title_url_and_year_words_are_read_after_exact_ones():
    data = [{"judul_informasi": "LKjIP", "link_file": "/l.pdf", "tahun_terbit": "2024",
             "nama_opd": "Dinas X", "ukuran_file": "2 MB"}]
    assert publications_from_json(data, BASE) == [
        Publication("LKjIP", "https://ppid.contoh.go.id/l.pdf", "2024", "")]


def test_javascript_object_literals_are_read():
    body = "<script>var dokumen = [{judul: 'Renja 2025', berkas: '/renja.pdf', tahun: 2025,},];</script>"
    (link,) = inline_links(parse_html(html_with(body)), BASE)
    assert (link.text, link.url, link.context) == (
        "Renja 2025", "https://ppid.contoh.go.id/renja.pdf", "Renja 2025 | 2025")
