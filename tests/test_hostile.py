"""Hostile servers and files: each case is bounded, refused and explained, and nothing is lost.

Every server is real and on loopback; host names that stand for private, link-local or
metadata addresses resolve through the guard's resolver hook, and connections are opened by a
recording opener that only ever connects to loopback, so the tests prove that no connection
was opened to a refused address without sending a packet off this machine.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from core.settings import CrawlSettings
from pantau.cli import app
from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.guard import AddressGuard, static_resolver
from scrapers.crawling.politeness import HostThrottle
from tests.hostile import HeaderDripServer, RecordingOpener, http_answer
from tests.loopback import LoopbackServer, Reply, html, redirect

FAST = CrawlSettings(
    host_delay=0.0,
    retries=0,
    page_timeout=0.5,
    read_timeout=5.0,
    connect_timeout=2.0,
    site_timeout=20.0,
    use_sitemaps=False,
)


def invoke(*args, env=None):
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def links(*hrefs: str) -> str:
    return "".join(f'<a href="{h}">{h}</a> ' for h in hrefs)


def guarded(registry_url: str, names: dict[str, list[str]], opener: RecordingOpener):
    return AddressGuard.for_registry_url(
        registry_url, resolver=static_resolver(names), opener=opener
    )


# --- 1. one total deadline per request; no starvation of a shared host -----------------


def test_a_stuck_agency_does_not_make_its_neighbour_on_the_same_host_unreachable():
    """Agency A answers its start page and then drips the headers of every other page; B
    (another port of the same host, so the same politeness slot: one connection) is
    healthy. B must be crawled completely, well within its budget."""
    stuck_pages = [f"/p{i}" for i in range(20)]
    start = http_answer(f"<html><body>{links(*stuck_pages)}</body></html>")
    throttle = HostThrottle()
    results: dict[str, object] = {}
    with HeaderDripServer({"/": start, "/robots.txt": http_answer("", "404 Not Found")},
                          interval=0.05) as stuck, \
            LoopbackServer({"/": html(links("/a", "/b", "/c")), "/a": html("a"),
                            "/b": html("b"), "/c": html("c")}) as healthy:
        first_drip = threading.Event()

        def crawl_stuck():
            results["stuck"] = crawl_site(stuck.url("/"), FAST, throttle=throttle)

        def crawl_healthy():
            first_drip.wait(5)
            began = time.monotonic()
            results["healthy"] = crawl_site(healthy.url("/"), FAST, throttle=throttle)
            results["healthy_seconds"] = time.monotonic() - began

        threads = [threading.Thread(target=crawl_stuck), threading.Thread(target=crawl_healthy)]
        threads[0].start()
        wait_until(lambda: stuck.dripping > 0, 5)
        first_drip.set()
        threads[1].start()
        for thread in threads:
            thread.join(30)
    healthy_crawl, stuck_crawl = results["healthy"], results["stuck"]
    assert healthy_crawl.reachable, healthy_crawl.error
    assert {p.url.rsplit("/", 1)[1] for p in healthy_crawl.pages} == {"", "a", "b", "c"}
    assert results["healthy_seconds"] < 8, results["healthy_seconds"]
    # The stuck site is cut per request and then left for the run, with the reason noted.
    timed_out = [p for p in stuck_crawl.pages if (p.error or "").startswith("page_timeout")]
    assert 1 <= len(timed_out) <= FAST.max_timeouts_in_row + 1
    assert any("site stalls" in note for note in stuck_crawl.notes)


def test_start_url_whose_headers_never_end_is_unreachable_in_page_time():
    with HeaderDripServer({"/robots.txt": http_answer("", "404 Not Found")},
                          interval=0.05) as server:
        began = time.monotonic()
        crawl = crawl_site(server.url("/"), FAST, throttle=HostThrottle())
        assert time.monotonic() - began < 3
    assert not crawl.reachable
    assert crawl.error.startswith("page_timeout exceeded")


# --- 2. SSRF: the address guard and the start-redirect rules ---------------------------


def test_start_redirect_to_another_port_on_the_same_machine_is_refused():
    with LoopbackServer({"/": html("<title>admin panel</title>")}) as other, \
            LoopbackServer({"/": redirect(other.url("/"))}) as site:
        crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle())
        assert other.paths() == []
    assert not crawl.reachable
    assert crawl.error.startswith("redirect refused: port")
    assert crawl.pages == []


def test_start_redirect_to_the_metadata_address_opens_no_connection():
    opener = RecordingOpener()
    with LoopbackServer() as site:
        port = site.port
        site.route("/", redirect("http://meta.kota.test/latest/meta-data/"))
        site.route("/robots.txt", Reply(404, b""))
        guard = guarded(
            f"http://kota.test:{port}/",
            {"kota.test": ["127.0.0.1"], "meta.kota.test": ["169.254.169.254"]},
            opener,
        )
        crawl = crawl_site(f"http://kota.test:{port}/", FAST, throttle=HostThrottle(),
                           guard=guard)
    assert opener.hosts() == {"127.0.0.1"}
    assert not crawl.reachable
    assert "169.254.169.254 is link-local" in crawl.error

    opener = RecordingOpener()
    with LoopbackServer({"/": redirect("http://169.254.169.254/latest/")}) as site:
        crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle(),
                           guard=AddressGuard.for_registry_url(site.url("/"), opener=opener))
    assert opener.hosts() == {"127.0.0.1"}
    assert crawl.error.startswith("redirect refused")


def test_document_probes_and_sitemaps_on_refused_addresses_open_no_connection():
    opener = RecordingOpener()
    names = {
        "kota.test": ["127.0.0.1"],
        "intranet.kota.test": ["10.0.0.5"],
        "meta.kota.test": ["169.254.169.254"],
        "mapped.kota.test": ["::ffff:192.168.1.1"],
        "rebind.kota.test": ["127.0.0.1", "10.9.9.9"],
    }
    docs = [
        "http://intranet.kota.test/laporan.pdf",
        "http://meta.kota.test/latest/meta-data/iam.pdf",
        "http://mapped.kota.test/dip.pdf",
        "http://rebind.kota.test/sk.pdf",
    ]
    with LoopbackServer() as site:
        port = site.port
        site.route("/", html(links(*docs, "/ok.pdf")))
        site.route("/ok.pdf", Reply(200, b"%PDF-1.4\n" + b"x" * 100,
                                    content_type="application/pdf"))
        site.route("/robots.txt", Reply(200, "Sitemap: http://meta.kota.test/sitemap.xml\n",
                                        content_type="text/plain"))
        settings = CrawlSettings(**{**FAST.__dict__, "use_sitemaps": True})
        crawl = crawl_site(f"http://kota.test:{port}/", settings, throttle=HostThrottle(),
                           guard=guarded(f"http://kota.test:{port}/", names, opener))
    assert opener.hosts() == {"127.0.0.1"}
    assert crawl.reachable
    assert crawl.documents[f"http://kota.test:{port}/ok.pdf"].ok
    for url in docs:
        check = crawl.documents[url]
        assert not check.ok
        assert check.reason.startswith("address refused"), check.reason


def test_loopback_test_world_and_same_domain_moves_keep_working():
    """The registry's own class (loopback here) is allowed: a start URL that moves to https
    on 443 is out of reach on loopback, so the move tested is to the registry's port."""
    opener = RecordingOpener()
    with LoopbackServer() as site:
        port = site.port
        site.route("/", redirect(f"http://ppid.kota.test:{port}/ppid"))
        site.route("/ppid", html(links("/ppid/dip")))
        site.route("/ppid/dip", html("dip"))
        names = {"kota.test": ["127.0.0.1"], "ppid.kota.test": ["127.0.0.1"]}
        crawl = crawl_site(f"http://kota.test:{port}/", FAST, throttle=HostThrottle(),
                           guard=guarded(f"http://kota.test:{port}/", names, opener))
    assert crawl.reachable, crawl.error
    assert len(crawl.pages) == 2


