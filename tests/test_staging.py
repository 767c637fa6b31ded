"""A run's rows streamed into a staging file and committed at once: real DuckDB files."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import duckdb
import pytest

from scrapers.model import DocumentCheck, Link, Page, SiteCrawl
from tests import factories as f
from warehouse import db, load, scoring, staging
from warehouse.load import RunMeta
from warehouse.staging import RunStage, remove_stale, staging_path

WHEN = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def rows_for(cats, agency, statuses, pages=0):
    outcome = f.outcome(agency, statuses, WHEN)
    if pages:
        outcome.crawl = SiteCrawl(
            start_url=agency.url, reachable=True, started_at=WHEN, finished_at=WHEN,
            pages=[Page(url=f"{agency.url}p{i}", status=200, etag=f'"{i}"', fetched_at=WHEN,
                        links=[Link(url=f"{agency.url}d{i}.pdf", text=f"Laporan {i}")])
                   for i in range(pages)],
            documents={f"{agency.url}d0.pdf": DocumentCheck(url=f"{agency.url}d0.pdf", ok=True,
                                                            status=200, etag='"d"')})
    weights = {c.id: c.weight for c in cats}
    scored = scoring.scored({k: v for k, v in statuses.items()}, weights)
    return load.agency_rows(outcome, scored, set(weights))


def meta(cats, summary=None):
    return RunMeta(started_at=WHEN, finished_at=WHEN, categories=cats, registry="r.yaml",
                   summary=summary or {})


def count(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()[0][0]
    finally:
        con.close()


def test_rows_stream_into_the_staging_file_and_commit_as_one_run(tmp_path):
    cats = f.categories(2)
    path = tmp_path / "w.duckdb"
    agencies = [f.agency(f"a{i}") for i in range(5)]
    stage = RunStage.open(path, [a.id for a in agencies], flush_rows=10, flush_seconds=3600)
    with stage:
        for a in agencies:
            stage.add(rows_for(cats, a, {"c0": "found", "c1": "missing"}, pages=3))
        assert stage.flushes >= 1, "rows went to the file before the run ended"
        assert stage.staged_rows()["findings"] >= 2
        assert count(path, "SELECT count(*) FROM runs") == 0, "nothing in the warehouse yet"
        run_id, seconds = stage.commit(meta(cats))
    assert run_id == 1 and seconds >= 0
    assert 0 < stage.commit_cpu_seconds < 60, "the commit's CPU time is measured"
    assert not stage.path.exists()
    assert count(path, "SELECT count(*) FROM latest_findings") == 10
    assert count(path, "SELECT count(*) FROM pages WHERE run_id = 1") == 15
    assert count(path, "SELECT count(*) FROM http_cache WHERE kind = 'page'") == 15
    assert count(path, "SELECT count(*) FROM latest_scores WHERE score = 50") == 5


def test_a_large_site_is_staged_whole(tmp_path):
    """A site of thousands of pages with many links: its HTTP cache rows (the pages as JSON)
    are ~90 MB, far more than a flush's share: they go into the staging file part by part as
    they are written (the row files are weighed), and the run stores them whole."""
    cats = f.categories(2)
    big = f.agency("big")
    rows = rows_for(cats, big, {"c0": "found", "c1": "missing"}, pages=3000)
    for page_json in range(len(rows.tables["http_cache"]["data"])):
        rows.tables["http_cache"]["data"][page_json] += " " * 30_000  # ~90 MB in all
    with RunStage.open(tmp_path / "w.duckdb", ["big"], flush_rows=10**9,
                       flush_seconds=3600) as stage:
        stage.add(rows)
        assert stage.flushes >= 5, "flushed by weight, part by part, not by row count or time"
        stage.flush()
        assert stage.staged_rows()["http_cache"] == 3001  # the pages and the one document
        stage.commit(meta(cats))
    assert count(tmp_path / "w.duckdb", "SELECT count(*) FROM http_cache") == 3001


def test_the_staging_file_lets_go_of_what_it_has_written(tmp_path):
    """After each flush DuckDB's buffer pool drops the blocks it wrote (``EVICT_TO``): the
    flow's memory does not grow with the run up to the pool's limit."""
    cats = f.categories(2)
    agencies = [f.agency(f"a{i}") for i in range(30)]
    with RunStage.open(tmp_path / "w.duckdb", [a.id for a in agencies], flush_rows=2_000,
                       flush_seconds=3600) as stage:
        for a in agencies:
            rows = rows_for(cats, a, {"c0": "found", "c1": "missing"}, pages=200)
            data = rows.tables["http_cache"]["data"]
            for i in range(len(data)):
                pad = os.urandom(1_500).hex()  # ~20 MB in all that does not compress
                data[i] = data[i][:-1] + f', "pad": "{pad}"}}'
            stage.add(rows)
        assert stage.flushes >= 5
        pool, limit = stage.con.execute(
            "SELECT (SELECT sum(memory_usage_bytes) FROM duckdb_memory()), "
            "current_setting('memory_limit')").fetchall()[0]
        assert pool < 8e6, f"{pool / 1e6:.1f} MB of written blocks still cached"
        configured = duckdb.connect(config={"memory_limit": staging.STAGING_CONFIG[
            "memory_limit"]}).execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        assert limit == configured, "the limit is back after the eviction"
        stage.commit(meta(cats))
    assert count(tmp_path / "w.duckdb", "SELECT count(*) FROM http_cache") == 30 * 201


def test_flushes_append_in_small_row_groups(tmp_path):
    """Each flush's checkpoint rewrites the row group it appended to: the staging file keeps
    them at ``ROW_GROUP_SIZE`` rows (not DuckDB's 122,880), so that rewrite stays small."""
    cats = f.categories(30)
    agencies = [f.agency(f"a{i}") for i in range(300)]  # 9,000 findings
    with RunStage.open(tmp_path / "w.duckdb", [a.id for a in agencies], flush_rows=3_000,
                       flush_seconds=3600) as stage:
        for a in agencies:
            stage.add(rows_for(cats, a, {c.id: "found" for c in cats}))
        stage.flush()
        groups = stage.con.execute("SELECT row_group_id, sum(count) "
                                   "FROM pragma_storage_info('findings') WHERE column_path = '[0]' "
                                   "GROUP BY ALL").fetchall()
        assert stage.flushes >= 3
        assert max(n for _, n in groups) <= staging.ROW_GROUP_SIZE < sum(n for _, n in groups)
        assert stage.con.execute("SELECT count(*) FROM findings").fetchall()[0][0] == 9_000
        stage.commit(meta(cats))
    assert count(tmp_path / "w.duckdb", "SELECT count(*) FROM latest_findings") == 9_000


def test_what_the_tasks_need_is_read_back_per_agency(tmp_path):
    cats = f.categories(2)
    path = tmp_path / "w.duckdb"
    a, b = f.agency("a"), f.agency("b")
    with RunStage.open(path, ["a", "b"]) as stage:
        stage.add(rows_for(cats, a, {"c0": "found", "c1": "missing"}, pages=2))
        stage.add(rows_for(cats, b, {"c0": "missing", "c1": "missing"}))
        stage.commit(meta(cats))
    with RunStage.open(path, ["a", "b"]) as stage:
        caches = stage.http_caches(["a", "b"])
        pages, documents = caches["a"]
        assert sorted(pages) == ["http://a.test/p0", "http://a.test/p1"]
        assert pages["http://a.test/p0"].links[0].text == "Laporan 0"
        assert list(documents) == ["http://a.test/d0.pdf"]
        assert caches["b"] == ({}, {})
        priors = stage.prior_runs(["a", "b"])
        assert priors["a"].findings["c0"].status == "found"
        assert priors["b"].findings["c0"].status == "missing"


def test_a_run_discarded_or_failing_at_the_commit_leaves_the_warehouse_as_it_was(tmp_path,
                                                                                 monkeypatch):
    cats = f.categories(2)
    path = tmp_path / "w.duckdb"
    a = f.agency("a")
    with RunStage.open(path, ["a"]) as stage:
        stage.add(rows_for(cats, a, {"c0": "found", "c1": "found"}))
        stage.commit(meta(cats))
    with RunStage.open(path, ["a"]) as stage:  # left without a commit
        stage.add(rows_for(cats, a, {"c0": "missing", "c1": "missing"}))
        stage.flush()
    assert not stage.path.exists()
    real_copy = load._copy_statements

    def crash_at_pages(table, source):
        if table == "pages":
            raise OSError("No space left on device")
        return real_copy(table, source)

    monkeypatch.setattr(load, "_copy_statements", crash_at_pages)
    with RunStage.open(path, ["a"]) as stage:
        stage.add(rows_for(cats, a, {"c0": "missing", "c1": "missing"}))
        with pytest.raises(load.RunWriteError, match="No space left"):
            stage.commit(meta(cats))
    assert count(path, "SELECT count(*) FROM runs") == 1
    assert count(path, "SELECT count(*) FROM findings") == 2
    assert count(path, "SELECT count(DISTINCT status) FROM latest_findings") == 1


def test_staging_files_of_dead_runs_are_removed_and_live_ones_kept(tmp_path):
    path = tmp_path / "w.duckdb"
    db.connect(path).close()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = staging_path(path).with_name(staging_path(path).name.replace(
        f".run-{os.getpid()}-", f".run-{dead}-"))
    stale.write_bytes(b"")
    parked = stale.with_name(stale.name + ".parked-0")
    parked.write_bytes(b"")
    mine = staging_path(path)
    mine.write_bytes(b"")
    other = tmp_path / "other.duckdb.run-1-20260101T000000000000.staging"
    other.write_bytes(b"")
    assert remove_stale(path) == [stale]
    assert not stale.exists() and not parked.exists()
    assert mine.exists() and other.exists()


def test_the_staging_copy_follows_the_warehouse_columns(tmp_path):
    """A column another migration adds to findings (evidence, overrides …) is staged too."""
    path = tmp_path / "w.duckdb"

    def columns(con, table):
        return {c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
            [table]).fetchall()}

    with RunStage.open(path, []) as stage:
        con = duckdb.connect(str(path))
        try:
            for table in load.STAGED_TABLES:
                given_at_commit = {"run_id", "updated_at"} if table == "http_cache" else {"run_id"}
                assert columns(stage.con, table) == columns(con, table) - given_at_commit, table
        finally:
            con.close()


