"""The crawl_all flow on the real Prefect engine, over the sample world on loopback."""

from __future__ import annotations

import json

import duckdb
import pytest

from core.checklist import load_checklist
from core.registry import load_registry
from core.settings import load_settings
from flows import crawl as crawl_flow
from flows.crawl import crawl_all
from tests.conftest import TODAY

pytestmark = pytest.mark.slow


def query(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture
def registry(sample_world, tmp_path):
    return sample_world.write_registry(tmp_path / "registry.yaml")


def test_crawl_all_stores_one_complete_run_in_the_views(prefect_api, sample_world, registry,
                                                       tmp_path, fast_settings_file):
    db = tmp_path / "pantau.duckdb"
    result = crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                       today=TODAY)
    agencies = [a.id for a in load_registry(registry)]
    checklist = load_checklist()
    assert result["run_id"] == 1
    assert query(db, "SELECT status FROM runs") == [("completed",)]
    rows = query(db, "SELECT agency_id, category_id, status FROM latest_findings")
    assert len(rows) == len(agencies) * len(checklist.ids)
    scores = dict(query(db, "SELECT agency_id, score FROM latest_scores"))
    assert set(scores) == set(agencies)
    for agency_id in agencies:
        labels = sample_world.labels(agency_id)
        if set(labels.values()) == {"unreachable"}:
            assert scores[agency_id] is None
            assert {s for a, _, s in rows if a == agency_id} == {"unreachable"}
        else:
            assert scores[agency_id] is not None
    summary = query(db, "SELECT summary FROM runs WHERE id = 1")[0][0]
    assert f'"agencies": {len(agencies)}' in summary
    # What the flow returns (and the CLI prints) is what it wrote, with the run's id.
    unreachable = query(db, "SELECT count(*) FROM agency_runs WHERE run_id = 1 AND NOT reachable")
    assert (result["agencies"], result["unreachable"]) == (len(agencies), unreachable[0][0])
    assert json.loads(summary) == json.loads(json.dumps(
        {k: v for k, v in result.items()
         if k not in ("run_id", "write_seconds", "write_cpu_seconds", "staging_flushes",
                      "write_tables")}, default=str))
    assert {s["agency_id"]: s["score"] for s in result["scores"]} == scores


def test_a_failed_agency_task_is_unreachable_not_a_failed_run(prefect_api, sample_world, registry,
                                                             tmp_path, fast_settings_file, monkeypatch):
    victim = next(a for a in load_registry(registry) if a.role == "pelaksana")
    real_crawl_site = crawl_flow.crawl_site

    def crawl_or_crash(url, *args, **kwargs):
        if url == victim.url:
            raise RuntimeError("worker lost")
        return real_crawl_site(url, *args, **kwargs)

    monkeypatch.setattr(crawl_flow, "crawl_site", crawl_or_crash)
    db = tmp_path / "pantau.duckdb"
    crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file), today=TODAY)
    statuses = {s for (s,) in query(db, "SELECT status FROM latest_findings WHERE agency_id = ?",
                                    [victim.id])}
    assert statuses == {"unreachable"}
    error, score = query(db, "SELECT error, score FROM agency_runs WHERE agency_id = ?", [victim.id])[0]
    assert "worker lost" in error and score is None
    others = query(db, "SELECT count(*) FROM latest_scores WHERE score IS NOT NULL")[0][0]
    assert others >= len(load_registry(registry)) - 2  # the victim and the down site


