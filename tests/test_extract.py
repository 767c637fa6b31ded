"""extract_page(): HTML strings in, Page fields out."""

import pytest

from scrapers.detection.extract import extract_page

URL = "https://ppid.contoh.go.id/informasi/berkala.html"


def page_of(body: str, head: str = "", url: str = URL):
    return extract_page(url, f"<html><head>{head}</head><body>{body}</body></html>")


def only_link(body: str, **kwargs):
    links = page_of(body, **kwargs).links
    assert len(links) == 1, links
    return links[0]


def test_title_h1_and_headings_are_folded():
    page = page_of(
        "<h1> PPID\n  Dinas   Kesehatan </h1><h2>Informasi Berkala</h2><h3>LKjIP</h3>",
        head="<title>\n PPID | Dinkes </title>",
    )
    assert page.title == "PPID | Dinkes"
    assert page.h1 == "PPID Dinas Kesehatan"
    assert page.headings == ["PPID Dinas Kesehatan", "Informasi Berkala", "LKjIP"]
    assert page.status == 200 and page.final_url == URL


def test_relative_links_are_absolute_without_fragment():
    link = only_link('<a href="../dokumen/lkjip.pdf#page=3">LKjIP 2023</a>')
    assert link.url == "https://ppid.contoh.go.id/dokumen/lkjip.pdf"
    assert link.text == "LKjIP 2023"


def test_base_href_is_respected():
    link = only_link('<a href="dip.pdf">DIP</a>', head='<base href="https://cdn.contoh.go.id/up/">')
    assert link.url == "https://cdn.contoh.go.id/up/dip.pdf"


def test_relative_base_href_is_resolved_against_the_page():
    link = only_link('<a href="dip.pdf">DIP</a>', head='<base href="/files/">')
    assert link.url == "https://ppid.contoh.go.id/files/dip.pdf"


def test_non_http_and_empty_hrefs_are_skipped():
    page = page_of(
        '<a href="javascript:void(0)">a</a><a href="mailto:ppid@contoh.go.id">b</a>'
        '<a href="tel:0343123">c</a><a href="data:text/plain,x">d</a><a href="">e</a>'
        '<a href="  ">f</a><a href="#atas">g</a><a>no href</a><a href="/ok">ok</a>'
    )
    assert [link.text for link in page.links] == ["ok"]


def test_whitespace_inside_href_is_cleaned():
    link = only_link('<a href=" /unduh/laporan\n keuangan.pdf ">x</a>')
    assert link.url == "https://ppid.contoh.go.id/unduh/laporan%20keuangan.pdf"


def test_image_alt_stands_in_for_empty_anchor_text():
    link = only_link('<a href="/so.jpg"><img src="/t.jpg" alt="Struktur Organisasi"></a>')
    assert link.text == "Struktur Organisasi"


def test_title_attribute_is_kept():
    link = only_link('<a href="/f/1.pdf" title="Daftar Informasi Publik 2024">Unduh</a>')
    assert link.title == "Daftar Informasi Publik 2024"


def test_table_row_context_joins_cells():
    link = only_link(
        "<table><tr><th>Jenis Informasi</th><th>Tahun</th><th>File</th></tr>"
        '<tr><td>Laporan Realisasi Anggaran</td><td>2023</td><td><a href="/lra.pdf">Unduh</a></td></tr>'
        "</table>"
    )
    assert link.text == "Unduh"
    assert link.context == "Laporan Realisasi Anggaran | 2023 | Unduh"


def test_list_item_context_excludes_its_submenu():
    page = page_of(
        '<ul><li><a href="/berkala">Informasi Berkala</a>'
        '<ul><li><a href="/lkjip">LKjIP</a></li></ul></li></ul>'
    )
    assert [link.context for link in page.links] == ["Informasi Berkala", "LKjIP"]


def test_card_context_and_card_heading():
    link = only_link(
        '<div class="row"><div class="col"><div class="card"><div class="card-body">'
        '<h5 class="card-title">Renstra 2021-2026</h5><p>Dokumen rencana strategis</p>'
        '<a href="/renstra.pdf" class="btn">Download</a></div></div></div></div>'
    )
    assert link.context == "Renstra 2021-2026 Dokumen rencana strategis Download"
    assert link.heading == "Renstra 2021-2026"


