"""The `crawl_all` flow: registry → one crawl task per agency → detection → one warehouse write.

The flow only wires. Fetching (``fetch_site``: network I/O) is kept apart from detection
(``detect_findings``: pure), and only the flow itself touches the DuckDB file: it reads the
HTTP cache at the start and writes the whole run in one transaction at the end, so agency
tasks can run anywhere (threads, or Dask workers on other machines).

A failed or timed-out agency task makes that agency ``unreachable`` for the run; it never
fails the run.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.states import Failed, State
from prefect.tasks import exponential_backoff

from core.checklist import Checklist, load_checklist
from core.clock import local_today
from core.declarations import DeclarationsError
from core.registry import Agency, Registry, load_registry
from core.settings import CrawlSettings, Settings, TrustSettings, load_settings
from core.vocabulary import run_word
from flows import progress
from flows.declared import (
    check_declarations,
    declarations_path,
    read_open_declarations,
    record_declarations_file,
)
from flows.runners import task_runner_for
from flows.summary import run_summary, summary_markdown
from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.recheck import recheck
from scrapers.detection.confirm import PriorRun, patched_crawl
from scrapers.detection.declared import DeclaredUrl
from scrapers.detection.detect import detect_site
from scrapers.detection.health import recheck_plan, review
from scrapers.detection.ownership import Owner
from scrapers.model import UNREACHABLE, DocumentCheck, Finding, Page, SiteCrawl
from warehouse import db as warehouse_db
from warehouse import reviews
from warehouse.load import (
    AgencyOutcome,
    RunRecord,
    RunWriteError,
    load_http_cache,
    previous_scores,
    record_failed_run,
    write_run,
)
from warehouse.prior import load_prior_runs

CRAWL_TAG = "pantau-crawl"


@task(name="load-registry", cache_policy=NO_CACHE)
def load_registry_task(path: str) -> Registry:
    """Prefect task: read and validate the registry (a bad file fails the flow at once)."""
    return load_registry(path)


@task(name="fetch-site", tags=[CRAWL_TAG], cache_policy=NO_CACHE)
def fetch_site(agency: Agency, crawl_settings: CrawlSettings,
               cache: dict[str, Page], doc_cache: dict[str, DocumentCheck]) -> SiteCrawl:
    """Crawl one agency's site (network I/O only; no database)."""
    verify = crawl_settings.verify_tls and not agency.insecure_tls
    return crawl_site(agency.url, crawl_settings, cache=cache, doc_cache=doc_cache,
                      verify_tls=verify, platform=agency.platform or None, render=agency.render)


@task(name="detect-findings", cache_policy=NO_CACHE)
def detect_findings(crawl: SiteCrawl, checklist: Checklist, today: date,
                    agency: Agency | None = None, parent_name: str = "") -> list[Finding]:
    """Decide each category's status from the crawled pages (pure); the agency's name, URL,
    role (and its parent's name) tell its own documents from other regions' and agencies'."""
    owner = (Owner.of(agency.name, agency.url, agency.role, parent_name)
             if agency is not None else None)
    return detect_site(crawl, checklist, today, owner)


def _parent_name(reg: Registry, agency: Agency) -> str:
    """The name of the agency's PPID Utama (it names the region a kecamatan lies in)."""
    try:
        return reg.get(agency.parent).name if agency.parent else ""
    except KeyError:
        return ""


@task(name="recheck-evidence", tags=[CRAWL_TAG], cache_policy=NO_CACHE)
def recheck_evidence(agency: Agency, urls: list[str],
                     crawl_settings: CrawlSettings) -> dict[str, DocumentCheck]:
    """Re-check old evidence URLs later in the run (network I/O only)."""
    verify = crawl_settings.verify_tls and not agency.insecure_tls
    return recheck(urls, crawl_settings, start_url=agency.url, verify_tls=verify)


def unreachable_findings(checklist: Checklist) -> list[Finding]:
    """Every category ``unreachable``: what an agency gets when its site could not be checked."""
    return [Finding(category_id=c.id, status=UNREACHABLE) for c in checklist]


def read_http_caches(db_path: Path, agencies: list[Agency]) -> dict[str, tuple[dict, dict]]:
    """Each agency's cached pages and documents from earlier runs (empty for a new database)."""
    if not db_path.exists():
        return {a.id: ({}, {}) for a in agencies}
    with warehouse_db.writing(db_path) as con:  # migrates an older file before reading
        return {a.id: load_http_cache(con, a.id) for a in agencies}


def read_prior_runs(db_path: Path) -> dict[str, PriorRun]:
    """Each agency's last known state (its last reachable run); empty for a new database."""
    if not db_path.exists():
        return {}
    with warehouse_db.writing(db_path) as con:
        return load_prior_runs(con)


