"""Writing one crawl run into the warehouse, all or nothing.

The whole run — agencies, categories, the run row with its summary, each agency's result and
score, pages, documents, findings and the HTTP cache for the next run — goes in one
transaction. Scores are computed (``RunRecord.scores``) and the summary built before the
write; ``write_run`` only stores what the record holds. A crash
or an error halfway leaves the database as it was: the views never show a partial run.
Rows go in as Arrow tables, not row by row, so a run of 30,000 agencies takes seconds.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from core.registry import Agency
from scrapers.detection.declared import DeclarationCheck
from scrapers.detection.evidence import EvidenceBundle, EvidenceIndex
from scrapers.detection.health import SiteHealth
from scrapers.model import STATUSES, UNREACHABLE, DocumentCheck, Finding, SiteCrawl
from warehouse import claims, queries, scoring
from warehouse.db import scalar


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


class RunWriteError(RuntimeError):
    """A run could not be written; nothing of it was stored."""

    pass


def write_run(con: duckdb.DuckDBPyConnection, run: RunRecord, *,
              after_insert: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None) -> int:
    """Store a completed run in one transaction; returns its run id. ``after_insert(con,
    run_id)`` runs inside that transaction once the findings are in (the reviews carried
    into the run and their lapses: ``warehouse.reviews.RunReviews.store``)."""
    _check_findings(run)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building ~10^6 small objects: the cyclic collector would only slow it down
    con.execute("BEGIN TRANSACTION")
    try:
        run_id = _next_run_id(con)
        _upsert_categories(con, run.categories)
        _upsert_agencies(con, [o.agency for o in run.outcomes], run.finished_at)
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, 'completed', ?, ?, ?)",
            [run_id, run.started_at, run.finished_at, run.registry,
             json.dumps(run.settings, default=str), json.dumps(run.summary, default=str)],
        ).fetchall()  # DuckDB 2 refuses register() while a result is unread
        _insert(con, "agency_runs", _agency_run_rows(run_id, run))
        _insert(con, "findings", _finding_rows(run_id, run))
        _insert(con, "pages", _page_rows(run_id, run.outcomes))
        _insert(con, "documents", _document_rows(run_id, run.outcomes))
        _insert(con, "evidence_checks", _recheck_rows(run_id, run.outcomes))
        _store_declaration_checks(con, run_id, run)
        _update_http_cache(con, run_id, run.outcomes, run.finished_at)
        if after_insert is not None:
            after_insert(con, run_id)
        con.execute("COMMIT")
    except Exception as exc:
        rollback_quietly(con)
        raise RunWriteError(f"run not stored (nothing was written): {first_line(exc)}") from exc
    finally:
        if gc_was_enabled:
            gc.enable()
    return run_id


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


def _check_findings(run: RunRecord) -> None:
    """Refuse a run with unknown statuses or categories before anything is written."""
    known = {c.id for c in run.categories}
    for outcome in run.outcomes:
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


def _insert(con: duckdb.DuckDBPyConnection, table: str,
            rows: list[dict[str, Any]] | dict[str, list], *, replace: bool = False) -> None:
    """Bulk insert (or upsert, by primary key) rows — a list of dicts keyed by column name, or
    (cheaper for large tables) a dict of column lists."""
    if isinstance(rows, dict):
        if not next(iter(rows.values()), []):
            return
        columns, arrow = ", ".join(rows), pa.Table.from_pydict(rows)
    else:
        if not rows:
            return
        columns, arrow = ", ".join(rows[0]), pa.Table.from_pylist(rows)
    con.register("incoming_rows", arrow)
    try:
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        con.execute(f"{verb} INTO {table} ({columns}) SELECT {columns} FROM incoming_rows").fetchall()
    finally:
        con.unregister("incoming_rows")


def _upsert_categories(con: duckdb.DuckDBPyConnection, categories: Iterable[CategoryLike]) -> None:
    rows = [
        {"id": c.id, "category_group": c.group, "name": c.name, "legal_basis": c.legal_basis,
         "weight": float(c.weight), "freshness": c.freshness, "position": c.position,
         "upload_hint": getattr(c, "upload_hint", None) or None}
        for c in categories
    ]
    _insert(con, "categories", rows, replace=True)


def _upsert_agencies(con: duckdb.DuckDBPyConnection, agencies: list[Agency], now: datetime) -> None:
    rows = [
        {"id": a.id, "name": a.name, "url": a.url, "email": a.email, "role": a.role,
         "parent": a.parent or None, "insecure_tls": a.insecure_tls, "updated_at": now}
        for a in agencies
    ]
    _insert(con, "agencies", rows, replace=True)


def _agency_run_rows(run_id: int, run: RunRecord) -> list[dict]:
    rows = []
    scores = run.scores
    for o in run.outcomes:
        value, band = scores[o.agency.id]
        crawl = o.crawl
        rows.append({
            "run_id": run_id,
            "agency_id": o.agency.id,
            "reachable": o.reachable,
            "error": o.error or (crawl.error if crawl else None),
            "score": value,
            "band": band,
            "pages": len(crawl.pages) if crawl else 0,
            "documents": len(crawl.documents) if crawl else 0,
            "requests": crawl.requests if crawl else 0,
            "body_bytes": crawl.body_bytes if crawl else 0,
            "started_at": crawl.started_at if crawl else None,
            "checked_at": _checked_at(o, run),
            **_health_columns(o.health),
        })
    return rows


def _health_columns(health: SiteHealth | None) -> dict[str, Any]:
    if health is None:
        return {"platform": None, "categories_found": None, "evidence_checked": None,
                "evidence_alive": None, "site_changed": False, "health_note": None}
    return {"platform": health.counts.platform or None,
            "categories_found": health.counts.categories_found,
            "evidence_checked": health.evidence_checked, "evidence_alive": health.evidence_alive,
            "site_changed": health.changed, "health_note": health.note or None}


def _recheck_rows(run_id: int, outcomes: list[AgencyOutcome]) -> list[dict]:
    return [
        {"run_id": run_id, "agency_id": o.agency.id, "url": c.url, "ok": c.ok,
         "status_code": c.status, "reason": c.reason or None, "checked_at": c.checked_at}
        for o in outcomes for c in o.rechecks.values()
    ]


def _store_declaration_checks(con: duckdb.DuckDBPyConnection, run_id: int, run: RunRecord) -> None:
    """The run's checks of declared URLs, with an audit row for each changed confirmation."""
    checks = [c for o in run.outcomes for c in o.declaration_checks]
    if checks:
        claims.audit_check_changes(con, checks, run_id, run.finished_at)
        _insert(con, "declaration_checks", claims.check_rows(run_id, checks, run.finished_at))