def test_short_paragraph_is_context_but_prose_is_not():
    prose = "Dalam rapat itu dibahas penyusunan laporan keuangan dan berbagai hal lain. " * 8
    page = page_of(
        f'<p>Unduh Maklumat Pelayanan <a href="/maklumat.pdf">di sini</a></p>'
        f'<p>{prose}<a href="/berita/1">selengkapnya</a></p>'
    )
    assert page.links[0].context == "Unduh Maklumat Pelayanan di sini"
    assert page.links[1].context == ""


def test_long_row_context_is_bounded():
    link = only_link(f'<table><tr><td>{"kata " * 200}</td><td><a href="/x.pdf">x</a></td></tr></table>')
    assert 0 < len(link.context) <= 301


def test_nearest_preceding_heading():
    page = page_of(
        '<h2>Laporan Keuangan</h2><p><a href="/lk2023.pdf">2023</a></p>'
        '<h2>Laporan Kinerja</h2><div><a href="/lkjip.pdf">2023</a></div>'
    )
    assert [link.heading for link in page.links] == ["Laporan Keuangan", "Laporan Kinerja"]


def test_table_header_cell_is_not_a_heading_but_caption_is():
    page = page_of(
        "<h3>Informasi Setiap Saat</h3>"
        '<table><tr><th>Renja</th></tr><tr><td><a href="/renja.pdf">Unduh</a></td></tr></table>'
        '<table><caption>Daftar Informasi Publik</caption><tr><td><a href="/dip.pdf">Unduh</a></td></tr></table>'
        '<a href="/after">after</a>'
    )
    assert [link.heading for link in page.links] == [
        "Informasi Setiap Saat",
        "Daftar Informasi Publik",
        "Informasi Setiap Saat",  # a caption labels only its own table
    ]


def test_accordion_titles_summary_and_dt_are_headings():
    page = page_of(
        '<div class="panel"><div class="panel-heading"><h4 class="panel-title">'
        '<a data-toggle="collapse" href="#c1">SK PPID</a></h4></div>'
        '<div id="c1" class="panel-collapse collapse"><a href="/sk.pdf">Lihat</a></div></div>'
        '<details><summary>SOP PPID</summary><a href="/sop.pdf">Lihat</a></details>'
        '<dl><dt>Maklumat Pelayanan</dt><dd><a href="/mk.pdf">Lihat</a></dd></dl>'
        '<button class="accordion-button" data-bs-target="#c4">Formulir Keberatan</button>'
        '<div id="c4"><a href="/keberatan.docx">Lihat</a></div>'
    )
    assert [link.heading for link in page.links] == [
        "SK PPID", "SOP PPID", "Maklumat Pelayanan", "Formulir Keberatan"
    ]


def test_tab_pane_takes_its_own_tab_title():
    page = page_of(
        '<ul class="nav nav-tabs"><li><a data-bs-toggle="tab" href="#dip">DIP</a></li>'
        '<li><a data-bs-toggle="tab" href="#dik">DIK</a></li></ul>'
        '<div class="tab-content"><div id="dip"><a href="/dip.pdf">Unduh</a></div>'
        '<div id="dik"><a href="/dik.pdf">Unduh</a></div></div>'
    )
    assert [link.heading for link in page.links] == ["DIP", "DIK"]


def test_menu_headings_do_not_label_content():
    page = page_of(
        '<nav><h4>Laporan Keuangan</h4><a href="/lk">LK</a></nav><a href="/berita">Berita</a>'
    )
    assert [link.heading for link in page.links] == ["Laporan Keuangan", ""]


def test_in_nav_for_nav_header_and_menu_classes():
    page = page_of(
        '<header><a href="/a">a</a></header><nav><a href="/b">b</a></nav>'
        '<div id="main-menu"><a href="/c">c</a></div><ul class="navbar-nav"><li><a href="/d">d</a></li></ul>'
        '<div role="navigation"><a href="/e">e</a></div>'
        '<main><article><header class="entry-header"><a href="/f">f</a></header>'
        '<a href="/g">g</a></article></main>'
    )
    assert {link.text: link.in_nav for link in page.links} == {
        "a": True, "b": True, "c": True, "d": True, "e": True, "f": False, "g": False
    }


