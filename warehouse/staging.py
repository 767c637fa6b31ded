"""A run in progress: its agencies' rows stream into a staging file, the run commits at the end.

The crawl flow opens a ``RunStage`` beside the warehouse file (``pantau.duckdb`` →
``pantau.duckdb.run-<pid>-<time>.staging``). At the start it copies, in one read of the
warehouse, what the agencies' tasks will need — each agency's HTTP cache and its last known
state (the ``prior_findings`` query) — into the staging file, and creates empty copies of the
run's tables (``warehouse.load.STAGED_TABLES``, same columns as the warehouse). As each
agency's task finishes, ``add`` writes its rows (``warehouse.load.AgencyRows``) at once as
JSON lines to files beside the staging file (``warehouse.rowfiles``), which go into the
staging file in one short transaction every ``flush_rows`` rows, ``FLUSH_BYTES`` bytes or
``flush_seconds`` seconds: the flow holds no agency's rows once ``add`` returns, and its
memory does not grow with the crawl. ``commit`` then copies
the staged rows into the warehouse in one transaction (``warehouse.load.store_run_rows``,
table to table inside DuckDB) and deletes the staging file.

An agency whose evidence needs re-checking later in the run is parked meanwhile: its outcome
(with its whole crawl) is pickled to a file of its own beside the staging file (``park``), not
into the staging file, whose buffer pool would otherwise hold the large value until the end of
the run.

All or nothing for the views: until ``commit`` nothing of the run is in the warehouse; a run
that fails, or a process that is killed, leaves only a staging file (and its row and parked
files), which the next run of the same warehouse removes (``remove_stale``). The warehouse
file itself is held only at the start and at the commit, so the dashboard reads it freely
while the crawl runs.
"""

from __future__ import annotations

import glob
import itertools
import os
import pickle
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from scrapers.detection.confirm import PriorRun
from warehouse import db as warehouse_db
from warehouse import queries, reviews
from warehouse.load import (
    STAGED_TABLES,
    AfterInsert,
    AgencyRows,
    RunMeta,
    RunWriteError,
    http_cache_of,
    previous_scores,
    store_run_rows,
)
from warehouse.prior import RecrawlState, load_recrawl_states, prior_runs_of
from warehouse.rowfiles import RowFiles

SUFFIX = ".staging"
FLUSH_BYTES = 8 * 1024 * 1024
"""… or this many bytes of rows as JSON lines (large sites' pages), whichever comes first."""
STAGING_CONFIG = {**warehouse_db.CONFIG, "memory_limit": "128MB", "threads": 1,
                  "preserve_insertion_order": False}
"""The staging file takes appends (at most ``FLUSH_BYTES`` of JSON lines at a time) from one
thread in any order; a small buffer pool keeps the flow's memory from growing with the run
(DuckDB writes what does not fit to the file)."""
ROW_GROUP_SIZE = 8192
"""Rows per row group in the staging file (DuckDB's default is 122,880). Each flush appends
to the last row group of each table, and the checkpoint after it rewrites that row group
whole: with the default, the flush that fills a national run's findings row group took
+130 MB for a moment, against +57 MB at most with this size, and flushes took half the
time (40 flushes of a national run, replayed). A commit from a file of full 8,192-row groups
was as fast in a replay; the flushes leave some groups part-filled, which may cost the
commit's key checks a little (0.19–0.28 s in benchmarks, 0.15–0.21 s before)."""
EVICT_TO = "4MB"
"""After each flush the buffer pool is let down to this for a moment, so DuckDB drops the
blocks it has just written to the file: otherwise the pool keeps them cached until it reaches
``STAGING_CONFIG``'s limit, and the flow's memory grows with the run up to that limit."""
SLICE_ROWS = 256
"""Rows of one table of one agency written before the weight is checked again: a site of
thousands of pages is flushed part by part (the staging file need not hold whole agencies
between flushes; only the commit is all or nothing)."""
COMMIT_MEMORY = "128MB"
"""DuckDB's buffer pool while the commit copies the staged run into the warehouse: the copy
streams table to table, and an unbounded pool would grow with the run (DuckDB writes what
does not fit to the file and its temporary directory)."""
COMMIT_SETTINGS = {"preserve_insertion_order": False}
"""DuckDB settings of the warehouse connection for the commit's copy (with ``COMMIT_MEMORY``).
Without insertion order each thread appends its own row groups instead of waiting to append
in the source's order: the 900,000 findings of a national run go in about twice as fast (the
staged rows have no meaningful order anyway: agencies are staged as they finish)."""
FLUSH_ROWS = 20_000
"""Rows (over all tables) buffered in memory before they go into the staging file."""
FLUSH_SECONDS = 2.0
"""… or seconds since the last flush, whichever comes first (a slow run still streams)."""


