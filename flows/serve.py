"""``pantau serve``: long-running deployments served from this process with ``prefect.serve``.

Two deployments: ``weekly-pipeline/pantau-weekly`` on the crawl schedule (crawl, then
reminders), and ``send-reminders/pantau-reminders`` without a schedule, to run by hand
(``prefect deployment run send-reminders/pantau-reminders``). Runs show in the Prefect UI of
the server this process talks to (``PREFECT_API_URL``; ``prefect server start`` for a local one).
"""

from __future__ import annotations

from prefect import serve

from core.settings import Settings
from flows.pipeline import weekly_pipeline
from flows.schedules import crawl_schedule


def deployments(settings: Settings, settings_file: str | None = None) -> list:
    """The deployments ``pantau serve`` runs: the weekly pipeline and the reminders."""
    from flows.reminders import send_reminders

    params = {"registry": settings.schedule.registry, "db": settings.schedule.db,
              "settings_file": settings_file}
    weekly = weekly_pipeline.to_deployment(
        name="pantau-weekly", schedule=crawl_schedule(settings.schedule), parameters=params,
        description="Weekly crawl of every PPID site, then reminders.", tags=["pantau"],
    )
    reminders = send_reminders.to_deployment(
        name="pantau-reminders", parameters={"db": settings.schedule.db, "settings_file": settings_file},
        description="Reminders for the latest run (run by hand).", tags=["pantau"],
    )
    return [weekly, reminders]


def serve_forever(settings: Settings, settings_file: str | None = None) -> None:
    """Run the scheduler in this process until it is stopped."""
    serve(*deployments(settings, settings_file))
