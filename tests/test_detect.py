"""detect_site(): one rule per test, on pages made from HTML strings by extract_page."""

from datetime import date

import pytest

from core.checklist import load_checklist
from scrapers.detection.detect import detect_site, is_fresh, title_parts
from scrapers.detection.extract import extract_page
from scrapers.detection.years import Period
from scrapers.model import DocumentCheck, SiteCrawl

SITE = "https://ppid.contoh.go.id"
TODAY = date(2026, 3, 15)
CHECKLIST = load_checklist()


def page(path: str, body: str, title: str = "PPID Dinas Contoh", status: int = 200):
    result = extract_page(SITE + path, f"<html><head><title>{title}</title></head><body>{body}</body></html>")
    result.status = status
    return result


def doc(path: str, ok: bool = True) -> DocumentCheck:
    url = path if path.startswith("http") else SITE + path
    return DocumentCheck(url=url, ok=ok, status=200 if ok else 404, reason="" if ok else "http 404")


def findings(pages, documents=(), today: date = TODAY):
    crawl = SiteCrawl(start_url=SITE + "/", reachable=True, pages=list(pages),
                      documents={d.url: d for d in documents})
    return {f.category_id: f for f in detect_site(crawl, CHECKLIST, today)}


def home(body: str, documents=(), extra_pages=(), today: date = TODAY):
    return findings([page("/", body), *extra_pages], documents, today)


# ---------------------------------------------------------------- shape


def test_one_finding_per_category_in_checklist_order():
    result = detect_site(SiteCrawl(start_url=SITE, reachable=True, pages=[page("/", "")]), CHECKLIST, TODAY)
    assert [f.category_id for f in result] == list(CHECKLIST.ids)
    assert {f.status for f in result} == {"missing"}


def test_unreachable_site_is_unreachable_everywhere_without_evidence():
    crawl = SiteCrawl(start_url=SITE, reachable=False, error="connection refused")
    result = detect_site(crawl, CHECKLIST, TODAY)
    assert len(result) == 30
    assert all(f.status == "unreachable" and f.evidence_url is None for f in result)


# ---------------------------------------------------------------- link rules


def test_anchor_label():
    got = home('<p><a href="/f/dok-17.pdf">Laporan Kinerja Instansi Pemerintah 2025</a></p>',
               [doc("/f/dok-17.pdf")])["kinerja"]
    assert got.status == "found"
    assert got.matched_rule == "label:Laporan Kinerja Instansi Pemerintah@anchor#html"
    assert got.evidence_url == SITE + "/f/dok-17.pdf"
    assert got.evidence_text == "Laporan Kinerja Instansi Pemerintah 2025"
    assert got.page_url == SITE + "/" and got.document_year == 2025


def test_abbreviation_is_matched_as_a_whole_word_only():
    got = home('<a href="/f/a.pdf">DIP 2026</a>', [doc("/f/a.pdf")])["dip"]
    assert (got.status, got.matched_rule) == ("found", "abbr:DIP@anchor#html")
    assert home('<a href="/f/a.pdf">Beasiswa Diploma 2026</a>', [doc("/f/a.pdf")])["dip"].status == "missing"


def test_title_attribute():
    got = home('<a href="/f/a.pdf" title="Daftar Informasi Publik 2026">Unduh</a>', [doc("/f/a.pdf")])["dip"]
    assert got.matched_rule == "label:Daftar Informasi Publik@title#html"


def test_table_row_context_with_a_bare_unduh_link():
    body = (
        "<h2>Informasi Berkala</h2><table><tr><th>Jenis Informasi</th><th>Tahun</th><th></th></tr>"
        '<tr><td>Laporan Realisasi Anggaran</td><td>2025</td><td><a href="/dokumen/88">Unduh</a></td></tr></table>'
    )
    got = home(body, [doc("/dokumen/88")])["laporan_keuangan"]
    assert got.status == "found"
    assert got.matched_rule == "label:Laporan Realisasi Anggaran@context#html"
    assert got.evidence_text == "Laporan Realisasi Anggaran | 2025 | Unduh"
    assert got.document_year == 2025


