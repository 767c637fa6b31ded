"""Writing one crawl run into the warehouse, all or nothing.

The whole run — agencies, categories, the run row with its summary, each agency's result and
score, pages, documents, findings and the HTTP cache for the next run — goes in one
transaction (``store_run_rows``). Each agency's rows are built as soon as its outcome is final
(``agency_rows``: columns per table, and the small ``AgencySummary`` the run keeps); the crawl
flow streams them into a staging file as agencies finish (``warehouse.staging``) and copies
them in at the end, ``write_run`` builds them all at once from a ``RunRecord``. A crash or an
error halfway leaves the database as it was: the views never show a partial run. Rows go in
as JSON lines that DuckDB reads itself (``warehouse.rowfiles``) or as table-to-table copies,
never row by row.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Protocol

import duckdb

from core.registry import Agency
from scrapers.detection.declared import DeclarationCheck
from scrapers.detection.evidence import EvidenceBundle, EvidenceIndex
from scrapers.detection.health import SiteHealth
from scrapers.model import STATUSES, UNREACHABLE, DocumentCheck, Finding, SiteCrawl
from warehouse import claims, queries, scoring
from warehouse.db import scalar
from warehouse.rowfiles import remove_directory, temporary


class CategoryLike(Protocol):
    """What the warehouse needs of a checklist category (``core.checklist.Category`` fits)."""

    id: str
    group: str
    name: str
    legal_basis: str
    weight: float
    freshness: str
    position: int
    # optional: upload_hint (what to upload; the reminders show it)


@dataclass
class AgencyOutcome:
    """What one agency's task produced: the crawl (None when the task itself failed) and findings."""

    agency: Agency
    findings: list[Finding]
    crawl: SiteCrawl | None = None
    error: str | None = None
    checked_at: datetime | None = None
    health: SiteHealth | None = None
    """This run compared with the site's previous one (None for an unreachable site)."""
    rechecks: dict[str, DocumentCheck] = field(default_factory=dict)
    """Old evidence URLs re-checked later in the run (``scrapers.crawling.recheck``)."""
    declaration_checks: list[DeclarationCheck] = field(default_factory=list)
    """The agency's declared URLs as this run checked them (``warehouse.claims``)."""

    @property
    def reachable(self) -> bool:
        return any(f.status != UNREACHABLE for f in self.findings)


@dataclass
class RunRecord:
    """Everything one crawl run writes, in one transaction."""

    started_at: datetime
    finished_at: datetime
    categories: Sequence[CategoryLike]
    outcomes: list[AgencyOutcome]
    registry: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def scores(self) -> dict[str, scoring.Scored]:
        """Each agency's score and band (``warehouse.scoring``), computed once."""
        weights = {c.id: c.weight for c in self.categories}
        return {o.agency.id: scoring.scored({f.category_id: f.status for f in o.findings}, weights)
                for o in self.outcomes}

    @property
    def summaries(self) -> list[AgencySummary]:
        """Each agency's summary (what ``flows.summary.run_summary`` reads)."""
        scores = self.scores
        return [summary_of(o, scores[o.agency.id]) for o in self.outcomes]


class RunWriteError(RuntimeError):
    """A run could not be written; nothing of it was stored."""

    pass


AfterInsert = Callable[[duckdb.DuckDBPyConnection, int], None]
"""Work done inside a run's write transaction once its rows are in (``con``, ``run_id``)."""