def staging_path(db_path: Path, started: datetime | None = None) -> Path:
    """A staging file name of this process for this warehouse (unique per run)."""
    stamp = (started or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%f")
    return db_path.with_name(f"{db_path.name}.run-{os.getpid()}-{stamp}{SUFFIX}")


def connect_staging(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection to the staging file for the run's flushes (``STAGING_CONFIG``; rows in
    row groups of ``ROW_GROUP_SIZE``, which DuckDB takes only as an option of ``ATTACH``)."""
    con = duckdb.connect(config={**STAGING_CONFIG, "temp_directory": f"{path}.tmp"})
    try:
        con.execute(f"ATTACH '{_quoted(path)}' AS staging (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute("USE staging")
    except BaseException:
        con.close()
        raise
    return warehouse_db.quiet(con)


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
    pattern = glob.escape(path.name)
    for name in (path, path.with_name(path.name + ".wal"),
                 *path.parent.glob(f"{pattern}.*.ndjson"),
                 *path.parent.glob(f"{pattern}.parked-*")):
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
        self.rows = RowFiles(path.parent, path.name)
        """The rows added since the last flush, as JSON lines beside the staging file."""
        self.flushes = 0
        self.staged_agencies = 0
        self.commit_timings: dict[str, float] = {}
        """Seconds of each table's copy in the commit (``warehouse.load.store_run_rows``)."""
        self.commit_cpu_seconds = 0.0
        """CPU seconds of the process (all its threads, DuckDB's among them) while the commit
        wrote: against the write's wall time, how many cores the write kept busy."""
        self.unbounded_commit = False
        """The run did not fit ``COMMIT_MEMORY`` and was stored without the bound."""
        self.overrides: dict[str, dict] = {}
        """Reviewers' overrides in force, by agency and category (``warehouse.reviews``)."""
        self.recrawl_states: dict[str, RecrawlState] = {}
        """Each agency's crawl history: full or smart this time (``flows.schedules``)."""
        self._parked: dict[str, Path] = {}
        """Agency → the file its parked outcome waits in (``park``)."""
        self._park_numbers = itertools.count()

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
        ids = list(agency_ids)
        try:
            with warehouse_db.writing(db_path) as con:  # migrates an older file first
                stage._prepare(con, ids)
            stage.con = connect_staging(stage.path)
        except BaseException as exc:
            _delete(stage.path)
            if isinstance(exc, duckdb.Error | OSError):  # a full disk, a broken file
                raise warehouse_db.file_error(db_path, exc) from exc
            raise
        return stage

    def _prepare(self, con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
        self.overrides = reviews.overrides_in_force(con)
        self.recrawl_states = load_recrawl_states(con)
        con.execute(f"ATTACH '{_quoted(self.path)}' AS stage")
        con.execute("CREATE TEMP TABLE run_agencies AS SELECT unnest($ids::VARCHAR[]) AS agency_id",
                    {"ids": ids})
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
            con.execute("DROP TABLE IF EXISTS temp.run_agencies")
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
        """Take one agency's rows: written at once to the row files, they reach the staging
        file with the next flush."""
        for table, columns in rows.tables.items():
            count = len(next(iter(columns.values()), []))
            for start in range(0, count, SLICE_ROWS):  # a large site goes in by slices
                part = columns if count <= SLICE_ROWS else {
                    name: values[start:start + SLICE_ROWS] for name, values in columns.items()}
                self._append(table, part)
                if self.rows.bytes >= FLUSH_BYTES:
                    self.flush()
        self.staged_agencies += 1
        if (self.rows.rows >= self.flush_rows
                or time.monotonic() - self._last_flush >= self.flush_seconds):
            self.flush()

    def _append(self, table: str, columns: dict[str, list]) -> None:
        try:
            self.rows.append(table, columns)
        except OSError as exc:  # a full disk
            raise warehouse_db.file_error(self.db_path, exc) from exc

    def flush(self) -> None:
        """Write the rows added since the last flush into the staging file, in one short
        transaction; a file that refuses them raises ``warehouse.db.DatabaseFileError``
        naming the warehouse (the staging file lives on the same disk)."""
        if not self.rows.tables():
            return
        con = self._connection()
        con.execute("BEGIN TRANSACTION")
        try:
            self.rows.load(con)
            con.execute("COMMIT")
            # written to the file, the rows' blocks can leave memory: the buffer pool stays
            # small however long the run (EVICT_TO)
            con.execute("CHECKPOINT")
            _evict(con)
        except BaseException as exc:
            _rollback(con)
            if isinstance(exc, duckdb.Error | OSError):  # a full disk, a broken file
                raise warehouse_db.file_error(self.db_path, exc) from exc
            raise
        self._last_flush = time.monotonic()
        self.flushes += 1

    def park(self, agency_id: str, outcome: object) -> None:
        """Keep an agency's outcome (with its whole crawl) on disk until the re-checks later in
        the run: the flow does not hold its pages meanwhile. A file per agency beside the
        staging file, so that neither the flow nor DuckDB's buffer pool keeps it in memory."""
        path = self._parked.get(agency_id) or self.path.with_name(
            f"{self.path.name}.parked-{next(self._park_numbers)}")
        try:
            with open(path, "wb") as out:
                pickle.dump(outcome, out, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as exc:  # a full disk
            path.unlink(missing_ok=True)
            raise warehouse_db.file_error(self.db_path, exc) from exc
        self._parked[agency_id] = path

    def unpark(self, agency_id: str) -> object:
        """The outcome ``park`` kept for the agency (its file is deleted)."""
        path = self._parked.pop(agency_id)
        with open(path, "rb") as parked:
            outcome = pickle.load(parked)
        path.unlink(missing_ok=True)
        return outcome

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
        self.rows.close()
        self.con.close()
        self.con = None
        timings = self.commit_timings
        opening = time.perf_counter()
        with warehouse_db.writing(self.db_path) as con:
            started, cpu = time.perf_counter(), time.process_time()
            timings["open"] = started - opening
            con.execute(f"ATTACH '{_quoted(self.path)}' AS stage (READ_ONLY)")
            try:
                run_id = self._store(con, meta, after_insert)
            finally:
                con.execute("DETACH stage")
            closing = time.perf_counter()
        timings["close"] = time.perf_counter() - closing
        seconds = time.perf_counter() - started
        self.commit_cpu_seconds = time.process_time() - cpu
        _delete(self.path)
        return run_id, seconds

    def _store(self, con: duckdb.DuckDBPyConnection, meta: RunMeta,
               after_insert: AfterInsert | None) -> int:
        """``store_run_rows`` from the attached staging file with DuckDB's buffer pool bounded
        by ``COMMIT_MEMORY``. A run that does not fit (one transaction holds in memory the rows
        it cannot yet write out: a site of thousands of large pages) is rolled back and stored
        again without the bound, rather than failed."""
        sources = {t: f"stage.{t}" for t in STAGED_TABLES}
        try:
            with _settings(con, {**COMMIT_SETTINGS, "memory_limit": COMMIT_MEMORY}):
                return store_run_rows(con, meta, sources, after_insert, self.commit_timings)
        except RunWriteError as exc:
            if not isinstance(exc.__cause__, duckdb.OutOfMemoryException):
                raise
        self.unbounded_commit = True
        with _settings(con, COMMIT_SETTINGS):
            return store_run_rows(con, meta, sources, after_insert, self.commit_timings)

    def discard(self) -> None:
        """Forget the run: close and delete the staging file (nothing reached the warehouse)."""
        self.rows.close()
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


@contextmanager
def _settings(con: duckdb.DuckDBPyConnection, values: dict[str, object]) -> Iterator[None]:
    """DuckDB settings of ``con``'s database for the block (settings are the database's, so
    each is put back afterwards, as DuckDB spells it: a memory limit to its 0.1 MiB)."""
    before = {name: warehouse_db.scalar(con, f"SELECT current_setting('{name}')")
              for name in values}
    try:
        for name, value in values.items():
            con.execute(f"SET {name} = {_literal(value)}")
        yield
    finally:
        for name, value in before.items():
            con.execute(f"SET {name} = {_literal(value)}")


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"'{_quoted(str(value))}'"


def _quoted(text: Path | str) -> str:
    """``text`` inside a SQL string literal (its quotes doubled)."""
    return str(text).replace("'", "''")



def _evict(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the staging file's written blocks from DuckDB's buffer pool (lowering the limit
    makes DuckDB evict them), then restore the limit; blocks still pinned simply stay."""
    try:
        con.execute(f"SET memory_limit = '{EVICT_TO}'")
    except duckdb.OutOfMemoryException:
        pass  # could not free that much now: the next flush tries again
    finally:
        con.execute(f"SET memory_limit = '{STAGING_CONFIG['memory_limit']}'")


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass
