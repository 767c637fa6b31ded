"""The ``recheck-drops`` flow: the scheduled re-check of unconfirmed drops. Wiring only.

``trust.recheck_after_hours`` after a crawl (0: never; the next crawl re-checks instead), the
weekly pipeline schedules a run of the ``recheck-drops/pantau-recheck`` deployment
(``pantau serve`` registers it). The flow lists the drops the latest runs hold back
(``warehouse.drops``), asks their old evidence URLs again (one task per agency,
``scrapers.crawling.recheck``), and settles them in one transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from core.settings import CrawlSettings, Settings, load_settings
from scrapers.crawling.recheck import recheck
from scrapers.model import DocumentCheck
from warehouse import db as warehouse_db
from warehouse.drops import PendingDrop, apply_rechecks, pending_rechecks

RECHECK_DEPLOYMENT = "recheck-drops/pantau-recheck"


@task(name="load-pending-drops", cache_policy=NO_CACHE)
def load_pending(db: str) -> list[PendingDrop]:
    """The drops held back in the agencies' latest runs."""
    with warehouse_db.writing(db) as con:
        return pending_rechecks(con)


@task(name="recheck-old-evidence", cache_policy=NO_CACHE, tags=["pantau-crawl"])
def recheck_urls(urls: list[str], crawl: CrawlSettings, verify_tls: bool,
                 agency_url: str) -> dict[str, DocumentCheck]:
    """Ask the old evidence URLs of one agency again (network I/O only)."""
    return recheck(urls, crawl, start_url=agency_url, verify_tls=verify_tls)


@task(name="settle-drops", cache_policy=NO_CACHE)
def settle_drops(db: str, pending: list[PendingDrop], answers: dict[str, DocumentCheck],
                 confirmations: int) -> dict[str, int]:
    """Confirm, count or clear each pending drop, in one transaction."""
    with warehouse_db.writing(db) as con:
        return apply_rechecks(con, pending, answers, confirmations=confirmations,
                              now=datetime.now(UTC))


@flow(name="recheck-drops")
def recheck_drops(db: str, settings_file: str | None = None) -> dict[str, int]:
    """Re-check the old evidence of every unconfirmed drop and settle it; returns counts."""
    settings = load_settings(settings_file)
    pending = load_pending(db)
    by_agency: dict[str, list[PendingDrop]] = {}
    for drop in pending:
        by_agency.setdefault(drop.agency_id, []).append(drop)
    futures = [
        recheck_urls.submit([d.evidence_url for d in drops if d.evidence_url], settings.crawl,
                            settings.crawl.verify_tls and not drops[0].insecure_tls,
                            drops[0].agency_url)
        for drops in by_agency.values()
    ]
    answers: dict[str, DocumentCheck] = {}
    for future in futures:
        future.wait()
        if future.state.is_completed():
            answers.update(future.result())
    counts = settle_drops(db, pending, answers, settings.trust.drop_confirmations)
    get_run_logger().info("Re-checked %d unconfirmed drops: %s", len(pending), counts)
    return counts


def schedule_recheck(settings: Settings, db: str, settings_file: str | None,
                     now: datetime | None = None):
    """Ask Prefect for a run of the re-check deployment ``recheck_after_hours`` from now
    (nothing when the setting is 0). Returns the scheduled flow run."""
    from prefect.deployments import run_deployment

    hours = settings.trust.recheck_after_hours
    if hours <= 0:
        return None
    when = (now or datetime.now(UTC)) + timedelta(hours=hours)
    return run_deployment(RECHECK_DEPLOYMENT, parameters={"db": db, "settings_file": settings_file},
                          scheduled_time=when, timeout=0)