def _checked_at(outcome: AgencyOutcome, run: RunRecord) -> datetime:
    if outcome.checked_at:
        return outcome.checked_at
    if outcome.crawl and outcome.crawl.finished_at:
        return outcome.crawl.finished_at
    return run.finished_at


def _finding_rows(run_id: int, run: RunRecord) -> dict[str, list]:
    """The findings as columns: a national run has ~900,000 of them."""
    columns: dict[str, list] = {name: [] for name in FINDING_COLUMNS}
    for o in run.outcomes:
        findings, n = o.findings, len(o.findings)
        columns["run_id"] += [run_id] * n
        columns["agency_id"] += [o.agency.id] * n
        columns["checked_at"] += [_checked_at(o, run)] * n
        for name in FINDING_FIELDS:
            columns[name] += [getattr(f, name) for f in findings]
        columns["detector_status"] += [f.detector_status or f.status for f in findings]
        _add_evidence_columns(columns, o)
    return columns


FINDING_FIELDS = ("category_id", "status", "evidence_url", "evidence_text", "page_url",
                  "document_year", "matched_rule", "confirmed", "drop_checks", "held_reason",
                  "status_source", "declaration_id")
EVIDENCE_COLUMNS = ("evidence_chain", "evidence_status_code", "evidence_content_type",
                    "evidence_bytes", "evidence_sha256", "evidence_sha256_bytes",
                    "evidence_from_cache")