def test_embedded_documents_and_image_maps_are_links():
    page = page_of(
        '<h3>Laporan Kinerja</h3>'
        '<iframe src="/files/lkjip-2023.pdf" title="LKjIP 2023"></iframe>'
        '<embed src="/files/renja.pdf" type="application/pdf">'
        '<object data="/files/dip.pdf"></object>'
        '<map><area href="/profil" alt="Profil"></map>'
    )
    assert [(link.url.rsplit("/", 1)[1], link.text) for link in page.links] == [
        ("lkjip-2023.pdf", "LKjIP 2023"), ("renja.pdf", ""), ("dip.pdf", ""), ("profil", "Profil")
    ]
    assert all(link.heading == "Laporan Kinerja" for link in page.links)


def test_document_viewer_iframe_points_at_the_document():
    link = only_link(
        '<iframe src="https://docs.google.com/viewer?url=https%3A%2F%2Fppid.contoh.go.id%2Fa%2Fsk.pdf'
        '&embedded=true"></iframe>'
    )
    assert link.url == "https://ppid.contoh.go.id/a/sk.pdf"


def test_scripts_and_comments_are_not_text():
    link = only_link('<li><!-- x --><a href="/x">Renja<script>var a=1;</script></a></li>')
    assert link.text == "Renja" and link.context == "Renja"


def test_xml_declaration_bytes_and_empty_input():
    page = extract_page(URL, '<?xml version="1.0" encoding="utf-8"?><html><body><h1>Profil</h1></body></html>')
    assert page.h1 == "Profil"
    assert extract_page(URL, b"<h1>Profil Dinas</h1>").h1 == "Profil Dinas"
    empty = extract_page(URL, "   ", depth=2)
    assert empty.links == [] and empty.title == "" and empty.depth == 2


def test_bytes_in_a_legacy_charset():
    html = '<meta charset="windows-1252"><h1>Caf\xe9</h1>'.encode("cp1252")
    assert extract_page(URL, html).h1 == "Café"


def test_links_keep_document_order_and_duplicates():
    page = page_of('<nav><a href="/dip">DIP</a></nav><p><a href="/dip">Daftar Informasi Publik</a></p>')
    assert [(link.text, link.in_nav) for link in page.links] == [
        ("DIP", True), ("Daftar Informasi Publik", False)
    ]


def test_layout_table_row_is_not_context():
    link = only_link(
        '<table><tr><td><b>MENU</b><br><a href="/profil">PROFIL</a></td>'
        "<td><h2>SELAMAT DATANG</h2><table><tr><td>x</td></tr></table></td></tr></table>"
    )
    assert link.context == ""


NAV = "<nav><ul class='menu'>" + "".join(f"<li><a href='/m{i}'>Menu {i}</a></li>" for i in range(40)) + "</ul></nav>"


def test_a_page_that_only_says_belum_ada_data_is_a_placeholder():
    html = f"<html><body>{NAV}<main><h1>Agenda Pimpinan</h1><p>Belum ada data.</p></main>" \
           "<footer>Dinas Kesehatan Kota Contoh, Jl. Wahidin 45, telepon 0343-123456</footer></body></html>"
    assert extract_page("http://x.test/agenda", html).placeholder


def test_a_real_table_with_one_empty_row_is_not_a_placeholder():
    rows = "".join(f"<tr><td>{i}</td><td>Laporan kegiatan nomor {i} tahun 2025</td></tr>" for i in range(30))
    html = f"<html><body>{NAV}<main><h1>DIP</h1><table>{rows}<tr><td>Belum ada data</td></tr></table></main></body></html>"
    assert not extract_page("http://x.test/dip", html).placeholder


def test_ordinary_pages_are_not_placeholders():
    assert not extract_page("http://x.test/", "<html><body><h1>Profil</h1><p>Visi misi</p></body></html>").placeholder