def write_run(con: duckdb.DuckDBPyConnection, run: RunRecord, *,
              after_insert: AfterInsert | None = None) -> int:
    """Store a completed run in one transaction; returns its run id. ``after_insert(con,
    run_id)`` runs inside that transaction once the findings are in (the reviews carried
    into the run and their lapses: ``warehouse.reviews.RunReviews.store``).

    The same rows as the streaming path (``warehouse.staging``) builds agency by agency,
    here built at once from the record's outcomes."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building ~10^6 small objects: the cyclic collector would only slow it down
    try:
        known = {c.id for c in run.categories}
        for outcome in run.outcomes:
            check_findings(outcome, known)
        scores = run.scores
        files = temporary("run")
        checks: list[DeclarationCheck] = []
        try:
            for o in run.outcomes:
                rows = agency_rows(o, scores[o.agency.id], known, run.finished_at)
                for table, columns in rows.tables.items():
                    files.append(table, columns)
                checks += rows.declaration_checks

            def extra(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
                store_declaration_checks(con, run_id, checks, run.finished_at)
                if after_insert is not None:
                    after_insert(con, run_id)

            return store_run_rows(con, RunMeta.of(run), files.sources(con), extra)
        finally:
            remove_directory(files)
    finally:
        if gc_was_enabled:
            gc.enable()


@dataclass(frozen=True)
class RunMeta:
    """The run row: what ``store_run_rows`` writes besides the agencies' rows."""

    started_at: datetime
    finished_at: datetime
    categories: Sequence[CategoryLike]
    registry: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, run: RunRecord) -> RunMeta:
        """The run row of a whole record."""
        return cls(run.started_at, run.finished_at, run.categories, run.registry, run.settings,
                   run.summary)


def store_run_rows(con: duckdb.DuckDBPyConnection, meta: RunMeta, sources: dict[str, str],
                   after_insert: AfterInsert | None = None,
                   timings: dict[str, float] | None = None) -> int:
    """Write one run in one transaction from relations that hold its rows (registered Arrow
    tables, or the tables of an attached staging file), one per table of ``STAGED_TABLES``
    (a missing one has no rows), then ``after_insert(con, run_id)`` (declaration checks,
    carried overrides); returns the new run id. All or nothing: on any error the
    transaction is rolled back and ``RunWriteError`` says why; so are staged findings that
    repeat a key (``UNIQUE_KEYS``), before anything is copied (HTTP-cache rows that repeat a
    URL are stored once: ``one_row_per_key``). ``timings`` (if given) gets the
    seconds of each step (the run row, the key checks, each table's copy, ``after_insert``,
    ``COMMIT``): what explains a slow write."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    try:
        run_id = _next_run_id(con)
        _upsert_categories(con, meta.categories)
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, 'completed', ?, ?, ?)",
            [run_id, meta.started_at, meta.finished_at, meta.registry,
             json.dumps(meta.settings, default=str), json.dumps(meta.summary, default=str)],
        ).fetchall()  # DuckDB 2 refuses register() while a result is unread
        timings["run_row"] = time.perf_counter() - started
        started = time.perf_counter()
        sources = dict(sources)
        if "findings" in sources:
            refuse_duplicates(con, "findings", sources["findings"], UNIQUE_KEYS["findings"])
        if "http_cache" in sources:
            sources["http_cache"] = one_row_per_key(con, sources["http_cache"],
                                                    UNIQUE_KEYS["http_cache"])
        timings["key_checks"] = time.perf_counter() - started
        for table in STAGED_TABLES:
            if table in sources:
                started = time.perf_counter()
                _copy(con, table, sources[table], run_id, meta.finished_at)
                timings[table] = time.perf_counter() - started
        started = time.perf_counter()
        if after_insert is not None:
            after_insert(con, run_id)
        timings["after_insert"] = time.perf_counter() - started
        started = time.perf_counter()
        con.execute("COMMIT")
        timings["commit"] = time.perf_counter() - started
    except Exception as exc:
        rollback_quietly(con)
        raise RunWriteError(f"run not stored (nothing was written): {first_line(exc)}") from exc
    return run_id


STAGED_TABLES = ("agencies", "agency_runs", "findings", "pages", "documents",
                 "evidence_checks", "http_cache")
"""The tables a run's agencies add rows to, in the order they are written."""
RUN_TABLES = ("agency_runs", "findings", "pages", "documents", "evidence_checks", "http_cache")
"""Of those, the ones whose rows carry the run id (given when the run is written)."""


def store_declaration_checks(con: duckdb.DuckDBPyConnection, run_id: int,
                             checks: Sequence[DeclarationCheck], at: datetime) -> None:
    """The run's checks of declared URLs, with an audit row for each changed confirmation
    (inside the run's transaction)."""
    if checks:
        claims.audit_check_changes(con, checks, run_id, at)
        _insert(con, "declaration_checks", claims.check_rows(run_id, checks, at))


UNIQUE_KEYS = {"findings": ("agency_id", "category_id"), "http_cache": ("agency_id", "url")}
"""The keys a run's rows must not repeat in tables without a primary-key index (migration
0016): one finding per agency and category, one cache row per agency and URL. The run id
completes the findings' key and is new for every run."""


