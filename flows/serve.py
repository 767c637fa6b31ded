"""The deployments, built by one function for ``pantau serve`` and ``pantau deploy``.

Two deployments: ``weekly-pipeline/pantau-weekly`` on the crawl schedule (crawl, then
reminders), and ``send-reminders/pantau-reminders`` without a schedule, to run by hand
(``prefect deployment run send-reminders/pantau-reminders``).

- ``pantau serve`` serves them from its own process (``prefect.serve``); runs show in the
  Prefect UI of the server it talks to (``PREFECT_API_URL``; ``prefect server start``).
- ``pantau deploy --pool NAME`` registers the same two on a work pool; workers
  (``prefect worker start --pool NAME``) load the flows from this checkout
  (``Flow.from_source`` with a local path), so every worker needs the same checkout at the
  same path with the package installed.
"""

from __future__ import annotations

from pathlib import Path

from prefect import Flow, serve

from core.settings import Settings
from flows.schedules import crawl_schedule

ROOT = Path(__file__).resolve().parents[1]
WEEKLY_ENTRYPOINT = "flows/pipeline.py:weekly_pipeline"
REMINDERS_ENTRYPOINT = "flows/reminders.py:send_reminders"


def deployments(settings: Settings, settings_file: str | None = None,
                pool: str | None = None) -> list:
    """The weekly pipeline (scheduled) and the reminders (by hand), with their parameters:
    served from this process when ``pool`` is None, else for that work pool."""
    if pool is None:
        from flows.pipeline import weekly_pipeline
        from flows.reminders import send_reminders

        weekly_flow, reminders_flow, where = weekly_pipeline, send_reminders, {}
    else:
        weekly_flow = Flow.from_source(source=str(ROOT), entrypoint=WEEKLY_ENTRYPOINT)
        reminders_flow = Flow.from_source(source=str(ROOT), entrypoint=REMINDERS_ENTRYPOINT)
        where = {"work_pool_name": pool}
    weekly = weekly_flow.to_deployment(
        name="pantau-weekly", schedule=crawl_schedule(settings.schedule),
        parameters={"registry": settings.schedule.registry, "db": settings.schedule.db,
                    "settings_file": settings_file},
        description="Weekly crawl of every PPID site, then reminders.", tags=["pantau"], **where,
    )
    reminders = reminders_flow.to_deployment(
        name="pantau-reminders", parameters={"db": settings.schedule.db, "settings_file": settings_file},
        description="Reminders for the latest run (run by hand).", tags=["pantau"], **where,
    )
    return [weekly, reminders]


def serve_forever(settings: Settings, settings_file: str | None = None) -> None:
    """``pantau serve``: run the deployments' schedules from this process until stopped."""
    serve(*deployments(settings, settings_file))