def wait_until(condition, seconds: float) -> None:
    """Poll ``condition`` (a server-side fact) until true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        threading.Event().wait(0.01)


# --- 3. a site that refuses the monitor is unreachable ("diblokir"), not empty ---------


def test_start_page_401_or_403_is_blocked_not_missing():
    for status in (401, 403):
        with LoopbackServer(default=html("<h1>Access denied</h1>", status=status)) as site:
            crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle())
        assert not crawl.reachable
        assert crawl.error.startswith(f"diblokir: HTTP {status}")


def test_waf_that_lets_only_the_first_request_through_is_blocked():
    pages = [f"/p{i}" for i in range(5)]
    routes = {"/": html(links(*pages)), "/robots.txt": Reply(404, b"")}
    with LoopbackServer(routes, default=html("Forbidden", status=403)) as site:
        crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle())
    assert not crawl.reachable
    assert crawl.error.startswith("diblokir: HTTP 403")


def test_a_few_forbidden_pages_on_an_open_site_are_just_failed_pages():
    routes = {"/": html(links("/admin", "/a", "/b")), "/a": html("a"), "/b": html("b"),
              "/admin": html("no", status=403), "/robots.txt": Reply(404, b"")}
    with LoopbackServer(routes) as site:
        crawl = crawl_site(site.url("/"), FAST, throttle=HostThrottle())
    assert crawl.reachable


# --- 4. bad database files: one line naming the file and the cause, nothing changed ----

BAD_FILES = {
    "text": lambda p: p.write_text("agency_id,score\nkominfo,87\n"),
    "empty": lambda p: p.write_bytes(b""),
    "directory": lambda p: p.mkdir(),
    "sqlite": lambda p: _sqlite_file(p),
}
CAUSES = {
    "text": "bukan basis data DuckDB",
    "empty": "berkas kosong",
    "directory": "berupa folder",
    "sqlite": "basis data SQLite",
}


def _sqlite_file(path):
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE agencies (id TEXT)")
    con.commit()
    con.close()


def _snapshot(path):
    if path.is_dir():
        return sorted(p.name for p in path.iterdir())
    return path.read_bytes()


def _commands(db, tmp_path):
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "agencies:\n  - {id: kominfo, name: Diskominfo, url: 'http://127.0.0.1:9/', "
        "role: utama, email: ppid@kota.test}\n"
    )
    return {
        "crawl": ["crawl", "--registry", registry, "--db", db],
        "remind": ["remind", "--db", db, "--dry-run"],
        "export": ["db", "export", tmp_path / "out", "--db", db],
        "migrate": ["db", "migrate", "--db", db],
        "dashboard": ["dashboard", "--db", db],
    }


PREFECT_LOG_LINE = re.compile(r"^(\d\d:\d\d:\d\d\.\d+ \| |\[\d+/\d+\] )")
"""Prefect's own progress lines around a flow run (crawl); the command's message is apart."""


def _one_line_error(result, db, cause):
    lines = [line for line in result.output.splitlines()
             if line.strip() and not PREFECT_LOG_LINE.match(line)]
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert len(lines) == 1, result.output
    assert str(db) in lines[0] and cause in lines[0], lines[0]


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_every_command_names_a_bad_database_file_and_leaves_it_alone(tmp_path, kind):
    db = tmp_path / "pantau.duckdb"
    BAD_FILES[kind](db)
    before = _snapshot(db)
    for name, args in _commands(db, tmp_path).items():
        result = invoke(*args)
        _one_line_error(result, db, CAUSES[kind] if name != "dashboard" else CAUSES[kind])
        assert _snapshot(db) == before, name
    assert not (tmp_path / "pantau.duckdb.wal").exists()


def test_opening_a_sqlite_file_downloads_no_extension(tmp_path):
    """Item 5: every connection has extension autoload/autoinstall off; even bypassing the
    file check, DuckDB must refuse rather than fetch the sqlite scanner."""
    import duckdb

    from warehouse import db as warehouse_db

    path = tmp_path / "legacy.db"
    _sqlite_file(path)
    extensions = Path.home() / ".duckdb" / "extensions"
    had = sorted(extensions.rglob("*")) if extensions.exists() else []
    with pytest.raises(duckdb.Error, match="(?i)extension"):
        duckdb.connect(str(path), config=warehouse_db.CONFIG)
    now = sorted(extensions.rglob("*")) if extensions.exists() else []
    assert now == had
    con = warehouse_db.connect(tmp_path / "ok.duckdb")
    try:
        settings = dict(con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('autoload_known_extensions', 'autoinstall_known_extensions')").fetchall())
    finally:
        con.close()
    assert settings == {"autoload_known_extensions": "false",
                        "autoinstall_known_extensions": "false"}


@pytest.fixture
def small_disk(tmp_path):
    """A real 24 MB tmpfs mounted for this test (root only; skipped where mounting is not
    allowed), unmounted afterwards."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _database_with_one_run(path):
    from tests import factories as f
    from warehouse import db as warehouse_db
    from warehouse import load

    con = warehouse_db.connect(path)
    try:
        cats = f.categories(4)
        load.write_run(con, f.run(cats, {f.agency("kominfo", role="utama"): {
            "c0": "found", "c1": "found", "c2": "missing", "c3": "stale"}}))
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _runs(path):
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return (con.execute("SELECT id, status FROM runs ORDER BY id").fetchall(),
                con.execute("SELECT agency_id, run_id FROM latest_scores").fetchall())
    finally:
        con.close()