def _first_repeated(con: duckdb.DuckDBPyConnection, source: str,
                    key: Sequence[str]) -> tuple | None:
    columns = ", ".join(key)
    rows = con.execute(f"SELECT {columns}, count(*) AS n FROM {source} GROUP BY ALL "
                       f"HAVING count(*) > 1 ORDER BY {columns} LIMIT 1").fetchall()
    return rows[0] if rows else None


def refuse_duplicates(con: duckdb.DuckDBPyConnection, table: str, source: str,
                      key: Sequence[str]) -> None:
    """Raise ``RunWriteError`` naming the agency (and the repeated key) when ``source`` holds
    two rows of ``table`` with the same ``key``: what the primary key refused before 0016,
    checked once over the staged rows before anything is copied."""
    repeated = _first_repeated(con, source, key)
    if repeated:
        agency, *rest, n = repeated
        what = ", ".join(f"{name} {value!r}" for name, value in zip(key[1:], rest, strict=True))
        raise RunWriteError(f"agency {agency!r}: {n} rows of {table} with {what}")


def one_row_per_key(con: duckdb.DuckDBPyConnection, source: str, key: Sequence[str]) -> str:
    """``source`` itself, or, when it repeats a key, a query over it that keeps one row per
    key: the page when a URL was both fetched as a page and checked as a document. (The
    HTTP cache's upsert through its primary key kept one such row before 0016; a crawl's
    cache is never worth refusing a whole run.)"""
    if _first_repeated(con, source, key) is None:
        return source
    columns = ", ".join(key)
    return (f"(SELECT * FROM {source} QUALIFY row_number() OVER "
            f"(PARTITION BY {columns} ORDER BY kind DESC) = 1)")


def _copy(con: duckdb.DuckDBPyConnection, table: str, source: str, run_id: int,
          now: datetime) -> None:
    """Copy one table's rows of the run from ``source`` (inside the run's transaction)."""
    params = ({"run_id": run_id, "now": now} if table == "http_cache"
              else {"run_id": run_id} if table in RUN_TABLES else None)
    for statement in _copy_statements(table, source):
        con.execute(statement, params if "$" in statement else None).fetchall()


def _copy_statements(table: str, source: str) -> list[str]:
    """The statements that copy one table's staged rows. The HTTP cache keeps one row per
    agency and URL: the rows of the URLs being written are deleted, then the new ones
    inserted (a page a smart recrawl reused unasked is not staged and keeps its row)."""
    if table == "agencies":
        return [f"INSERT OR REPLACE INTO agencies BY NAME SELECT * FROM {source}"]
    if table == "http_cache":
        return [f"DELETE FROM http_cache WHERE (agency_id, url) IN "
                f"(SELECT agency_id, url FROM {source})",
                "INSERT INTO http_cache BY NAME "
                f"SELECT $run_id AS run_id, $now AS updated_at, * FROM {source}"]
    return [f"INSERT INTO {table} BY NAME SELECT $run_id AS run_id, * FROM {source}"]


def record_failed_run(con: duckdb.DuckDBPyConnection, started_at: datetime, registry: str,
                      error: str) -> int:
    """Note a run that could not finish, so its absence from the history is explained."""
    con.execute("BEGIN TRANSACTION")
    try:
        run_id = _next_run_id(con)
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, 'failed', ?, NULL, ?)",
            [run_id, started_at, datetime.now(UTC), registry, json.dumps({"error": error})],
        )
        con.execute("COMMIT")
    except Exception:
        rollback_quietly(con)
        raise
    return run_id


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back after a failed write without hiding its cause: when the write failed because
    the disk is full, DuckDB has often ended the transaction itself and ROLLBACK would raise
    "cannot rollback", which must not replace "No space left on device"."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def first_line(exc: BaseException) -> str:
    """The first line of an error (DuckDB's messages go on with hints)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def check_findings(outcome: AgencyOutcome, known: set[str]) -> None:
    """Refuse an agency's findings with unknown statuses or categories before anything of
    its run is written."""
    for finding in outcome.findings:
        if finding.status not in STATUSES:
            raise RunWriteError(
                f"agency {outcome.agency.id!r}, category {finding.category_id!r}: "
                f"unknown status {finding.status!r}"
            )
        if finding.category_id not in known:
            raise RunWriteError(
                f"agency {outcome.agency.id!r}: unknown category {finding.category_id!r}"
            )


def _next_run_id(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "SELECT coalesce(max(id), 0) + 1 FROM runs")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]],
            *, replace: bool = False) -> None:
    """Insert (or upsert, by primary key) a few rows, a list of dicts keyed by column name:
    one statement of parameter rows per ``INSERT_CHUNK`` rows (a run's categories and
    declaration checks; a run's agencies go through ``warehouse.rowfiles``)."""
    if not rows:
        return
    names = list(rows[0])
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    one = "(" + ", ".join("?" for _ in names) + ")"
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start:start + INSERT_CHUNK]
        con.execute(f"{verb} INTO {table} ({', '.join(names)}) VALUES "
                    + ", ".join(one for _ in chunk),
                    [row[name] for row in chunk for name in names]).fetchall()


