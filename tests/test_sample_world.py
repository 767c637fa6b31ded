"""The bundled sample world, over real loopback HTTP."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import openpyxl
import pypdf
import pytest
import requests
import yaml

from sample_world import CATEGORY_IDS, STATUSES, SampleWorld

REPO = Path(__file__).resolve().parents[1]
SPEC_CSV = REPO.parent / "shared" / "spec" / "categories.csv"
HREF = re.compile(r'href="([^"#]+)"')
TODAY = date(2026, 5, 20)
Y = TODAY.year

pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")


@pytest.fixture(scope="module")
def world():
    with SampleWorld(today=TODAY) as served:
        yield served


def get(url: str, **kwargs) -> requests.Response:
    kwargs.setdefault("timeout", 10)
    kwargs.setdefault("verify", False)
    return requests.get(url, **kwargs)


def same_site_links(page_url: str, html: str, origin: str) -> list[str]:
    links = (urljoin(page_url, href) for href in HREF.findall(html))
    return [link for link in links if link.startswith(origin + "/")]


def crawl_html(world: SampleWorld, site_id: str, limit: int = 150) -> dict[str, requests.Response]:
    """Breadth-first over a site's own HTML pages, skipping the endless parts after page 2."""
    origin, seen, queue, pages = world.origin(site_id), set(), [world.url(site_id)], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen or re.search(r"page=([3-9]|\d\d)|/agenda/\d{4}/(0[3-9]|1\d)", url):
            continue
        seen.add(url)
        response = get(url)
        pages[url] = response
        if response.ok and response.headers["Content-Type"].startswith("text/html"):
            queue += same_site_links(response.url, response.text, origin)
    return pages


# --- labels ------------------------------------------------------------------------------------
def test_category_ids_are_the_contracts():
    if not SPEC_CSV.exists():
        pytest.skip(f"{SPEC_CSV} not beside the repository")
    with SPEC_CSV.open(encoding="utf-8") as handle:
        assert tuple(row["id"] for row in csv.DictReader(handle)) == CATEGORY_IDS


def test_at_least_eleven_sites_with_every_category_labelled_in_every_epoch(world):
    assert len(world.sites) >= 11
    for epoch in (1, 2, 3):
        for site_id in world.sites:
            labels = world.labels(site_id, epoch)
            assert set(labels) == set(CATEGORY_IDS), site_id
            assert set(labels.values()) <= set(STATUSES), site_id


def test_every_status_appears_many_times(world):
    counts = Counter(s for site_id in world.sites for s in world.labels(site_id).values())
    assert all(counts[status] >= 15 for status in STATUSES), counts


def test_only_the_down_site_is_unreachable_and_it_is_entirely(world):
    for site_id in world.sites:
        statuses = set(world.labels(site_id).values())
        if site_id == "dishub":
            assert statuses == {"unreachable"}
        else:
            assert "unreachable" not in statuses


# --- start pages and structure -------------------------------------------------------------------
def test_every_start_page_answers_200_and_the_down_site_refuses(world):
    for site_id in world.sites:
        if site_id == "dishub":
            with pytest.raises(requests.ConnectionError):
                get(world.url(site_id), timeout=3)
            continue
        response = get(world.url(site_id))
        assert response.status_code == 200, site_id
        assert response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "site_id",
    ["ppid-utama", "dinkes", "bappeda", "disdik", "dpupr", "bpkad", "disdukcapil", "rsud", "dlh"],
)
def test_every_page_is_rendered_with_full_headers(world, site_id):
    pages = crawl_html(world, site_id)
    assert len(pages) >= 5
    for url, response in pages.items():
        for header in ("Content-Type", "Content-Length", "ETag", "Last-Modified"):
            assert header in response.headers or response.status_code in (301, 302, 404), (
                url,
                header,
            )
        assert int(response.headers["Content-Length"]) == len(response.content)
        assert b"{{" not in response.content, url