def test_a_second_run_of_an_unchanged_world_transfers_under_a_tenth(prefect_api, sample_world,
                                                                  registry, tmp_path,
                                                                  fast_settings_file):
    db = tmp_path / "pantau.duckdb"
    for _ in range(2):
        crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                  today=TODAY)
    first, second = [b for (b,) in query(
        db, "SELECT sum(body_bytes) FROM agency_runs GROUP BY run_id ORDER BY run_id")]
    print(f"\nbody bytes: first run {first}, second run {second} ({second / first:.1%})")
    assert first > 0
    assert second < 0.10 * first, (first, second)
    same = query(db, """
        SELECT count(*) FROM findings a JOIN findings b
          ON a.agency_id = b.agency_id AND a.category_id = b.category_id
         AND a.run_id = 1 AND b.run_id = 2
        WHERE a.status <> b.status""")[0][0]
    assert same == 0, "a 304 must reuse the evidence extracted last time"


def test_the_dask_runner_gives_the_same_findings_as_threads(prefect_api, sample_world, registry,
                                                           tmp_path, fast_settings_file):
    from prefect_dask import DaskTaskRunner

    findings = []
    runners = [None, DaskTaskRunner(cluster_class="distributed.LocalCluster",
                                    cluster_kwargs={"n_workers": 2, "processes": True,
                                                    "threads_per_worker": 4,
                                                    "dashboard_address": None})]
    for i, runner in enumerate(runners):
        db = tmp_path / f"run{i}.duckdb"
        flow = crawl_all if runner is None else crawl_all.with_options(task_runner=runner)
        flow(registry=str(registry), db=str(db), settings_file=str(fast_settings_file), today=TODAY)
        findings.append(query(db, "SELECT agency_id, category_id, status, evidence_url "
                                  "FROM latest_findings ORDER BY 1, 2"))
    assert findings[0] == findings[1]
    assert len(findings[0]) > 0


# --- streaming, batches, per-agency retries and timeouts ----------------------------------

CHILD = """
import sys
from flows import progress
from flows.crawl import crawl_all
with progress.reporting(lambda p: print(p.line(), flush=True)):
    crawl_all(registry=sys.argv[1], db=sys.argv[2], settings_file=sys.argv[3])
"""

COUNTED = ("runs", "agency_runs", "findings", "pages", "documents", "http_cache", "agencies")


def snapshot(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        views = {v: con.execute(f"SELECT * FROM {v} ORDER BY ALL").fetchall()
                 for v in ("latest_findings", "latest_scores", "score_history")}
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in COUNTED}
    finally:
        con.close()
    return views, counts


def lines_until(process, wanted: int, deadline: float) -> list[str]:
    import select
    import time

    seen: list[str] = []
    while len(seen) < wanted and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1.0)
        if ready:
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("["):
                seen.append(line)
    return seen


def test_a_run_killed_midway_shows_nothing_and_leaves_only_its_staging_file(
        prefect_api, sample_world, registry, tmp_path, fast_settings_file):
    import os
    import signal
    import subprocess
    import sys
    import time

    from prefect.settings import PREFECT_API_URL

    from warehouse.staging import SUFFIX, remove_stale

    db = tmp_path / "pantau.duckdb"
    crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
              today=TODAY)
    before = snapshot(db)
    slow = tmp_path / "slow.yaml"  # one agency per task, and slow enough to be caught midway
    slow.write_text(fast_settings_file.read_text().replace("host_delay: 0.0", "host_delay: 0.4")
                    .replace("max_workers: 8", "max_workers: 2\n  agencies_per_task: 1"))
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(),
           "PYTHONPATH": str(crawl_flow.Path(__file__).resolve().parents[1])}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(registry), str(db), str(slow)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        done = lines_until(child, 3, time.monotonic() + 240)
        assert len(done) == 3, "the child run reported three agencies"
        time.sleep(2.5)  # past the staging file's flush interval
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    (staged,) = list(tmp_path.glob(f"*{SUFFIX}"))
    con = duckdb.connect(str(staged), read_only=True)
    try:
        assert con.execute("SELECT count(DISTINCT agency_id) FROM findings").fetchall()[0][0] >= 3, \
            "finished agencies were streamed to the staging file"
    finally:
        con.close()
    assert snapshot(db) == before, "the killed run shows nothing, not even a run row"
    assert remove_stale(db) == [staged], "the next run of this warehouse removes it"


