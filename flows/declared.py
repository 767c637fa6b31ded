"""Declared evidence in the crawl flow: the declarations file recorded before the crawl, the
open declarations fetched after it (one task per agency: network I/O only), detection on them
(pure, ``scrapers.detection.declared``), and the confirmed ones applied to the findings.

Only wiring: the rules live in ``core.declarations`` (the file), ``scrapers.crawling.declared``
(what may be fetched, and how), ``scrapers.detection.declared`` (what confirms) and
``warehouse.claims`` (what is stored and audited).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture

from core.checklist import Checklist
from core.clock import local_now
from core.declarations import load_declarations
from core.registry import Agency, Registry
from core.settings import CrawlSettings, Settings
from flows.batches import Parcel, opened, runner_done
from scrapers.crawling.declared import declared_host_refusal, fetch_declared
from scrapers.detection.declared import (
    DeclaredFetch,
    DeclaredUrl,
    apply_declarations,
    confirm_fetched,
    unreachable_checks,
)
from scrapers.detection.ownership import Owner
from warehouse import claims
from warehouse import db as warehouse_db
from warehouse.claims import FileChanges
from warehouse.load import AgencyOutcome

CLAIMS_TAG = "pantau-crawl"


def declarations_path(settings: Settings, given: str | None) -> str | None:
    """The declarations file of this run: the one given (``--declarations``), else the
    ``claims.declarations_file`` setting; None when neither names one."""
    return given or settings.claims.declarations_file or None


def record_declarations_file(db_path: Path, path: str, registry: Registry,
                             checklist: Checklist, settings: Settings) -> FileChanges:
    """Validate the declarations file (raises ``DeclarationsError`` naming every bad row) and
    record it in the database in one short transaction."""
    declarations = load_declarations(path, registry, checklist.ids, declared_host_refusal)
    with warehouse_db.writing(db_path) as con:
        return claims.record_file_declarations(con, declarations, path, local_now(settings))


def read_open_declarations(db_path: Path) -> dict[str, list[DeclaredUrl]]:
    """The open declarations by agency (empty for a new database)."""
    if not db_path.exists():
        return {}
    with warehouse_db.writing(db_path) as con:
        return claims.open_declarations(con)


@task(name="fetch-declared", tags=[CLAIMS_TAG], cache_policy=NO_CACHE)
def fetch_declared_task(agency: Agency | Parcel, declared: list[DeclaredUrl] | Parcel,
                        settings: Settings | Parcel) -> list[DeclaredFetch]:
    """Fetch one agency's declared URLs (network I/O only; no database, no detection)."""
    agency, declared, settings = opened(agency), opened(declared), opened(settings)
    return fetch_agency_declared(agency, declared, settings.crawl, settings.claims.max_documents)


def fetch_agency_declared(agency: Agency, declared: list[DeclaredUrl], crawl: CrawlSettings,
                          max_documents: int) -> list[DeclaredFetch]:
    """Fetch one agency's declared URLs (network I/O only): what ``fetch_declared_task`` does,
    called directly by the crawl task that already holds the agency."""
    verify = crawl.verify_tls and not agency.insecure_tls
    return fetch_declared(agency, declared, crawl, max_documents=max_documents, verify_tls=verify)


def declared_outcome(outcome: AgencyOutcome, items: list[DeclaredUrl],
                     fetched: list[DeclaredFetch] | None, checklist: Checklist, today: date,
                     owner: Owner | None) -> AgencyOutcome:
    """One agency's outcome with its declarations checked (pure): confirmed ones applied to
    the findings; ``fetched`` None (an unreachable site) leaves them for the next run."""
    if not items:
        return outcome
    if fetched is None:
        return replace(outcome, declaration_checks=unreachable_checks(items))
    checks = confirm_fetched(fetched, checklist, today, owner)
    return replace(outcome, declaration_checks=checks,
                   findings=apply_declarations(outcome.findings, checks))


def fetched_result(future: PrefectFuture, items: list[DeclaredUrl],
                   deadline: float | None = None) -> list[DeclaredFetch]:
    """The task's fetches, or each declaration refused with the task's fault: a failed task,
    or one still running ``deadline`` seconds on (the run does not wait for ever on a task
    whose answer was lost)."""
    future.wait(deadline)
    if deadline is not None and hasattr(future, "wrapped_future") and not runner_done(future):
        reason = f"pemeriksaan tidak selesai dalam {deadline:g} detik"
        return [DeclaredFetch(item, refusal=reason) for item in items]
    if future.state.is_completed():
        return future.result()
    reason = f"pemeriksaan gagal ({future.state.name.lower()})"
    return [DeclaredFetch(item, refusal=reason) for item in items]