def test_read_only_file_system_is_named_by_every_writing_command(small_disk, tmp_path):
    import subprocess

    from dashboard import launch

    db = small_disk / "pantau.duckdb"
    _database_with_one_run(db)
    before = db.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    commands = _commands(db, tmp_path)
    for name in ("crawl", "migrate"):
        _one_line_error(invoke(*commands[name]), db, "read-only file system")
    # remind logs each message before sending it: refused before anything is sent.
    smtp = {"PANTAU_SMTP_HOST": "127.0.0.1", "PANTAU_SMTP_PORT": "9"}
    _one_line_error(invoke("remind", "--db", db, env=smtp), db, "read-only file system")
    # Reading still works from a read-only disk: a dry run, export, the dashboard's check.
    for name in ("remind", "export"):
        result = invoke(*commands[name])
        assert result.exit_code == 0, result.output
    assert launch.check_database(db) == db
    assert db.read_bytes() == before


@pytest.mark.slow
def test_full_disk_names_the_real_cause_and_keeps_the_previous_run(
        small_disk, tmp_path, prefect_api):
    db = small_disk / "pantau.duckdb"
    _database_with_one_run(db)
    runs_before = _runs(db)
    pages = {f"/p{i}": html(f"<title>Laporan {i}</title>" + "isi " * 3000) for i in range(30)}
    with LoopbackServer({"/": html(links(*pages)), **pages}) as site:
        registry = tmp_path / "registry.yaml"
        registry.write_text(f"agencies:\n  - {{id: kominfo, name: Diskominfo, url: '{site.url()}',"
                            " role: utama, email: ppid@kota.test}\n")
        settings = tmp_path / "settings.yaml"
        settings.write_text("crawl:\n  host_delay: 0\n  retries: 0\n"
                            "schedule:\n  agency_task_retries: 0\n")
        filler = _fill(small_disk)
        result = invoke("crawl", "--registry", registry, "--db", db, "--settings", settings)
    _one_line_error(result, db, "No space left on device")
    assert "cannot rollback" not in result.output
    filler.unlink()
    runs, scores = _runs(db)
    assert scores == runs_before[1]  # the views show the previous run, nothing partial
    assert [r for r in runs if r[1] == "completed"] == runs_before[0]


