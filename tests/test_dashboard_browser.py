"""End to end: `pantau dashboard` (the real CLI, a subprocess) in headless Chromium.

Screenshots go to ``test-output/dashboard/`` at the project root (git-ignored).
Chromium must be at /usr/bin/chromium: without it these tests fail, they do not skip. The
browser is one for the whole session (``browser`` in tests/conftest.py).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from core import palette
from dashboard import charts, launch
from tests import dashboard_fixture as fx
from warehouse import db, load, scoring

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "dashboard"
WAIT_MS = 60_000


@pytest.fixture(autouse=True, scope="module")
def patient_expectations():
    """Assertions wait as long as actions do: on a loaded CI machine a first render can take
    longer than Playwright's default 5 s."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    yield
    expect.set_options(timeout=5_000)

PAGES = {  # url path -> agency names the page must show
    "": [a.name for a in fx.AGENCIES],
    "badan-publik?agency=dinkes": [fx.DINKES.name],
    "matriks": [a.name for a in fx.AGENCIES],
    "perubahan": [fx.DINKES.name, fx.BAPPEDA.name, fx.DISHUB.name],
    "pengingat": [fx.DINKES.name, fx.DISDIK.name, fx.DISHUB.name],
}


def pantau_command() -> list[str]:
    script = Path(sys.executable).with_name("pantau")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from pantau.cli import main; main()"]


def wait_healthy(process: subprocess.Popen, url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"pantau dashboard exited with {process.returncode}"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)  # polling interval of the readiness check, not a wait for a result
    pytest.fail(f"dashboard not healthy at {url} after {timeout}s")


@contextmanager
def serve(path: Path, tmp_path: Path):
    """`pantau dashboard --db PATH --port N` running (checking for new runs every second);
    yields its URL and stops it afterwards."""
    port = launch.free_port()
    log = (tmp_path / "dashboard.log").open("wb")
    env = {**os.environ, "PANTAU_DASHBOARD_REFRESH_SECONDS": "1"}
    process = subprocess.Popen(
        [*pantau_command(), "dashboard", "--db", str(path), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(process, url)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)  # pantau passes it on to streamlit
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail("pantau dashboard did not stop on SIGTERM")
        log.close()
    assert not launch.healthy(url), "the streamlit server outlived `pantau dashboard`"


@pytest.fixture
def dashboard(tmp_path):
    """(city, url): `pantau dashboard --db FILE --port N` running on the fixture database,
    checking for new runs every second."""
    city = fx.build(tmp_path / "pantau.duckdb")
    with serve(city.path, tmp_path) as url:
        yield city, url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


def shown_text(page) -> str:
    """Text of the main area, including the data grids' accessible cells and chart labels."""
    return page.locator('[data-testid="stMain"]').inner_text() + " " + " ".join(
        page.locator('[data-testid="stDataFrame"], .js-plotly-plot').all_text_contents())


def assert_no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def open_page(page, url: str, path: str):
    page.goto(f"{url}/{path}")
    page.locator('[data-testid="stMain"] h1').first.wait_for()
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    return page


def screenshot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_every_page_shows_agencies_and_a_chart(dashboard, page):
    city, url = dashboard
    from playwright.sync_api import expect

    for path, names in PAGES.items():
        open_page(page, url, path)
        for name in names:
            expect(page.locator('[data-testid="stMain"]')).to_contain_text(
                name, use_inner_text=False)
        text = shown_text(page)
        missing = [n for n in names if n not in text]
        assert not missing, f"/{path}: {missing}"
        assert page.locator(".js-plotly-plot .main-svg").count() >= 1
        assert_no_error(page)
        screenshot(page, path.split("?")[0] or "ringkasan")
    # The sidebar navigates between the pages.
    page.get_by_role("link", name="Matriks").click()
    page.wait_for_url(re.compile(r"/matriks$"))
    expect(page.locator("h1").first).to_have_text("Matriks kepatuhan")
    assert page.dialogs == []


def test_crawled_markup_is_shown_as_text_and_never_runs(dashboard, page):
    city, url = dashboard
    from playwright.sync_api import expect

    open_page(page, url, f"badan-publik?agency={fx.XSS.id}")
    heading = page.locator('[data-testid="stMain"] h2').filter(has_text="Dinas Uji")
    expect(heading).to_have_text(fx.XSS.name)  # tags and all, as text
    details = page.locator('[data-testid="stText"]').filter(has_text="Teks bukti")
    expect(details).to_contain_text(fx.SCRIPT)
    expect(page.locator(".js-plotly-plot").first).to_contain_text(fx.XSS.name)
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_contain_text(fx.SCRIPT, use_inner_text=False)
    expect(grid).to_contain_text(fx.IMG, use_inner_text=False)
    assert page.locator('img[src="x"]').count() == 0
    # The javascript: evidence URL is shown as text, never as a link.
    assert page.locator('a[href^="javascript:"]').count() == 0
    expect(page.locator('[data-testid="stText"]').filter(has_text="bukan tautan")).to_contain_text(
        "javascript:alert(1)")
    screenshot(page, "badan-publik-xss")
    for path in ("", "matriks"):  # the ranking grid, the heatmap's axis
        open_page(page, url, path)
        expect(page.locator('[data-testid="stMain"]')).to_contain_text(
            fx.XSS.name, use_inner_text=False)
    injected = page.evaluate(
        "() => [...document.querySelectorAll('script')].filter(s => s.textContent.includes('alert(1)')).length")
    assert injected == 0
    assert page.dialogs == []


def test_a_run_written_while_the_dashboard_is_open_shows_up(dashboard, page):
    city, url = dashboard
    from playwright.sync_api import expect

    open_page(page, url, "")
    main = page.locator('[data-testid="stMain"]')
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("Putaran terakhir: #3")
    expect(main).to_contain_text(fx.DINKES.name, use_inner_text=False)  # the ranking is drawn
    assert fx.NEWCOMER.name not in shown_text(page)

    # Run 4 is written while the page reloads: the dashboard waits for the writer, then shows it.
    statuses = dict(city.runs[-1])
    statuses[fx.NEWCOMER] = fx.cycle(city.cats, "found")
    with db.writing(city.path) as con:
        page.reload()
        load.write_run(con, fx.record(city.cats, statuses, datetime(2026, 11, 9, 2, 0)))
    expect(sidebar).to_contain_text("Putaran terakhir: #4")
    expect(main).to_contain_text(fx.NEWCOMER.name, use_inner_text=False)
    expect(page.locator('[data-testid="stMetric"]').first).to_contain_text(
        str(len(fx.AGENCIES) + 1))
    assert_no_error(page)
    screenshot(page, "ringkasan-run-4")

    # Run 5 is written with no reload at all: the open page notices and redraws itself.
    statuses[fx.UTAMA] = fx.cycle(city.cats, "missing")
    fx.add_run(city.path, city.cats, statuses, datetime(2026, 11, 16, 2, 0))
    expect(sidebar).to_contain_text("Putaran terakhir: #5")
    open_page(page, url, "badan-publik?agency=setda")
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="Predikat")).to_contain_text(
        "Tidak Informatif")
    assert_no_error(page)
    assert page.dialogs == []