def test_heading_context():
    body = '<h3>Daftar Informasi yang Dikecualikan</h3><p><a href="/f/x1.pdf">Download</a></p>'
    got = home(body, [doc("/f/x1.pdf")])["dik"]
    assert (got.status, got.matched_rule) == ("found", "label:Daftar Informasi yang Dikecualikan@heading#html")


def test_row_context_outranks_the_heading():
    body = (
        "<h2>Laporan Keuangan</h2><table>"
        '<tr><td>Formulir Keberatan</td><td><a href="/f/k.pdf">Lihat Dokumen</a></td></tr></table>'
    )
    result = home(body, [doc("/f/k.pdf")])
    assert result["formulir_keberatan"].matched_rule == "label:Formulir Keberatan@context#html"
    assert result["laporan_keuangan"].status == "missing"


def test_heading_does_not_name_a_link_that_names_something_else():
    body = '<h2>Laporan Keuangan</h2><ul><li><a href="/f/profil.pdf">Profil Pejabat</a></li></ul>'
    assert home(body, [doc("/f/profil.pdf")])["laporan_keuangan"].status == "missing"


def test_file_name_slug():
    got = home('<a href="/wp-content/uploads/2026/02/LKjIP_2025.pdf">Unduh</a>',
               [doc("/wp-content/uploads/2026/02/LKjIP_2025.pdf")])["kinerja"]
    assert (got.status, got.matched_rule, got.document_year) == ("found", "slug:lkjip@url#html", 2025)
    assert got.evidence_text == "LKjIP_2025.pdf"


def test_exclusion_keeps_a_lookalike_out():
    result = home('<a href="/f/s.pdf">Struktur Organisasi PPID</a>', [doc("/f/s.pdf")])
    assert result["struktur_organisasi"].status == "missing"
    assert result["sk_ppid"].status == "found"


# ---------------------------------------------------------------- pages as evidence


def test_page_as_category_by_its_title():
    nav = '<nav><ul><li><a href="/profil/bagan">Bagan</a></li></ul></nav>'
    struktur = page("/profil/bagan", '<h1>Bagan</h1><img src="/so.png" alt="">',
                    title="Struktur Organisasi | PPID Dinas Contoh")
    got = findings([page("/", nav), struktur])["struktur_organisasi"]
    assert (got.status, got.matched_rule) == ("found", "page:title#html")
    assert got.evidence_url == SITE + "/profil/bagan" and got.evidence_text == "Struktur Organisasi"


def test_page_section_heading_for_a_page_category():
    profil = page("/profil", "<h1>Profil</h1><h2>Maklumat Pelayanan</h2><p>Kami siap melayani.</p>")
    got = findings([page("/", ""), profil])["maklumat"]
    assert (got.status, got.matched_rule) == ("found", "page:heading#html")


def test_a_heading_that_is_a_news_link_is_not_a_section():
    body = ('<div class="card"><h5 class="card-title"><a href="/berita/2026/02/maklumat">'
            "Penandatanganan Maklumat Pelayanan</a></h5></div>")
    assert home(body)["maklumat"].status == "missing"


def test_a_page_is_not_a_document_category_publication():
    lk = page("/laporan-keuangan", "<h1>Laporan Keuangan</h1><p>Belum tersedia.</p>",
              title="Laporan Keuangan | PPID")
    nav = '<nav><a href="/laporan-keuangan">Laporan Keuangan</a></nav>'
    assert findings([page("/", nav), lk])["laporan_keuangan"].status == "missing"


