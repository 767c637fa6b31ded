"""A run in progress: its agencies' rows stream into a staging file, the run commits at the end.

The crawl flow opens a ``RunStage`` beside the warehouse file (``pantau.duckdb`` →
``pantau.duckdb.run-<pid>-<time>.staging``). At the start it copies, in one read of the
warehouse, what the agencies' tasks will need — each agency's HTTP cache and its last known
state (the ``prior_findings`` query) — into the staging file, and creates empty copies of the
run's tables (``warehouse.load.STAGED_TABLES``, same columns as the warehouse). As each
agency's task finishes, ``add`` appends its rows (``warehouse.load.AgencyRows``) to a small
buffer that goes into the staging file in one short transaction every ``flush_rows`` rows
(or every ``flush_seconds``), so
the flow keeps no pages and its memory does not grow with the crawl. ``commit`` then copies
the staged rows into the warehouse in one transaction (``warehouse.load.store_run_rows``,
table to table inside DuckDB) and deletes the staging file.

All or nothing for the views: until ``commit`` nothing of the run is in the warehouse; a run
that fails, or a process that is killed, leaves only a staging file, which the next run of the
same warehouse removes (``remove_stale``). The warehouse file itself is held only at the start
and at the commit, so the dashboard reads it freely while the crawl runs.
"""

from __future__ import annotations

import os
import pickle
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from scrapers.detection.confirm import PriorRun
from warehouse import db as warehouse_db
from warehouse import queries, reviews
from warehouse.load import (
    STAGED_TABLES,
    AfterInsert,
    AgencyRows,
    RunMeta,
    http_cache_of,
    merge_rows,
    previous_scores,
    store_run_rows,
)
from warehouse.prior import RecrawlState, load_recrawl_states, prior_runs_of

SUFFIX = ".staging"
FLUSH_BYTES = 32 * 1024 * 1024
"""… or about this many bytes of rows (large sites' pages as JSON), whichever comes first."""
STAGING_CONFIG = {"memory_limit": "256MB", "threads": 1, "preserve_insertion_order": False}
"""The staging file takes appends (at most ``FLUSH_BYTES`` at a time) from one thread in any
order; a bounded buffer pool keeps the flow's memory from growing with the run (DuckDB
writes what does not fit to the file)."""
FLUSH_ROWS = 20_000
"""Rows (over all tables) buffered in memory before they go into the staging file."""
FLUSH_SECONDS = 2.0
"""… or seconds since the last flush, whichever comes first (a slow run still streams)."""


