"""The task runner is a setting: local threads by default, or Dask to spread agencies out.

``schedule.task_runner``:

- ``threads`` — a thread pool of ``schedule.max_workers`` in the flow's process (default);
- ``dask`` — a Dask ``LocalCluster`` of ``max_workers`` worker processes on this machine, each
  with ``dask_threads_per_worker`` threads;
- ``dask://HOST:PORT`` (or ``tcp://HOST:PORT``) — an existing Dask cluster's scheduler: each
  agency's crawl runs on whichever worker is free. Only the flow writes to DuckDB.
"""

from __future__ import annotations

from prefect.task_runners import ThreadPoolTaskRunner

from core.settings import ScheduleSettings


def task_runner_for(schedule: ScheduleSettings):
    """The Prefect task runner ``schedule.task_runner`` names (see the module docstring)."""
    kind = schedule.task_runner.strip()
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=schedule.max_workers)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={"n_workers": schedule.max_workers, "threads_per_worker": schedule.dask_threads_per_worker,
                            "processes": True, "dashboard_address": None},
        )
    if kind.startswith(("dask://", "tcp://")):
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address="tcp://" + kind.split("://", 1)[1])
    raise ValueError(
        f"schedule.task_runner {kind!r}: use 'threads', 'dask' or 'dask://HOST:PORT'"
    )