def test_a_run_failing_at_the_commit_leaves_the_views_unchanged(prefect_api, sample_world,
                                                                registry, tmp_path,
                                                                fast_settings_file, monkeypatch):
    from prefect.exceptions import FailedRun

    from warehouse.staging import SUFFIX, RunStage

    db = tmp_path / "pantau.duckdb"
    crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
              today=TODAY)
    before = snapshot(db)

    def full_disk(self, meta, after_insert=None):
        raise duckdb.IOException("No space left on device")

    monkeypatch.setattr(RunStage, "commit", full_disk)
    with pytest.raises(FailedRun, match="No space left on device"):
        crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                  today=TODAY)
    views, counts = snapshot(db)
    assert views == before[0]
    assert counts == {**before[1], "runs": before[1]["runs"] + 1}, "only the failed run's note"
    assert not list(tmp_path.glob(f"*{SUFFIX}*"))


def jobs_and_settings(sample_world, registry, **schedule):
    settings = load_settings(env={}).replace("crawl", host_delay=0.0, retries=0)
    settings = settings.replace("schedule", **schedule) if schedule else settings
    shared = crawl_flow.BatchSettings.of(settings, load_checklist(), TODAY)
    reg = load_registry(registry)
    up = next(a for a in reg if set(sample_world.labels(a.id).values()) != {"unreachable"})
    return crawl_flow.AgencyJob(up), shared


def test_a_crawl_that_raises_is_retried_per_agency_inside_its_batch(sample_world, registry,
                                                                    monkeypatch):
    job, shared = jobs_and_settings(sample_world, registry, agency_task_retries=1,
                                    agency_task_retry_backoff=0.0)
    real, calls = crawl_flow.crawl_site, []

    def flaky(url, *args, **kwargs):
        calls.append(url)
        if len(calls) == 1:
            raise RuntimeError("worker lost")
        return real(url, *args, **kwargs)

    monkeypatch.setattr(crawl_flow, "crawl_site", flaky)
    (result,) = crawl_flow.check_agencies.fn([job], shared)
    assert len(calls) == 2
    assert result.rows.summary.reachable and result.rows.summary.pages > 0
    assert len(result.rows.tables["findings"]["category_id"]) == len(load_checklist().ids)


def test_an_agency_past_its_timeout_is_unreachable_and_the_batch_goes_on(sample_world, registry,
                                                                         monkeypatch):
    import time

    job, shared = jobs_and_settings(sample_world, registry, agency_task_retries=0,
                                    agency_task_timeout=5)
    real = crawl_flow.crawl_site

    def stuck_once(url, *args, **kwargs):
        if not getattr(stuck_once, "done", False):
            stuck_once.done = True
            time.sleep(60)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(crawl_flow, "crawl_site", stuck_once)
    started = time.monotonic()
    first, second = crawl_flow.check_agencies.fn(crawl_flow.Parcel([job, job]),
                                                 crawl_flow.Parcel(shared))
    assert time.monotonic() - started < 60, "the stuck crawl was abandoned"
    assert not first.rows.summary.reachable
    assert first.rows.summary.error == "crawl timed out after 5 s"
    assert second.rows.summary.reachable


# --- a batch whose completion never reaches the flow ------------------------------------------

class RunnerFuture:
    """What ``CrawlRun`` needs of a Prefect future, over a thread pool's future; its
    callback is late by ``late`` seconds, or never comes (``late=None``)."""

    def __init__(self, future, late: float | None) -> None:
        self.wrapped_future, self.late = future, late

    def add_done_callback(self, fn) -> None:
        import threading

        if self.late is not None:
            self.wrapped_future.add_done_callback(
                lambda _: threading.Timer(self.late, fn, [self]).start())

    def wait(self, timeout=None) -> None:
        from concurrent.futures import wait

        wait([self.wrapped_future], timeout=timeout)

    @property
    def state(self):
        from prefect.states import Completed, Failed, Running

        if not self.wrapped_future.done():
            return Running()
        error = self.wrapped_future.exception()
        return Completed() if error is None else Failed(message=str(error))

    def result(self):
        return self.wrapped_future.result()


