"""The `crawl_all` flow: registry → crawl tasks (batches of agencies) → a staged, atomic write.

The flow only wires. Each agency is fetched (``fetch_site``: network I/O), judged
(``detect_findings``: pure), compared with its last known state and turned into its rows
(``check_agency``) inside a ``check-agencies`` task that takes a batch of agencies
(``flows.batches``: one host's agencies together, a few dozen per task), each with its own
retries and timeout. A task returns rows and a small summary per agency, never pages; the
flow streams them into the run's staging file (``warehouse.staging``) as batches finish, keeps
only the summaries, and commits the run into the warehouse in one transaction at the end. An
agency whose old evidence must be re-checked waits, crawl and all, in the staging file
(``RunStage.park``) until the re-check later in the run (a ``recheck-evidence`` task each).

Only the flow touches DuckDB: the warehouse at the start (what the tasks need is copied into
the staging file) and at the commit; tasks can run anywhere (threads, Dask workers on other
machines). Their arguments are passed as they are (``Parcel``: Prefect does not walk them)
and their results are not persisted.

A failed or timed-out agency makes that agency ``unreachable`` for the run; it never fails
the run. A run that fails or is killed leaves the views as they were.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from prefect.futures import PrefectFuture
from prefect.states import Failed, State

from core.checklist import Checklist, load_checklist
from core.clock import local_today
from core.declarations import DeclarationsError
from core.registry import Agency, Registry, load_registry
from core.settings import CrawlSettings, ScheduleSettings, Settings, TrustSettings, load_settings
from core.vocabulary import run_word
from flows import progress
from flows.batches import Parcel, opened, plan_batches, runner_done
from flows.declared import (
    declarations_path,
    declared_outcome,
    fetch_agency_declared,
    fetch_declared_task,
    fetched_result,
    read_open_declarations,
    record_declarations_file,
)
from flows.runners import task_runner_for
from flows.schedules import CrawlPlan, crawl_plan
from flows.summary import run_summary, summary_markdown
from scrapers.crawling import shared_checks
from scrapers.crawling.crawler import crawl_site
from scrapers.crawling.recheck import recheck
from scrapers.detection.confirm import PriorRun, patched_crawl
from scrapers.detection.declared import DeclarationCheck, DeclaredUrl
from scrapers.detection.detect import detect_site
from scrapers.detection.health import recheck_plan, review
from scrapers.detection.ownership import Owner
from scrapers.model import UNREACHABLE, DocumentCheck, Finding, Page, SiteCrawl
from warehouse import db as warehouse_db
from warehouse import reviews, scoring
from warehouse.load import (
    AfterInsert,
    AgencyOutcome,
    AgencyRows,
    AgencySummary,
    RunMeta,
    RunWriteError,
    agency_rows,
    check_findings,
    record_failed_run,
    store_declaration_checks,
)
from warehouse.staging import RunStage


@task(name="load-registry", cache_policy=NO_CACHE)
def load_registry_task(path: str) -> Registry:
    """Prefect task: read and validate the registry (a bad file fails the flow at once)."""
    return load_registry(path)


@dataclass(frozen=True)
class AgencyJob:
    """One agency's work in a batch, with what the flow read for it from the last runs."""

    agency: Agency
    parent_name: str = ""
    """The name of its PPID Utama (names the region a kecamatan lies in)."""
    cache: dict[str, Page] = field(default_factory=dict)
    doc_cache: dict[str, DocumentCheck] = field(default_factory=dict)
    prior: PriorRun | None = None
    declared: list[DeclaredUrl] = field(default_factory=list)
    """Its open declarations (``flows.declared``), checked after its crawl."""
    overrides: dict = field(default_factory=dict)
    """Reviewers' overrides in force for it, by category (``warehouse.reviews``)."""
    plan: CrawlPlan | None = None
    """Smart or full this time (``flows.schedules.crawl_plan``; None: full)."""


