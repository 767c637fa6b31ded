"""Every schedule in one place: when the weekly pipeline runs, and when a crawl is a full one.

The crawl runs on ``schedule.crawl_cron`` (default Monday 02:00) in ``schedule.timezone``
(default Asia/Jakarta); the reminders run right after it, as the second step of the same
pipeline flow, so they always see the run that just finished.

Each weekly crawl is a smart recrawl for an agency whose site was crawled fully at most
``crawl.full_every_days`` days ago (default 30: with the weekly run, every fifth week is full)
and a full crawl otherwise: on its first run, after a run in which it was unreachable or its
site changed (``situs berubah``), and whenever ``pantau crawl --full`` asks for one
(:func:`full_crawl_reason`). Agencies fall due one by one, so full crawls spread over the weeks
once first runs, outages and site changes have shifted them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prefect.schedules import Cron, Schedule

from core.settings import CrawlSettings, ScheduleSettings
from core.vocabulary import FULL_REASONS
from scrapers.crawling.recrawl import SmartRecrawl
from scrapers.detection.confirm import PriorRun
from warehouse.prior import RecrawlState


def crawl_schedule(schedule: ScheduleSettings) -> Schedule:
    """The weekly crawl's cron schedule, in ``schedule.timezone``."""
    return Cron(schedule.crawl_cron, timezone=schedule.timezone)


def full_crawl_reason(state: RecrawlState | None, has_last_run: bool, now: datetime,
                      crawl: CrawlSettings, requested: bool = False,
                      url: str | None = None) -> str | None:
    """Why an agency's crawl in the run starting ``now`` must be full (the Indonesian reason
    stored with it), or None for a smart recrawl. ``has_last_run``: the last run's pages and
    findings of the agency are at hand; ``url``: its registry URL now (a new one: full)."""
    if requested:
        return FULL_REASONS["requested"]
    if not crawl.smart_recrawl:
        return FULL_REASONS["disabled"]
    if state is None or not has_last_run:
        return FULL_REASONS["first"]
    if not state.reachable:
        return FULL_REASONS["unreachable"]
    if state.site_changed:
        return FULL_REASONS["site_changed"]
    if url and state.url and url != state.url:
        return FULL_REASONS["url"]
    if state.last_full_at is None:
        return FULL_REASONS["first"]
    if (now - state.last_full_at).days >= crawl.full_every_days:
        return f"{FULL_REASONS['schedule']} (tiap {crawl.full_every_days} hari)"
    return None


@dataclass(frozen=True)
class CrawlPlan:
    """How one agency is crawled in this run: smartly from ``smart``, or fully (``smart`` is
    None) for ``reason``."""

    smart: SmartRecrawl | None = None
    reason: str = ""


def crawl_plan(state: RecrawlState | None, prior: PriorRun | None, has_cache: bool,
               now: datetime, crawl: CrawlSettings, requested_full: bool = False,
               url: str | None = None) -> CrawlPlan:
    """The agency's crawl in the run starting ``now``: full when :func:`full_crawl_reason`
    gives a reason, else smart from its last reachable run's evidence and platform."""
    reason = full_crawl_reason(state, prior is not None and has_cache, now, crawl,
                               requested_full, url)
    if reason is not None or prior is None:
        return CrawlPlan(reason=reason or FULL_REASONS["first"])
    return CrawlPlan(smart=SmartRecrawl.from_findings(prior.findings.values(), prior.platform))