def test_documents_decide_over_their_category_page():
    sop = page("/layanan/sop", '<h1>SOP Pelayanan Informasi</h1><table><tr><td>SOP PPID</td>'
                               '<td><a href="/f/sop.pdf">Unduh</a></td></tr></table>',
               title="SOP Pelayanan Informasi | PPID")
    got = findings([page("/", ""), sop], [doc("/f/sop.pdf", ok=False)])["sop_ppid"]
    assert got.status == "broken" and got.evidence_url == SITE + "/f/sop.pdf"


def test_soft_404_page_is_dead():
    nav = '<nav><a href="/maklumat">Maklumat Pelayanan</a></nav>'
    soft = page("/maklumat", "<h1>Halaman tidak ditemukan</h1>", title="404 Not Found")
    got = findings([page("/", nav), soft])["maklumat"]
    assert got.status == "broken"


# ---------------------------------------------------------------- prose and news


def test_prose_mention_is_not_a_publication():
    prose = ("Kepala Dinas menyampaikan bahwa laporan keuangan, LKjIP dan LHKPN telah disusun "
             "dan akan diserahkan kepada inspektorat dalam waktu dekat. ") * 4
    news = page("/berita/2026/01/rapat.html", f"<h1>Dinas Contoh Gelar Rapat Penyusunan Laporan Keuangan</h1><p>{prose}</p>",
                title="Rapat Penyusunan Laporan Keuangan | Dinas Contoh")
    body = ('<ul><li><a href="/berita/2026/01/rapat.html">Dinas Contoh Gelar Rapat Penyusunan '
            f'Laporan Keuangan</a></li></ul><p>{prose}<a href="/berita/2026/01/rapat.html">selengkapnya</a></p>')
    result = findings([page("/", body), news])
    for category_id in ("laporan_keuangan", "kinerja", "lhkpn"):
        assert result[category_id].status == "missing", category_id


def test_short_paragraph_linking_a_page_is_not_a_document():
    body = '<p>Dinas telah menyerahkan laporan keuangan. <a href="/kegiatan/12">Baca</a></p>'
    assert findings([page("/", body), page("/kegiatan/12", "<h1>Kegiatan</h1>")])["laporan_keuangan"].status == "missing"


def test_share_links_are_ignored():
    body = '<a href="https://www.facebook.com/sharer.php?u=https://x.go.id/LKjIP_2025.pdf">Bagikan</a>'
    assert home(body)["kinerja"].status == "missing"


# ---------------------------------------------------------------- dead links


def test_nav_link_to_a_dead_page_is_broken():
    nav = '<nav><ul><li><a href="/maklumat-pelayanan">Maklumat Pelayanan</a></li></ul></nav>'
    dead = page("/maklumat-pelayanan", "", title="", status=404)
    got = findings([page("/", nav), dead])["maklumat"]
    assert got.status == "broken" and got.evidence_url == SITE + "/maklumat-pelayanan"


def test_nav_link_to_a_page_never_fetched_is_broken():
    nav = '<nav><a href="/struktur-organisasi">Struktur Organisasi</a></nav>'
    assert home(nav)["struktur_organisasi"].status == "broken"


def test_nav_link_to_a_live_page_counts():
    nav = '<nav><a href="/struktur-organisasi">Struktur Organisasi</a></nav>'
    live = page("/struktur-organisasi", '<h1>Bagan</h1><img src="/b.png">', title="Bagan")
    got = findings([page("/", nav), live])["struktur_organisasi"]
    assert (got.status, got.matched_rule) == ("found", "label:Struktur Organisasi@anchor#html")


def test_link_to_another_site_counts_unchecked():
    nav = '<nav><a href="https://lpse.contohkota.go.id/eproc4">LPSE</a></nav>'
    got = home(nav)["pengadaan"]
    assert (got.status, got.matched_rule) == ("found", "abbr:LPSE@anchor#html")


def test_dead_only_is_broken():
    got = home('<a href="/f/lkjip.pdf">LKjIP 2025</a>', [doc("/f/lkjip.pdf", ok=False)])["kinerja"]
    assert got.status == "broken"
    assert got.evidence_url == SITE + "/f/lkjip.pdf"
    assert got.matched_rule == "abbr:LKjIP@anchor#html; broken: http 404"