@dataclass(frozen=True)
class BatchSettings:
    """What every agency of every batch shares (sent once per task, not per agency)."""

    crawl: CrawlSettings
    trust: TrustSettings
    checklist: Checklist
    today: date
    retries: int = 0
    retry_backoff: float = 0.0
    timeout: float | None = None
    declared_documents: int = 0
    """``claims.max_documents``: documents fetched per declared page."""
    run_key: str = ""
    """The run's name, under which its sites share off-site host answers in each process
    (``scrapers.crawling.shared_checks``); empty: every site asks for itself."""

    @classmethod
    def of(cls, settings: Settings, checklist: Checklist, today: date) -> BatchSettings:
        """The batch settings of a run (the schedule's per-agency retries and timeout)."""
        s = settings.schedule
        return cls(crawl=settings.crawl, trust=settings.trust, checklist=checklist, today=today,
                   retries=s.agency_task_retries, retry_backoff=s.agency_task_retry_backoff,
                   timeout=s.agency_task_timeout,
                   declared_documents=settings.claims.max_documents)


@dataclass
class AgencyResult:
    """What a task gives back for one agency: its rows, or — when old evidence must be
    re-checked later in the run — its outcome so far (with its crawl) and the URLs."""

    agency_id: str
    rows: AgencyRows | None = None
    pending: AgencyOutcome | None = None
    recheck_urls: list[str] = field(default_factory=list)


def fetch_site(agency: Agency, crawl_settings: CrawlSettings,
               cache: dict[str, Page], doc_cache: dict[str, DocumentCheck],
               plan: CrawlPlan | None = None, run_key: str = "") -> SiteCrawl:
    """Crawl one agency's site (network I/O only; no database), smartly or fully as
    ``plan`` says (``flows.schedules.crawl_plan``; None: full); with ``run_key``, off-site host
    answers are shared with the run's other sites in this process."""
    verify = crawl_settings.verify_tls and not agency.insecure_tls
    crawl = crawl_site(agency.url, crawl_settings, cache=cache, doc_cache=doc_cache,
                       verify_tls=verify, platform=agency.platform or None, render=agency.render,
                       smart=plan.smart if plan else None,
                       shared_checks=shared_checks.for_run(run_key) if run_key else None)
    if plan is not None and plan.smart is None and not crawl.mode_reason:
        crawl.mode_reason = plan.reason
    return crawl


def detect_findings(crawl: SiteCrawl, checklist: Checklist, today: date,
                    agency: Agency | None = None, parent_name: str = "") -> list[Finding]:
    """Decide each category's status from the crawled pages (pure); the agency's name, URL,
    role (and its parent's name) tell its own documents from other regions' and agencies'."""
    return detect_site(crawl, checklist, today, _owner(agency, parent_name))


def _owner(agency: Agency | None, parent_name: str) -> Owner | None:
    return Owner.of(agency.name, agency.url, agency.role, parent_name) if agency else None


@task(name="check-agencies", cache_policy=NO_CACHE, persist_result=False)
def check_agencies(jobs: list[AgencyJob] | Parcel, shared: BatchSettings | Parcel
                   ) -> list[AgencyResult]:
    """Crawl and judge a batch of agencies one after another (each with its own retries and
    timeout); returns each one's rows and summary, never its pages."""
    shared = opened(shared)
    return [check_agency(job, shared) for job in opened(jobs)]


def check_agency(job: AgencyJob, shared: BatchSettings) -> AgencyResult:
    """One agency: crawl (retried, bounded by the timeout), detect, then either settle its
    findings against its last known state now — and check its declarations — or hand it
    back for a later re-check."""
    outcome = crawl_and_detect(job, shared)
    if outcome.crawl is None or not outcome.reachable:
        outcome = declared_outcome(outcome, job.declared, None, shared.checklist, shared.today,
                                   None)
        return AgencyResult(job.agency.id, rows=rows_of(outcome, shared.checklist, job.overrides))
    urls = recheck_plan(job.prior, outcome.crawl, outcome.findings, shared.trust)
    if urls:
        return AgencyResult(job.agency.id, pending=outcome, recheck_urls=urls)
    owner = _owner(job.agency, job.parent_name)
    settled = settle(outcome, job.prior, {}, shared, owner)
    fetched = (fetch_agency_declared(job.agency, job.declared, shared.crawl,
                                     shared.declared_documents) if job.declared else None)
    settled = declared_outcome(settled, job.declared, fetched, shared.checklist, shared.today,
                               owner)
    return AgencyResult(job.agency.id, rows=rows_of(settled, shared.checklist, job.overrides))