def test_links_to_other_sites_stay_on_their_own_origin(world):
    response = get(world.origin("ppid-utama") + "/ppid-pelaksana/")
    others = [link for link in HREF.findall(response.text) if link.startswith("http")]
    assert world.origin("dinkes") + "/" in others
    assert all(not link.startswith(world.origin("ppid-utama")) for link in others)


# --- the windows-1252 site, robots and sitemaps -----------------------------------------------------
def test_cp1252_site_sends_cp1252_bytes_without_charset_header(world):
    response = get(world.url("bpkad"))
    assert response.headers["Content-Type"] == "text/html"
    body = response.content
    assert b'<meta charset="windows-1252">' in body
    assert b"\x93" in body and b"\x94" in body and b"\x97" in body and b"\xc9" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "“TRANSPARAN, AKUNTABEL, PROFESIONAL”" in body.decode("cp1252")


def test_robots_disallows_intranet_and_points_at_sitemap(world):
    origin = world.origin("bpkad")
    robots = get(origin + "/robots.txt")
    assert robots.status_code == 200 and robots.headers["Content-Type"].startswith("text/plain")
    assert "Disallow: /INTRANET/" in robots.text
    sitemap_url = re.search(r"^Sitemap: (\S+)$", robots.text, re.M).group(1)
    assert sitemap_url == origin + "/sitemap.xml"
    sitemap = get(sitemap_url)
    assert sitemap.headers["Content-Type"].startswith("application/xml")
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap.text)
    assert f"{origin}/DOKUMEN/LKJIP_{Y - 1}_BPKAD.PDF" in listed
    assert any("/INTRANET/" in url for url in listed)


def test_sitemap_only_documents_are_linked_from_no_page(world):
    pages = crawl_html(world, "bpkad")
    linked = {
        link
        for url, r in pages.items()
        for link in same_site_links(url, r.text, world.origin("bpkad"))
    }
    origin = world.origin("bpkad")
    only_in_sitemap = [
        f"{origin}/DOKUMEN/LKJIP_{Y - 1}_BPKAD.PDF",
        f"{origin}/DOKUMEN/DIP_{Y}.PDF",
        f"{origin}/PPID/RUP.HTM",
    ]
    for url in only_in_sitemap:
        assert url not in linked
        assert get(url).status_code == 200
    assert get(only_in_sitemap[0]).content.startswith(b"%PDF")


def test_sitemap_index_leads_to_a_page_linked_nowhere(world):
    origin = world.origin("dlh")
    robots = get(origin + "/robots.txt").text
    index = get(re.search(r"^Sitemap: (\S+)$", robots, re.M).group(1)).text
    children = re.findall(r"<loc>([^<]+)</loc>", index)
    pages = [
        loc for child in children for loc in re.findall(r"<loc>([^<]+)</loc>", get(child).text)
    ]
    target = origin + "/dokumen-perizinan-lingkungan/"
    assert target in pages
    linked = {
        link
        for url, r in crawl_html(world, "dlh").items()
        for link in same_site_links(url, r.text, origin)
    }
    assert target not in linked
    assert get(target).status_code == 200


# --- HTTP semantics -------------------------------------------------------------------------------
def test_conditional_requests_answer_304_without_a_body(world):
    for url in (
        world.url("ppid-utama"),
        f"{world.origin('ppid-utama')}/wp-content/uploads/{Y}/03/LKjIP_{Y - 1}_Diskominfo.pdf",
    ):
        first = get(url)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        by_etag = get(url, headers={"If-None-Match": etag})
        assert by_etag.status_code == 304 and by_etag.content == b""
        assert by_etag.headers["ETag"] == etag
        assert get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert get(url, headers={"If-None-Match": '"other"'}).status_code == 200
        long_ago = format_datetime(datetime(2000, 1, 1, tzinfo=UTC), usegmt=True)
        assert get(url, headers={"If-Modified-Since": long_ago}).status_code == 200


