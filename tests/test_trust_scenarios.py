"""Issue 13 end to end: loopback sites that flap, change template, remove a document for
real, answer 403 to everything or stay down, crawled by the real ``crawl_all`` flow into a
real DuckDB file; reminders over real SMTP (aiosmtpd) follow only confirmed gaps."""

from __future__ import annotations

import duckdb
import pytest

from flows.crawl import crawl_all
from reminders.service import run_reminders
from tests.conftest import TODAY
from tests.reminders_helpers import smtp_server, smtp_settings
from tests.trust_site import FOUND, TrustSite

pytestmark = pytest.mark.slow


def query(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture
def settings_file(tmp_path):
    """Fast loopback crawling without the crawler's own retries, so that one 503 reaches
    detection (what confirmation is for)."""
    path = tmp_path / "settings.yaml"
    path.write_text(
        "crawl:\n  host_delay: 0.0\n  connect_timeout: 3\n  read_timeout: 5\n"
        "  page_timeout: 10\n  retries: 0\n  use_sitemaps: false\n"
        "schedule:\n  agency_task_retries: 0\n", encoding="utf-8")
    return path


class World:
    """The PPID Utama (a stable site) and one PPID Pelaksana (the site under test)."""

    def __init__(self, tmp_path, settings_file):
        self.tmp, self.settings_file = tmp_path, settings_file
        self.db = tmp_path / "pantau.duckdb"
        self.utama, self.dinas = TrustSite(), TrustSite()

    def __enter__(self):
        self.utama.__enter__()
        self.dinas.__enter__()
        self.dinas_url = self.dinas.url("/")
        return self

    def __exit__(self, *exc):
        self.utama.__exit__(*exc)
        self.dinas.__exit__(*exc)

    def crawl(self) -> int:
        registry = self.tmp / "registry.yaml"
        registry.write_text(
            "agencies:\n"
            f"  - {{id: utama, name: Diskominfo Kota Contoh, url: '{self.utama.url('/')}', "
            "email: ppid@utama.test, role: utama, parent: ''}\n"
            f"  - {{id: dinas, name: Dinas Contoh, url: '{self.dinas_url}', "
            "email: ppid@dinas.test, role: pelaksana, parent: utama}\n", encoding="utf-8")
        return crawl_all(registry=str(registry), db=str(self.db),
                         settings_file=str(self.settings_file), today=TODAY)

    def finding(self, category: str) -> tuple:
        return query(self.db, "SELECT status, detector_status, confirmed, evidence_url "
                              "FROM latest_findings WHERE agency_id = 'dinas' AND category_id = ?",
                     [category])[0]

    def statuses(self) -> dict[str, str]:
        return dict(query(self.db, "SELECT category_id, status FROM latest_findings "
                                   "WHERE agency_id = 'dinas'"))


@pytest.fixture
def world(tmp_path, settings_file):
    with World(tmp_path, settings_file) as w:
        yield w


def found(statuses: dict[str, str]) -> set[str]:
    return {c for c, s in statuses.items() if s == "found"}


def test_a_document_that_answers_503_once_is_never_reported_removed(prefect_api, world):
    world.crawl()
    assert found(world.statuses()) == set(FOUND)
    world.dinas.flaky["/files/dip.pdf"] = 1
    world.crawl()
    # Asked again later in the run, it answers: detection runs again on the answer.
    status, detector, confirmed, url = world.finding("dip")
    assert (status, detector, confirmed) == ("found", "found", True)
    assert url == world.dinas.document_url("dip")
    assert query(world.db, "SELECT url, ok FROM evidence_checks") == [(url, True)]
    assert query(world.db, "SELECT count(*) FROM pending_drops")[0][0] == 0
    # A listing page that fails once: every category drops, the old evidence still answers,
    # nothing is reported removed; a fall explained by the failure, not a site change.
    world.dinas.flaky["/ppid"] = 1
    world.crawl()
    assert found(world.statuses()) == set(FOUND)
    assert {r for (r,) in query(world.db, "SELECT held_reason FROM pending_drops "
                                          "WHERE agency_id = 'dinas'")} == {"evidence_live"}
    changed, note = query(world.db, "SELECT site_changed, health_note FROM site_health "
                                    "WHERE agency_id = 'dinas' ORDER BY run_id DESC LIMIT 1")[0]
    assert not changed and "gagal dimuat" in note
    scores = [s for (s,) in query(world.db, "SELECT score FROM score_history "
                                            "WHERE agency_id = 'dinas' ORDER BY run_id")]
    assert len(set(scores)) == 1, "a passing fault moves no score"


def test_a_new_template_over_the_same_documents_is_a_site_change_and_holds_reminders(
        prefect_api, world):
    world.crawl()
    world.dinas.template = "new"
    world.crawl()
    assert found(world.statuses()) == set(FOUND)
    changed, platform, before, note = query(
        world.db, "SELECT site_changed, platform, previous_platform, health_note FROM site_health "
                  "WHERE agency_id = 'dinas' ORDER BY run_id DESC LIMIT 1")[0]
    assert changed and (before, platform) == ("wordpress", "laravel")
    assert "7 dari 7 bukti lama masih dapat dibuka" in note or "bukti lama" in note
    with smtp_server() as (inbox, port):
        run_reminders(world.db, smtp_settings(port, min_interval_days=0), today=TODAY)
    assert inbox.for_agency("dinas") == []
    reason = query(world.db, "SELECT reason FROM reminders WHERE agency_id = 'dinas'")[0][0]
    assert "situs berubah" in reason


def test_a_document_removed_for_real_is_reminded_only_once_the_drop_is_confirmed(
        prefect_api, world):
    world.crawl()
    world.dinas.removed.add("dip")
    world.crawl()
    status, detector, confirmed, _ = world.finding("dip")
    assert (status, detector, confirmed) == ("found", "missing", False)
    with smtp_server() as (inbox, port):
        settings = smtp_settings(port, min_interval_days=0)
        run_reminders(world.db, settings, today=TODAY)
        [first] = inbox.for_agency("dinas")
        assert "Daftar Informasi Publik" not in first.part("plain")
        world.crawl()
        assert world.finding("dip")[:3] == ("missing", "missing", True)
        run_reminders(world.db, settings, today=TODAY)
        second = inbox.for_agency("dinas")[-1]
        assert "Daftar Informasi Publik" in second.part("plain")
    assert query(world.db, "SELECT count(*) FROM evidence_checks WHERE NOT ok")[0][0] == 2


def test_a_site_that_stays_down_keeps_its_last_known_findings(prefect_api, world):
    world.crawl()
    world.dinas_url = world.dinas.down()
    world.crawl()
    world.crawl()
    assert set(world.statuses().values()) == {"unreachable"}
    known = query(world.db, "SELECT category_id, status, reachable_now, run_id "
                            "FROM last_known_findings WHERE agency_id = 'dinas'")
    assert {c for c, s, _, _ in known if s == "found"} == set(FOUND)
    assert {(r, run) for _, _, r, run in known} == {(False, 1)}
    seen, runs = query(world.db, "SELECT last_seen_run_id, unreachable_runs "
                                 "FROM agency_reachability WHERE agency_id = 'dinas'")[0]
    assert (seen, runs) == (1, 2)
    assert [s is None for (s,) in query(world.db, "SELECT score FROM score_history "
                                                  "WHERE agency_id = 'dinas' ORDER BY run_id")] == [
        False, True, True]
    # Weeks later the PPID Utama's digest (real SMTP) lists it as long unreachable, with the
    # age of its last known findings; the agency itself gets no reminder.
    # Counted from the WIB date of the last sighting (a run may cross midnight after TODAY).
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    [(last_seen,)] = query(world.db, "SELECT last_seen_at FROM agency_reachability "
                                     "WHERE agency_id = 'dinas'")
    later = last_seen.astimezone(ZoneInfo("Asia/Jakarta")).date() + timedelta(weeks=5)
    with smtp_server() as (inbox, port):
        run_reminders(world.db, smtp_settings(port), today=later)
    [digest] = [m for m in inbox.for_agency("utama") if "terjangkau" in m.subject]
    text = digest.part("plain")
    assert "LAMA TIDAK TERJANGKAU (4 minggu atau lebih)" in text and "Dinas Contoh" in text
    assert "terakhir terlihat" in text and "(35 hari lalu)" in text
    assert inbox.for_agency("dinas") == []



def test_the_scheduled_recheck_confirms_a_removal_before_the_next_crawl(prefect_api, world):
    from flows.recheck import recheck_drops

    world.crawl()
    world.dinas.removed.add("dip")
    world.crawl()
    before = query(world.db, "SELECT score FROM latest_scores WHERE agency_id = 'dinas'")[0][0]
    counts = recheck_drops(db=str(world.db), settings_file=str(world.settings_file))
    assert counts == {"confirmed": 1, "still_pending": 0, "answered": 0}
    status, detector, confirmed, url = world.finding("dip")
    assert (status, detector, confirmed, url) == ("missing", "missing", True, None)
    after = query(world.db, "SELECT score FROM latest_scores WHERE agency_id = 'dinas'")[0][0]
    assert after < before
    assert query(world.db, "SELECT count(*) FROM pending_drops WHERE held_reason = "
                           "'unconfirmed'")[0][0] == 0


def test_the_scheduled_recheck_clears_a_drop_whose_document_answers_again(prefect_api, world):
    from flows.recheck import recheck_drops

    world.crawl()
    world.dinas.removed.add("dip")
    world.crawl()
    world.dinas.removed.clear()  # the upload was only replaced for a moment
    assert recheck_drops(db=str(world.db), settings_file=str(world.settings_file)) == {
        "confirmed": 0, "still_pending": 0, "answered": 1}
    assert world.finding("dip")[:3] == ("found", "missing", True)


def test_the_pipeline_schedules_the_recheck_hours_after_the_crawl(prefect_api, tmp_path):
    import asyncio
    from datetime import UTC, datetime, timedelta

    from prefect.client.orchestration import get_client

    from core.settings import load_settings
    from flows.recheck import recheck_drops, schedule_recheck

    recheck_drops.to_deployment(name="pantau-recheck").apply()
    settings = load_settings(env={"PANTAU_TRUST_RECHECK_AFTER_HOURS": "6"})
    now = datetime(2030, 1, 7, 2, 0, tzinfo=UTC)
    run = schedule_recheck(settings, str(tmp_path / "p.duckdb"), None, now=now)

    async def read():
        async with get_client() as client:
            return await client.read_flow_run(run.id)

    scheduled = asyncio.run(read())
    assert scheduled.expected_start_time == now + timedelta(hours=6)
    assert scheduled.parameters["db"] == str(tmp_path / "p.duckdb")
    assert schedule_recheck(load_settings(env={}), "x.duckdb", None) is None


def test_a_site_answering_403_to_everything_is_unreachable_and_keeps_its_last_findings(
        prefect_api, world):
    world.crawl()
    world.dinas.forbid_all = True
    world.crawl()
    assert set(world.statuses().values()) == {"unreachable"}
    known = query(world.db, "SELECT status FROM last_known_findings WHERE agency_id = 'dinas' "
                            "AND status = 'found'")
    assert len(known) == len(FOUND)
