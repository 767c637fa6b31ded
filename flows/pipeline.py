"""The weekly pipeline: crawl every agency, then send the reminders for that run."""

from __future__ import annotations

from prefect import flow

from flows.crawl import crawl_all_with_runner
from pantau.settings import load_settings


@flow(name="weekly-pipeline")
def weekly_pipeline(registry: str, db: str, settings_file: str | None = None,
                    remind: bool = True) -> int:
    """``crawl_all`` (with the configured task runner), then ``send_reminders``."""
    settings = load_settings(settings_file)
    run_id = crawl_all_with_runner(settings)(registry=registry, db=db, settings_file=settings_file)
    if remind:
        from flows.reminders import send_reminders

        send_reminders(db=db, settings_file=settings_file)
    return run_id