def test_an_outcome_awaiting_its_rechecks_waits_on_disk_beside_the_staging_file(tmp_path):
    """Parked in a file of its own, not in the staging file: DuckDB's buffer pool would keep
    the large value in the flow's memory until the end of the run."""
    a, b = f.agency("a"), f.agency("b")
    outcome = f.outcome(a, {"c0": "found", "c1": "missing"}, WHEN)
    outcome.crawl = SiteCrawl(start_url=a.url, reachable=True,
                              pages=[Page(url=f"{a.url}p{i}", status=200) for i in range(50)])
    with RunStage.open(tmp_path / "w.duckdb", ["a", "b"]) as stage:
        stage.park("a", outcome)
        stage.park("b", f.outcome(b, {"c0": "missing", "c1": "missing"}, WHEN))
        parked = sorted(tmp_path.glob(f"{stage.path.name}.parked-*"))
        assert len(parked) == 2
        assert stage.con.execute("SELECT count(*) FROM duckdb_tables() "
                                 "WHERE table_name = 'parked'").fetchone() == (0,)
        back = stage.unpark("a")
        assert back == outcome and back is not outcome
        assert len(back.crawl.pages) == 50
        assert len(list(tmp_path.glob(f"{stage.path.name}.parked-*"))) == 1
    assert not list(tmp_path.glob("*.parked-*"))  # leaving the run deletes what is left


