"""The task runner is a setting: local threads by default, or Dask to spread agencies out.

``schedule.task_runner``:

- ``threads`` — a thread pool of ``schedule.max_workers`` in the flow's process (default);
- ``dask`` — a Dask ``LocalCluster`` of ``max_workers`` worker processes on this machine, each
  with ``dask_threads_per_worker`` threads;
- ``dask://HOST:PORT`` (or ``tcp://HOST:PORT``) — an existing Dask cluster's scheduler: each
  agency's crawl runs on whichever worker is free. Only the flow writes to DuckDB.

Dask workers must run with their statistical profiler off (``WORKER_CONFIG``; as an
environment variable, ``WORKER_ENV``). Every 10 ms it calls ``sys._current_frames()``, which
on CPython before 3.11.9 can deadlock a process that starts and ends threads as often as the
crawler does (CPython gh-106883: a garbage collection inside that call waits for the GIL while
holding the lock a starting thread needs). Seen here: a national run at 10,000 agencies hung
with a worker frozen mid-batch. The ``dask`` runner sets it for the workers it starts; for a
cluster of your own, start each ``dask worker`` with ``WORKER_ENV`` (the README shows how).
"""

from __future__ import annotations

from prefect.task_runners import ThreadPoolTaskRunner

from core.settings import ScheduleSettings

WORKER_CONFIG = {"distributed.worker.profile.enabled": False}
"""Dask configuration of every worker that crawls (see the module docstring)."""
WORKER_ENV = {"DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
"""``WORKER_CONFIG`` as environment variables, for ``dask worker`` processes."""


def task_runner_for(schedule: ScheduleSettings):
    """The Prefect task runner ``schedule.task_runner`` names (see the module docstring)."""
    kind = schedule.task_runner.strip()
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=schedule.max_workers)
    if kind == "dask":
        import dask
        from prefect_dask import DaskTaskRunner

        dask.config.set(WORKER_CONFIG)  # the LocalCluster's nannies hand it to their workers
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