LINKY_NAME = "Dinas Uji ppid@uji.go.id www.uji.go.id https://uji.go.id/ppid"


def test_mail_and_web_addresses_in_registry_text_are_not_links(tmp_path, page):
    """Markdown auto-linking: an e-mail address in an agency name must not become a mailto:
    link (nor a www./https:// text a link) anywhere the name is shown as text."""
    city = fx.build(tmp_path / "pantau.duckdb")
    with db.writing(city.path) as con:
        con.execute("UPDATE agencies SET name = ? WHERE id = ?", [LINKY_NAME, fx.XSS.id])
        con.execute("UPDATE agencies SET name = ? WHERE id = 'setda'",
                    ["Sekretariat ppid@setda.go.id"])  # a parent: shown in the caption
    with serve(city.path, tmp_path) as url:
        open_page(page, url, f"badan-publik?agency={fx.XSS.id}")
        main = page.locator('[data-testid="stMain"]')
        heading = main.locator("h2").filter(has_text="Dinas Uji")
        heading.wait_for()
        shown = heading.inner_text().replace("\u2060", "")
        assert shown == LINKY_NAME
        assert main.locator('a[href^="mailto:"]').count() == 0
        assert main.locator('[data-testid="stMarkdownContainer"] a[href*="uji.go.id"]').count() == 0
        assert main.locator('[data-testid="stMarkdownContainer"] a[href*="setda.go.id"]').count() == 0
        assert "ppid@setda.go.id" in main.inner_text().replace("\u2060", "")
        for path in ("", "matriks"):
            open_page(page, url, path)
            assert page.locator('[data-testid="stMain"] a[href^="mailto:"]').count() == 0
        assert_no_error(page)


# Issue 15: the answer above the fold, the report download, the palette, labelled times. ------

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sized(browser, request):
    """A tab of the viewport size given by the test's parameter."""
    context = browser.new_context(viewport=request.param, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    tab.viewport = request.param
    yield tab
    context.close()


@pytest.mark.parametrize("sized", [DESKTOP, PHONE], ids=["desktop", "phone"], indirect=True)
def test_overview_answers_who_is_failing_above_the_fold(dashboard, sized):
    city, url = dashboard
    from playwright.sync_api import expect

    page, height = sized, sized.viewport["height"]
    page.goto(f"{url}/")
    lead = page.locator('[data-testid="pantau-lead"]')
    lead.wait_for()
    page.locator('[data-testid="pantau-standings"]').wait_for()
    expect(lead).to_contain_text("Untuk mencapai Informatif (≥ 90) rata-rata skor masih perlu naik")
    table = page.locator('[data-testid="pantau-standings"]')
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(fx.AGENCIES))
    worst = rows.first
    expect(worst).to_contain_text(fx.DISHUB.name)  # unreachable: first to look at
    expect(rows.nth(1)).to_contain_text(fx.DISDIK.name)  # the lowest score
    expect(rows.nth(1)).to_contain_text("Kurang: ")  # its main gaps
    # Above the fold: the sentence and the worst agencies (phone: the first; desktop: three).
    visible = [rows.nth(i) for i in range(1 if sized.viewport is PHONE else 3)]
    for locator in (lead, *visible):
        box = locator.bounding_box()
        assert box["y"] + box["height"] <= height, f"below the fold at {sized.viewport}"
    # Every row is in the page's own flow: no ancestor up to the main area clips the table.
    clipped = table.evaluate("""t => { const h = t.offsetHeight; let e = t.parentElement;
        while (e && e.getAttribute('data-testid') !== 'stMain') {
          const s = getComputedStyle(e);
          if (s.overflowY !== 'visible' && e.clientHeight + 1 < h) return e.className || e.tagName;
          e = e.parentElement; }
        return null; }""")
    assert clipped is None, f"the list scrolls inside {clipped}"
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= sized.viewport["width"] + 1
    # Band-coloured scores in the colour-blind-safe palette.
    disdik_band = scoring.band(city.score(fx.DISDIK))
    colour = rows.nth(1).locator(".score").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb({}, {}, {})".format(*palette.rgb(palette.band_color(disdik_band)))
    # The run's time is written in WIB.
    expect(page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
           ).to_contain_text("selesai 2 Nov 2026 09.00 WIB")
    screenshot(page, f"ringkasan-{sized.viewport['width']}")
    # A click on the agency opens its page.
    rows.nth(1).get_by_role("link").click()
    page.wait_for_url(re.compile(r"/badan-publik\?agency=disdik$"))
    gaps = page.locator('[data-testid="pantau-gaps"]')
    gaps.wait_for()
    expect(page.locator('[data-testid="stMain"] h2').first).to_have_text(fx.DISDIK.name)
    expect(gaps).to_contain_text("Dasar hukum")


@pytest.mark.parametrize("sized", [DESKTOP], ids=["desktop"], indirect=True)
def test_city_report_downloads_as_a_pdf_that_reads_back(dashboard, sized):
    city, url = dashboard
    import pypdf

    page = sized
    page.goto(f"{url}/")
    button = page.get_by_role("button", name="Unduh laporan kota (PDF)")
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "laporan-kota-putaran-3.pdf"
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(download.path()).pages)
    assert "Laporan kepatuhan PPID kota" in text and "Putaran #3" in text
    assert fx.DISDIK.name in text and "WIB" in text


@pytest.mark.parametrize("sized", [DESKTOP], ids=["desktop"], indirect=True)
def test_matrix_cells_carry_glyphs_names_and_totals(dashboard, sized):
    city, url = dashboard
    from playwright.sync_api import expect

    page = sized
    open_page(page, url, "matriks")
    plot = page.locator(".js-plotly-plot").first
    expect(plot).to_contain_text("✓")
    expect(plot).to_contain_text("Jumlah ditemukan")
    expect(plot).to_contain_text(charts.short_name(city.cats[0].name))
    screenshot(page, "matriks-glyphs")


@pytest.mark.parametrize("sized", [DESKTOP], ids=["desktop"], indirect=True)
def test_printing_the_overview_keeps_the_header_and_every_row(dashboard, sized, tmp_path):
    """The browser's Print (to PDF here) of Ringkasan: every agency, the header on each page."""
    import pypdf

    city, url = dashboard
    page = sized
    page.goto(f"{url}/")
    page.locator('[data-testid="pantau-standings"]').wait_for()
    page.emulate_media(media="print")
    target = tmp_path / "ringkasan.pdf"
    page.pdf(path=str(target), format="A4", print_background=True)
    reader = pypdf.PdfReader(target)
    text = " ".join(p.extract_text() for p in reader.pages)
    for agency in fx.AGENCIES:
        assert agency.name in text, agency.name
    pages_with_rows = [p.extract_text() for p in reader.pages
                       if any(a.name in p.extract_text() for a in fx.AGENCIES)]
    assert all("Badan publik · kekurangan utama" in p for p in pages_with_rows)