def test_the_commit_copies_without_insertion_order_within_its_memory_bound(tmp_path):
    """The copy runs with ``COMMIT_SETTINGS`` and ``COMMIT_MEMORY`` (asked inside the run's
    transaction, through ``after_insert``)."""
    cats = f.categories(2)
    seen = {}

    def during(con, run_id):
        seen["order"], seen["memory"] = con.execute(
            "SELECT current_setting('preserve_insertion_order'), "
            "current_setting('memory_limit')").fetchone()

    with RunStage.open(tmp_path / "w.duckdb", ["a"]) as stage:
        stage.add(rows_for(cats, f.agency("a"), {"c0": "found", "c1": "missing"}))
        stage.commit(meta(cats), during)
    assert seen == {"order": False, "memory": "122.0 MiB"}  # DuckDB's spelling of 128 MB


def test_settings_for_a_block_are_put_back_afterwards_even_on_error():
    con = duckdb.connect(config={"memory_limit": "1GB"})
    try:
        before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        with pytest.raises(RuntimeError), staging._settings(
                con, {"memory_limit": "64MB", "preserve_insertion_order": False}):
            assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (False,)
            raise RuntimeError("the copy failed")
        after = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert after.startswith("953.") and after.endswith(" MiB"), (before, after)  # as spelled
        assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone() == (True,)
    finally:
        con.close()


def test_a_run_too_large_for_the_commit_memory_bound_is_stored_without_it(tmp_path, monkeypatch):
    """The commit bounds DuckDB's buffer pool; a run whose one transaction needs more is
    rolled back and stored again without the bound, never failed."""
    monkeypatch.setattr(staging, "COMMIT_MEMORY", "2MB")
    cats = f.categories(2)
    big = f.agency("big")
    rows = rows_for(cats, big, {"c0": "found", "c1": "missing"}, pages=300)
    for i in range(len(rows.tables["http_cache"]["data"])):
        rows.tables["http_cache"]["data"][i] += " " * 30_000  # ~9 MB
    with RunStage.open(tmp_path / "w.duckdb", ["big"]) as stage:
        stage.add(rows)
        stage.commit(meta(cats))
        assert stage.unbounded_commit
    assert count(tmp_path / "w.duckdb", "SELECT count(*) FROM http_cache") == 301
    assert count(tmp_path / "w.duckdb", "SELECT count(*) FROM runs") == 1