def confirm_outcomes(outcomes: list[AgencyOutcome], priors: dict[str, PriorRun],
                     settings: CrawlSettings, trust: TrustSettings, checklist: Checklist,
                     today: date, owners: dict[str, Owner] | None = None) -> list[AgencyOutcome]:
    """Re-check the old evidence of each reachable site's drops and the documents that
    failed with a passing fault (one task per agency that needs it, after every crawl has
    finished); detect again when a document answered; then settle findings and health."""
    plans = {}
    for o in outcomes:
        if o.crawl is not None and o.reachable:
            urls = recheck_plan(priors.get(o.agency.id), o.crawl, o.findings, trust)
            if urls:
                plans[o.agency.id] = recheck_evidence.submit(o.agency, urls, settings)
    settled = []
    for o in outcomes:
        if o.crawl is None or not o.reachable:
            settled.append(o)
            continue
        checks = _recheck_result(plans.get(o.agency.id))
        crawl, findings = o.crawl, o.findings
        patched = patched_crawl(crawl, checks)
        if patched is not None:
            owner = (owners or {}).get(o.agency.id)
            crawl, findings = patched, detect_site(patched, checklist, today, owner)
        findings, health = review(priors.get(o.agency.id), crawl, findings, checks, trust)
        settled.append(replace(o, crawl=crawl, findings=findings, health=health,
                               rechecks=checks))
    return settled


def _recheck_result(future: PrefectFuture | None) -> dict[str, DocumentCheck]:
    """The re-checks, or none when the task failed: every old evidence URL then counts as
    not answering, which only ever holds a drop back (it never confirms one by itself)."""
    if future is None:
        return {}
    future.wait()
    return future.result() if future.state.is_completed() else {}


def collect_outcome(agency: Agency, fetched: PrefectFuture, detected: PrefectFuture,
                    checklist: Checklist) -> AgencyOutcome:
    """The agency's findings; a failed fetch (or detection) task makes it ``unreachable``."""
    fetched.wait()
    if not fetched.state.is_completed():
        return _failed_outcome(agency, "crawl", fetched.state, checklist)
    detected.wait()
    if not detected.state.is_completed():
        return _failed_outcome(agency, "detection", detected.state, checklist)
    crawl: SiteCrawl = fetched.result()
    return AgencyOutcome(agency=agency, findings=detected.result(), crawl=crawl,
                         error=crawl.error, checked_at=crawl.finished_at or datetime.now(UTC))


def collect_as_finished(agencies: list[Agency], fetched: list[PrefectFuture],
                        detected: list[PrefectFuture], checklist: Checklist,
                        weights: dict[str, float]) -> list[AgencyOutcome]:
    """Every agency's outcome, in registry order, each reported (one progress line) as its
    crawl finishes. Waits on the fetch futures, not on detection: a detection task whose fetch
    failed never becomes final."""
    position = {id(future): i for i, future in enumerate(fetched)}
    outcomes: list[AgencyOutcome | None] = [None] * len(agencies)
    for done, future in enumerate(as_completed(fetched), 1):
        i = position[id(future)]
        outcomes[i] = collect_outcome(agencies[i], fetched[i], detected[i], checklist)
        progress.agency_done(outcomes[i], done, len(agencies), weights)
    return [o for o in outcomes if o is not None]


def _failed_outcome(agency: Agency, step: str, state, checklist: Checklist) -> AgencyOutcome:
    return AgencyOutcome(agency=agency, findings=unreachable_findings(checklist),
                         error=f"{step} task {state.name.lower()}: {_state_error(state)}",
                         checked_at=datetime.now(UTC))


def _state_error(state) -> str:
    try:
        result = state.result(raise_on_failure=False)
    except Exception as exc:  # the result itself may be unavailable
        return str(exc) or type(exc).__name__
    return str(result) if result is not None else (state.message or state.name)


