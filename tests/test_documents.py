import re

import pytest

from core.settings import CrawlSettings
from scrapers.crawling.documents import check_document_bytes, verify_document
from scrapers.crawling.fetch import Fetcher
from scrapers.crawling.politeness import HostThrottle
from scrapers.detection.doctypes import DRIVE, content_type_kind, document_kind
from tests.loopback import LoopbackServer, Reply, loopback_guard, redirect

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj <<>> endobj\n" * 500
DOCX_BYTES = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 3000
XLS_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 3000
ERROR_PAGE = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Halaman tidak ditemukan</body></html>"


# --- recognising documents ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://x.go.id/uploads/RKA-2024.PDF", "pdf"),
        ("http://x.go.id/files/lap%20keu.xlsx", "xlsx"),
        ("http://x.go.id/a/b.docx?ver=3", "docx"),
        ("http://x.go.id/download.php?file=lapkeu-2023.pdf", "pdf"),
        ("http://x.go.id/arsip.rar", "rar"),
        ("http://x.go.id/data.csv", "csv"),
        ("http://x.go.id/laporan.odt", "odt"),
        ("https://drive.google.com/file/d/1AbC/view?usp=sharing", DRIVE),
        ("https://drive.google.com/uc?export=download&id=1AbC", DRIVE),
        ("https://docs.google.com/spreadsheets/d/1AbC/edit", DRIVE),
        ("https://www.dropbox.com/s/abc/laporan?dl=0", DRIVE),
        ("https://www.dropbox.com/scl/fi/abc/laporan?rlkey=x", DRIVE),
        ("https://1drv.ms/b/s!Abc", DRIVE),
        ("https://onedrive.live.com/redir?resid=ABC", DRIVE),
        ("http://x.go.id/ppid/informasi-berkala", None),
        ("http://x.go.id/berita/pdf-terbaru", None),
        ("https://drive.google.com/drive/my-drive", None),
        ("https://www.dropbox.com/", None),
    ],
)
def test_document_kind(url, kind):
    assert document_kind(url) == kind


@pytest.mark.parametrize(
    ("content_type", "disposition", "kind"),
    [
        ("application/pdf", None, "pdf"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None, "xlsx"),
        ("application/octet-stream", 'attachment; filename="SK PPID 2024.docx"', "docx"),
        ("application/octet-stream", None, "binary"),
        ("application/force-download", "attachment; filename*=UTF-8''lap%20keu.pdf", "pdf"),
        ("text/html; charset=utf-8", None, None),
        ("image/png", None, None),
        ("", None, None),
    ],
)
def test_content_type_kind(content_type, disposition, kind):
    assert content_type_kind(content_type, disposition) == kind


# --- judging an answer (pure) ---------------------------------------------------------


def test_real_pdf_ok():
    assert check_document_bytes(
        "http://x/a.pdf", 200, "application/pdf", PDF_BYTES[:2048], 12345
    ) == (True, "")


def test_ranged_answer_ok():
    assert check_document_bytes("http://x/a.pdf", 206, "application/pdf", PDF_BYTES[:2048], 99999)[
        0
    ]


def test_zero_byte_pdf_is_empty():
    assert check_document_bytes("http://x/a.pdf", 200, "application/pdf", b"", 0) == (
        False,
        "empty",
    )
    assert check_document_bytes("http://x/a.pdf", 200, "application/pdf", b"", None) == (
        False,
        "empty",
    )


def test_html_served_as_pdf_is_not_ok():
    ok, reason = check_document_bytes(
        "http://x/a.pdf", 200, "application/pdf", ERROR_PAGE, len(ERROR_PAGE)
    )
    assert not ok and reason == "html instead of pdf"
    ok, reason = check_document_bytes("http://x/a.pdf", 200, "text/html", b"Not found", 9)
    assert not ok and reason == "html instead of pdf"


def test_http_errors():
    assert check_document_bytes("http://x/a.pdf", 404, "text/html", ERROR_PAGE, 100) == (
        False,
        "http 404",
    )
    assert check_document_bytes("http://x/a.pdf", None, "", None, None) == (False, "no answer")


def test_signature_mismatch():
    ok, reason = check_document_bytes("http://x/a.zip", 200, "application/zip", b"GIF89a....", 10)
    assert not ok and reason.startswith("not a zip file")
    assert check_document_bytes("http://x/a.rar", 200, "", b"Rar!\x1a\x07\x00", 100)[0]