def staging_path(db_path: Path, started: datetime | None = None) -> Path:
    """A staging file name of this process for this warehouse (unique per run)."""
    stamp = (started or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%f")
    return db_path.with_name(f"{db_path.name}.run-{os.getpid()}-{stamp}{SUFFIX}")


def remove_stale(db_path: Path) -> list[Path]:
    """Delete the staging files of runs of this warehouse whose process is gone (killed or
    crashed runs); returns them. A file of a process still running is left alone."""
    pattern = re.compile(re.escape(db_path.name) + r"\.run-(\d+)-\d+T\d+" + re.escape(SUFFIX))
    removed = []
    for path in db_path.parent.glob(f"{db_path.name}.run-*{SUFFIX}"):
        match = pattern.fullmatch(path.name)
        if match and not _alive(int(match.group(1))):
            _delete(path)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _delete(path: Path) -> None:
    for name in (path, path.with_name(path.name + ".wal")):
        name.unlink(missing_ok=True)


class RunStage:
    """One run's staging file (see the module docstring). Use ``RunStage.open`` to start it,
    ``add`` per agency, ``commit`` at the end; ``discard`` (or leaving the ``with`` block
    without a commit) deletes it."""

    def __init__(self, db_path: Path, path: Path, flush_rows: int = FLUSH_ROWS,
                 flush_seconds: float = FLUSH_SECONDS) -> None:
        self.db_path = db_path
        self.path = path
        self.flush_rows = flush_rows
        self.flush_seconds = flush_seconds
        self._last_flush = time.monotonic()
        self.con: duckdb.DuckDBPyConnection | None = None
        self._buffer: list[AgencyRows] = []
        self._buffered = 0
        self._bytes = 0
        self.flushes = 0
        self.staged_agencies = 0
        self.commit_timings: dict[str, float] = {}
        """Seconds of each table's copy in the commit (``warehouse.load.store_run_rows``)."""
        self.overrides: dict[str, dict] = {}
        """Reviewers' overrides in force, by agency and category (``warehouse.reviews``)."""
        self.recrawl_states: dict[str, RecrawlState] = {}
        """Each agency's crawl history: full or smart this time (``flows.schedules``)."""

    @classmethod
    def open(cls, db_path: str | Path, agency_ids: Iterable[str], *,
             flush_rows: int = FLUSH_ROWS, flush_seconds: float = FLUSH_SECONDS,
             started: datetime | None = None) -> RunStage:
        """Prepare a run of these agencies: migrate the warehouse if needed, copy what their
        tasks need and the empty run tables into a new staging file. Raises
        ``warehouse.db.DatabaseFileError`` when the warehouse cannot be opened."""
        db_path = Path(db_path)
        remove_stale(db_path)
        stage = cls(db_path, staging_path(db_path, started), flush_rows, flush_seconds)
        ids = pa.table({"agency_id": pa.array(list(agency_ids), pa.string())})
        try:
            with warehouse_db.writing(db_path) as con:  # migrates an older file first
                stage._prepare(con, ids)
            stage.con = duckdb.connect(str(stage.path), config=STAGING_CONFIG)
        except BaseException as exc:
            _delete(stage.path)
            if isinstance(exc, duckdb.Error | OSError):  # a full disk, a broken file
                raise warehouse_db.file_error(db_path, exc) from exc
            raise
        return stage

    def _prepare(self, con: duckdb.DuckDBPyConnection, ids: pa.Table) -> None:
        self.overrides = reviews.overrides_in_force(con)
        self.recrawl_states = load_recrawl_states(con)
        con.execute(f"ATTACH '{_quoted(self.path)}' AS stage")
        con.register("run_agencies", ids)
        try:
            for table in STAGED_TABLES:
                exclude = "" if table == "agencies" else " EXCLUDE (run_id)"
                if table == "http_cache":
                    exclude = " EXCLUDE (run_id, updated_at)"
                con.execute(f"CREATE TABLE stage.{table} AS SELECT *{exclude} FROM {table} LIMIT 0")
            con.execute("CREATE TABLE stage.prior_cache AS SELECT agency_id, url, kind, data "
                        "FROM http_cache WHERE agency_id IN (SELECT agency_id FROM run_agencies)")
            prior = queries.sql("prior_findings")
            con.execute(f"CREATE TABLE stage.prior AS SELECT * FROM ({prior}) "
                        "WHERE agency_id IN (SELECT agency_id FROM run_agencies)",
                        queries.parameters(prior, {})).fetchall()
            con.execute("CREATE INDEX stage_prior_cache ON stage.prior_cache (agency_id)")
            con.execute("CREATE INDEX stage_prior ON stage.prior (agency_id)")
        finally:
            con.unregister("run_agencies")
            con.execute("DETACH stage")

    def __enter__(self) -> RunStage:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()

    # --- what the agencies' tasks need ------------------------------------------------------

    def http_caches(self, agency_ids: list[str]) -> dict[str, tuple[dict, dict]]:
        """Each agency's cached pages and documents from earlier runs (for 304s)."""
        rows: dict[str, list] = {a: [] for a in agency_ids}
        for agency_id, url, kind, data in self._rows(
                "SELECT agency_id, url, kind, data FROM prior_cache "
                "WHERE agency_id IN (SELECT unnest($ids))", agency_ids):
            rows[agency_id].append((url, kind, data))
        return {a: http_cache_of(r) for a, r in rows.items()}

    def prior_runs(self, agency_ids: list[str]) -> dict[str, PriorRun]:
        """Each agency's last known state (only agencies that have one)."""
        return prior_runs_of(self._rows(
            "SELECT * FROM prior WHERE agency_id IN (SELECT unnest($ids))", agency_ids))

    def _rows(self, sql: str, agency_ids: list[str]) -> list[tuple]:
        return self._connection().execute(sql, {"ids": list(agency_ids)}).fetchall()

    # --- the run's rows -------------------------------------------------------------------

    def add(self, rows: AgencyRows) -> None:
        """Take one agency's rows; they reach the staging file with the next flush."""
        self._buffer.append(rows)
        self._buffered += rows.row_count
        self._bytes += rows.approx_bytes
        self.staged_agencies += 1
        if (self._buffered >= self.flush_rows or self._bytes >= FLUSH_BYTES
                or time.monotonic() - self._last_flush >= self.flush_seconds):
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows into the staging file, in one short transaction; a file
        that refuses them raises ``warehouse.db.DatabaseFileError`` naming the warehouse
        (the staging file lives on the same disk)."""
        if not self._buffer:
            return
        con = self._connection()
        merged = merge_rows(self._buffer)
        con.execute("BEGIN TRANSACTION")
        try:
            for table, columns in merged.items():
                if not next(iter(columns.values()), []):
                    continue
                con.register("incoming_rows", pa.Table.from_pydict(columns))
                try:
                    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows").fetchall()
                finally:
                    _unregister(con, "incoming_rows")
            con.execute("COMMIT")
        except BaseException as exc:
            _rollback(con)
            if isinstance(exc, duckdb.Error | OSError):  # a full disk, a broken file
                raise warehouse_db.file_error(self.db_path, exc) from exc
            raise
        self._buffer, self._buffered, self._bytes = [], 0, 0
        self._last_flush = time.monotonic()
        self.flushes += 1

    def park(self, agency_id: str, outcome: object) -> None:
        """Keep an agency's outcome (with its whole crawl) in the staging file until the
        re-checks later in the run: the flow does not hold its pages meanwhile."""
        con = self._connection()
        con.execute("CREATE TABLE IF NOT EXISTS parked (agency_id VARCHAR PRIMARY KEY, data BLOB)")
        con.execute("INSERT OR REPLACE INTO parked VALUES (?, ?)",
                    [agency_id, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)])

    def unpark(self, agency_id: str) -> object:
        """The outcome ``park`` kept for the agency."""
        rows = self._connection().execute("SELECT data FROM parked WHERE agency_id = ?",
                                          [agency_id]).fetchall()
        return pickle.loads(rows[0][0])

    def staged_rows(self) -> dict[str, int]:
        """Rows per table in the staging file (flushed rows only)."""
        con = self._connection()
        return {t: warehouse_db.scalar(con, f"SELECT count(*) FROM {t}") for t in STAGED_TABLES}

    def previous_scores(self) -> dict[str, float | None]:
        """Each agency's score in its latest completed run (the warehouse, read briefly)."""
        with warehouse_db.writing(self.db_path) as con:
            return previous_scores(con)

    def commit(self, meta: RunMeta, after_insert: AfterInsert | None = None) -> tuple[int, float]:
        """Copy the staged run into the warehouse in one transaction (then ``after_insert(con,
        run_id)`` inside it) and delete the staging file; returns the new run id and the
        seconds the warehouse write took: from the file being open to the file closed again,
        so the checkpoint DuckDB makes when the connection closes is counted too (waiting for
        readers to let go of the file is not). ``commit_timings`` has each step: ``open``
        (with that wait), the steps of ``store_run_rows``, ``close``."""
        self.flush()
        self.con.close()
        self.con = None
        timings = self.commit_timings
        opening = time.perf_counter()
        with warehouse_db.writing(self.db_path) as con:
            started = time.perf_counter()
            timings["open"] = started - opening
            con.execute(f"ATTACH '{_quoted(self.path)}' AS stage (READ_ONLY)")
            try:
                run_id = store_run_rows(con, meta, {t: f"stage.{t}" for t in STAGED_TABLES},
                                        after_insert, timings)
            finally:
                con.execute("DETACH stage")
            closing = time.perf_counter()
        timings["close"] = time.perf_counter() - closing
        seconds = time.perf_counter() - started
        _delete(self.path)
        return run_id, seconds

    def discard(self) -> None:
        """Forget the run: close and delete the staging file (nothing reached the warehouse)."""
        if self.con is not None:
            try:
                self.con.close()
            finally:
                self.con = None
        _delete(self.path)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self.con is None:
            raise RuntimeError(f"{self.path.name}: the run's staging file is closed")
        return self.con


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered table without hiding an error already raised (a failed statement
    leaves the transaction aborted, and then unregister fails too)."""
    try:
        con.unregister(name)
    except duckdb.Error:
        pass


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass
