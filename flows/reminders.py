"""The `send_reminders` flow: wiring only. The logic is ``reminders``.

``pantau remind`` runs this flow, as ``pantau crawl`` runs ``crawl_all``; the weekly pipeline
runs it after the crawl. The steps (load → plan → claim → send → record) are put in order,
as plain calls, by ``reminders.service.run_reminders``; their progress is logged to the flow
run. Delivery retries happen inside the sending step (``reminders.send_retries``), not as
Prefect retries, so ``attempts`` in the log is exact.

The flow fails (``SmtpNotConfigured``) when not a dry run and ``PANTAU_SMTP_HOST`` is empty;
messages that could not be delivered do not fail it: they stay ``failed`` in the log and are
retried by the next run. The flow returns the counts and ``report``, the Indonesian text the
CLI prints (the plan of a dry run, else what was sent).
"""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger

from core.settings import load_settings
from reminders import service


@flow(name="send-reminders")
def send_reminders(db: str, dry_run: bool = False, settings_file: str | None = None,
                   today: date | None = None) -> dict:
    """Reminders for what each agency's latest run found missing, broken or stale, and the
    PPID Utama's digest of unreachable sites. Returns the counts (sent, failed, skipped …)
    and the report."""
    logger = get_run_logger()
    settings = load_settings(settings_file)
    summary = service.run_reminders(db, settings, dry_run=dry_run, log=logger, today=today)
    report = service.format_dry_run(summary.plan) if dry_run else service.format_summary(summary)
    logger.info("%s", report)
    return {**summary.as_dict(), "report": report}
