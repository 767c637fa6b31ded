"""The `send_reminders` flow: wiring only. The logic is ``reminders``.

``reminders.service.run_reminders`` puts the steps in order; this flow hands it the
same step functions wrapped as Prefect tasks, so each load, plan, claim, send and record
shows as a task run in the Prefect UI. Delivery retries happen inside ``send-reminder``
(``reminders.send_retries``), not as Prefect retries, so ``attempts`` in the log is exact.

The flow fails (``SmtpNotConfigured``) when not a dry run and ``PANTAU_SMTP_HOST`` is empty;
messages that could not be delivered do not fail it: they stay ``failed`` in the log and are
retried by the next run. The flow returns the summary counts.
"""

from __future__ import annotations

from datetime import date, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from core.settings import Settings, load_settings
from reminders import service, store
from reminders.delivery import deliver
from reminders.model import Delivery, Message, Plan, Snapshot


@task(name="load-reminder-snapshot", cache_policy=NO_CACHE)
def load_task(db: str) -> Snapshot:
    """Latest runs, their gaps and the reminder log (read-only, after migrating if needed)."""
    return store.load_snapshot(db)


@task(name="plan-reminders", cache_policy=NO_CACHE)
def plan_task(snapshot: Snapshot, settings: Settings, today: date, apprise_ready: bool) -> Plan:
    """What to send and what to skip (pure)."""
    return service.plan_step(snapshot, settings, today, apprise_ready)


@task(name="claim-reminders", cache_policy=NO_CACHE)
def claim_task(db: str, plan: Plan, now: datetime) -> list[Message]:
    """Log every planned message as ``pending`` (and new skips) before sending."""
    return store.claim(db, plan, now)


@task(name="send-reminder", cache_policy=NO_CACHE, task_run_name="send-{message.agency_id}-{message.channel}")
def send_task(message: Message, settings: Settings) -> Delivery:
    """Send one message (with its own retries)."""
    return deliver(message, settings)


@task(name="record-reminder", cache_policy=NO_CACHE)
def record_task(db: str, message: Message, delivery: Delivery, now: datetime) -> None:
    """Mark one message ``sent`` or ``failed``."""
    store.record(db, message, delivery, now)


FLOW_STEPS = service.Steps(load=load_task, plan=plan_task, claim=claim_task, send=send_task,
                           record=record_task)


@flow(name="send-reminders")
def send_reminders(db: str, dry_run: bool = False, settings_file: str | None = None) -> dict:
    """Reminders for what each agency's latest run found missing, broken or stale, and the
    PPID Utama's digest of unreachable sites. Returns the counts (sent, failed, skipped …)."""
    logger = get_run_logger()
    settings = load_settings(settings_file)
    summary = service.run_reminders(db, settings, dry_run=dry_run, steps=FLOW_STEPS, log=logger)
    if dry_run:
        logger.info("%s", service.format_dry_run(summary.plan))
    else:
        logger.info("%s", service.format_summary(summary))
    return summary.as_dict()