def test_head_and_byte_ranges(world):
    url = f"{world.origin('ppid-utama')}/wp-content/uploads/{Y}/01/DIP-{Y}-Kota-Contoh.pdf"
    full = get(url).content
    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) == len(full)
    assert head.headers["Content-Type"] == "application/pdf"
    first = get(url, headers={"Range": "bytes=0-3"})
    assert first.status_code == 206 and first.content == b"%PDF"
    assert first.headers["Content-Range"] == f"bytes 0-3/{len(full)}"
    assert get(url, headers={"Range": "bytes=-6"}).content == full[-6:]
    assert get(url, headers={"Range": f"bytes={len(full)}-"}).status_code == 416


def test_laravel_paths_serve_documents_with_their_type(world):
    origin = world.origin("dinkes")
    root = get(origin + "/", allow_redirects=False)
    assert root.status_code == 302 and root.headers["Location"] == origin + "/beranda"
    page = get(origin + "/informasi-publik/berkala")
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    document = get(origin + "/dokumen/123/unduh")
    assert document.headers["Content-Type"] == "application/pdf"
    assert f'filename="LKjIP_{Y - 1}_Dinkes.pdf"' in document.headers["Content-Disposition"]
    sheet = get(origin + "/dokumen/133/unduh")
    assert sheet.content.startswith(b"PK\x03\x04")
    assert get(origin + "/dokumen/140/unduh").status_code == 404


def test_broken_documents_are_dead_empty_or_html(world):
    uploads = world.origin("disdik") + "/wp-content/uploads"
    soft = get(f"{uploads}/{Y}/03/LKjIP_{Y - 1}_Disdik.pdf")
    assert soft.status_code == 200
    assert soft.headers["Content-Type"].startswith("text/html")
    assert soft.content.lstrip().startswith(b"<!DOCTYPE html")
    assert "Halaman tidak ditemukan" in soft.text
    empty = get(f"{uploads}/{Y}/01/DIP-Disdik-{Y}.pdf")
    assert empty.status_code == 200 and empty.content == b""
    assert empty.headers["Content-Length"] == "0"
    assert get(f"{uploads}/{Y}/04/Laporan-Keuangan-Disdik-{Y - 1}.pdf").status_code == 404


def test_documents_are_real_pdf_docx_and_xlsx_files(world):
    uploads = world.origin("ppid-utama") + "/wp-content/uploads"
    pdf = pypdf.PdfReader(io.BytesIO(get(f"{uploads}/{Y}/03/LKjIP_{Y - 1}_Diskominfo.pdf").content))
    assert f"TAHUN {Y - 1}" in pdf.pages[0].extract_text()
    docx = zipfile.ZipFile(
        io.BytesIO(get(f"{uploads}/{Y - 1}/02/Formulir-Permohonan-Informasi.docx").content)
    )
    assert "FORMULIR PERMOHONAN" in docx.read("word/document.xml").decode()
    xlsx = get(f"{uploads}/{Y - 1}/10/KIB-Diskominfo-{Y - 1}.xlsx")
    assert xlsx.headers["Content-Type"].endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == f"KARTU INVENTARIS BARANG (KIB) TAHUN {Y - 1}"


def test_drive_host_serves_viewer_pages_and_object_storage(world):
    page = get(world.origin("dpmptsp") + "/informasi-berkala.html").text
    drive_links = [link for link in HREF.findall(page) if link.startswith(world.origin("drive"))]
    assert drive_links
    viewer = get(next(link for link in drive_links if "/file/d/" in link and "LHKPN" in link))
    assert viewer.status_code == 200 and "Google Drive" in viewer.text
    deleted = get(next(link for link in drive_links if "Dihapus" in link))
    assert deleted.status_code == 404
    storage = get(f"{world.origin('drive')}/ppid-kotacontoh/dpmptsp/DIP-{Y}.pdf")
    assert storage.headers["Content-Type"] == "application/pdf" and storage.content.startswith(
        b"%PDF"
    )
    missing = get(f"{world.origin('drive')}/ppid-kotacontoh/dpmptsp/DIK_DPMPTSP_{Y - 1}.pdf")
    assert missing.status_code == 404 and "NoSuchKey" in missing.text


