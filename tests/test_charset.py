import codecs

from scrapers.crawling.charset import canonical_encoding, choose_encoding, decode_html

CP1252_PAGE = (
    "<html><head><title>Informasi Berkala – “Laporan” Keuangan</title></head>"
    "<body><p>Rencana Kerja • Anggaran ‘2024’ — Café</p></body></html>"
)


def test_header_charset_wins_when_it_decodes():
    body = "<p>Café</p>".encode()
    assert decode_html(body, "text/html; charset=UTF-8") == "<p>Café</p>"


def test_latin1_labels_decode_as_windows_1252():
    body = "<p>“Kutipan”</p>".encode("cp1252")
    assert canonical_encoding("ISO-8859-1") == "cp1252"
    assert decode_html(body, "text/html; charset=iso-8859-1") == "<p>“Kutipan”</p>"


def test_meta_charset_used_without_header():
    body = ('<meta charset="windows-1252">' + CP1252_PAGE).encode("cp1252")
    assert choose_encoding(body, "text/html") == "cp1252"
    assert "“Laporan”" in decode_html(body, "text/html")


def test_http_equiv_meta():
    body = (
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' + CP1252_PAGE
    ).encode("cp1252")
    assert "Café" in decode_html(body, None)


def test_undeclared_cp1252_is_detected():
    body = (CP1252_PAGE * 3).encode("cp1252")
    text = decode_html(body, "text/html")
    assert "“Laporan”" in text and "Café" in text and "\ufffd" not in text


def test_header_claiming_utf8_for_cp1252_bytes_is_distrusted():
    body = (CP1252_PAGE * 3).encode("cp1252")
    text = decode_html(body, "text/html; charset=utf-8")
    assert "Informasi Berkala – “Laporan”" in text


def test_bom_wins_and_is_removed():
    body = codecs.BOM_UTF8 + "<p>Café</p>".encode()
    assert decode_html(body, "text/html; charset=iso-8859-1") == "<p>Café</p>"


def test_body_cut_inside_a_character_still_counts_as_utf8():
    body = "<p>Laporan ’2024’ Café</p>".encode()
    cut = body[: body.index("’".encode()) + 1]  # ends in the middle of a 3-byte character
    assert choose_encoding(cut, "text/html; charset=utf-8") == "utf-8"


def test_unknown_label_is_ignored():
    assert canonical_encoding("x-no-such-charset") is None
    assert decode_html(b"<p>plain</p>", "text/html; charset=x-no-such-charset") == "<p>plain</p>"
