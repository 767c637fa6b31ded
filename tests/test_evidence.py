"""The evidence bundle per finding: a real crawl over loopback with redirects, stored in a real
DuckDB file and read back through the ``evidence_bundle`` named query.

Checked: the URL chain (linking page, redirect hops, final URL), HTTP status, content type,
size and SHA-256 of what answered; the hash unchanged across runs of unchanged content (also
through a 304 revalidation) and changed when the document changes; a hash that covers only the
probe's first bytes says so; an endless redirect chain is capped and reported; an over-size
(endless) body is cut and its hash says how much it covers.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, date, datetime

import pytest

from core.checklist import load_checklist
from core.registry import Agency
from core.settings import CrawlSettings
from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.politeness import HostThrottle
from scrapers.detection.detect import detect_site
from scrapers.detection.evidence import EvidenceIndex
from scrapers.model import DocumentCheck, Finding, Page, SiteCrawl
from tests.loopback import LoopbackServer, Reply, html, redirect
from warehouse import db, queries, reviews
from warehouse.load import AgencyOutcome, RunRecord, load_http_cache, write_run

FAST = CrawlSettings(host_delay=0.0, retries=0, retry_backoff=0.01, page_timeout=5.0,
                     read_timeout=5.0, use_sitemaps=False, max_redirects=5)
TODAY = date(2026, 12, 1)
CHECKLIST = load_checklist()


def pdf(text: str, size: int) -> bytes:
    """A PDF-looking body of exactly ``size`` bytes."""
    head = f"%PDF-1.5\n% {text}\n".encode()
    return head + b"x" * (size - len(head))


class Site:
    """A small PPID site whose LKjIP sits behind a redirect and answers conditional requests."""

    def __init__(self) -> None:
        self.lkjip = pdf("LKjIP 2025", 1500)
        self.etag = '"v1"'
        self.keuangan = pdf("Laporan Keuangan 2025", 10_000)
        routes = {
            "/": html('<title>PPID Dinas Contoh</title><a href="/dokumen">Informasi Berkala</a>'),
            "/dokumen": html(
                "<h1>Informasi Berkala</h1><ul>"
                '<li><a href="/unduh/lkjip-2025.pdf">LKjIP 2025</a></li>'
                '<li><a href="/files/laporan-keuangan-2025.pdf">Laporan Keuangan 2025</a></li>'
                '<li><a href="/struktur">Struktur Organisasi</a></li>'
                '<li><a href="/files/sop-ppid.pdf">SOP PPID</a></li>'
                "</ul>"),
            "/unduh/lkjip-2025.pdf": redirect("/storage/2025/lkjip.pdf", 301),
            "/storage/2025/lkjip.pdf": self._lkjip,
            "/files/laporan-keuangan-2025.pdf": Reply(200, self.keuangan,
                                                      content_type="application/pdf"),
            "/struktur": redirect("/profil/struktur-organisasi"),
            "/profil/struktur-organisasi": self._struktur,
            "/files/sop-ppid.pdf": redirect("/loop/1"),
            "/loop/*": lambda r: redirect(f"/loop/{int(r.path_only.rsplit('/', 1)[1]) + 1}"),
        }
        self.server = LoopbackServer(routes)
        self.struktur = ("<title>Struktur Organisasi</title><h1>Struktur Organisasi</h1>"
                         "<p>Kepala Dinas, Sekretaris, Kepala Bidang.</p>")

    def _lkjip(self, request) -> Reply:
        if request.headers.get("If-None-Match") == self.etag:
            return Reply(304, b"", {"ETag": self.etag}, content_type=None)
        return Reply(200, self.lkjip, {"ETag": self.etag}, content_type="application/pdf")

    def _struktur(self, request) -> Reply:
        if request.headers.get("If-None-Match") == '"s1"':
            return Reply(304, b"", {"ETag": '"s1"'}, content_type=None)
        return html(self.struktur, ETag='"s1"')

    def url(self, path: str) -> str:
        return self.server.url(path)


@pytest.fixture
def site():
    world = Site()
    yield world
    world.server.close()


def crawl_and_store(con, site: Site, settings: CrawlSettings = FAST) -> int:
    """One run as the flow does it: cache from the warehouse, crawl, detect, one write."""
    agency = Agency(id="dinas", name="Dinas Contoh", url=site.url("/"), email="", role="utama",
                    parent="")
    pages, documents = load_http_cache(con, agency.id)
    crawl = crawl_site(agency.url, settings, cache=pages, doc_cache=documents,
                       throttle=HostThrottle())
    findings = detect_site(crawl, CHECKLIST, TODAY)
    now = datetime.now(UTC)
    record = RunRecord(started_at=now, finished_at=now, categories=list(CHECKLIST),
                       outcomes=[AgencyOutcome(agency=agency, findings=findings, crawl=crawl,
                                               checked_at=now)])
    carried = reviews.plan_run(con, record, at=now)  # as flows.crawl writes a run
    return write_run(con, carried.record, after_insert=carried.store)


def bundles(con, run_id: int | None = None) -> dict[str, dict]:
    rows = queries.records(con, "evidence_bundle", agency_id=None, category_id=None,
                           run_id=run_id)
    return {r["category_id"]: r for r in rows}


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def test_a_crawl_stores_chain_status_type_size_and_hash_of_each_finding(con, site):
    run_id = crawl_and_store(con, site)
    got = bundles(con)
    kinerja = got["kinerja"]
    assert kinerja["status"] in ("found", "stale") and kinerja["run_id"] == run_id
    assert kinerja["evidence_chain"] == [site.url("/dokumen"), site.url("/unduh/lkjip-2025.pdf"),
                                         site.url("/storage/2025/lkjip.pdf")]
    assert kinerja["evidence_status_code"] == 200
    assert kinerja["evidence_content_type"] == "application/pdf"
    assert kinerja["evidence_bytes"] == 1500
    assert kinerja["evidence_sha256"] == hashlib.sha256(site.lkjip).hexdigest()
    assert kinerja["evidence_sha256_bytes"] is None  # the whole file was read
    assert kinerja["evidence_from_cache"] is False
    assert kinerja["evidence_text"] and kinerja["document_year"] == 2025
    # A document larger than the probe: the hash covers its first bytes, and says so.
    keuangan = got["laporan_keuangan"]
    probe = FAST.document_probe_bytes
    assert keuangan["evidence_bytes"] == 10_000
    assert keuangan["evidence_sha256_bytes"] == probe
    assert keuangan["evidence_sha256"] == hashlib.sha256(site.keuangan[:probe]).hexdigest()
    # A page behind a redirect: the page's own body is hashed whole.
    struktur = got["struktur_organisasi"]
    assert struktur["evidence_chain"] == [site.url("/dokumen"), site.url("/struktur"),
                                          site.url("/profil/struktur-organisasi")]
    assert struktur["evidence_content_type"].startswith("text/html")
    assert struktur["evidence_body_sha256"] == hashlib.sha256(site.struktur.encode()).hexdigest()
    assert struktur["evidence_sha256"] not in (None, struktur["evidence_body_sha256"])
    assert kinerja["evidence_body_sha256"] == kinerja["evidence_sha256"]  # a document: its bytes
    assert struktur["evidence_bytes"] == len(site.struktur.encode())
    # Findings without evidence have no bundle.
    assert "pengadaan" not in got


def test_an_endless_redirect_chain_is_capped_and_reported_in_the_bundle(con, site):
    crawl_and_store(con, site)
    sop = bundles(con)["sop_ppid"]
    assert sop["status"] == "broken"
    assert "more than 5 redirects" in sop["matched_rule"]
    chain = sop["evidence_chain"]
    assert chain[:3] == [site.url("/dokumen"), site.url("/files/sop-ppid.pdf"), site.url("/loop/1")]
    assert len(chain) == 1 + FAST.max_redirects + 1  # the linking page and the hops requested
    assert sop["evidence_sha256"] is None and sop["evidence_status_code"] is None
    assert len(site.server.requests_to("/loop/7")) == 0  # the chain stopped at the cap


def test_the_hash_stays_across_runs_and_a_304_and_changes_with_the_document(con, site):
    first = bundles(con, crawl_and_store(con, site))
    second_run = crawl_and_store(con, site)
    second = bundles(con, second_run)
    # The LKjIP and the page were revalidated with 304 (nothing transferred), hash kept.
    assert [r.headers.get("If-None-Match") for r in
            site.server.requests_to("/storage/2025/lkjip.pdf")][-1] == site.etag
    for category in ("kinerja", "struktur_organisasi"):
        assert second[category]["evidence_from_cache"] is True, category
        assert second[category]["evidence_sha256"] == first[category]["evidence_sha256"]
        assert second[category]["evidence_bytes"] == first[category]["evidence_bytes"]
        assert second[category]["evidence_status_code"] == 200
    # The financial report has no validators: read again, same bytes, same hash.
    assert second["laporan_keuangan"]["evidence_from_cache"] is False
    assert second["laporan_keuangan"]["evidence_sha256"] == first["laporan_keuangan"]["evidence_sha256"]
    # A third run after a 304 still carries the hash (the cache keeps it run to run).
    third = bundles(con, crawl_and_store(con, site))
    assert third["kinerja"]["evidence_sha256"] == first["kinerja"]["evidence_sha256"]
    # The OPD uploads a corrected LKjIP: new bytes, new ETag, new hash.
    site.lkjip, site.etag = pdf("LKjIP 2025 revisi", 1700), '"v2"'
    fourth = bundles(con, crawl_and_store(con, site))
    assert fourth["kinerja"]["evidence_from_cache"] is False
    assert fourth["kinerja"]["evidence_sha256"] == hashlib.sha256(site.lkjip).hexdigest()
    assert fourth["kinerja"]["evidence_sha256"] != first["kinerja"]["evidence_sha256"]
    assert fourth["kinerja"]["evidence_bytes"] == 1700
    # Every run keeps its own bundle.
    assert bundles(con, second_run)["kinerja"]["evidence_sha256"] == first["kinerja"]["evidence_sha256"]


def endless_pdf():
    chunk = b"%PDF-1.5\n" + b"y" * 8183
    for _ in itertools.count():
        yield chunk


def test_an_over_size_body_is_cut_and_its_hash_says_what_it_covers(con):
    big_page = ("<title>Profil Dinas</title><h1>Profil</h1><p>Visi dan misi.</p>"
                + "<p>" + "isi " * 20_000 + "</p>")
    routes = {
        "/": html('<a href="/profil">Profil</a><a href="/files/dip-2025.pdf">Daftar Informasi '
                  'Publik (DIP) 2025</a>'),
        "/profil": html(big_page),
        "/files/dip-2025.pdf": Reply(200, endless_pdf(), content_type="application/pdf"),
    }
    settings = FAST.model_copy(update={"max_page_bytes": 30_000})
    with LoopbackServer(routes) as server:
        agency = Agency(id="dinas", name="Dinas Contoh", url=server.url("/"), email="",
                        role="utama", parent="")
        crawl = crawl_site(agency.url, settings, throttle=HostThrottle())
    findings = {f.category_id: f for f in detect_site(crawl, CHECKLIST, TODAY)}
    index = EvidenceIndex(crawl)
    profil = index.bundle(findings["profil"].status, findings["profil"].evidence_url,
                          findings["profil"].page_url)
    assert profil.sha256_bytes == 30_000
    assert profil.body_sha256 == hashlib.sha256(big_page.encode()[:30_000]).hexdigest()
    dip = index.bundle(findings["dip"].status, findings["dip"].evidence_url,
                       findings["dip"].page_url)
    assert findings["dip"].status == "found"
    assert dip.sha256_bytes == settings.document_probe_bytes and dip.bytes is not None


def test_the_bundle_of_a_held_drop_comes_from_its_recheck():
    """A drop held back keeps the old evidence URL: its bundle is what the re-check saw."""
    crawl = SiteCrawl(start_url="http://dinas.test/", reachable=True,
                      pages=[Page(url="http://dinas.test/", status=200)])
    recheck = DocumentCheck(url="http://dinas.test/f/lkjip.pdf", ok=False, status=404,
                            content_type="text/html", reason="http 404")
    finding = Finding(category_id="kinerja", status="found",
                      evidence_url="http://dinas.test/f/lkjip.pdf",
                      page_url="http://dinas.test/", confirmed=False)
    bundle = EvidenceIndex(crawl, {recheck.url: recheck}).bundle(
        finding.status, finding.evidence_url, finding.page_url)
    assert bundle.chain == ["http://dinas.test/", "http://dinas.test/f/lkjip.pdf"]
    assert bundle.status_code == 404 and bundle.sha256 is None
    assert EvidenceIndex(crawl).bundle("missing", None) is None


def test_an_override_stays_through_unchanged_runs_and_lapses_when_the_document_changes(con, site):
    """Reviews lapse when the evidence's hash changes: unchanged content (also a 304) must keep
    its hash, or every override would lapse on the next run."""
    crawl_and_store(con, site)
    reviews.override(con, agency_id="dinas", category_id="kinerja", status="broken",
                     reason="dokumen milik badan publik lain", expected_run_id=1,
                     expected_review_id=None, reviewer="rina", at=datetime.now(UTC))

    def effective():
        return con.execute("SELECT status, status_source FROM latest_findings WHERE "
                           "agency_id = 'dinas' AND category_id = 'kinerja'").fetchall()[0]

    assert effective() == ("broken", "override")
    crawl_and_store(con, site)  # unchanged: the LKjIP answers 304
    assert bundles(con)["kinerja"]["evidence_from_cache"] is True
    crawl_and_store(con, site)
    assert effective() == ("broken", "override")
    site.lkjip, site.etag = pdf("LKjIP 2025 revisi", 1600), '"v3"'
    crawl_and_store(con, site)
    assert effective() == ("found", "crawler")
    lapsed = con.execute("SELECT lapse_reason FROM reviews WHERE lapsed_at IS NOT NULL").fetchall()
    assert lapsed == [("evidence_changed",)]


@pytest.mark.slow
def test_the_crawl_flow_stores_the_bundle(prefect_api, site, tmp_path, fast_settings_file):
    """The real crawl_all flow (Prefect, agencies streamed through the staging file)."""
    from flows.crawl import crawl_all

    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "agencies:\n"
        f"  - {{id: dinas, name: Dinas Contoh, url: \"{site.url('/')}\", email: \"\", "
        "role: utama, parent: \"\"}\n", encoding="utf-8")
    path = tmp_path / "pantau.duckdb"
    crawl_all(registry=str(registry), db=str(path), settings_file=str(fast_settings_file),
              today=TODAY)
    with db.read_only(path) as con:
        got = bundles(con)
    assert got["kinerja"]["evidence_chain"][-1] == site.url("/storage/2025/lkjip.pdf")
    assert got["kinerja"]["evidence_sha256"] == hashlib.sha256(site.lkjip).hexdigest()
    assert got["sop_ppid"]["status"] == "broken" and got["sop_ppid"]["evidence_sha256"] is None
    assert got["laporan_keuangan"]["evidence_sha256_bytes"] == 2048


def test_a_page_hash_ignores_a_counter_and_a_token_but_not_new_content(con):
    """The raw HTML of many PPID pages changes on every visit (a visitor counter, a script
    token): the evidence hash, which reviews compare, follows what the page shows instead."""
    visits = itertools.count(1)
    links = ['<a href="/kontak">Hubungi kami</a>']

    def maklumat(request) -> Reply:
        n = next(visits)
        return html("<title>Maklumat Pelayanan Informasi Publik</title>"
                    f"<script>var ajax = {{nonce: 'n{n * 7919}'}};</script>"
                    "<h1>Maklumat Pelayanan</h1><p>Kami berjanji melayani.</p>"
                    + "".join(links) + f"<footer>Pengunjung hari ini: {n}</footer>")

    routes = {"/": html('<a href="/maklumat">Maklumat Pelayanan</a>'), "/maklumat": maklumat}
    with LoopbackServer(routes) as server:
        site = type("S", (), {"url": server.url})()

        def run_once():
            agency = Agency(id="dinas", name="Dinas Contoh", url=server.url("/"), email="",
                            role="utama", parent="")
            crawl = crawl_site(agency.url, FAST, throttle=HostThrottle())
            now = datetime.now(UTC)
            record = RunRecord(started_at=now, finished_at=now, categories=list(CHECKLIST),
                               outcomes=[AgencyOutcome(agency=agency, crawl=crawl,
                                                       findings=detect_site(crawl, CHECKLIST, TODAY),
                                                       checked_at=now)])
            return bundles(con, write_run(con, record))["maklumat"]

        first, second = run_once(), run_once()
        assert first["evidence_url"] == site.url("/maklumat")
        assert first["evidence_body_sha256"] != second["evidence_body_sha256"]
        assert first["evidence_sha256"] == second["evidence_sha256"]
        links.append('<a href="/jam-layanan">Jam layanan baru: Senin sampai Sabtu</a>')
        third = run_once()
    assert third["evidence_sha256"] != first["evidence_sha256"]