def test_https_site_has_a_self_signed_certificate(world):
    url = world.url("rsud")
    assert url.startswith("https://127.0.0.1:")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(url, timeout=5)
    assert requests.get(url, timeout=5, verify=str(world.tls_certificate)).status_code == 200
    assert get(url).status_code == 200


def test_endless_archive_and_calendar_never_end(world):
    origin = world.origin("disdukcapil")
    for page in (1, 57):
        html = get(f"{origin}/arsip?page={page}").text
        assert f'href="/arsip?page={page + 1}"' in html
        assert "/arsip/baca?id=" in html
    assert get(f"{origin}/arsip/baca?id=12345").status_code == 200
    december = get(f"{origin}/agenda/{Y + 40}/12").text
    assert f'href="/agenda/{Y + 41}/01"' in december
    assert get(f"{origin}/agenda/{Y}/13").status_code == 404
    home = get(world.url("disdukcapil")).text
    assert 'href="/ppid/berkala.html"' in home


# --- epochs, templates, registry, counters ---------------------------------------------------------
def test_epochs_change_labels_and_files():
    with SampleWorld(today=TODAY) as world:
        uploads = world.origin("ppid-utama") + "/wp-content/uploads"
        report = f"{uploads}/{Y}/07/Laporan-Layanan-Informasi-Publik-{Y}.pdf"
        staff = f"{uploads}/{Y}/01/Data-Kepegawaian-Diskominfo-{Y}.xlsx"
        berkala = world.origin("ppid-utama") + "/informasi-berkala/"
        profile = world.origin("ppid-utama") + "/profil-ppid/"
        first_berkala, first_profile = get(berkala), get(profile)
        assert get(report).status_code == 404 and get(staff).status_code == 200
        assert world.labels("ppid-utama")["laporan_layanan_informasi"] == "missing"

        world.set_epoch(2)
        assert get(report).status_code == 200
        assert world.labels("ppid-utama")["laporan_layanan_informasi"] == "found"
        assert get(berkala).headers["ETag"] != first_berkala.headers["ETag"]
        unchanged = get(profile, headers={"If-None-Match": first_profile.headers["ETag"]})
        assert unchanged.status_code == 304
        assert world.labels("kec-utara")["dip"] == "found"

        world.set_epoch(3)
        assert get(staff).status_code == 404
        assert world.labels("ppid-utama")["kepegawaian"] == "broken"
        assert world.labels("bappeda")["kinerja"] == "found"
        assert world.labels("kec-utara", 1)["dip"] == "missing"
        with pytest.raises(ValueError):
            world.set_epoch(4)


@pytest.mark.parametrize("today", [date(2031, 1, 2), date(2040, 12, 31)])
def test_templates_substitute_years_from_today(today):
    year = today.year
    with SampleWorld(today=today) as world:
        html = get(world.origin("ppid-utama") + "/informasi-berkala/").text
        assert f"/wp-content/uploads/{year}/03/LKjIP_{year - 1}_Diskominfo.pdf" in html
        assert "{{" not in html
        document = get(
            f"{world.origin('ppid-utama')}/wp-content/uploads/{year}/03/LKjIP_{year - 1}_Diskominfo.pdf"
        )
        assert document.status_code == 200
        stale = get(world.origin("bappeda") + "/ppid/berkala.html").text
        assert f"LKjIP_{year - 5}_Bapperida.pdf" in stale


