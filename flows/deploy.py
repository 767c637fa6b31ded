"""``pantau deploy``: register the deployments on a work pool of a Prefect server (instead of
serving them with ``pantau serve``); the deployments are ``flows.serve.deployments``'.

    prefect work-pool create pantau --type process
    pantau deploy --pool pantau [--settings pantau.yaml]
    prefect worker start --pool pantau          # on each machine that runs the flows
"""

from __future__ import annotations

from core.settings import load_settings
from flows.serve import deployments


def deploy(pool: str, settings_file: str | None = None) -> list:
    """Register ``weekly-pipeline/pantau-weekly`` and ``send-reminders/pantau-reminders`` on
    ``pool``; returns their ids."""
    settings = load_settings(settings_file)
    # to_deployment + apply rather than Flow.deploy: deploy() also polls the pool's workers,
    # which prefect 3.8 with fastapi<0.155 answers with a 422; registering needs no workers.
    return [deployment.apply() for deployment in deployments(settings, settings_file, pool=pool)]
