"""Declared evidence end to end with real parts: a crawl of a loopback site (real Prefect,
DuckDB file), a reminder over a real SMTP server whose link opens the form of `pantau
dashboard` in headless Chromium, the OPD's submission, the next crawl confirming it; and the
refused cases through the same browser (forged, replayed, expired, other-agency tokens; URLs
not http(s) or on another host), each audited while nothing else changes.

Run under ``flock /work/wt/heavy.lock`` when several browser tests share the machine."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import duckdb
import pytest

from core.checklist import load_checklist
from core.clock import local_now
from core.settings import load_settings
from core.tokens import issue_token
from flows.crawl import crawl_all
from reminders import run_reminders
from tests import claims_site
from tests.conftest import TODAY
from tests.reminders_helpers import smtp_server
from tests.test_dashboard_browser import WAIT_MS, serve

pytestmark = pytest.mark.browser

SECRET = "kunci-rahasia-klaim-uji-e2e"
LHKPN = load_checklist().get("lhkpn").name


def query(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def stored(db):
    """What a refusal must leave alone: declarations and spent tokens."""
    return query(db, "SELECT (SELECT count(*) FROM declarations), (SELECT count(*) FROM token_uses)")[0]


def refusals(db):
    return [r[0] for r in query(db, "SELECT note FROM audit_log WHERE action = "
                                    "'declaration_refused' ORDER BY id")]


@pytest.fixture
def tab(browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    context = browser.new_context(viewport={"width": 1300, "height": 2000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()
    expect.set_options(timeout=5_000)


def main_text(page):
    return page.locator('[data-testid="stMain"]')


def field(page, label):
    return page.get_by_role("textbox", name=label, exact=True)


def submit(page, url, note=""):
    field(page, f"Alamat (URL): {LHKPN}").fill(url)
    if note:
        field(page, f"Keterangan: {LHKPN}").fill(note)
    page.get_by_role("button", name="Kirim klaim bukti").click()


def test_reminder_link_form_submission_and_next_crawl_confirm_it(
        prefect_api, tmp_path, fast_settings_file, tab, monkeypatch):
    from playwright.sync_api import expect

    db = tmp_path / "pantau.duckdb"
    monkeypatch.setenv("PANTAU_CLAIM_SECRET", SECRET)  # the dashboard process inherits it
    with claims_site.site() as site:
        registry = claims_site.registry(tmp_path / "registry.yaml", site)
        crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                  today=TODAY)
        assert query(db, "SELECT status FROM latest_findings WHERE category_id = 'lhkpn'") == [
            ("missing",)]
        with serve(db, tmp_path) as dashboard_url:
            # 1. The reminder goes out over real SMTP with a signed link to the form.
            with smtp_server() as (smtp, port):
                settings = load_settings(env={
                    "PANTAU_SMTP_HOST": "127.0.0.1", "PANTAU_SMTP_PORT": str(port),
                    "PANTAU_SMTP_FROM": "pantau@kominfo.kota.test",
                    "PANTAU_DASHBOARD_URL": dashboard_url, "PANTAU_CLAIM_SECRET": SECRET})
                summary = run_reminders(db, settings)
            assert summary.sent == 1
            (mail,) = smtp.messages
            text = mail.part("plain")
            links = re.findall(r"(http://127\.0\.0\.1:\d+/klaim\?agency=contoh&token=\S+)", text)
            assert len(links) == 1, text
            link = links[0]
            assert f'href="{link.replace("&", "&amp;")}"' in mail.part("html")

            # 2. The OPD opens it: its agency, its missing categories.
            tab.goto(link)
            expect(main_text(tab)).to_contain_text("Badan publik: Dinas Contoh Kota Uji")
            expect(field(tab, f"Alamat (URL): {LHKPN}")).to_be_visible()

            # 3. A URL on another host is refused; nothing stored, the token not spent.
            submit(tab, "http://127.0.0.2:80/lhkpn.pdf")
            expect(main_text(tab)).to_contain_text("bukan situs badan publik ini")
            submit(tab, "ftp://127.0.0.1/lhkpn.pdf")
            expect(main_text(tab)).to_contain_text("bukan alamat http(s)")
            assert stored(db) == (0, 0)
            assert len(refusals(db)) == 2

            # 4. The right URL is accepted (shown back as text), the token spent.
            declared = site.url("/arsip/dokumen")
            submit(tab, declared, note="<b>tabel</b> baris 1")
            expect(main_text(tab)).to_contain_text("Klaim bukti diterima")
            expect(main_text(tab)).to_contain_text(f"{LHKPN}: {declared}")
            assert stored(db) == (1, 1)
            assert query(db, "SELECT note, source, declared_by FROM declarations") == [
                ("<b>tabel</b> baris 1", "form", "opd:contoh")]

            # 5. The same link again: replayed.
            replay = tab.context.new_page()
            replay.goto(link)
            expect(main_text(replay)).to_contain_text("Tautan ini sudah dipakai")
            replay.close()

            # 6. Forged, expired and other-agency links, each refused and audited.
            now = local_now(settings)
            fresh = issue_token(SECRET, "contoh", now, 14)
            base = f"{dashboard_url}/klaim?agency="
            cases = [
                (f"{base}contoh&token={quote(fresh[:-3] + 'AAA')}", "Tautan tidak sah"),
                (f"{base}contoh&token={quote(issue_token('kunci-lain', 'contoh', now, 14))}",
                 "Tautan tidak sah"),
                (f"{base}contoh&token={quote(issue_token(SECRET, 'contoh', now - timedelta(days=20), 14))}",
                 "Tautan sudah kedaluwarsa"),
                (f"{base}dinkes&token={quote(fresh)}", "badan publik lain"),
                (f"{dashboard_url}/klaim", "hanya dapat dibuka melalui tautan"),
            ]
            for url, expected in cases:
                page = tab.context.new_page()
                page.goto(url)
                expect(main_text(page)).to_contain_text(expected)
                expect(field(page, f"Alamat (URL): {LHKPN}")).to_have_count(0)
                page.close()
            assert stored(db) == (1, 1)
            assert len(refusals(db)) == 2 + 1 + 4  # the form's two, the replay, four bad links

            # 7. The agency page lists the claim, not checked yet.
            agency_page = tab.context.new_page()
            agency_page.goto(f"{dashboard_url}/badan-publik?agency=contoh")
            expect(main_text(agency_page)).to_contain_text(
                f"{LHKPN}: {declared} — belum diperiksa")

            # 8. The next crawl fetches the declared URL and confirms it; the page says so.
            crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                      today=TODAY)
            agency_page.reload()
            expect(main_text(agency_page)).to_contain_text(f"{LHKPN}: {declared} — terverifikasi")
            agency_page.close()
    assert query(db, "SELECT status, status_source, detector_status FROM latest_findings "
                     "WHERE category_id = 'lhkpn'") == [("found", "declared", "missing")]
    assert query(db, "SELECT confirmed FROM declaration_checks") == [(True,)]
