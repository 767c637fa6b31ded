"""The evidence view on the agency page (Streamlit AppTest on a real DuckDB file from a real
loopback crawl): the bundle shown as text, and the screenshot button taking a real screenshot
with the session's browser and showing it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data, signin
from scrapers.crawling.render import browser_problem
from tests.test_dashboard_browser import page  # noqa: F401 - a fixture (the session's browser)
from tests.test_evidence import FAST, Site, crawl_and_store
from warehouse import db, reviewers

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"


@pytest.fixture
def stored(tmp_path):
    site = Site()
    path = tmp_path / "pantau.duckdb"
    with db.writing(path) as con:
        crawl_and_store(con, site)
    yield site, path
    site.server.close()


def open_evidence(path: Path, monkeypatch, category: str, reviewer: str | None = None) -> AppTest:
    monkeypatch.setenv(data.DB_ENV, str(path))
    monkeypatch.setenv("PANTAU_CRAWL_HOST_DELAY", "0")
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params["agency"] = "dinas"
    if reviewer:
        at.session_state[signin.SESSION_KEY] = reviewer  # signed in (dashboard.signin)
    at.run()
    at.switch_page("views/badan_publik.py").run()
    at.selectbox(key="evidence_dinas").set_value(category).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_text(at: AppTest) -> str:
    return "\n".join(t.value for t in at.text)


def test_the_agency_page_shows_the_bundle_as_text(stored, monkeypatch):
    site, path = stored
    at = open_evidence(path, monkeypatch, "kinerja")
    text = shown_text(at)
    assert "Status HTTP: 200" in text and "Jenis isi: application/pdf" in text
    assert f"SHA-256: {hashlib.sha256(site.lkjip).hexdigest()} (seluruh isi)" in text
    assert f"1. {site.url('/dokumen')} (halaman yang menautkan)" in text
    assert f"3. {site.url('/storage/2025/lkjip.pdf')} (alamat akhir)" in text
    assert "WIB" in text
    # Not signed in: read-only, no button.
    assert not [b for b in at.button if b.key and b.key.startswith("screenshot_")]
    assert any("Masuk sebagai peninjau" in c.value for c in at.caption)


@pytest.mark.skipif(browser_problem(FAST) is not None, reason="no browser")
def test_the_button_takes_a_screenshot_and_the_page_shows_it(stored, monkeypatch, renderer):
    site, path = stored
    at = open_evidence(path, monkeypatch, "struktur_organisasi", reviewer="rina")
    assert at.get("image") == []
    at.button(key="screenshot_dinas/struktur_organisasi").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success][0].startswith("Tangkapan layar disimpan")
    assert len(at.get("image")) == 1
    text = shown_text(at)
    assert "Tangkapan layar: bukti/putaran-1/" in text and "oleh pengguna:rina" in text
    with db.read_only(path) as con:
        assert con.execute("SELECT taken_by FROM evidence_screenshots").fetchall() == [
            ("pengguna:rina",)]
        assert con.execute("SELECT actor, action FROM audit_log").fetchall() == [
            ("pengguna:rina", "screenshot")]
    # A PDF's button says the screenshot does not apply; nothing is stored.
    at.selectbox(key="evidence_dinas").set_value("kinerja").run()
    at.button(key="screenshot_dinas/kinerja").click().run()
    assert "tidak berlaku" in [s.value for s in at.info][-1]
    with db.read_only(path) as con:
        assert con.execute("SELECT count(*) FROM evidence_screenshots").fetchall() == [(1,)]


@pytest.mark.browser
def test_in_a_real_browser_the_button_photographs_the_evidence_page(stored, tmp_path, page,  # noqa: F811
                                                                    monkeypatch):
    """`pantau dashboard` (a subprocess) in the session's headless Chromium: the reviewer
    opens the agency page, reads the bundle and presses the button; the dashboard's own
    crawler browser photographs the loopback evidence page and the picture appears."""
    from playwright.sync_api import expect

    from tests.test_dashboard_browser import WAIT_MS, assert_no_error, serve

    site, path = stored
    users_file = tmp_path / "users.json"
    reviewers.add(path, users_file, "rina", "kata-sandi-rahasia", datetime.now(UTC),
                  min_length=10)
    monkeypatch.setenv("PANTAU_CRAWL_HOST_DELAY", "0")
    monkeypatch.setenv("PANTAU_REVIEW_USERS_FILE", str(users_file))
    monkeypatch.setenv("PANTAU_REVIEW_SIGNIN_DELAY", "0")
    with serve(path, tmp_path) as url:
        page.goto(f"{url}/tinjauan")
        page.get_by_label("Nama pengguna").fill("rina")
        page.get_by_label("Kata sandi").fill("kata-sandi-rahasia")
        page.get_by_role("button", name="Masuk").click()
        expect(page.locator('[data-testid="stMain"]')).to_contain_text(
            "Masuk sebagai peninjau rina", timeout=WAIT_MS)
        page.get_by_role("link", name="Badan Publik").click()  # same session: still signed in
        main = page.locator('[data-testid="stMain"]')
        expect(main).to_contain_text("Rincian bukti", timeout=WAIT_MS)
        bundle = page.locator('[data-testid="stText"]').filter(has_text="Rantai URL")
        expect(bundle).to_contain_text(site.url("/profil/struktur-organisasi"))
        expect(bundle).to_contain_text("SHA-256 bukti")
        page.get_by_role("button", name="Ambil tangkapan layar halaman bukti").click()
        expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text(
            "Tangkapan layar disimpan", timeout=WAIT_MS)
        expect(page.locator('[data-testid="stImage"] img')).to_have_count(1)
        assert_no_error(page)
    with db.read_only(path) as con:
        assert con.execute("SELECT taken_by FROM evidence_screenshots").fetchall() == [
            ("pengguna:rina",)]
    assert (path.parent / "bukti" / "putaran-1").is_dir()