def test_office_containers_accepted_either_way():
    assert check_document_bytes("http://x/a.docx", 200, "", DOCX_BYTES, 3008)[0]
    assert check_document_bytes("http://x/a.xls", 200, "", XLS_BYTES, 3008)[0]
    assert check_document_bytes("http://x/a.doc", 200, "", DOCX_BYTES, 3008)[0]  # .doc that is docx
    assert not check_document_bytes("http://x/a.xlsx", 200, "", b"%PDF-1.4", 8)[0]


def test_document_recognised_by_content_type_is_checked_by_it():
    url = "http://x/dokumen/12/unduh"
    assert check_document_bytes(url, 200, "application/pdf", PDF_BYTES[:64], 5000)[0]
    assert not check_document_bytes(url, 200, "application/pdf", b"Error 500", 9)[0]


def test_drive_viewer_ok_when_200_and_non_empty():
    url = "https://drive.google.com/file/d/1AbC/view"
    assert check_document_bytes(url, 200, "text/html", b"<!DOCTYPE html><html>viewer", 5000) == (
        True,
        "",
    )
    assert check_document_bytes(url, 404, "text/html", b"<html>", 10) == (False, "http 404")


def test_headers_only_answer():
    assert check_document_bytes("http://x/a.csv", 200, "text/csv", None, 120) == (True, "")
    assert check_document_bytes("http://x/a.pdf", 200, "text/html", None, 120) == (
        False,
        "html instead of pdf",
    )


# --- verifying over HTTP --------------------------------------------------------------

RANGE = re.compile(r"bytes=(\d+)-(\d+)")


def file_server_reply(data: bytes, content_type: str, etag: str = '"v1"'):
    """A handler like a real static file server: HEAD, Range and If-None-Match."""

    def handler(request):
        if request.headers.get("If-None-Match") == etag:
            return Reply(304, b"", {"ETag": etag}, content_type=None)
        match = RANGE.fullmatch(request.headers.get("Range", ""))
        if match and data:
            start, end = int(match.group(1)), min(int(match.group(2)), len(data) - 1)
            return Reply(
                206,
                data[start : end + 1],
                {"Content-Range": f"bytes {start}-{end}/{len(data)}", "ETag": etag},
                content_type=content_type,
            )
        if match and not data:
            return Reply(416, b"", {"Content-Range": "bytes */0"}, content_type=None)
        return Reply(200, data, {"ETag": etag}, content_type=content_type)

    return handler


def fetcher() -> Fetcher:
    return Fetcher(CrawlSettings(host_delay=0, retries=0), throttle=HostThrottle(), guard=loopback_guard())


def verify(url, **kw):
    return verify_document(fetcher(), url, probe_bytes=2048, **kw)


def test_real_pdf_by_ranged_get():
    with LoopbackServer({"/lap.pdf": file_server_reply(PDF_BYTES, "application/pdf")}) as server:
        check = verify(server.url("/lap.pdf"))
        request = server.requests[0]
    assert check.ok and check.status == 206 and check.bytes == len(PDF_BYTES)
    assert check.etag == '"v1"'
    assert request.method == "GET" and request.headers["Range"] == "bytes=0-2047"


def test_zero_byte_pdf():
    with LoopbackServer({"/kosong.pdf": file_server_reply(b"", "application/pdf")}) as server:
        check = verify(server.url("/kosong.pdf"))
    assert not check.ok and check.reason == "empty"


def test_zero_byte_pdf_without_range_support():
    with LoopbackServer({"/kosong.pdf": Reply(200, b"", content_type="application/pdf")}) as server:
        check = verify(server.url("/kosong.pdf"))
    assert not check.ok and check.reason == "empty" and check.bytes == 0


def test_html_error_page_as_pdf():
    with LoopbackServer({"/lap.pdf": Reply(200, ERROR_PAGE)}) as server:
        check = verify(server.url("/lap.pdf"))
    assert not check.ok and check.reason == "html instead of pdf"


def test_404():
    with LoopbackServer() as server:
        check = verify(server.url("/hilang.pdf"))
    assert not check.ok and check.reason == "http 404" and check.status == 404


def test_head_405_falls_back_to_ranged_get():
    def handler(request):
        if request.method == "HEAD":
            return Reply(405, b"", content_type=None)
        return file_server_reply(PDF_BYTES, "application/pdf")(request)

    with LoopbackServer({"/lap.pdf": handler}) as server:
        check = verify(server.url("/lap.pdf"), head_first=True)
        methods = [r.method for r in server.requests]
    assert check.ok and methods == ["HEAD", "GET"]


