"""The first lines of a PDF's first page, read whole or from a prefix cut at the budget."""

import zlib

import pytest

from sample_world.render import make_pdf
from scrapers.detection.firstpage import file_name_says_nothing, first_page_title

TITLE = "DAFTAR INFORMASI PUBLIK\nDINAS KESEHATAN KOTA CONTOH\nTAHUN 2026\n"
PDF = make_pdf(TITLE + "Isi dokumen\n" * 3000)


def compressed_pdf(stream: bytes) -> bytes:
    body = zlib.compress(stream)
    return (b"%PDF-1.5\n1 0 obj\n<< /Length " + str(len(body)).encode() + b" /Filter /FlateDecode >>\n"
            b"stream\n" + body + b"\nendstream\nendobj\n")


def test_a_whole_pdf_is_read_with_pypdf():
    assert first_page_title(PDF, complete=True).startswith(
        "DAFTAR INFORMASI PUBLIK DINAS KESEHATAN KOTA CONTOH TAHUN 2026")


def test_a_pdf_cut_at_the_budget_is_read_from_its_first_content_stream():
    assert len(PDF) > 4096
    assert first_page_title(PDF[:4096], complete=False).startswith("DAFTAR INFORMASI PUBLIK")


def test_a_compressed_content_stream_is_inflated_even_when_cut():
    filler = b"".join(
        b"T* (baris %d) Tj " % i for i in range(3000))
    pdf = compressed_pdf(b"BT 50 800 Td (LAPORAN KINERJA) Tj T* [(TAHUN ) -20 (2025)] TJ " + filler + b"ET")
    assert first_page_title(pdf[: len(pdf) // 2], complete=False).startswith("LAPORAN KINERJA TAHUN 2025 baris 0")


@pytest.mark.parametrize("data", [b"", b"<html>not a pdf</html>", b"%PDF-1.4\n" + b"\x00" * 100,
                                  compressed_pdf(b"x" * 10)[:30]])
def test_unreadable_bytes_give_no_title(data):
    assert first_page_title(data, complete=True) == ""
    assert first_page_title(data, complete=False) == ""


def test_a_bomb_stream_inflates_only_so_far():
    pdf = compressed_pdf(b"BT (A) Tj ET" + b" " * 5_000_000)
    assert first_page_title(pdf, complete=False) == "A"


@pytest.mark.parametrize(
    "url, nothing",
    [
        ("http://x.test/uploads/dokumen-12.pdf", True),
        ("http://x.test/files/a8f3e2c1d4.pdf", True),
        ("http://x.test/files/1706012345.pdf", True),
        ("http://x.test/files/scan_0001.pdf", True),
        ("http://x.test/files/lkjip-2024.pdf", False),
        ("http://x.test/files/1706012345Laporan%20Kinerja.pdf", False),
    ],
)
def test_a_file_name_that_says_nothing(url, nothing):
    assert file_name_says_nothing(url) is nothing