FINDING_COLUMNS = ("run_id", "agency_id", *FINDING_FIELDS, "detector_status", "checked_at",
                   *EVIDENCE_COLUMNS)


def _add_evidence_columns(columns: dict[str, list], outcome: AgencyOutcome) -> None:
    """Each finding's evidence bundle (``scrapers.detection.evidence``): what answered at its
    evidence URL in this crawl (or in a re-check later in the run)."""
    index = EvidenceIndex(outcome.crawl, outcome.rechecks)
    for f in outcome.findings:
        bundle = index.bundle(f.status, f.evidence_url, f.page_url) or NO_BUNDLE
        columns["evidence_chain"].append(bundle.chain or None)
        columns["evidence_status_code"].append(bundle.status_code)
        columns["evidence_content_type"].append(bundle.content_type)
        columns["evidence_bytes"].append(bundle.bytes)
        columns["evidence_sha256"].append(bundle.sha256)
        columns["evidence_sha256_bytes"].append(bundle.sha256_bytes)
        columns["evidence_from_cache"].append(bundle.from_cache if bundle.chain else None)


NO_BUNDLE = EvidenceBundle()


def _page_rows(run_id: int, outcomes: list[AgencyOutcome]) -> list[dict]:
    return [
        {"run_id": run_id, "agency_id": o.agency.id, "url": p.url, "status_code": p.status,
         "content_type": p.content_type, "bytes": p.bytes, "etag": p.etag,
         "last_modified": p.last_modified, "depth": p.depth, "title": p.title,
         "from_cache": p.from_cache, "fetched_at": p.fetched_at}
        for o in outcomes if o.crawl for p in o.crawl.pages
    ]


def _document_rows(run_id: int, outcomes: list[AgencyOutcome]) -> list[dict]:
    return [
        {"run_id": run_id, "agency_id": o.agency.id, "url": d.url, "ok": d.ok,
         "status_code": d.status, "content_type": d.content_type, "bytes": d.bytes,
         "last_modified": d.last_modified, "reason": d.reason, "from_cache": d.from_cache,
         "checked_at": d.checked_at}
        for o in outcomes if o.crawl for d in o.crawl.documents.values()
    ]


def _update_http_cache(con: duckdb.DuckDBPyConnection, run_id: int,
                       outcomes: list[AgencyOutcome], now: datetime) -> None:
    """Keep each fetched URL's validators and extracted content for the next run's 304s."""
    rows = []
    for o in outcomes:
        if not o.crawl:
            continue
        for p in o.crawl.pages:
            if p.status == 200 and (p.etag or p.last_modified):
                rows.append(_cache_row(o.agency.id, p.url, "page", p.etag, p.last_modified,
                                       p.to_dict(), run_id, now))
        for d in o.crawl.documents.values():
            if d.etag or d.last_modified:
                rows.append(_cache_row(o.agency.id, d.url, "document", d.etag, d.last_modified,
                                       d.to_dict(), run_id, now))
    _insert(con, "http_cache", rows, replace=True)


def _cache_row(agency_id, url, kind, etag, last_modified, data, run_id, now) -> dict:
    return {"agency_id": agency_id, "url": url, "kind": kind, "etag": etag,
            "last_modified": last_modified, "data": json.dumps(data, default=str),
            "run_id": run_id, "updated_at": now}


def previous_scores(con: duckdb.DuckDBPyConnection) -> dict[str, float | None]:
    """Each agency's score in its latest completed run (before the run being written)."""
    return {r["agency_id"]: r["score"] for r in queries.records(con, "previous_scores")}


def load_http_cache(con: duckdb.DuckDBPyConnection, agency_id: str) -> tuple[dict, dict]:
    """(pages, documents) by URL from the last runs, for conditional requests."""
    from scrapers.model import DocumentCheck, Page

    pages, documents = {}, {}
    for url, kind, data in con.execute(
        "SELECT url, kind, data FROM http_cache WHERE agency_id = ?", [agency_id]
    ).fetchall():
        record = json.loads(data)
        if kind == "page":
            pages[url] = Page.from_dict(record)
        else:
            documents[url] = DocumentCheck.from_dict(record)
    return pages, documents