def crawl_run(registry, tmp_path, submit, **schedule):
    """``CrawlRun.run()`` over the sample world with ``submit``, polling every 50 ms; the
    summaries, then the staged run committed (a duplicate agency would fail the commit)."""
    from datetime import UTC, datetime

    from flows.summary import run_summary
    from warehouse.load import RunMeta
    from warehouse.staging import RunStage

    settings = load_settings(env={}).replace("crawl", host_delay=0.0, retries=0,
                                             read_timeout=5, page_timeout=10)
    settings = settings.replace("schedule", agency_task_retries=0, **schedule)
    checklist = load_checklist()
    reg = load_registry(registry)
    shared = crawl_flow.BatchSettings.of(settings, checklist, TODAY)
    started = datetime.now(UTC)
    with RunStage.open(tmp_path / "pantau.duckdb", [a.id for a in reg], started=started) as stage:
        run = crawl_flow.CrawlRun(stage, reg, shared, slots=2, most=3, settings=settings,
                                  submit=submit, poll_seconds=0.05)
        run.DEADLINE_SLACK = 0.5
        summaries = run.run()
        meta = RunMeta(started, datetime.now(UTC), list(checklist), reg.source, {},
                       run_summary(summaries, stage.previous_scores()))
        stage.commit(meta, run.after_insert)
    return summaries