def test_head_first_404_needs_no_get():
    with LoopbackServer() as server:
        check = verify(server.url("/hilang.pdf"), head_first=True)
        assert [r.method for r in server.requests] == ["HEAD"]
    assert check.reason == "http 404"


def test_csv_checked_by_head_only():
    with LoopbackServer({"/data.csv": file_server_reply(b"a,b\n1,2\n", "text/csv")}) as server:
        check = verify(server.url("/data.csv"))
        assert [r.method for r in server.requests] == ["HEAD"]
    assert check.ok and check.bytes == 8


def test_server_ignoring_range_is_read_only_to_the_probe_size():
    endless_pdf = (PDF_BYTES[:100] + b"0" * 1000 for _ in iter(int, 1))  # never ends
    with LoopbackServer(
        {"/besar.pdf": Reply(200, endless_pdf, content_type="application/pdf")}
    ) as server:
        f = fetcher()
        check = verify_document(f, server.url("/besar.pdf"), probe_bytes=2048)
    assert check.ok and check.status == 200
    assert f.stats.body_bytes < 100_000


def test_redirect_to_another_host_is_followed():
    with LoopbackServer({"/files/lap.pdf": file_server_reply(PDF_BYTES, "application/pdf")}) as cdn:
        with LoopbackServer({"/lap.pdf": redirect(cdn.url("/files/lap.pdf"))}) as site:
            check = verify(site.url("/lap.pdf"))
    assert check.ok and check.url == site.url("/lap.pdf")


def test_conditional_request_304_reuses_the_cached_check():
    with LoopbackServer({"/lap.pdf": file_server_reply(PDF_BYTES, "application/pdf")}) as server:
        first = verify(server.url("/lap.pdf"))
        f = fetcher()
        second = verify_document(f, server.url("/lap.pdf"), probe_bytes=2048, cached=first)
        sent = server.requests[-1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert second.from_cache and second.ok and second.bytes == first.bytes
    assert f.stats.body_bytes == 0


def test_refused_connection_is_a_failed_check():
    check = verify(LoopbackServer.refused_url("/lap.pdf"))
    assert not check.ok and check.reason == "connection refused"


def test_drive_style_file_links_are_documents_on_any_host():
    from scrapers.detection.doctypes import DRIVE, document_kind

    assert document_kind("http://127.0.0.1:9000/file/d/1AbCdEfGhIjK/view?usp=sharing") == DRIVE
    assert document_kind("https://files.kota.go.id/file/d/1AbCdEfGhIjK") == DRIVE
    assert document_kind("https://kota.go.id/file/daftar") is None


# --- downloads that are not public ----------------------------------------------------

LOGIN_PAGE = (b"<!DOCTYPE html><html><head><title>Masuk</title></head><body><form method='post'>"
              b"<input name='email'><input type='password' name='password'></form></body></html>")


def test_a_download_redirected_to_a_log_in_page_is_not_public():
    routes = {"/dokumen/lap.pdf": redirect("/login?next=/dokumen/lap.pdf"), "/login": Reply(200, LOGIN_PAGE)}
    with LoopbackServer(routes) as server:
        check = verify(server.url("/dokumen/lap.pdf"))
    assert not check.ok and check.reason == "not public: leads to a log-in page (/login)"


@pytest.mark.parametrize("status", [401, 403])
def test_a_download_answering_401_or_403_is_not_public(status):
    with LoopbackServer({"/lap.pdf": Reply(status, b"<h1>Unauthorized</h1>")}) as server:
        check = verify(server.url("/lap.pdf"))
    assert not check.ok and check.reason == f"not public: http {status} (log-in required)"


def test_a_log_in_form_instead_of_the_document_is_not_public():
    ok, reason = check_document_bytes("http://x/dokumen/9/unduh", 200, "text/html", LOGIN_PAGE, None)
    assert (ok, reason) == (False, "not public: answers with a log-in form")


def test_a_redirect_to_an_outside_sign_in_page_is_not_public():
    with LoopbackServer({"/lap.pdf": redirect("https://sso.contoh.go.id/auth/realms/x")}) as server:
        check = verify_document(fetcher(), server.url("/lap.pdf"), probe_bytes=2048,
                                allow_hop=lambda target: "off-site")
    assert not check.ok and check.reason.startswith("not public: leads to a log-in page")