INSERT_CHUNK = 500
"""Rows per statement of ``_insert``."""


def _upsert_categories(con: duckdb.DuckDBPyConnection, categories: Iterable[CategoryLike]) -> None:
    rows = [
        {"id": c.id, "category_group": c.group, "name": c.name, "legal_basis": c.legal_basis,
         "weight": float(c.weight), "freshness": c.freshness, "position": c.position,
         "upload_hint": getattr(c, "upload_hint", None) or None}
        for c in categories
    ]
    _insert(con, "categories", rows, replace=True)


@dataclass(frozen=True)
class AgencySummary:
    """What the run keeps of one agency once its rows are stored: the numbers of the run
    summary and the progress line (never its pages)."""

    agency_id: str
    name: str
    reachable: bool
    error: str | None
    score: float | None
    band: str | None
    pages: int = 0
    documents: int = 0
    requests: int = 0
    body_bytes: int = 0
    crawl_mode: str | None = None
    """``full`` or ``smart`` (None: the crawl task failed)."""


@dataclass
class AgencyRows:
    """One agency's rows for the run's tables (``STAGED_TABLES``), as columns without the run
    id (given when the run is written), and its summary."""

    summary: AgencySummary
    tables: dict[str, dict[str, list]]
    declaration_checks: list[DeclarationCheck] = field(default_factory=list)
    """Checks of the agency's declared URLs (stored, with their audit rows, at the commit)."""
    carried: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    """Reviewers' overrides in force this run carries for the agency ((agency, category) →
    (review id, status); ``warehouse.reviews``), marked on its findings at the commit."""


def agency_rows(outcome: AgencyOutcome, scored: scoring.Scored, known: set[str],
                now: datetime | None = None) -> AgencyRows:
    """Everything the run stores about one agency, built as soon as its outcome is final
    (``now`` stands in for a missing check time). Unknown statuses or categories raise
    ``RunWriteError``."""
    check_findings(outcome, known)
    now = now or datetime.now(UTC)
    agency = outcome.agency
    checked_at = _checked_at(outcome, now)
    summary = summary_of(outcome, scored)
    return AgencyRows(summary=summary, tables={
        "agencies": _columns([_agency_row(agency, now)]),
        "agency_runs": _columns([_agency_run_row(outcome, summary, checked_at)]),
        "findings": _finding_columns(outcome, checked_at),
        "pages": _columns(_page_rows(outcome), PAGE_COLUMNS),
        "documents": _columns(_document_rows(outcome), DOCUMENT_COLUMNS),
        "evidence_checks": _columns(_recheck_rows(outcome), RECHECK_COLUMNS),
        "http_cache": _columns(_cache_rows(outcome), CACHE_COLUMNS),
    }, declaration_checks=list(outcome.declaration_checks))


def summary_of(outcome: AgencyOutcome, scored: scoring.Scored) -> AgencySummary:
    """The agency's numbers that the run keeps (``AgencySummary``)."""
    crawl = outcome.crawl
    return AgencySummary(
        agency_id=outcome.agency.id, name=outcome.agency.name, reachable=outcome.reachable,
        error=outcome.error or (crawl.error if crawl else None),
        score=scored.score, band=scored.band,
        pages=len(crawl.pages) if crawl else 0, documents=len(crawl.documents) if crawl else 0,
        requests=crawl.requests if crawl else 0, body_bytes=crawl.body_bytes if crawl else 0,
        crawl_mode=crawl.mode if crawl else None)


