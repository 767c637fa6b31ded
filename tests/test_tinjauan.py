"""The Tinjauan page end to end: `pantau dashboard` (the real CLI, a subprocess) in headless
Chromium (the session's one browser): a bad users file and a wrong password refused and
audited, a reviewer's override shown as an override on the agency page, the ranking, the
matrix and in `pantau db export`, and two reviewers saving the same finding at once.

Run under ``flock /work/wt/heavy.lock`` when several browser tests share the machine."""

from __future__ import annotations

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb
import pytest

from tests import dashboard_fixture as fx
from tests.test_dashboard_browser import WAIT_MS, pantau_command, screenshot, serve
from warehouse import reviewers, scoring

pytestmark = pytest.mark.browser

AT = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
REASON = "dokumen hanya untuk pengguna yang masuk <b>tebal</b> **bintang**"


@pytest.fixture
def city(tmp_path):
    built = fx.build(tmp_path / "pantau.duckdb")
    users_file = tmp_path / "pantau.users.json"
    for name, password in (("budi", "kata-sandi-budi"), ("sari", "kata-sandi-sari")):
        reviewers.add(built.path, users_file, name, password, AT, min_length=10)
    return built


@pytest.fixture
def tab(browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    contexts = []

    def new_tab():
        context = browser.new_context(viewport={"width": 1400, "height": 2000})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        return page

    yield new_tab
    for context in contexts:
        context.close()


def main(page):
    return page.locator('[data-testid="stMain"]')


def open_review(page, url: str, agency: str, category: str) -> None:
    page.goto(f"{url}/tinjauan?agency={agency}&category={category}")
    page.locator('[data-testid="stMain"] h1').first.wait_for()


def sign_in(page, name: str, password: str) -> None:
    page.get_by_label("Nama pengguna").fill(name)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def trail(path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT actor, action FROM audit_log ORDER BY id").fetchall()
    finally:
        con.close()


def first_with(city, agency, status: str) -> str:
    return next(c for c, s in city.latest(agency).items() if s == status)


def test_an_override_signed_in_is_shown_as_one_on_every_page_and_in_the_export(
        city, tab, tmp_path):
    from playwright.sync_api import expect

    category = first_with(city, fx.DISDIK, "missing")
    users_file = tmp_path / "pantau.users.json"
    good = users_file.read_bytes()
    with serve(city.path, tmp_path) as url:
        page = tab()
        open_review(page, url, fx.DISDIK.id, category)
        expect(main(page)).to_contain_text("hanya baca")
        assert page.get_by_role("button", name="Simpan koreksi").count() == 0

        users_file.write_text("{rusak")  # a damaged users file: named, nothing else happens
        sign_in(page, "budi", "kata-sandi-budi")
        expect(main(page)).to_contain_text("berkas pengguna rusak")
        expect(main(page)).to_contain_text("pantau.users.json")
        users_file.write_bytes(good)

        sign_in(page, "budi", "salah-sekali")
        expect(main(page)).to_contain_text("Nama pengguna atau kata sandi salah")
        assert ("pengguna:budi", "signin_failed") in trail(city.path)

        sign_in(page, "budi", "kata-sandi-budi")
        expect(main(page)).to_contain_text("Masuk sebagai peninjau budi")
        expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Peninjau: budi")
        expect(main(page)).to_contain_text("Status berlaku: Tidak ditemukan")
        page.get_by_label("Alasan (wajib; tampil sebagai teks biasa)").fill(REASON)
        page.get_by_role("button", name="Simpan koreksi").click()
        expect(main(page)).to_contain_text("Koreksi disimpan")
        expect(main(page)).to_contain_text("Status berlaku: Ditemukan ✎ (dikoreksi)")
        expect(main(page)).to_contain_text(f"Alasan: {REASON}")  # as text, tags and all
        assert page.locator('[data-testid="stMain"] b').filter(has_text="tebal").count() == 0
        screenshot(page, "tinjauan")

        expected = dict(city.latest(fx.DISDIK), **{category: "found"})
        score = scoring.score(expected, {c.id: c.weight for c in city.cats})
        con = duckdb.connect(str(city.path), read_only=True)
        stored = con.execute("SELECT score FROM latest_scores WHERE agency_id = ?",
                             [fx.DISDIK.id]).fetchall()[0][0]
        con.close()
        assert stored == score

        # A fresh page (signed out): every view shows the override as an override.
        viewer = tab()
        viewer.goto(f"{url}/badan-publik?agency={fx.DISDIK.id}")
        grid = viewer.locator('[data-testid="stDataFrame"]').filter(has_text="dikoreksi").first
        expect(grid).to_contain_text("Ditemukan ✎ (dikoreksi)", use_inner_text=False)
        note = viewer.locator('[data-testid="stText"]').filter(has_text="Dikoreksi oleh budi")
        expect(note).to_contain_text(REASON)  # who, when (WIB) and why, as text
        expect(note).to_contain_text("WIB")
        viewer.goto(f"{url}/")
        expect(viewer.locator('[data-testid="pantau-overridden"]')).to_contain_text(
            "✎ 1 status dikoreksi peninjau")
        viewer.goto(f"{url}/matriks")
        expect(main(viewer)).to_contain_text("✎ dikoreksi oleh peninjau")
        expect(viewer.locator(".js-plotly-plot").first).to_contain_text("✓✎")
        table = viewer.locator('[data-testid="stDataFrame"]').last
        expect(table).to_contain_text("Ditemukan ✎ (dikoreksi)", use_inner_text=False)
        viewer.goto(f"{url}/tinjauan")
        expect(viewer.locator('[data-testid="stDataFrame"]').first).to_contain_text(
            REASON, use_inner_text=False)
        assert viewer.dialogs == [] and page.dialogs == []

    out = tmp_path / "ekspor"
    exported = subprocess.run([*pantau_command(), "db", "export", "--db", str(city.path),
                               "--format", "csv", str(out)], capture_output=True, text=True,
                              timeout=120)
    assert exported.returncode == 0, exported.stderr
    rows = (out / "latest_findings.csv").read_text().splitlines()
    header = rows[0].split(",")
    mine = [r.split(",") for r in rows if r.startswith(f"{fx.DISDIK.id},{category},")]
    assert len(mine) == 1
    row = dict(zip(header, mine[0], strict=False))
    assert (row["status"], row["status_source"], row["detector_status"]) == (
        "found", "override", "missing")
    assert "budi" in (out / "active_overrides.csv").read_text()
    logged = trail(city.path)
    assert ("pengguna:budi", "signin") in logged and ("pengguna:budi", "override") in logged


def test_two_reviewers_saving_the_same_finding_one_wins_the_other_is_told(city, tab, tmp_path):
    from playwright.sync_api import expect

    category = first_with(city, fx.DISDIK, "missing")
    with serve(city.path, tmp_path) as url:
        budi, sari = tab(), tab()
        for page, name in ((budi, "budi"), (sari, "sari")):
            open_review(page, url, fx.DISDIK.id, category)
            sign_in(page, name, f"kata-sandi-{name}")
            expect(main(page)).to_contain_text(f"Masuk sebagai peninjau {name}")
            expect(main(page)).to_contain_text("Status berlaku: Tidak ditemukan")
        budi.get_by_label("Alasan (wajib; tampil sebagai teks biasa)").fill("alasan budi")
        sari.get_by_label("Alasan (wajib; tampil sebagai teks biasa)").fill("alasan sari")
        budi.get_by_role("button", name="Simpan koreksi").click()
        expect(main(budi)).to_contain_text("Koreksi disimpan")
        sari.get_by_role("button", name="Simpan koreksi").click()
        expect(main(sari)).to_contain_text("baru saja ditinjau oleh budi")
        expect(main(sari)).to_contain_text("Isian Anda tidak hilang")
        expect(sari.get_by_label("Alasan (wajib; tampil sebagai teks biasa)")).to_have_value(
            "alasan sari")
        screenshot(sari, "tinjauan-konflik")
        expect(main(sari)).to_contain_text("Alasan: alasan budi")  # what won, shown to her

    con = duckdb.connect(str(city.path), read_only=True)
    try:
        reviews = con.execute("SELECT reviewer, reason, state FROM review_history").fetchall()
        conflict = con.execute("SELECT actor, after FROM audit_log "
                               "WHERE action = 'review_conflict'").fetchall()
    finally:
        con.close()
    assert reviews == [("budi", "alasan budi", "active")]
    assert conflict[0][0] == "pengguna:sari" and "alasan sari" in conflict[0][1]