def crawl_and_detect(job: AgencyJob, shared: BatchSettings) -> AgencyOutcome:
    """The agency's crawl and findings. A crawl that raises is retried ``shared.retries``
    times (backing off); one that raises every time, or runs past ``shared.timeout``, or a
    detection that raises, makes the agency ``unreachable`` with the reason."""
    agency = job.agency
    error: BaseException | None = None
    for attempt in range(shared.retries + 1):
        if attempt:
            time.sleep(shared.retry_backoff * 2 ** (attempt - 1))
        try:
            crawl = within(shared.timeout, lambda: fetch_site(agency, shared.crawl, job.cache,
                                                              job.doc_cache, job.plan,
                                                              shared.run_key))
            break
        except TimeoutError:
            return failed_outcome(agency, f"crawl timed out after {shared.timeout:g} s",
                                  shared.checklist)
        except Exception as exc:  # noqa: BLE001 - any fault of one agency is that agency's
            error = exc
    else:
        return failed_outcome(agency, f"crawl failed: {_message(error)}", shared.checklist)
    try:
        findings = detect_findings(crawl, shared.checklist, shared.today, agency, job.parent_name)
    except Exception as exc:  # noqa: BLE001
        return failed_outcome(agency, f"detection failed: {_message(exc)}", shared.checklist)
    return AgencyOutcome(agency=agency, findings=findings, crawl=crawl, error=crawl.error,
                         checked_at=crawl.finished_at or datetime.now(UTC))


