"""scripted: the URLs onclick handlers and data attributes lead to, read by extract_page."""

import pytest

from scrapers.detection.extract import extract_page
from scrapers.detection.scripted import handler_url

URL = "https://ppid.contoh.go.id/ppid/informasi-berkala/"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("location.href='/download/lkjip/?wpdmdl=12';return false;", "/download/lkjip/?wpdmdl=12"),
        ('window.location = "/berkas/dip.pdf"', "/berkas/dip.pdf"),
        ("document.location.href='a.pdf'", "a.pdf"),
        ("location.assign('/x')", "/x"),
        ("window.open('/uploads/sop.pdf', '_blank')", "/uploads/sop.pdf"),
        ("openTab(event, 'berkala')", None),
        ("location.href='#top'", None),
        ("location.href=`/doc/${id}`", None),
        ("", None),
    ],
)
def test_handler_url(code, expected):
    assert handler_url(code) == expected


def links_of(body: str):
    return extract_page(URL, f"<html><body>{body}</body></html>").links


def test_a_download_manager_button_is_a_link_with_its_text_and_card():
    (link,) = links_of(
        '<div class="card"><h3>LKjIP 2024</h3><a href="#" '
        "onclick=\"location.href='/download/lkjip/?wpdmdl=12';return false;\">Download</a></div>"
    )
    assert link.url == "https://ppid.contoh.go.id/download/lkjip/?wpdmdl=12"
    assert (link.text, link.via, link.heading) == ("Download", "script", "LKjIP 2024")


def test_rows_linked_javascript_void_with_window_open():
    (link,) = links_of(
        '<table><tr><td>Laporan Keuangan 2024</td><td><a href="javascript:void(0)" '
        "onclick=\"window.open('/dok/lk.pdf')\">Lihat</a></td></tr></table>"
    )
    assert link.url == "https://ppid.contoh.go.id/dok/lk.pdf"
    assert link.context == "Laporan Keuangan 2024 | Lihat"


def test_javascript_href_and_clickable_row():
    links = links_of(
        "<a href=\"javascript:window.open('/a.pdf')\">A</a>"
        "<table><tr onclick=\"location.href='/dokumen/9'\"><td>Renja 2025</td></tr></table>"
    )
    assert [(link.url.rsplit("/", 1)[1], link.text) for link in links] == [("a.pdf", "A"), ("9", "Renja 2025")]


def test_data_attributes_name_documents_and_lazy_viewers():
    links = links_of(
        '<iframe data-src="/pratinjau/12" src="about:blank" title="Pratinjau"></iframe>'
        '<div class="_df_book" source="/uploads/flip.pdf"></div>'
        '<button data-url="/unduh/5">Unduh</button>'
        '<img data-src="/foto/banner.jpg" alt="Banner">'
        '<div data-url="/api/widget"></div>'
    )
    assert [(link.url.split("/", 3)[3], link.via) for link in links if link.media != "image"] == [
        ("pratinjau/12", "embed"), ("uploads/flip.pdf", "script"), ("unduh/5", "script")]


def test_an_element_href_and_the_same_onclick_target_give_one_link():
    links = links_of("<a href=\"/a.pdf\" onclick=\"window.open('/a.pdf')\">A</a>")
    assert len(links) == 1 and links[0].via == ""


def test_a_quoted_document_passed_to_any_function_and_widget_options():
    links = links_of(
        "<button onclick=\"unduhBerkas('/files/dik.pdf')\">DIK</button>"
        """<div class="real3dflipbook" data-flipbook-options='{"pdfUrl":"https:\\/\\/x.go.id\\/up/renstra.pdf"}'>"""
        "Renstra 2021-2026</div>"
    )
    assert [(link.url, link.text) for link in links] == [
        ("https://ppid.contoh.go.id/files/dik.pdf", "DIK"),
        ("https://x.go.id/up/renstra.pdf", "Renstra 2021-2026"),
    ]


def test_a_select_of_documents_opened_by_its_onchange_handler():
    links = links_of(
        '<select onchange="window.open(this.value)"><option value="">Pilih</option>'
        '<option value="/up/lra-2024.pdf">LRA 2024</option><option value="/dokumen/7">Renja</option>'
        '</select><select name="tahun"><option value="/2024">2024</option></select>'
    )
    assert [(link.url.split("/", 3)[3], link.text) for link in links] == [
        ("up/lra-2024.pdf", "LRA 2024"), ("dokumen/7", "Renja")]


def test_a_link_to_a_document_viewer_is_a_link_to_the_document():
    (link,) = links_of('<a href="/pdfjs/web/viewer.html?file=/uploads/sop.pdf">SOP PPID</a>')
    assert link.url == "https://ppid.contoh.go.id/uploads/sop.pdf"
    (download,) = links_of('<a href="/download.php?file=lapkeu.pdf">Laporan Keuangan</a>')
    assert download.url == "https://ppid.contoh.go.id/download.php?file=lapkeu.pdf"


def test_analytics_handlers_and_file_names_in_data_attributes_add_no_links():
    links = links_of(
        "<a href=\"/up/lkjip.pdf\" onclick=\"ga('send', 'event', 'unduh', 'lkjip.pdf')\" "
        'data-title="LKjIP 2024.pdf">LKjIP 2024</a>'
    )
    assert [link.url for link in links] == ["https://ppid.contoh.go.id/up/lkjip.pdf"]