def test_batches_whose_callbacks_come_late_or_never_are_collected_by_polling(
        sample_world, registry, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    lateness = iter([None, 0.3] * 50)  # every other callback lost, the rest late
    with ThreadPoolExecutor(4) as pool:
        summaries = crawl_run(registry, tmp_path, lambda task, *args: RunnerFuture(
            pool.submit(task.fn, *args), next(lateness)))
    reg = load_registry(registry)
    assert [s.agency_id for s in summaries] == [a.id for a in reg]
    down = {a.id for a in reg if set(sample_world.labels(a.id).values()) == {"unreachable"}}
    assert {s.agency_id for s in summaries if not s.reachable} == down
    assert dict(query(tmp_path / "pantau.duckdb", "SELECT agency_id, count(*) FROM agency_runs "
                                                  "GROUP BY 1")) == {a.id: 1 for a in reg}


def test_a_batch_that_never_finishes_is_given_up_and_its_agencies_are_unreachable(
        sample_world, registry, tmp_path):
    from concurrent.futures import Future, ThreadPoolExecutor

    reg = load_registry(registry)
    stuck: list[set[str]] = []

    def submit(task, *args):
        if not stuck and task.name == "check-agencies":  # the first batch hangs for good
            stuck.append({job.agency.id for job in crawl_flow.opened(args[0])})
            return RunnerFuture(Future(), late=0)
        return RunnerFuture(pool.submit(task.fn, *args), late=0)

    with ThreadPoolExecutor(4) as pool:
        summaries = crawl_run(registry, tmp_path, submit, agency_task_timeout=1)
    by_id = {s.agency_id: s for s in summaries}
    assert set(by_id) == {a.id for a in reg}
    for agency_id in stuck[0]:
        assert not by_id[agency_id].reachable
        assert by_id[agency_id].error.startswith("crawl task lost: no result ")
        assert "(task run Running)" in by_id[agency_id].error
    others = [s for s in summaries if s.agency_id not in stuck[0]]
    assert any(s.reachable for s in others)


def test_declared_urls_whose_check_never_answers_are_refused_at_the_deadline():
    """The re-check and declared-URL tasks of the run's last phase are waited for with one
    agency's deadline: a task whose answer was lost refuses its declarations with the reason
    instead of hanging the run."""
    from concurrent.futures import Future

    from flows.declared import fetched_result
    from scrapers.detection.declared import DeclaredUrl

    items = [DeclaredUrl(1, "dinas", "berkala-lkjip", "http://127.0.0.1:9/lkjip.pdf")]
    fetched = fetched_result(RunnerFuture(Future(), late=None), items, deadline=0.05)
    assert [f.refusal for f in fetched] == ["pemeriksaan tidak selesai dalam 0.05 detik"]
    done = Future()
    done.set_exception(RuntimeError("boom"))
    failed = fetched_result(RunnerFuture(done, late=0), items, deadline=0.05)
    assert [f.refusal for f in failed] == ["pemeriksaan gagal (failed)"]
    assert crawl_flow._recheck_result(RunnerFuture(Future(), late=None), 0.05) == {}


# --- smart recrawl through the flow (issue 16) -----------------------------------------------


def test_recrawls_are_smart_full_when_due_and_recorded(prefect_api, tmp_path, fast_settings_file):
    from core.vocabulary import FULL_REASONS
    from tests.loopback import Reply
    from tests.recrawl_site import PDF, YEAR, ChangingSite, news

    site = ChangingSite()
    try:
        registry = tmp_path / "registry.yaml"
        registry.write_text(
            "agencies:\n  - id: dinas\n    name: Dinas Contoh\n"
            f"    url: {site.server.url('/')}\n    email: ppid@dinas.example.go.id\n"
            "    role: utama\n    parent: ''\n")
        db = tmp_path / "pantau.duckdb"

        def crawl(**kw):
            site.server.requests.clear()
            crawl_all(registry=str(registry), db=str(db), settings_file=str(fast_settings_file),
                      today=TODAY, **kw)
            return query(db, "SELECT crawl_mode, crawl_reason, requests FROM agency_runs "
                             "ORDER BY run_id DESC LIMIT 1")[0]

        def status(category):
            return query(db, "SELECT status FROM findings WHERE category_id = ? "
                             "ORDER BY run_id DESC LIMIT 1", [category])[0][0]

        first = crawl()
        assert first[:2] == ("full", FULL_REASONS["first"])
        # A week later a news page got a document and the sitemap says so.
        site.route("/berita/4", news(4, f'<p><a href="/dokumen/lkjip-{YEAR}.pdf">Laporan Kinerja '
                                        f'Instansi Pemerintah (LKjIP) {YEAR}</a></p>'))
        site.route(f"/dokumen/lkjip-{YEAR}.pdf", Reply(200, PDF, content_type="application/pdf"))
        site.stamps["/berita/4"] = "2026-02-01"
        site.publish_sitemap()
        second = crawl()
        assert second[:2] == ("smart", None)
        assert second[2] < first[2]
        assert "/berita/5" not in site.asked() and status("kinerja") == "found"
        runs = {r: (mode, smart) for r, mode, smart in query(
            db, "SELECT run_id, crawl_mode, smart_crawls FROM (" + _runs_sql() + ")")}
        assert runs == {1: ("full", 0), 2: ("smart", 1)}
        # The site is rebuilt: its start page and sitemap lead nowhere else any more while the
        # old evidence still answers. The health check calls that "situs berubah"; the next
        # run is full.
        site.route("/", Reply(200, "<html><body><h1>Situs baru</h1></body></html>"))
        site.stamps = {"/": "2026-03-01"}
        site.publish_sitemap()
        crawl()
        assert query(db, "SELECT site_changed FROM agency_runs WHERE run_id = 3") == [(True,)]
        assert crawl()[:2] == ("full", FULL_REASONS["site_changed"])
        assert crawl(full=True)[:2] == ("full", FULL_REASONS["requested"])
    finally:
        site.close()


def _runs_sql() -> str:
    from warehouse import queries

    return queries.sql("runs")
