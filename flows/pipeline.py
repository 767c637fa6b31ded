"""The weekly pipeline: crawl every agency, then send the reminders for that run."""

from __future__ import annotations

from prefect import flow, get_run_logger

from core.settings import load_settings
from flows.crawl import crawl_all_with_runner


@flow(name="weekly-pipeline")
def weekly_pipeline(registry: str, db: str, settings_file: str | None = None,
                    remind: bool = True) -> int:
    """``crawl_all`` (with the configured task runner), then ``send_reminders``."""
    settings = load_settings(settings_file)
    run_id = crawl_all_with_runner(settings)(registry=registry, db=db,
                                            settings_file=settings_file)["run_id"]
    if remind and (settings.smtp.host or settings.reminders.apprise_urls):
        from flows.reminders import send_reminders

        send_reminders(db=db, settings_file=settings_file)
    elif remind:
        get_run_logger().warning("Reminders skipped: no PANTAU_SMTP_HOST (or Apprise URL) is set")
    return run_id