@flow(name="crawl-all", log_prints=False)
def crawl_all(registry: str, db: str, settings_file: str | None = None,
              max_pages: int | None = None, today: date | None = None,
              declarations: str | None = None) -> dict:
    """Crawl every agency in the registry and store the run; returns its summary
    (``run_id``, ``agencies``, ``unreachable``, scores … see ``flows.summary``).
    ``declarations``: a declarations file recorded before the crawl (default: the
    ``claims.declarations_file`` setting); every open declaration is checked after it."""
    logger = get_run_logger()
    settings = _settings(settings_file, max_pages)
    started = datetime.now(UTC)
    reg = load_registry_task(registry)
    checklist = load_checklist(*settings.checklist.extension_files)
    agencies = list(reg)
    try:
        caches = read_http_caches(Path(db), agencies)
    except warehouse_db.DatabaseFileError as error:
        return database_failure(error)
    priors = read_prior_runs(Path(db))
    declared = load_declared(Path(db), settings, declarations, reg, checklist)
    logger.info("Crawling %d agencies from %s", len(agencies), registry)
    fetch = fetch_site.with_options(
        retries=settings.schedule.agency_task_retries,
        retry_delay_seconds=exponential_backoff(
            backoff_factor=settings.schedule.agency_task_retry_backoff),
        timeout_seconds=settings.schedule.agency_task_timeout,
    )
    today = today or local_today(settings)
    fetched = [fetch.submit(a, settings.crawl, *caches[a.id]) for a in agencies]
    detected = [detect_findings.submit(f, checklist, today, a, _parent_name(reg, a))
                for f, a in zip(fetched, agencies, strict=True)]
    weights = {c.id: c.weight for c in checklist}
    outcomes = collect_as_finished(agencies, fetched, detected, checklist, weights)
    owners = {a.id: Owner.of(a.name, a.url, a.role, _parent_name(reg, a)) for a in agencies}
    outcomes = confirm_outcomes(outcomes, priors, settings.crawl, settings.trust, checklist,
                                today, owners)
    outcomes = check_declarations(outcomes, declared, settings, checklist, today, owners)
    for outcome in outcomes:
        if not outcome.reachable:
            logger.warning("%s unreachable: %s", outcome.agency.id, outcome.error)
    try:
        summary = store_run(Path(db), started, reg, settings, checklist, outcomes)
    except warehouse_db.DatabaseFileError as error:
        return database_failure(error)
    run_id = summary["run_id"]
    create_markdown_artifact(summary_markdown(summary), key="crawl-summary",
                             description=f"Pantau PPID {run_word(run_id)}")
    logger.info("Run %d stored: %d agencies, %d unreachable", run_id,
                summary["agencies"], summary["unreachable"])
    return summary


def load_declared(db_path: Path, settings: Settings, given: str | None, reg: Registry,
                  checklist: Checklist) -> dict[str, list[DeclaredUrl]]:
    """Record the run's declarations file (a bad one is logged and left out: the declarations
    already stored are still checked), then read every open declaration."""
    path = declarations_path(settings, given)
    if path:
        try:
            changes = record_declarations_file(db_path, path, reg, checklist, settings)
            get_run_logger().info("Declarations %s: %s", path, changes)
        except DeclarationsError as error:
            get_run_logger().error("%s", error)
    return read_open_declarations(db_path)


def database_failure(error: warehouse_db.DatabaseFileError) -> State:
    """End the flow as Failed with the one-line cause ("<file>: No space left on device"),
    without a traceback in the log: a bad or full database file is not a bug. Calling the
    flow then raises ``prefect.exceptions.FailedRun`` with that message."""
    get_run_logger().error("Run not stored: %s", error)
    return Failed(message=str(error))


def store_run(db_path: Path, started: datetime, reg: Registry, settings: Settings,
              checklist: Checklist, outcomes: list[AgencyOutcome]) -> dict:
    """The flow's one write, in a straight line: score and summarise the run against the
    previous scores, then write it (with its summary) in one transaction. Returns the
    summary with the new ``run_id``."""
    record = RunRecord(
        started_at=started, finished_at=datetime.now(UTC), categories=list(checklist),
        outcomes=outcomes, registry=reg.source, settings={"crawl": settings.crawl.model_dump()},
    )
    try:
        return _write_run(db_path, record, outcomes)
    except (RunWriteError, duckdb.Error, OSError) as exc:
        error = warehouse_db.file_error(db_path, exc)
        record_failure(db_path, started, reg.source, error.cause)
        raise error from exc


def record_failure(db_path: Path, started: datetime, registry: str, cause: str) -> None:
    """Note a run that could not be stored, if the file still takes a small write (a full
    disk may refuse even that: the run is then only in the log and the command's error)."""
    try:
        with warehouse_db.writing(db_path, wait=5) as con:
            record_failed_run(con, started, registry, cause)
    except Exception:  # noqa: BLE001 - the original error is the one reported
        pass


def _write_run(db_path: Path, record: RunRecord, outcomes: list[AgencyOutcome]) -> dict:
    with warehouse_db.writing(db_path) as con:
        carried = reviews.plan_run(con, record)  # overrides in force: scores use them
        record = carried.record
        record.summary = run_summary(record, previous_scores(con))
        run_id = write_run(con, record, after_insert=carried.store)
    return {"run_id": run_id, **record.summary}


def _settings(settings_file: str | None, max_pages: int | None) -> Settings:
    settings = load_settings(settings_file)
    if max_pages is not None:
        settings = settings.replace("crawl", max_pages=max_pages)
    return settings


def crawl_all_with_runner(settings: Settings):
    """``crawl_all`` bound to the task runner the settings name (threads, dask, dask://…)."""
    return crawl_all.with_options(task_runner=task_runner_for(settings.schedule))