def within(seconds: float | None, work: Callable[[], SiteCrawl]) -> SiteCrawl:
    """``work()``, or ``TimeoutError`` once it has run ``seconds`` (it is then abandoned: it
    runs on in a daemon thread until its own request deadlines end it)."""
    if not seconds:
        return work()
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    thread = threading.Thread(target=run, name="agency", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError(f"still running after {seconds:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def _message(exc: BaseException | None) -> str:
    return (str(exc) or type(exc).__name__) if exc is not None else "unknown error"


def settle(outcome: AgencyOutcome, prior: PriorRun | None, checks: dict[str, DocumentCheck],
           shared: BatchSettings, owner: Owner | None) -> AgencyOutcome:
    """Detect again when a re-checked document answered, then settle the findings and the
    site's health against the last known state (``scrapers.detection.health.review``)."""
    crawl, findings = outcome.crawl, outcome.findings
    patched = patched_crawl(crawl, checks)
    if patched is not None:
        crawl, findings = patched, detect_site(patched, shared.checklist, shared.today, owner)
    findings, health = review(prior, crawl, findings, checks, shared.trust)
    return replace(outcome, crawl=crawl, findings=findings, health=health, rechecks=checks)


def rows_of(outcome: AgencyOutcome, checklist: Checklist, overrides: dict | None = None
            ) -> AgencyRows:
    """The agency's rows and summary, scored as the warehouse stores it: with the reviewers'
    overrides in force that its findings carry (``warehouse.reviews.carried_overrides``)."""
    weights = {c.id: c.weight for c in checklist}
    check_findings(outcome, set(weights))
    carried = (reviews.carried_overrides(outcome.agency.id, outcome.findings, outcome.crawl,
                                         outcome.rechecks, overrides) if overrides else {})
    statuses = {f.category_id: carried.get((outcome.agency.id, f.category_id), (0, f.status))[1]
                for f in outcome.findings}
    rows = agency_rows(outcome, scoring.scored(statuses, weights), set(weights))
    rows.carried = carried
    return rows


@task(name="recheck-evidence", cache_policy=NO_CACHE, persist_result=False)
def recheck_evidence(agency: Agency | Parcel, urls: list[str] | Parcel,
                     crawl_settings: CrawlSettings | Parcel) -> dict[str, DocumentCheck]:
    """Re-check old evidence URLs later in the run (network I/O only)."""
    agency, urls, crawl_settings = opened(agency), opened(urls), opened(crawl_settings)
    verify = crawl_settings.verify_tls and not agency.insecure_tls
    return recheck(urls, crawl_settings, start_url=agency.url, verify_tls=verify)


def unreachable_findings(checklist: Checklist) -> list[Finding]:
    """Every category ``unreachable``: what an agency gets when its site could not be checked."""
    return [Finding(category_id=c.id, status=UNREACHABLE) for c in checklist]


def failed_outcome(agency: Agency, error: str, checklist: Checklist) -> AgencyOutcome:
    """An agency whose task failed: every category ``unreachable``, with the reason."""
    return AgencyOutcome(agency=agency, findings=unreachable_findings(checklist), error=error,
                         checked_at=datetime.now(UTC))


def _parent_name(reg: Registry, agency: Agency) -> str:
    """The name of the agency's PPID Utama (it names the region a kecamatan lies in)."""
    try:
        return reg.get(agency.parent).name if agency.parent else ""
    except KeyError:
        return ""


def task_slots(schedule: ScheduleSettings) -> int:
    """Agencies the task runner works on at once (for a remote Dask cluster: as configured
    for this machine, ``max_workers`` × ``dask_threads_per_worker``)."""
    if schedule.task_runner.strip() == "threads":
        return schedule.max_workers
    return schedule.max_workers * schedule.dask_threads_per_worker


def task_submitter(tag: str = "") -> Callable[..., PrefectFuture]:
    """``submit(task, *args)``: a task run, its arguments opaque to Prefect
    (``flows.batches.Parcel``), tagged ``tag`` when one is set (``schedule.crawl_tag``)."""
    def submit(task_: Task, *args) -> PrefectFuture:
        tagged = task_.with_options(tags=[tag]) if tag else task_
        return tagged.submit(*(Parcel(a) for a in args))
    return submit


@dataclass
class Batch:
    """A submitted crawl task: its agencies, their jobs, its future, when it was submitted."""

    agencies: list[Agency]
    jobs: list[AgencyJob]
    future: PrefectFuture
    submitted: float
    """``time.monotonic()`` at submission."""
    lost: str = ""
    """Why it was given up (``CrawlRun.batch_deadline``); empty while it counts."""


class CrawlRun:
    """The wiring of one run's crawl: batches submitted a window at a time (what the flow
    read for them is in memory only while they run), results streamed into the stage.
    ``submit(task, *args)`` starts a task (default: a Prefect task run, ``task_submitter``; the
    benchmarks run ``task.fn`` on a thread pool to measure the same work without Prefect).

    A batch's completion normally arrives by its future's callback. Every ``poll_seconds``
    without one, the batches in flight are looked at: one the runner has finished is
    collected even though its callback never came (a lost callback would otherwise hang the
    run), and one past ``batch_deadline`` is given up, its agencies ``unreachable`` with the
    reason; a callback that comes after either is ignored."""

    POLL_SECONDS = 30.0
    DEADLINE_SLACK = 60.0
    """Seconds a batch's deadline allows beyond its agencies' timeouts (detection, start)."""

    def __init__(self, stage: RunStage, reg: Registry, shared: BatchSettings,
                 slots: int, most: int, declared: dict[str, list[DeclaredUrl]] | None = None,
                 settings: Settings | None = None, submit: Callable | None = None,
                 full: bool = False, poll_seconds: float | None = None) -> None:
        self.started = datetime.now(UTC)
        # the run's sites share off-site host answers (LAPOR!, JDIH …) in each process
        run_key = shared.run_key or f"{os.getpid()}-{self.started:%Y%m%dT%H%M%S%f}"
        shared = replace(shared, run_key=run_key)
        self.stage, self.reg, self.shared = stage, reg, shared
        self.full = full
        """Every agency crawled fully (``pantau crawl --full``)."""
        self.settings = settings or load_settings(env={})
        self.submit = submit or task_submitter(self.settings.schedule.crawl_tag)
        self.declared = declared or {}
        self.declaration_checks: list[DeclarationCheck] = []
        self.carried: dict[tuple[str, str], tuple[int, str]] = {}
        self.batches = plan_batches(list(reg), slots, most)
        self.window = max(2, 2 * slots)
        self.poll_seconds = self.POLL_SECONDS if poll_seconds is None else poll_seconds
        self.total = len(reg)
        self.summaries: dict[str, AgencySummary] = {}
        self.in_flight: dict[int, Batch] = {}
        self._keys = itertools.count()
        """Batch numbers: a late callback names its batch by one (an ``id()`` may be reused)."""
        self.pending: list[tuple[str, PrefectFuture, PriorRun | None]] = []
        """Agencies awaiting re-checks: their outcomes are parked in the staging file."""

    def run(self) -> list[AgencySummary]:
        """Crawl every batch, re-check what needs it, stage every agency's rows; returns the
        summaries in registry order."""
        finished: queue.Queue = queue.Queue()
        batches = iter(self.batches)
        for _ in range(self.window):
            self._submit(next(batches, None), finished)
        while self.in_flight:
            for key in self._finished(finished):
                self._collect(self.in_flight.pop(key))
                self._submit(next(batches, None), finished)
        for agency_id, future, prior in self.pending:  # one crawl in memory at a time
            outcome = self.stage.unpark(agency_id)
            checks = _recheck_result(future, self.batch_deadline(1))
            owner = _owner(outcome.agency, _parent_name(self.reg, outcome.agency))
            outcome = settle(outcome, prior, checks, self.shared, owner)
            items = self.declared.get(outcome.agency.id, [])
            fetched = (fetched_result(self.submit(fetch_declared_task, outcome.agency, items,
                                                  self.settings), items, self.batch_deadline(1))
                       if items else None)
            outcome = declared_outcome(outcome, items, fetched, self.shared.checklist,
                                       self.shared.today, owner)
            self._stage(rows_of(outcome, self.shared.checklist,
                                self.stage.overrides.get(outcome.agency.id)))
        return [self.summaries[a.id] for a in self.reg if a.id in self.summaries]

    def batch_deadline(self, size: int) -> float | None:
        """Seconds after its submission a batch of ``size`` agencies is given up for lost:
        the longest its agencies can take one after another (every attempt within the agency
        timeout, backing off between), twice over (it may queue behind a batch, the window
        being two batches per slot), plus ``DEADLINE_SLACK`` for detection and the task's start.
        None when agencies have no timeout."""
        s = self.shared
        if not s.timeout:
            return None
        backoff = sum(s.retry_backoff * 2 ** k for k in range(s.retries))
        return 2 * size * ((s.retries + 1) * s.timeout + backoff) + self.DEADLINE_SLACK

    def _finished(self, finished: queue.Queue) -> list[int]:
        """The batches to collect next: the one whose callback came, or after
        ``poll_seconds`` without one, those found done or past their deadline."""
        try:
            key = finished.get(timeout=self.poll_seconds)
        except queue.Empty:
            return self._overdue()
        return [key] if key in self.in_flight else []  # a late callback: already collected

    def _overdue(self) -> list[int]:
        keys, now = [], time.monotonic()
        for key, batch in self.in_flight.items():
            deadline = self.batch_deadline(len(batch.agencies))
            if runner_done(batch.future):
                _logger().warning(
                    "Crawl task of %s finished without its completion callback; collected "
                    "by polling", batch.agencies[0].id)
                keys.append(key)
            elif deadline is not None and now - batch.submitted > deadline:
                batch.lost = (f"crawl task lost: no result {deadline:g} s after it was "
                              f"submitted (task run {_task_state(batch.future)})")
                _logger().error("%s: %s", ", ".join(a.id for a in batch.agencies), batch.lost)
                keys.append(key)
        return keys

    def _submit(self, agencies: list[Agency] | None, finished: queue.Queue) -> None:
        if agencies is None:
            return
        ids = [a.id for a in agencies]
        caches, priors = self.stage.http_caches(ids), self.stage.prior_runs(ids)
        jobs = [AgencyJob(a, _parent_name(self.reg, a), *caches[a.id], priors.get(a.id),
                          self.declared.get(a.id, []), self.stage.overrides.get(a.id, {}),
                          self._plan(a, caches[a.id][0], priors.get(a.id)))
                for a in agencies]
        key = next(self._keys)
        future = self.submit(check_agencies, jobs, self.shared)
        self.in_flight[key] = Batch(agencies, jobs, future, time.monotonic())
        future.add_done_callback(lambda _, key=key: finished.put(key))

    def _plan(self, agency: Agency, cache: dict[str, Page], prior: PriorRun | None) -> CrawlPlan:
        """Smart or full for this agency (``flows.schedules.crawl_plan``)."""
        return crawl_plan(self.stage.recrawl_states.get(agency.id), prior, bool(cache),
                          self.started, self.settings.crawl, self.full, agency.url)

    def _collect(self, batch: Batch) -> None:
        results = self._results(batch)
        for job, result in zip(batch.jobs, results, strict=True):
            if result.pending is not None:
                recheck_future = self.submit(recheck_evidence, job.agency, result.recheck_urls,
                                             self.shared.crawl)
                self.stage.park(job.agency.id, result.pending)  # its pages wait on disk
                self.pending.append((job.agency.id, recheck_future, job.prior))
            else:
                self._stage(result.rows)
        # The task's state (held by its future, which Prefect and Dask may keep a while)
        # refers to this very list: emptied, the batch's rows are freed now.
        if isinstance(results, list):
            results.clear()

    def _results(self, batch: Batch) -> list[AgencyResult]:
        """The task's results, or for a failed or lost task every agency ``unreachable``
        with the reason."""
        error = batch.lost
        if not error:
            future = batch.future
            future.wait()
            if future.state.is_completed():
                return future.result()
            error = f"crawl task {future.state.name.lower()}: {_state_error(future.state)}"
        return [AgencyResult(a.id, rows=rows_of(declared_outcome(
            failed_outcome(a, error, self.shared.checklist), self.declared.get(a.id, []),
            None, self.shared.checklist, self.shared.today, None), self.shared.checklist))
            for a in batch.agencies]

    def after_insert(self, con: duckdb.DuckDBPyConnection, run_id: int) -> None:
        """Inside the run's commit: the declaration checks (with their audit rows), then the
        carried overrides marked on their findings and the lapses (``warehouse.reviews``)."""
        at = datetime.now(UTC)
        store_declaration_checks(con, run_id, self.declaration_checks, at)
        reviews.RunReviews(record=None, carried=self.carried, at=at).store(con, run_id)

    def _stage(self, rows: AgencyRows) -> None:
        self.stage.add(rows)
        self.declaration_checks += rows.declaration_checks
        self.carried.update(rows.carried)
        self.summaries[rows.summary.agency_id] = rows.summary
        progress.agency_done(rows.summary, len(self.summaries), self.total)


def _recheck_result(future: PrefectFuture | None,
                    deadline: float | None = None) -> dict[str, DocumentCheck]:
    """The re-checks, or none when the task failed or gave no answer within ``deadline``
    seconds: every old evidence URL then counts as not answering, which only ever holds a
    drop back (it never confirms one by itself)."""
    if future is None:
        return {}
    future.wait(deadline)
    if hasattr(future, "wrapped_future") and not runner_done(future):
        return {}  # still running after the deadline
    return future.result() if future.state.is_completed() else {}


def _logger() -> logging.Logger | logging.LoggerAdapter:
    """The flow run's logger, or a plain one when the crawl runs outside a flow (benchmarks)."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("pantau.crawl")


def _task_state(future: PrefectFuture) -> str:
    """The task run's state as the Prefect API has it (for the log of a lost task)."""
    try:
        return future.state.name
    except Exception as exc:  # noqa: BLE001 - only for the message
        return f"state unknown: {_message(exc)}"


def _state_error(state) -> str:
    try:
        result = state.result(raise_on_failure=False)
    except Exception as exc:  # the result itself may be unavailable
        return str(exc) or type(exc).__name__
    return str(result) if result is not None else (state.message or state.name)


@flow(name="crawl-all", log_prints=False)
def crawl_all(registry: str, db: str, settings_file: str | None = None,
              max_pages: int | None = None, today: date | None = None,
              declarations: str | None = None, full: bool = False) -> dict:
    """Crawl every agency in the registry and store the run; returns its summary
    (``run_id``, ``agencies``, ``unreachable``, scores … see ``flows.summary``).
    ``declarations``: a declarations file recorded before the crawl (default: the
    ``claims.declarations_file`` setting); every open declaration is checked after it.
    Each agency is recrawled smartly unless it is due a full crawl
    (``flows.schedules.crawl_plan``); ``full`` crawls every agency fully."""
    logger = get_run_logger()
    settings = _settings(settings_file, max_pages)
    started = datetime.now(UTC)
    reg = load_registry_task(registry)
    checklist = load_checklist(*settings.checklist.extension_files)
    try:
        stage = RunStage.open(Path(db), [a.id for a in reg], started=started)
    except warehouse_db.DatabaseFileError as error:
        return database_failure(error)
    with stage:
        declared = load_declared(Path(db), settings, declarations, reg, checklist)
        logger.info("Crawling %d agencies from %s", len(reg), registry)
        shared = BatchSettings.of(settings, checklist, today or local_today(settings))
        try:
            crawl = CrawlRun(stage, reg, shared, task_slots(settings.schedule),
                             settings.schedule.agencies_per_task, declared, settings, full=full)
            summaries = crawl.run()
        except warehouse_db.DatabaseFileError as error:  # the staging file refused a write
            record_failure(Path(db), started, reg.source, error.cause)
            return database_failure(error)
        for agency in summaries:
            if not agency.reachable:
                logger.warning("%s unreachable: %s", agency.agency_id, agency.error)
        try:
            summary = store_run(stage, started, reg, settings, checklist, summaries,
                                after_insert=crawl.after_insert)
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


def store_run(stage: RunStage, started: datetime, reg: Registry, settings: Settings,
              checklist: Checklist, summaries: list[AgencySummary],
              after_insert: AfterInsert | None = None) -> dict:
    """The flow's one write, in a straight line: summarise the run against the previous
    scores, then commit the staged run (with its summary) in one transaction. Returns the
    summary with the new ``run_id``, and how the write went (``write_seconds``,
    ``write_cpu_seconds``, ``staging_flushes``, ``write_tables``: seconds per table; not part
    of the stored summary)."""
    db_path = stage.db_path
    try:
        summary = run_summary(summaries, stage.previous_scores())
        meta = RunMeta(started_at=started, finished_at=datetime.now(UTC),
                       categories=list(checklist), registry=reg.source,
                       settings={"crawl": settings.crawl.model_dump()}, summary=summary)
        run_id, seconds = stage.commit(meta, after_insert)
    except (RunWriteError, duckdb.Error, OSError) as exc:
        error = warehouse_db.file_error(db_path, exc)
        record_failure(db_path, started, reg.source, error.cause)
        raise error from exc
    get_run_logger().info("Run %d written to the warehouse in %.2f s", run_id, seconds)
    return {"run_id": run_id, **summary, "write_seconds": round(seconds, 3),
            "write_cpu_seconds": round(stage.commit_cpu_seconds, 3),
            "staging_flushes": stage.flushes,
            "write_tables": {t: round(s, 3) for t, s in stage.commit_timings.items()}}


def record_failure(db_path: Path, started: datetime, registry: str, cause: str) -> None:
    """Note a run that could not be stored, if the file still takes a small write (a full
    disk may refuse even that: the run is then only in the log and the command's error)."""
    try:
        with warehouse_db.writing(db_path, wait=5) as con:
            record_failed_run(con, started, registry, cause)
    except Exception:  # noqa: BLE001 - the original error is the one reported
        pass


def _settings(settings_file: str | None, max_pages: int | None) -> Settings:
    settings = load_settings(settings_file)
    if max_pages is not None:
        settings = settings.replace("crawl", max_pages=max_pages)
    return settings


def crawl_all_with_runner(settings: Settings):
    """``crawl_all`` bound to the task runner the settings name (threads, dask, dask://…)."""
    return crawl_all.with_options(task_runner=task_runner_for(settings.schedule))