def test_a_download_that_leads_to_a_log_in_page_is_broken_with_that_reason():
    body = '<table><tr><td>SK PPID 2026</td><td><a href="/dokumen/5/unduh">Unduh</a></td></tr></table>'
    walled = page("/dokumen/5/unduh", "")
    walled.status, walled.final_url = 302, SITE + "/login"
    walled.not_public = "not public: leads to a log-in page (/login)"
    got = findings([page("/", body), walled])["sk_ppid"]
    assert got.status == "broken"
    assert got.matched_rule.endswith("; broken: not public: leads to a log-in page (/login)")
    forbidden = page("/dokumen/5/unduh", "", status=401)
    got = findings([page("/", body), forbidden])["sk_ppid"]
    assert (got.status, got.matched_rule.split("; broken: ")[1]) == (
        "broken", "not public: http 401 (log-in required)")


def test_download_link_to_an_error_answer_is_a_dead_document():
    detail = page("/dokumen/140", '<h1>SOP Pelayanan Informasi Publik</h1><a href="/dokumen/140/unduh">Unduh</a>',
                  title="SOP Pelayanan Informasi Publik")
    dead = page("/dokumen/140/unduh", "", title="", status=404)
    assert findings([page("/", ""), detail, dead])["sop_ppid"].status == "broken"


def test_unverified_document_of_this_site_counts_by_its_link():
    got = home('<a href="/f/dip-2026.pdf">DIP 2026</a>')["dip"]
    assert got.status == "found"


# ---------------------------------------------------------------- choosing the best


def test_best_live_candidate_wins_over_dead_ones():
    body = '<a href="/f/a.pdf">LKjIP 2026</a><a href="/f/b.pdf">LKjIP 2025</a>'
    got = home(body, [doc("/f/a.pdf", ok=False), doc("/f/b.pdf")])["kinerja"]
    assert (got.status, got.evidence_url, got.document_year) == ("found", SITE + "/f/b.pdf", 2025)


def test_newest_year_wins():
    body = '<a href="/f/a.pdf">LKjIP 2023</a><a href="/f/b.pdf">LKjIP 2025</a><a href="/f/c.pdf">LKjIP 2024</a>'
    got = home(body, [doc("/f/a.pdf"), doc("/f/b.pdf"), doc("/f/c.pdf")])["kinerja"]
    assert (got.evidence_url, got.document_year) == (SITE + "/f/b.pdf", 2025)


def test_document_evidence_wins_over_a_page():
    body = '<a href="/maklumat">Maklumat Pelayanan</a><a href="/f/m.pdf">Maklumat Pelayanan</a>'
    got = home(body, [doc("/f/m.pdf")], [page("/maklumat", "<h1>Maklumat</h1>")])["maklumat"]
    assert got.evidence_url == SITE + "/f/m.pdf"


def test_stronger_rule_wins_a_tie():
    body = ('<table><tr><td>DIP 2026</td><td><a href="/f/x.pdf">Unduh</a></td></tr></table>'
            '<a href="/f/y.pdf">Daftar Informasi Publik 2026</a>')
    got = home(body, [doc("/f/x.pdf"), doc("/f/y.pdf")])["dip"]
    assert got.matched_rule == "label:Daftar Informasi Publik@anchor#html"


def test_document_found_only_in_a_sitemap_counts_by_its_file_name():
    crawl = SiteCrawl(start_url=SITE + "/", reachable=True, pages=[page("/", "")],
                      documents={SITE + "/DOKUMEN/LKJIP_2025_BPKAD.PDF": doc("/DOKUMEN/LKJIP_2025_BPKAD.PDF")})
    got = {f.category_id: f for f in detect_site(crawl, CHECKLIST, TODAY)}["kinerja"]
    assert (got.status, got.matched_rule, got.document_year, got.page_url) == ("found", "slug:lkjip@url#sitemap", 2025, None)


