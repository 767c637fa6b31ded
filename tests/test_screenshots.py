"""Evidence screenshots in a real browser (the session's one Chromium), kept with the run in a
real DuckDB file, with their audit row; every browser request made by the crawler on loopback.

Run under ``flock /work/wt/heavy.lock`` when developing (a browser).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from pantau.cli import app
from scrapers.crawling.render import browser_problem
from tests.loopback import LoopbackServer, Reply
from tests.test_evidence import FAST, Site, crawl_and_store
from warehouse import audit, db, queries
from warehouse.screenshots import screenshot_file, take_screenshot

pytestmark = pytest.mark.skipif(browser_problem(FAST) is not None,
                                reason=f"no browser: {browser_problem(FAST)}")
SHOT = FAST.model_copy(update={"render_timeout": 20.0, "screenshot_max_height": 3000})
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def stored(tmp_path):
    """A real crawl of the loopback site stored in a DuckDB file: (site, database path)."""
    site = Site()
    path = tmp_path / "data" / "pantau.duckdb"
    path.parent.mkdir()
    with db.writing(path) as con:
        crawl_and_store(con, site)
    yield site, path
    site.server.close()


def test_a_screenshot_of_the_evidence_page_is_kept_with_the_run_and_audited(stored, renderer):
    site, path = stored
    with LoopbackServer({"/logo.png": Reply(200, PNG_SIGNATURE, content_type="image/png")}) as other:
        site.struktur += f'<img src="{other.url("/logo.png")}" alt="logo luar">'
        site.struktur += '<img src="/gambar/bagan.png" alt="Bagan organisasi">'
        site.server.route("/gambar/bagan.png", Reply(200, PNG_SIGNATURE, content_type="image/png"))
        before = len(site.server.requests)
        result = take_screenshot(path, "dinas", "struktur_organisasi", settings=SHOT,
                                 actor=audit.reviewer_actor("rina"), renderer=renderer)
        assert other.requests == []  # another host: refused before any packet left
    assert result.taken, result.message
    png = result.path.read_bytes()
    assert png.startswith(PNG_SIGNATURE) and len(png) > 1000
    assert result.sha256 == hashlib.sha256(png).hexdigest()
    assert result.path.parent.parent == path.parent / "bukti"  # under the data folder
    # Every request the browser made was made by the crawler (its User-Agent), images too.
    made = site.server.requests[before:]
    assert {r.path_only for r in made} >= {"/struktur", "/profil/struktur-organisasi",
                                          "/gambar/bagan.png"}
    assert all(r.headers.get("User-Agent") == SHOT.user_agent for r in made)
    with db.read_only(path) as con:
        rows = con.execute("SELECT run_id, url, path, sha256, taken_by FROM evidence_screenshots"
                           ).fetchall()
        audit_rows = con.execute("SELECT actor, action, agency_id, category_id, after "
                                 "FROM audit_log").fetchall()
        bundle = queries.records(con, "evidence_bundle", agency_id="dinas",
                                 category_id="struktur_organisasi", run_id=None)[0]
    assert rows == [(1, site.url("/struktur"), rows[0][2], result.sha256, "pengguna:rina")]
    assert screenshot_file(path, rows[0][2]) == result.path
    assert [(a[0], a[1], a[2], a[3]) for a in audit_rows] == [
        ("pengguna:rina", "screenshot", "dinas", "struktur_organisasi")]
    after = json.loads(audit_rows[0][4])
    assert after["sha256"] == result.sha256
    assert after["final_url"] == site.url("/profil/struktur-organisasi")
    assert bundle["screenshot_path"] == rows[0][2] and bundle["screenshot_sha256"] == result.sha256


def test_a_pdf_gets_no_screenshot_and_is_told_so(stored, renderer):
    site, path = stored
    before = len(site.server.requests)
    result = take_screenshot(path, "dinas", "kinerja", settings=SHOT, actor=audit.CLI,
                             renderer=renderer)
    assert not result.taken and result.not_applicable
    assert "tidak berlaku" in result.message and "PDF" in result.message
    assert len(site.server.requests) == before  # nothing fetched for it
    with db.read_only(path) as con:
        assert con.execute("SELECT count(*) FROM evidence_screenshots").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM audit_log").fetchall() == [(0,)]


def test_a_finding_without_evidence_is_refused_in_indonesian(stored, renderer):
    _, path = stored
    result = take_screenshot(path, "dinas", "pengadaan", settings=SHOT, actor=audit.CLI,
                             renderer=renderer)
    assert not result.taken and "tidak punya alamat bukti" in result.message


def endless_page():
    yield b"<html><title>Struktur Organisasi</title><body><h1>Struktur Organisasi</h1>"
    while True:
        time.sleep(0.05)
        yield b"<p>baris</p>" * 50


def test_a_page_that_never_ends_is_bounded_by_the_deadline(stored, renderer):
    site, path = stored
    site.server.route("/profil/struktur-organisasi", Reply(200, endless_page()))
    settings = SHOT.model_copy(update={"page_timeout": 3.0, "render_timeout": 8.0})
    started = time.monotonic()
    result = take_screenshot(path, "dinas", "struktur_organisasi", settings=settings,
                             actor=audit.CLI, renderer=renderer)
    assert time.monotonic() - started < 8.0 + 20  # render_timeout, plus the browser's slack
    assert not result.taken and "gagal" in result.message


def test_the_cli_prints_the_bundle_in_indonesian_and_takes_the_screenshot(stored, renderer):
    site, path = stored
    runner = CliRunner()
    printed = runner.invoke(app, ["evidence", "dinas", "kinerja", "--db", str(path)])
    assert printed.exit_code == 0, printed.output
    out = printed.output
    assert "Status HTTP: 200" in out and "Jenis isi: application/pdf" in out
    assert "Ukuran: 1.500 byte" in out
    assert hashlib.sha256(site.lkjip).hexdigest() + " (seluruh isi)" in out
    assert f"1. {site.url('/dokumen')} (halaman yang menautkan)" in out
    assert f"3. {site.url('/storage/2025/lkjip.pdf')} (alamat akhir)" in out
    assert "WIB" in out and "Traceback" not in out
    partial = runner.invoke(app, ["evidence", "dinas", "laporan_keuangan", "--db", str(path)])
    assert "hanya 2.048 byte pertama" in partial.output
    missing = runner.invoke(app, ["evidence", "dinas", "pengadaan", "--db", str(path)])
    assert missing.exit_code == 1 and "tidak punya bukti" in missing.output
    pdf = runner.invoke(app, ["evidence", "dinas", "kinerja", "--db", str(path), "--screenshot"])
    assert pdf.exit_code == 0 and "tidak berlaku" in pdf.output
    shot = runner.invoke(app, ["evidence", "dinas", "struktur_organisasi", "--db", str(path),
                               "--screenshot"])
    assert shot.exit_code == 0, shot.output
    assert "Tangkapan layar disimpan: bukti/putaran-1/" in shot.output
    assert "oleh cli" in shot.output


def test_the_run_of_another_finding_keeps_its_own_screenshot(stored, renderer):
    """Screenshots are kept per run: a later run's finding has none until asked."""
    site, path = stored
    take_screenshot(path, "dinas", "struktur_organisasi", settings=SHOT, actor=audit.CLI,
                    renderer=renderer)
    with db.writing(path) as con:
        crawl_and_store(con, site)
        latest = queries.records(con, "evidence_bundle", agency_id="dinas",
                                 category_id="struktur_organisasi", run_id=None)[0]
        first = queries.records(con, "evidence_bundle", agency_id="dinas",
                                category_id="struktur_organisasi", run_id=1)[0]
    assert latest["run_id"] == 2 and latest["screenshot_path"] is None
    assert first["screenshot_path"].startswith("bukti/putaran-1/")


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN TRANSACTION")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
"""


def hold_database(path, seconds: float) -> subprocess.Popen:
    """Another process (a crawl writing its run) holding the database file for ``seconds``."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_the_write_waits_for_the_crawl_and_gives_up_in_time(stored, renderer):
    site, path = stored
    holder = hold_database(path, 2.0)
    try:
        result = take_screenshot(path, "dinas", "struktur_organisasi", settings=SHOT,
                                 actor=audit.CLI, renderer=renderer, write_wait=30)
    finally:
        holder.wait(timeout=30)
    assert result.taken, result.message
    holder = hold_database(path, 30.0)
    try:
        started = time.monotonic()
        busy = take_screenshot(path, "dinas", "struktur_organisasi", settings=SHOT, actor=audit.CLI,
                               renderer=renderer, write_wait=1.0)
        assert time.monotonic() - started < 15
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert not busy.taken and "sedang ditulis" in busy.message
    with db.read_only(path) as con:
        assert con.execute("SELECT count(*) FROM evidence_screenshots").fetchall() == [(1,)]