@pytest.mark.parametrize(
    "content",
    [
        "<h1>Daftar Informasi Publik</h1><p>Belum ada dokumen.</p>",
        "<h1>Laporan Keuangan</h1><table><tr><td>Data tidak tersedia</td></tr></table>",
        "<h1>Maklumat Pelayanan</h1>",
        "<h1>Struktur Organisasi</h1><div class='elementor-widget-container'><p>-</p></div>",
        "<h2>SOP PPID</h2><div class='entry-content'>&nbsp;</div>",
    ],
)
def test_a_page_that_says_it_has_nothing_or_shows_nothing_is_a_placeholder(content):
    html = f"<html><body><nav><a href='/a'>Beranda</a><a href='/b'>Profil</a></nav>{content}</body></html>"
    assert extract_page("http://x.test/p", html).placeholder


@pytest.mark.parametrize(
    "content",
    [
        "<h1>Struktur Organisasi</h1><img src='/bagan.png'>",
        "<h1>Maklumat</h1><iframe src='/m.pdf'></iframe>",
        "<h1>DIP</h1><div class='elementor-widget-container'><a href='/dip.pdf'>Unduh</a></div>",
        "<h1>Visi</h1><p>Terwujudnya pelayanan prima</p>",
    ],
)
def test_a_page_that_shows_something_is_not_empty(content):
    assert not extract_page("http://x.test/p", f"<html><body>{content}</body></html>").placeholder


def test_a_bare_page_keeps_its_lead_text_and_a_page_with_links_none():
    bare = extract_page("http://x.test/p", "<html><body><nav><a href='/'>Beranda</a></nav><h1>Serta Merta</h1>"
                        "<p>Informasi serta merta adalah informasi yang dapat mengancam hajat hidup "
                        "orang banyak.</p></body></html>")
    assert bare.lead.startswith("Informasi serta merta adalah") and "Beranda" not in bare.lead
    linked = extract_page("http://x.test/p", "<html><body><p>Informasi serta merta adalah "
                          "<a href='/sm.pdf'>ini</a></p></body></html>")
    assert linked.lead == ""


def test_images_in_the_content_are_links_with_alt_caption_and_heading():
    html = ("<html><body><nav><img src='/logo.png' alt='Logo'></nav><h2>Struktur Organisasi</h2>"
            "<figure><img src='/img/bagan.png' alt='Bagan'><figcaption>Bagan SOTK 2026</figcaption></figure>"
            "<p><img src='/icons/pdf.png' width='16' alt='PDF'> <a href='/x.pdf'><img src='/t.jpg' alt='Unduh'></a></p>"
            "</body></html>")
    images = [link for link in extract_page("http://x.test/", html).links if link.media == "image"]
    assert [(i.url, i.text, i.context, i.heading) for i in images] == [
        ("http://x.test/img/bagan.png", "Bagan", "Bagan SOTK 2026", "Struktur Organisasi")]


def test_a_detail_pages_title_row_names_the_download_after_the_table():
    page = page_of(
        "<h3>Detail Dokumen</h3><table><tr><th>Judul</th><td>LKjIP Tahun 2024</td></tr>"
        "<tr><th>Tahun</th><td>2024</td></tr></table>"
        '<a href="/unduh/7">Unduh</a>'
    )
    assert page.links[0].heading == "LKjIP Tahun 2024"
    listing = page_of(
        "<h2>Informasi Berkala</h2><table><tr><th>Judul</th><th>Tahun</th></tr>"
        '<tr><td>DIP</td><td><a href="/dip.pdf">Unduh</a></td></tr></table><a href="/x">Lain</a>'
    )
    assert [link.heading for link in listing.links] == ["Informasi Berkala", "Informasi Berkala"]


def test_data_tab_target_panes_take_their_tab_title():
    page = page_of(
        '<ul><li data-tab-target="#sm">Informasi Serta Merta</li><li data-tab-target="#dk">DIK</li></ul>'
        '<div id="sm"><a href="/a.pdf">Pengumuman</a></div>'
    )
    assert page.links[0].heading == "Informasi Serta Merta"