def test_write_registry_follows_the_contract(world, tmp_path):
    path = world.write_registry(tmp_path / "registry.yaml")
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["agencies"]
    assert [row["id"] for row in rows] == world.sites
    by_id = {row["id"]: row for row in rows}
    assert by_id["ppid-utama"]["role"] == "utama" and by_id["ppid-utama"]["parent"] == ""
    for row in rows:
        assert set(row) >= {"id", "name", "url", "email", "role", "parent"}
        assert row["url"] == world.url(row["id"])
        if row["id"] != "ppid-utama":
            assert row["role"] == "pelaksana" and row["parent"] == "ppid-utama"
    assert by_id["rsud"]["insecure_tls"] is True
    assert sum(1 for row in rows if "insecure_tls" in row) == 1
    emails = [row["email"] for row in rows]
    assert emails.count("") == 1
    assert all(re.fullmatch(r"ppid@[a-z-]+\.contoh\.go\.id", e) for e in emails if e)


def test_stats_count_requests_and_body_bytes(world):
    world.reset_stats()
    url = world.url("dpupr")
    body = get(url)
    get(url, headers={"If-None-Match": body.headers["ETag"]})
    requests.head(url, timeout=10)
    stats = world.stats()["dpupr"]
    assert stats["requests"] == 3
    assert stats["bytes"] == len(body.content)
    assert stats["not_modified"] == 1
    assert world.stats()["bappeda"]["requests"] == 0


def test_module_entry_serves_and_writes_the_registry(tmp_path):
    registry = tmp_path / "registry.yaml"
    process = subprocess.Popen(
        [sys.executable, "-m", "sample_world", "--registry", str(registry)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Registri:"):
                break
        assert registry.exists()
        start = next(line.split()[1] for line in lines if line.startswith("ppid-utama"))
        assert urlsplit(start).hostname == "127.0.0.1"
        assert get(start).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- the platform world -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def platform_world():
    from sample_world import PLATFORM_WORLD

    with SampleWorld(root=PLATFORM_WORLD, today=TODAY) as served:
        yield served


def test_platform_world_sites_are_labelled_and_served_on_loopback(platform_world):
    assert len(platform_world.sites) >= 16
    for site_id in platform_world.sites:
        assert set(platform_world.labels(site_id)) == set(CATEGORY_IDS), site_id
        assert platform_world.platform(site_id) != "server-rendered", site_id
        response = get(platform_world.url(site_id))
        assert response.status_code == 200 and b"{{" not in response.content, site_id
        assert urlsplit(response.url).hostname == "127.0.0.1"
    for host_id in platform_world.hosts:
        assert urlsplit(platform_world.origin(host_id)).hostname == "127.0.0.1"


def test_query_files_json_api_and_login_redirects(platform_world):
    origin = platform_world.origin("satpolpp")
    first, second = get(origin + "/informasi-publik"), get(origin + "/informasi-publik?page=2")
    assert "Data Kepegawaian" in second.text and "Data Kepegawaian" not in first.text
    api = get(platform_world.origin("dpmd") + "/api/informasi?kategori=berkala&page=2")
    assert api.headers["Content-Type"].startswith("application/json")
    assert api.json()["meta"]["current_page"] == 2
    download = get(platform_world.origin("dinkop") + "/dokumen/unduh/54", allow_redirects=False)
    assert download.status_code == 302 and "/login" in download.headers["Location"]
    wpdm = get(platform_world.origin("dinsos") + f"/download/lkjip-dinas-sosial-tahun-{Y - 1}/?wpdmdl=311")
    assert wpdm.headers["Content-Type"] == "application/pdf"


def test_render_needed_shells_hold_no_list_in_their_html(platform_world):
    needing = [s for s in platform_world.sites if platform_world.render_needed(s)]
    assert needing
    vue = get(platform_world.origin("dpmd") + "/informasi/berkala").text
    assert '<div id="app"></div>' in vue and ".pdf" not in vue
    table = get(platform_world.origin("bpbd") + "/ppid/dokumen").text
    assert "<tbody></tbody>" in table and ".pdf" not in table