def _fill(folder):
    """Fill the file system that holds ``folder`` to the last byte."""
    import os

    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


@pytest.mark.slow
def test_blocked_site_gets_no_score_no_reminder_and_the_digest_says_what_to_ask(
        tmp_path, prefect_api):
    import duckdb

    from core.settings import CrawlSettings as Defaults

    open_site = {"/": html("<h1>PPID Diskominfo</h1>"), "/robots.txt": Reply(404, b"")}
    waf = html("<h1>403 Forbidden</h1><p>Request blocked by WAF</p>", status=403)
    with LoopbackServer(open_site) as utama_site, LoopbackServer(default=waf) as blocked_site:
        registry = tmp_path / "registry.yaml"
        registry.write_text(
            "agencies:\n"
            f"  - {{id: kominfo, name: Diskominfo, url: '{utama_site.url()}', role: utama,"
            " email: ppid@kominfo.test}\n"
            f"  - {{id: dinkes, name: Dinas Kesehatan, url: '{blocked_site.url()}',"
            " role: pelaksana, parent: kominfo, email: ppid@dinkes.test}\n")
        settings = tmp_path / "settings.yaml"
        settings.write_text("crawl:\n  host_delay: 0\n  retries: 0\n"
                            "schedule:\n  agency_task_retries: 0\n")
        db = tmp_path / "pantau.duckdb"
        result = invoke("crawl", "--registry", registry, "--db", db, "--settings", settings)
        assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        reachable, error, score = con.execute(
            "SELECT reachable, error, score FROM agency_runs WHERE agency_id = 'dinkes'"
        ).fetchall()[0]
        statuses = {r[0] for r in con.execute(
            "SELECT status FROM latest_findings WHERE agency_id = 'dinkes'").fetchall()}
    finally:
        con.close()
    assert not reachable and score is None
    assert error.startswith("diblokir: HTTP 403")
    assert statuses == {"unreachable"}
    result = invoke("remind", "--db", db, "--dry-run", "--settings", settings)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Kepada   : ppid@dinkes.test" not in out  # no reminder to a site we could not check
    assert "Pesan 2/2" in out, out
    digest = out[out.index("Pesan 2/2"):]
    assert "Dinas Kesehatan" in digest and "diblokir: HTTP 403" in digest
    assert Defaults().user_agent in digest and "User-Agent" in digest


