"""Deploy the pipeline to a work pool on a Prefect server (instead of ``pantau serve``).

    prefect work-pool create pantau --type process
    python -m flows.deploy --pool pantau [--settings pantau.yaml]
    prefect worker start --pool pantau          # on each machine that runs the flows

The flows are loaded from this checkout (``flow.from_source`` with a local path), so every
worker needs the same checkout at the same path with the package installed. The schedule
comes from ``flows/schedules.py`` like ``pantau serve``'s.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from prefect import Flow

from core.settings import load_settings
from flows.schedules import crawl_schedule

ROOT = Path(__file__).resolve().parents[1]


def deploy(pool: str, settings_file: str | None = None) -> list:
    """Register ``weekly-pipeline/pantau-weekly`` and ``send-reminders/pantau-reminders``."""
    settings = load_settings(settings_file)
    weekly = Flow.from_source(source=str(ROOT), entrypoint="flows/pipeline.py:weekly_pipeline")
    reminders = Flow.from_source(source=str(ROOT), entrypoint="flows/reminders.py:send_reminders")
    # to_deployment + apply rather than Flow.deploy: deploy() also polls the pool's workers,
    # which prefect 3.8 with fastapi<0.155 answers with a 422; registering needs no workers.
    deployments = [
        weekly.to_deployment(
            name="pantau-weekly", work_pool_name=pool, schedule=crawl_schedule(settings.schedule),
            parameters={"registry": settings.schedule.registry, "db": settings.schedule.db,
                        "settings_file": settings_file},
            tags=["pantau"],
        ),
        reminders.to_deployment(
            name="pantau-reminders", work_pool_name=pool, tags=["pantau"],
            parameters={"db": settings.schedule.db, "settings_file": settings_file},
        ),
    ]
    ids = [deployment.apply() for deployment in deployments]
    return ids


def main(argv: list[str] | None = None) -> None:
    """``python -m flows.deploy --pool NAME``: register the deployments with a work pool."""
    parser = argparse.ArgumentParser(description="Deploy Pantau PPID flows to a work pool.")
    parser.add_argument("--pool", required=True, help="Prefect work pool name")
    parser.add_argument("--settings", default=None, help="settings YAML file")
    args = parser.parse_args(argv)
    for deployment_id in deploy(args.pool, args.settings):
        print(deployment_id)


if __name__ == "__main__":
    main()
