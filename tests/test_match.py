"""Normalisation and the matching of labels, abbreviations and URL hints."""

from scrapers.detection.match import (
    ABBREVIATION,
    LABEL,
    SLUG,
    Match,
    Matcher,
    Terms,
    contains_phrase,
    file_name,
    normalize,
    url_segments,
    url_text,
)

MATCHER = Matcher(
    {
        "dip": Terms(("Daftar Informasi Publik",), ("DIP",), ("daftar-informasi-publik", "dip"),
                     ("dikecualikan",)),
        "dik": Terms(("Daftar Informasi yang Dikecualikan", "Informasi Dikecualikan"), ("DIK",), ("dik",)),
        "kinerja": Terms(("Laporan Kinerja", "Laporan Kinerja Instansi Pemerintah"), ("LKjIP", "IKU"),
                         ("lkjip",)),
        "struktur": Terms(("Struktur Organisasi",), ("SOTK",), ("struktur-organisasi",), ("ppid",)),
        "profil": Terms(("Visi Misi", "Tugas dan Fungsi"), (), ("profil",)),
        "perizinan": Terms(("Perizinan", "Syarat Izin"), (), ("izin",), ("izin penelitian",)),
        "formulir": Terms(("Formulir Permohonan",), (), ()),
    }
)


def test_normalize_folds_case_accents_punctuation_and_connectives():
    assert normalize("  VISI-Misi  ") == "visi misi"
    assert normalize("Visi dan Misi") == "visi misi"
    assert normalize("Pengadaan Barang/Jasa") == "pengadaan barang jasa"
    assert normalize("Café  Résumé") == "cafe resume"
    assert normalize("Daftar Informasi yang Dikecualikan") == "daftar informasi dikecualikan"
    assert normalize("") == ""


def test_normalize_unifies_spelling_variants():
    assert normalize("Form Permohonan Ijin") == "formulir permohonan izin"
    assert normalize("Perjanjian Kerjasama") == normalize("Perjanjian Kerja Sama")
    assert normalize("Standard Operating Procedure") == "standar operating procedure"


def test_phrase_matches_on_token_boundaries_only():
    assert contains_phrase("unduh dip 2024", "dip")
    assert not contains_phrase("diploma 2024", "dip")
    assert not contains_phrase("rundip", "dip")
    assert contains_phrase("laporan kinerja 2023", "laporan kinerja")
    assert not contains_phrase("laporan kinerjanya", "laporan kinerja")


def test_label_match_in_text():
    assert MATCHER.in_text("LAPORAN KINERJA INSTANSI PEMERINTAH 2023") == {
        "kinerja": Match(LABEL, "Laporan Kinerja Instansi Pemerintah")  # the longest label
    }


def test_abbreviation_is_a_whole_word():
    assert MATCHER.in_text("Unduh DIP 2024") == {"dip": Match(ABBREVIATION, "DIP")}
    assert MATCHER.in_text("Lulusan Diploma III") == {}
    assert MATCHER.in_text("Dokumen LKjIP") == {"kinerja": Match(ABBREVIATION, "LKjIP")}
    assert MATCHER.in_text("Hikuman") == {}


def test_label_wins_over_abbreviation():
    assert MATCHER.in_text("Laporan Kinerja (IKU)")["kinerja"] == Match(LABEL, "Laporan Kinerja")


def test_exclusion_vetoes_a_lookalike():
    # "Daftar Informasi Publik yang Dikecualikan" is the DIK, not the DIP.
    assert set(MATCHER.in_text("Daftar Informasi yang Dikecualikan")) == {"dik"}
    assert MATCHER.in_text("Struktur Organisasi PPID") == {}
    assert MATCHER.in_text("Surat Izin Penelitian") == {}
    assert set(MATCHER.in_text("Syarat Izin Usaha")) == {"perizinan"}


def test_several_categories_in_one_text():
    assert set(MATCHER.in_text("DIP dan DIK 2024")) == {"dip", "dik"}


def test_url_words_split_slugs_camel_case_and_glued_years():
    assert url_text("https://x.go.id/files/LaporanKeuangan2023.pdf") == "files laporan keuangan 2023"
    assert url_text("/uploads/LKjIP2023_final.PDF") == "uploads lkjip 2023 final"
    assert url_text("/dl.php?file=SiRUP-2024.xlsx") == "dl sirup 2024"
    assert url_text("/a/Laporan%20Kinerja%202023.pdf") == "a laporan kinerja 2023"


def test_url_segments_file_name_first_then_folders():
    assert url_segments("http://x/a/lkjip/dok-1.pdf") == ["dok 1", "lkjip", "a"]
    assert url_segments("http://x/a/lkjip/dok-1.pdf", last_only=True) == ["dok 1"]
    assert file_name("http://x/a/LKjIP%202023.pdf") == "LKjIP 2023.pdf"


def test_url_hint_in_file_name():
    assert MATCHER.in_url_segments("https://x.go.id/wp-content/uploads/2024/01/LKjIP_2023.pdf") == {
        "kinerja": Match(SLUG, "lkjip")
    }


def test_labels_and_abbreviations_also_match_urls():
    assert MATCHER.in_url_segments("https://x/doc/Formulir_Permohonan.pdf") == {
        "formulir": Match(SLUG, "Formulir Permohonan")
    }
    assert MATCHER.in_url_segments("https://x/doc/sotk-2022.pdf") == {"struktur": Match(SLUG, "SOTK")}


def test_url_exclusion_applies_per_segment():
    assert set(MATCHER.in_url_segments("https://x/ppid/struktur-organisasi.pdf")) == {"struktur"}
    assert MATCHER.in_url_segments("https://x/dok/struktur-organisasi-ppid.pdf") == {}


def test_url_hint_is_a_whole_word_too():
    assert MATCHER.in_url_segments("https://x/uploads/diploma.pdf") == {}
    assert MATCHER.in_url_segments("https://x/profile-picture/a.png", last_only=True) == {}


def test_folders_ignored_when_last_only():
    assert MATCHER.in_url_segments("https://x/profil/kontak", last_only=True) == {}
    assert set(MATCHER.in_url_segments("https://x/profil/kontak")) == {"profil"}


def test_a_form_term_qualified_by_another_subject_is_about_that_subject():
    from scrapers.detection.match import Matcher, Terms

    matcher = Matcher({
        "sop": Terms(labels=("SOP PPID",), abbreviations=("SOP",), url_hints=("sop",), form_terms=("SOP",)),
        "evakuasi": Terms(labels=("Evakuasi", "Jalur Evakuasi"), url_hints=("evakuasi",)),
    })
    assert set(matcher.in_text("SOP Evakuasi Kebakaran")) == {"evakuasi"}
    assert set(matcher.in_text("SOP Penanganan Jalur Evakuasi")) == {"evakuasi"}
    assert set(matcher.in_text("SOP PPID dan Jalur Evakuasi")) == {"sop", "evakuasi"}
    assert set(matcher.in_text("SOP")) == {"sop"}
    assert set(matcher.in_text("Evakuasi: lihat SOP")) == {"sop", "evakuasi"}  # not qualified
    assert set(matcher.in_url_segments("http://x.test/files/sop-evakuasi.pdf")) == {"evakuasi"}