def _columns(rows: list[dict[str, Any]], names: Sequence[str] = ()) -> dict[str, list]:
    names = list(rows[0]) if rows else list(names)
    return {name: [r[name] for r in rows] for name in names}


def _agency_row(a: Agency, now: datetime) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "url": a.url, "email": a.email, "role": a.role,
            "parent": a.parent or None, "insecure_tls": a.insecure_tls, "updated_at": now}


def _agency_run_row(o: AgencyOutcome, summary: AgencySummary, checked_at: datetime) -> dict:
    return {
        "agency_id": summary.agency_id,
        "reachable": summary.reachable,
        "error": summary.error,
        "score": summary.score,
        "band": summary.band,
        "pages": summary.pages,
        "documents": summary.documents,
        "requests": summary.requests,
        "body_bytes": summary.body_bytes,
        "started_at": o.crawl.started_at if o.crawl else None,
        "checked_at": checked_at,
        **_health_columns(o.health),
        **_crawl_mode_columns(o.crawl),
    }


def _crawl_mode_columns(crawl: SiteCrawl | None) -> dict[str, Any]:
    """Whether the agency's crawl was full or smart, and why full (None: no crawl)."""
    if crawl is None:
        return {"crawl_mode": None, "crawl_reason": None}
    return {"crawl_mode": crawl.mode, "crawl_reason": crawl.mode_reason or None}


def _health_columns(health: SiteHealth | None) -> dict[str, Any]:
    if health is None:
        return {"platform": None, "categories_found": None, "evidence_checked": None,
                "evidence_alive": None, "site_changed": False, "health_note": None}
    return {"platform": health.counts.platform or None,
            "categories_found": health.counts.categories_found,
            "evidence_checked": health.evidence_checked, "evidence_alive": health.evidence_alive,
            "site_changed": health.changed, "health_note": health.note or None}


RECHECK_COLUMNS = ("agency_id", "url", "ok", "status_code", "reason", "checked_at")


def _recheck_rows(o: AgencyOutcome) -> list[dict]:
    return [
        {"agency_id": o.agency.id, "url": c.url, "ok": c.ok, "status_code": c.status,
         "reason": c.reason or None, "checked_at": c.checked_at}
        for c in o.rechecks.values()
    ]


def _checked_at(outcome: AgencyOutcome, now: datetime) -> datetime:
    if outcome.checked_at:
        return outcome.checked_at
    if outcome.crawl and outcome.crawl.finished_at:
        return outcome.crawl.finished_at
    return now


def _finding_columns(o: AgencyOutcome, checked_at: datetime) -> dict[str, list]:
    findings, n = o.findings, len(o.findings)
    columns: dict[str, list] = {"agency_id": [o.agency.id] * n}
    for name in FINDING_FIELDS:
        columns[name] = [getattr(f, name) for f in findings]
    columns["detector_status"] = [f.detector_status or f.status for f in findings]
    columns["checked_at"] = [checked_at] * n
    _add_evidence_columns(columns, o)
    return columns


FINDING_FIELDS = ("category_id", "status", "evidence_url", "evidence_text", "page_url",
                  "document_year", "matched_rule", "confirmed", "drop_checks", "held_reason",
                  "status_source", "declaration_id")
EVIDENCE_COLUMNS = ("evidence_chain", "evidence_status_code", "evidence_content_type",
                    "evidence_bytes", "evidence_sha256", "evidence_sha256_bytes",
                    "evidence_from_cache", "evidence_body_sha256")


