"""Another region's or agency's document is not this agency's publication."""

import pytest

from scrapers.detection.ownership import Owner, agency_mentions, foreign_mention, region_mentions

DINKES = Owner.of("Dinas Kesehatan Kota Pasuruan", "https://dinkes.pasuruankota.go.id/", "pelaksana")
UTAMA = Owner.of("Dinas Komunikasi dan Informatika Kota Pasuruan", "https://ppid.pasuruankota.go.id/", "utama")


@pytest.mark.parametrize(
    "text, mentions",
    [
        ("LKjIP Kabupaten Malang 2023", [("kabupaten", "malang")]),
        ("lkjip-kab-malang-2023.pdf", [("kabupaten", "malang")]),
        ("DIP Pemkot Batu Tahun 2024", [("kota", "batu")]),
        ("Laporan Kinerja Kota Tahun 2024", []),
        ("Kabupaten/Kota Layak Anak", []),
        ("Perda Provinsi Jawa Timur", [("provinsi", "jawa")]),
    ],
)
def test_region_mentions(text, mentions):
    assert region_mentions(text) == mentions


def test_agency_mentions():
    assert agency_mentions("Renstra Dinas Pendidikan Kota Pasuruan") == ["dinas pendidikan"]
    assert agency_mentions("DIP Badan Publik 2026") == ["badan"]


def test_the_agency_knows_its_region_from_name_and_host():
    assert DINKES.regions == {"pasuruan"} and DINKES.host_words == ("pasuruankota",)
    nameless = Owner.of("Dinas Kesehatan", "https://dinkes.malangkab.go.id/")
    assert nameless.owns_region("malang") and not nameless.owns_region("batu")


@pytest.mark.parametrize(
    "texts, why",
    [
        (["LKjIP Kabupaten Malang 2023"], "names another region (kabupaten malang)"),
        (["Unduh", "dip_kota_batu_2024.pdf"], "names another region (kota batu)"),
        (["Renstra Dinas Pendidikan 2021-2026"], "names another agency (dinas pendidikan)"),
        (["LKjIP Dinas Kesehatan Kota Pasuruan 2025"], None),
        (["Laporan Keuangan Pemerintah Kota Pasuruan"], None),
        (["Perda Provinsi Jawa Timur Nomor 1"], None),  # the province is not known: not judged
        (["Daftar Informasi Publik Badan Publik 2026"], None),
        (["SOP PPID"], None),
    ],
)
def test_foreign_mention(texts, why):
    assert foreign_mention(texts, DINKES) == why


def test_a_ppid_utama_publishes_for_every_agency_of_its_government_but_not_for_other_regions():
    assert foreign_mention(["Renstra Dinas Pendidikan 2021-2026"], UTAMA) is None
    assert foreign_mention(["Renstra Dinas Pendidikan Kabupaten Sleman"], UTAMA) == (
        "names another region (kabupaten sleman)")


def test_without_an_owner_or_a_known_region_nothing_is_foreign():
    assert foreign_mention(["LKjIP Kabupaten Malang"], None) is None
    loopback = Owner.of("Dinas Kesehatan", "http://127.0.0.1:8080/")
    assert foreign_mention(["LKjIP Kabupaten Malang"], loopback) is None


def test_a_bare_head_word_names_another_kind_of_agency_only():
    rsud = Owner.of("RSUD dr. Soetomo Kota Contoh", "http://127.0.0.1/", "pelaksana")
    assert foreign_mention(["LKjIP 2025 RSUD"], rsud) is None
    assert foreign_mention(["Profil RSUD dr Soetomo"], rsud) is None
    assert foreign_mention(["Profil Dinas Kesehatan"], rsud) == "names another agency (dinas kesehatan)"
    spelled = Owner.of("Rumah Sakit Umum Daerah Dr. Soetomo", "http://127.0.0.1/")
    assert foreign_mention(["LKjIP RSUD 2025"], spelled) is None
    assert foreign_mention(["LKjIP RSUD 2025"], DINKES) == "names another agency (rsud)"


def test_download_words_are_not_a_name():
    rsud = Owner.of("RSUD dr. Soetomo Kota Contoh", "http://127.0.0.1/", "pelaksana")
    assert foreign_mention(["Unduh", "SK PPID RSUD | Unduh"], rsud) is None


def test_the_parent_names_the_region_of_an_agency_whose_name_does_not():
    kecamatan = Owner.of("Kecamatan Contoh Barat", "http://127.0.0.1/", "pelaksana",
                         parent_name="Dinas Komunikasi dan Informatika Kota Contoh")
    assert kecamatan.regions == {"contoh"}
    assert foreign_mention(["Unduh", "1 | LKjIP Kabupaten Sumber Makmur 2025 | Unduh"], kecamatan) == (
        "names another region (kabupaten sumber)")
    assert foreign_mention(["Peta Jalur Evakuasi Kantor Kecamatan"], kecamatan) is None


def test_an_abbreviated_name_word_is_spelled_out_in_the_full_name():
    satpol = Owner.of("Satuan Polisi Pamong Praja Kota Contoh", "http://127.0.0.1/")
    assert foreign_mention(["Laporan Keuangan Satpol PP 2025"], satpol) is None