def test_evidence_text_is_bounded():
    long_text = "Laporan Kinerja " + "sangat panjang " * 40
    got = home(f'<a href="/f/a.pdf">{long_text}</a>', [doc("/f/a.pdf")])["kinerja"]
    assert len(got.evidence_text) <= 200


# ---------------------------------------------------------------- years and freshness


def test_range_counts_to_its_end_year():
    got = home('<a href="/f/r.pdf">Renstra 2021-2026</a>', [doc("/f/r.pdf")], today=date(2027, 5, 1))
    assert (got["renstra_renja"].status, got["renstra_renja"].document_year) == ("found", 2026)
    older = home('<a href="/f/r.pdf">Renstra 2019 s.d. 2024</a>', [doc("/f/r.pdf")])["renstra_renja"]
    assert (older.status, older.document_year) == ("stale", 2024)


@pytest.mark.parametrize("year, status", [(2026, "found"), (2025, "found"), (2024, "stale")])
def test_annual_freshness_edge(year, status):
    got = home(f'<a href="/f/a.pdf">LKjIP {year}</a>', [doc("/f/a.pdf")], today=date(2026, 12, 31))
    assert got["kinerja"].status == status


@pytest.mark.parametrize(
    "today, year, status",
    [
        (date(2026, 6, 30), 2025, "found"),
        (date(2026, 6, 30), 2024, "stale"),
        (date(2026, 12, 1), 2025, "found"),  # "Tahun 2025" covers 2025: current on 1 Dec 2026
        (date(2027, 3, 31), 2025, "found"),  # the 2026 report is due three months after 2026
        (date(2027, 4, 1), 2025, "stale"),
        (date(2027, 4, 1), 2026, "found"),
        (date(2026, 3, 31), 2024, "found"),
        (date(2026, 4, 1), 2024, "stale"),
    ],
)
def test_semester_freshness_edge_by_year(today, year, status):
    body = f'<a href="/f/l.pdf">Laporan Layanan Informasi Publik Tahun {year}</a>'
    assert home(body, [doc("/f/l.pdf")], today=today)["laporan_layanan_informasi"].status == status


@pytest.mark.parametrize(
    "text, today, status",
    [
        ("Semester II 2025", date(2026, 8, 10), "found"),
        ("Semester I 2025", date(2026, 8, 10), "stale"),  # the whole of 2025 was due by March
        ("Semester I 2025", date(2026, 3, 31), "found"),  # newer than the 2024 report then due
        ("Semester I 2026", date(2027, 3, 31), "found"),
        ("Semester I 2026", date(2027, 4, 1), "stale"),  # covers only half of 2026
    ],
)
def test_semester_freshness_reads_the_half_year(text, today, status):
    body = f'<a href="/f/l.pdf">Laporan Layanan Informasi {text}</a>'
    assert home(body, [doc("/f/l.pdf")], today=today)["laporan_layanan_informasi"].status == status


@pytest.mark.parametrize(
    "today, year, status",
    [
        (date(2027, 1, 1), 2026, "found"),  # a plan for 2026 is current throughout 2027
        (date(2027, 1, 1), 2025, "stale"),
        (date(2026, 12, 31), 2025, "found"),
    ],
)
def test_annual_plan_freshness_edge(today, year, status):
    got = home(f'<a href="/f/d.pdf">Daftar Informasi Publik {year}</a>', [doc("/f/d.pdf")], today=today)
    assert got["dip"].status == status


@pytest.mark.parametrize(
    "today, year, status",
    [
        (date(2027, 3, 31), 2025, "found"),  # LKjIP 2026 is due by 31 March 2027
        (date(2027, 4, 1), 2025, "stale"),
        (date(2027, 4, 1), 2026, "found"),
    ],
)
def test_annual_report_due_three_months_after_the_year(today, year, status):
    got = home(f'<a href="/f/k.pdf">LKjIP Tahun {year}</a>', [doc("/f/k.pdf")], today=today)
    assert got["kinerja"].status == status


def test_no_freshness_rule_is_never_stale():
    got = home('<a href="/f/s.pdf">SK PPID 2012</a>', [doc("/f/s.pdf")])["sk_ppid"]
    assert (got.status, got.document_year) == ("found", 2012)


def test_dated_category_without_a_year_counts_as_found():
    got = home('<a href="/f/lkjip.pdf">LKjIP</a>', [doc("/f/lkjip.pdf")])["kinerja"]
    assert (got.status, got.document_year) == ("found", None)


def test_a_dated_document_decides_over_an_undated_one():
    body = '<a href="/f/a.pdf">LKjIP</a><a href="/f/b.pdf">LKjIP 2019</a>'
    got = home(body, [doc("/f/a.pdf"), doc("/f/b.pdf")])["kinerja"]
    assert (got.status, got.document_year) == ("stale", 2019)


def test_is_fresh_rules():
    dip, report = CHECKLIST.get("dip"), CHECKLIST.get("laporan_layanan_informasi")
    assert is_fresh(CHECKLIST.get("sk_ppid"), 2001, None, TODAY)
    assert is_fresh(dip, None, None, TODAY)
    assert is_fresh(dip, 2025, None, TODAY) and not is_fresh(dip, 2024, None, TODAY)
    assert is_fresh(report, 2025, None, date(2026, 1, 1))
    assert is_fresh(report, 2025, None, date(2026, 12, 1))
    assert not is_fresh(report, 2025, None, date(2027, 4, 1))
    assert is_fresh(report, 2025, Period(2025, 2), date(2027, 3, 31))
    assert not is_fresh(report, 2025, Period(2025, 1), date(2026, 7, 1))


def test_title_parts():
    assert title_parts("Struktur Organisasi | PPID Dinas - Kota Contoh") == [
        "Struktur Organisasi", "PPID Dinas", "Kota Contoh"
    ]


def test_a_menu_link_to_a_placeholder_page_publishes_nothing():
    from datetime import date

    from core.checklist import load_checklist
    from scrapers.detection.detect import detect_site
    from scrapers.model import Link, Page, SiteCrawl

    home = Page(url="http://x.test/", status=200, title="Beranda",
                links=[Link(url="http://x.test/agenda-pimpinan", text="Agenda Pimpinan", in_nav=True)])
    empty = Page(url="http://x.test/agenda-pimpinan", status=200, title="Agenda Pimpinan",
                 h1="Agenda Pimpinan", placeholder=True)
    crawl = SiteCrawl(start_url="http://x.test/", reachable=True, pages=[home, empty])
    findings = {f.category_id: f for f in detect_site(crawl, load_checklist(), date(2026, 11, 23))}
    assert findings["agenda_pimpinan"].status == "missing"
    empty.placeholder = False
    findings = {f.category_id: f for f in detect_site(crawl, load_checklist(), date(2026, 11, 23))}
    assert findings["agenda_pimpinan"].status == "found"


# ---------------------------------------------------------------- pages that publish nothing


DEFINITION = ("<h1>{title}</h1><p>{subject} adalah informasi yang wajib diumumkan oleh Badan Publik "
              "sesuai Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik.</p>")


@pytest.mark.parametrize(
    "title, subject, category",
    [
        ("Informasi Serta Merta", "Informasi serta merta", "serta_merta"),
        ("Daftar Informasi Publik", "Daftar Informasi Publik (DIP)", "dip"),
        ("Maklumat Pelayanan", "Yang dimaksud dengan maklumat pelayanan", "maklumat"),
        ("SOP PPID", "Standar Operasional Prosedur", "sop_ppid"),
    ],
)
def test_a_category_page_that_only_defines_its_category_publishes_nothing(title, subject, category):
    nav = f'<nav><a href="/p">{title}</a></nav>'
    only = page("/p", DEFINITION.format(title=title, subject=subject), title=title)
    assert findings([page("/", nav), only])[category].status == "missing"