def _add_evidence_columns(columns: dict[str, list], outcome: AgencyOutcome) -> None:
    """Each finding's evidence bundle (``scrapers.detection.evidence``): what answered at its
    evidence URL in this crawl (or in a re-check later in the run)."""
    for name in EVIDENCE_COLUMNS:
        columns[name] = []
    index = EvidenceIndex(outcome.crawl, outcome.rechecks)
    declared = claims.evidence_indexes(outcome.declaration_checks)
    for f in outcome.findings:
        source = declared.get(f.declaration_id, index) if f.declaration_id is not None else index
        bundle = source.bundle(f.status, f.evidence_url, f.page_url) or NO_BUNDLE
        columns["evidence_chain"].append(bundle.chain or None)
        columns["evidence_status_code"].append(bundle.status_code)
        columns["evidence_content_type"].append(bundle.content_type)
        columns["evidence_bytes"].append(bundle.bytes)
        columns["evidence_sha256"].append(bundle.sha256)
        columns["evidence_sha256_bytes"].append(bundle.sha256_bytes)
        columns["evidence_from_cache"].append(bundle.from_cache if bundle.chain else None)
        columns["evidence_body_sha256"].append(bundle.body_sha256)


NO_BUNDLE = EvidenceBundle()
PAGE_COLUMNS = ("agency_id", "url", "status_code", "content_type", "bytes", "etag",
                "last_modified", "depth", "title", "from_cache", "fetched_at")
DOCUMENT_COLUMNS = ("agency_id", "url", "ok", "status_code", "content_type", "bytes",
                    "last_modified", "reason", "from_cache", "checked_at")
CACHE_COLUMNS = ("agency_id", "url", "kind", "etag", "last_modified", "data")


def _page_rows(o: AgencyOutcome) -> list[dict]:
    return [
        {"agency_id": o.agency.id, "url": p.url, "status_code": p.status,
         "content_type": p.content_type, "bytes": p.bytes, "etag": p.etag,
         "last_modified": p.last_modified, "depth": p.depth, "title": p.title,
         "from_cache": p.from_cache, "fetched_at": p.fetched_at}
        for p in (o.crawl.pages if o.crawl else ())
    ]


def _document_rows(o: AgencyOutcome) -> list[dict]:
    return [
        {"agency_id": o.agency.id, "url": d.url, "ok": d.ok,
         "status_code": d.status, "content_type": d.content_type, "bytes": d.bytes,
         "last_modified": d.last_modified, "reason": d.reason, "from_cache": d.from_cache,
         "checked_at": d.checked_at}
        for d in (o.crawl.documents.values() if o.crawl else ())
    ]


def _cache_rows(o: AgencyOutcome) -> list[dict]:
    """Each page that answered and each document check, with its validators and extracted
    content: the next run's 304s reuse them, and a smart recrawl takes them unasked
    (``scrapers.crawling.recrawl``), validators or not. What a smart recrawl took unasked
    (``reused``) is the stored row itself: it is not written again."""
    if not o.crawl:
        return []
    rows = []
    for p in o.crawl.pages:
        if p.status == 200 and not p.reused:
            rows.append(_cache_row(o.agency.id, p.url, "page", p.etag, p.last_modified,
                                   p.to_dict()))
    for d in o.crawl.documents.values():
        if not d.reused:
            rows.append(_cache_row(o.agency.id, d.url, "document", d.etag, d.last_modified,
                                   d.to_dict()))
    return rows


def _cache_row(agency_id, url, kind, etag, last_modified, data) -> dict:
    return {"agency_id": agency_id, "url": url, "kind": kind, "etag": etag,
            "last_modified": last_modified,
            "data": json.dumps(data, default=str, separators=(",", ":"))}


def previous_scores(con: duckdb.DuckDBPyConnection) -> dict[str, float | None]:
    """Each agency's score in its latest completed run (before the run being written)."""
    return {r["agency_id"]: r["score"] for r in queries.records(con, "previous_scores")}


def load_http_cache(con: duckdb.DuckDBPyConnection, agency_id: str) -> tuple[dict, dict]:
    """(pages, documents) by URL from the last runs, for conditional requests."""
    return http_cache_of(con.execute(
        "SELECT url, kind, data FROM http_cache WHERE agency_id = ?", [agency_id]
    ).fetchall())


def http_cache_of(rows: Iterable[tuple[str, str, str]]) -> tuple[dict, dict]:
    """(pages, documents) by URL from ``(url, kind, data)`` rows of the HTTP cache."""
    from scrapers.model import DocumentCheck, Page

    pages, documents = {}, {}
    for url, kind, data in rows:
        record = json.loads(data)
        if kind == "page":
            pages[url] = Page.from_dict(record)
        else:
            documents[url] = DocumentCheck.from_dict(record)
    return pages, documents