# --- 8. kill -9 in the middle of a national write: the previous run, nothing partial ---

WRITER = r"""
import sys, time
from datetime import datetime
from tests import factories as f
from warehouse import db, load

path, agencies, hold_after = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cats = f.categories(30)
cycle = ("found", "missing", "stale", "broken")
when = datetime(2026, 11, 9, 2, 0)
# Four shared finding lists (findings are read, never changed, by write_run): cheap to build.
shapes = [f.outcome(f.agency("x"), {c.id: cycle[(k + j) % 4] for j, c in enumerate(cats)},
                    when).findings for k in range(4)]
outcomes = [load.AgencyOutcome(agency=f.agency(f"opd{i:05d}"), findings=shapes[i % 4],
                               checked_at=when) for i in range(agencies)]
record = load.RunRecord(started_at=when, finished_at=when, categories=cats,
                        outcomes=outcomes, registry="national.yaml")
real_copy = load._copy

def announced(con, table, *args):
    real_copy(con, table, *args)
    print("inserted", table, flush=True)
    if table == hold_after:  # keep the transaction open here until the parent kills us
        time.sleep(120)

load._copy = announced
con = db.connect(path)
print("writing", flush=True)
load.write_run(con, record)
print("committed", flush=True)
"""


def _previous_run_db(path):
    from tests import factories as f
    from warehouse import db as warehouse_db
    from warehouse import load

    con = warehouse_db.connect(path)
    try:
        cats = f.categories(30)
        load.write_run(con, f.run(cats, {f.agency(f"opd{i:05d}"): {c.id: "found" for c in cats}
                                         for i in range(3)}))
    finally:
        con.close()


def _state(path):
    from warehouse import db as warehouse_db

    with warehouse_db.read_only(path) as con:
        return {
            "runs": con.execute("SELECT id, status FROM runs ORDER BY id").fetchall(),
            "scores": con.execute("SELECT count(*), max(run_id) FROM latest_scores").fetchall(),
            "findings": con.execute(
                "SELECT run_id, count(*) FROM findings GROUP BY run_id ORDER BY run_id").fetchall(),
            "agency_runs": con.execute(
                "SELECT run_id, count(*) FROM agency_runs GROUP BY run_id ORDER BY run_id"
            ).fetchall(),
        }


def _write_and_kill(path, hold_after, kill_on):
    import os
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "30000", hold_after],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    seen = []
    try:
        for line in child.stdout:
            seen.append(line.strip())
            if line.strip() == kill_on:
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        child.kill()
        child.wait(30)
    assert kill_on in seen, (seen, child.stderr.read())
    assert child.returncode == -signal.SIGKILL
    return seen


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_30000_agency_write_keeps_the_previous_run(tmp_path):
    """The transaction holds 900,000 findings (DuckDB writes such a transaction's blocks to
    the file before COMMIT) when the writer is killed: reopening shows run 1, nothing of 2."""
    from warehouse import db as warehouse_db

    path = tmp_path / "pantau.duckdb"
    _previous_run_db(path)
    before = _state(path)
    _write_and_kill(path, hold_after="findings", kill_on="inserted findings")
    assert _state(path) == before
    with warehouse_db.writing(path) as con:  # still writable: the next run goes in
        assert warehouse_db.scalar(con, "SELECT count(*) FROM agencies") == 3


@pytest.mark.slow
def test_kill_9_racing_the_end_of_a_30000_agency_write_is_all_or_nothing(tmp_path):
    path = tmp_path / "pantau.duckdb"
    _previous_run_db(path)
    before = _state(path)
    _write_and_kill(path, hold_after="none", kill_on="inserted findings")  # its last table
    after = _state(path)
    if after != before:  # the COMMIT made it: then all of run 2 is there
        assert after["runs"] == [(1, "completed"), (2, "completed")]
        assert after["scores"] == [(30000, 2)]
        assert after["findings"] == [(1, 90), (2, 900000)]
        assert after["agency_runs"] == [(1, 3), (2, 30000)]