def test_a_text_page_that_is_not_a_definition_still_publishes():
    profil = page("/profil", "<h1>Profil</h1><p>Dinas Kesehatan Kota Contoh merupakan unsur pelaksana "
                  "urusan pemerintahan bidang kesehatan.</p>", title="Profil")
    assert findings([page("/", '<nav><a href="/profil">Profil</a></nav>'), profil])["profil"].status == "found"


@pytest.mark.parametrize(
    "content",
    ["<p>Belum ada dokumen</p>", "<p>Data tidak tersedia</p>", "", "<p>&nbsp;-&nbsp;</p>"],
)
def test_an_empty_or_no_data_category_page_publishes_nothing(content):
    nav = '<nav><a href="/maklumat">Maklumat Pelayanan</a></nav>'
    empty = page("/maklumat", f"<h1>Maklumat Pelayanan</h1>{content}", title="Maklumat Pelayanan")
    assert findings([page("/", nav), empty])["maklumat"].status == "missing"


@pytest.mark.parametrize(
    "text, category, not_category",
    [
        ("SOP Evakuasi Bencana", "peringatan_dini", "sop_ppid"),
        ("Standar Operasional Prosedur Tanggap Darurat", "peringatan_dini", "sop_ppid"),
        ("Maklumat Pelayanan Perizinan", "perizinan", "maklumat"),
        ("SOP Pengaduan Masyarakat", "pengaduan", "sop_ppid"),
    ],
)
def test_a_category_label_qualified_by_another_subject_is_evidence_for_that_subject(text, category, not_category):
    got = home(f'<a href="/f/x.pdf">{text}</a>', [doc("/f/x.pdf")])
    assert got[category].status == "found" and got[not_category].status == "missing"


def test_the_ppid_sop_stays_the_ppid_sop():
    for text in ("SOP Pelayanan Informasi Publik", "SOP PPID", "SOP Permohonan Informasi",
                 "SOP Pengajuan Keberatan"):
        got = home(f'<a href="/f/x.pdf">{text}</a>', [doc("/f/x.pdf")])
        assert got["sop_ppid"].status == "found", text
        assert got["formulir_keberatan"].status == "missing", text


def test_the_rule_says_how_the_evidence_was_seen():
    plain = page("/", '<a href="/f/dip.pdf">DIP 2026</a>')
    assert findings([plain], [doc("/f/dip.pdf")])["dip"].matched_rule == "abbr:DIP@anchor#html"
    rendered = page("/", '<a href="/f/dip.pdf">DIP 2026</a>')
    rendered.rendered = True  # set by the crawler when a browser rendered the page
    assert findings([rendered], [doc("/f/dip.pdf")])["dip"].matched_rule == "abbr:DIP@anchor#rendered"
    rendered.links[0].via = "embedded-json"  # set by extraction for links read from inline JSON
    got = findings([rendered], [doc("/f/dip.pdf")])["dip"].matched_rule
    assert got == "abbr:DIP@anchor#rendered+embedded-json"
    profil = page("/maklumat", "<h1>Maklumat Pelayanan</h1><p>Kami siap melayani dengan sepenuh hati.</p>")
    profil.rendered = True
    assert findings([page("/", ""), profil])["maklumat"].matched_rule == "page:h1#rendered"


