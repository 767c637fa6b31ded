"""Each agency's last known state, read at the start of a run (``prior_findings`` query),
and its crawl history for choosing a full or a smart crawl (``recrawl_state`` query).

The crawl flow hands it to ``scrapers.detection.confirm`` and ``scrapers.detection.health``:
drops are measured against the last run in which the site was reachable, so a week of
downtime neither confirms nor forgets a drop that was awaiting its re-check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from scrapers.detection.confirm import PriorFinding, PriorRun
from warehouse import queries


def load_prior_runs(con: duckdb.DuckDBPyConnection) -> dict[str, PriorRun]:
    """``{agency_id: PriorRun}`` for every agency with a reachable run."""
    text = queries.sql("prior_findings")
    return prior_runs_of(con.execute(text, queries.parameters(text, {})).fetchall())


def prior_runs_of(rows: Iterable[tuple]) -> dict[str, PriorRun]:
    """``{agency_id: PriorRun}`` from rows of the ``prior_findings`` query (also read back
    from a run's staging copy of it, ``warehouse.staging``)."""
    runs: dict[str, dict] = {}
    for (agency_id, run_id, checked_at, pages, documents, found, platform, category_id, status,
         evidence_url, evidence_text, page_url, year, rule, confirmed, checks) in rows:
        run = runs.setdefault(agency_id, {
            "run_id": run_id, "checked_at": checked_at, "pages": pages or 0,
            "documents": documents or 0, "categories_found": found or 0,
            "platform": platform or "", "findings": {},
        })
        run["findings"][category_id] = PriorFinding(
            category_id=category_id, status=status, evidence_url=evidence_url,
            evidence_text=evidence_text, page_url=page_url, document_year=year,
            matched_rule=rule, confirmed=bool(confirmed), drop_checks=int(checks or 0))
    return {agency_id: PriorRun(**run) for agency_id, run in runs.items()}


@dataclass(frozen=True)
class RecrawlState:
    """An agency's crawl history as the choice between a full and a smart crawl needs it
    (``flows.schedules.full_crawl_reason``)."""

    run_id: int
    """Its latest completed run."""
    reachable: bool
    site_changed: bool
    """The site health check of that run flagged ``situs berubah``."""
    last_full_at: datetime | None = None
    """When a full crawl last reached the site (None: never)."""
    url: str = ""
    """The registry URL the site was last crawled at."""


def load_recrawl_states(con: duckdb.DuckDBPyConnection) -> dict[str, RecrawlState]:
    """``{agency_id: RecrawlState}`` for every agency with a completed run."""
    return {r["agency_id"]: RecrawlState(run_id=int(r["run_id"]), reachable=bool(r["reachable"]),
                                         site_changed=bool(r["site_changed"]),
                                         last_full_at=r["last_full_at"], url=r["url"] or "")
            for r in queries.records(con, "recrawl_state")}