def test_another_regions_document_is_not_this_agencys_publication():
    from scrapers.detection.ownership import Owner

    owner = Owner.of("Dinas Kesehatan Kota Contoh", SITE, "pelaksana")
    crawl = SiteCrawl(start_url=SITE + "/", reachable=True, documents={d.url: d for d in [
        doc("/f/lkjip-kab-malang-2025.pdf"), doc("/f/renstra.pdf")]}, pages=[page("/", (
            '<a href="/f/lkjip-kab-malang-2025.pdf">LKjIP 2025</a>'
            '<table><tr><td>Renstra Dinas Pendidikan 2021-2026</td><td><a href="/f/renstra.pdf">Unduh</a></td></tr></table>'
        ))])
    got = {f.category_id: f for f in detect_site(crawl, CHECKLIST, TODAY, owner)}
    assert got["kinerja"].status == "missing"
    assert got["kinerja"].evidence_url == SITE + "/f/lkjip-kab-malang-2025.pdf"
    assert got["kinerja"].matched_rule.endswith("; rejected: names another region (kabupaten malang)")
    assert got["renstra_renja"].status == "missing"
    assert got["renstra_renja"].matched_rule.endswith("; rejected: names another agency (dinas pendidikan)")
    without_owner = {f.category_id: f for f in detect_site(crawl, CHECKLIST, TODAY)}
    assert without_owner["kinerja"].status == "found"


def test_an_own_document_beside_a_copied_one_still_counts():
    from scrapers.detection.ownership import Owner

    owner = Owner.of("Dinas Kesehatan Kota Contoh", SITE, "pelaksana")
    body = '<a href="/f/a.pdf">LKjIP Kabupaten Malang 2025</a><a href="/f/b.pdf">LKjIP Kota Contoh 2025</a>'
    crawl = SiteCrawl(start_url=SITE + "/", reachable=True, pages=[page("/", body)],
                      documents={d.url: d for d in [doc("/f/a.pdf"), doc("/f/b.pdf")]})
    got = {f.category_id: f for f in detect_site(crawl, CHECKLIST, TODAY, owner)}["kinerja"]
    assert (got.status, got.evidence_url) == ("found", SITE + "/f/b.pdf")


# ---------------------------------------------------------------- images


@pytest.mark.parametrize(
    "body, category",
    [
        ('<img src="/img/a1.png" alt="Maklumat Pelayanan Informasi Publik">', "maklumat"),
        ('<figure><img src="/img/a1.png"><figcaption>Alur Permohonan Informasi</figcaption></figure>',
         "tata_cara_informasi"),
        ('<h2>Struktur Organisasi</h2><p><img src="/img/a1.png"></p>', "struktur_organisasi"),
        ('<img src="/uploads/2026/01/bagan-struktur-ppid.jpg">', "sk_ppid"),
        ('<a href="/uploads/sop-pelayanan-informasi.png">SOP Pelayanan Informasi</a>', "sop_ppid"),
    ],
)
def test_an_image_is_evidence_for_categories_published_as_charts_and_posters(body, category):
    got = home(body)[category]
    assert got.status == "found" and "image" in got.matched_rule.split("#")[1]


def test_an_image_is_no_evidence_for_a_document_category():
    assert home('<img src="/img/lkjip-2025.png" alt="LKjIP 2025">')["kinerja"].status == "missing"


def test_a_document_whose_link_says_nothing_is_named_by_its_first_page():
    check = doc("/uploads/dokumen-12.pdf")
    check.first_page = "RENCANA STRATEGIS DINAS KESEHATAN 2022-2026"
    got = home('<li><a href="/uploads/dokumen-12.pdf">Unduh</a></li>', [check])["renstra_renja"]
    assert (got.status, got.document_year, got.matched_rule) == (
        "found", 2026, "label:Rencana Strategis@firstpage#html")


def test_a_procedure_written_out_as_text_is_not_a_definition():
    text = ("<h1>Tata Cara Permohonan Informasi</h1><p>Tata cara permohonan informasi adalah sebagai "
            "berikut:</p><ol><li>Pemohon mengisi formulir.</li><li>Petugas mencatat permohonan.</li></ol>")
    tata = page("/tata-cara", text, title="Tata Cara Permohonan Informasi")
    got = findings([page("/", '<nav><a href="/tata-cara">Tata Cara</a></nav>'), tata])
    assert got["tata_cara_informasi"].status == "found"
