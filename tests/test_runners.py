"""The task runner as a setting, and the multi-machine path on loopback: a real ``dask
scheduler`` and two ``dask worker`` processes (free ports), the ``crawl_all`` flow spread over
them by ``schedule.task_runner: dask://HOST:PORT``, against the sample world."""

from __future__ import annotations

import duckdb
import pytest

from core.registry import load_registry
from core.settings import load_settings
from flows.crawl import crawl_all_with_runner
from tests.conftest import TODAY

pytestmark = pytest.mark.slow


def executed_per_worker(address: str) -> dict[str, int]:
    """Tasks each worker of the cluster has run."""
    from distributed import Client

    with Client(address, timeout=30) as client:
        return client.run(lambda dask_worker: dask_worker.state.executed_count)


def profiling(dask_worker) -> bool:
    """Whether the worker samples its threads' stacks (``sys._current_frames``) on a timer."""
    return "profile" in dask_worker.periodic_callbacks


def test_crawl_all_spreads_over_a_real_scheduler_and_two_workers(prefect_api, sample_world,
                                                                tmp_path, fast_settings_file):
    from prefect.settings import PREFECT_API_URL

    from benchmarks.national import LoopbackDask

    registry = sample_world.write_registry(tmp_path / "registry.yaml")
    env = {"PREFECT_API_URL": PREFECT_API_URL.value()}
    with LoopbackDask(tmp_path / "dask", workers=2, threads=2, env=env) as cluster:
        settings_path = tmp_path / "dask.yaml"
        settings_path.write_text(fast_settings_file.read_text().replace(
            "max_workers: 8", f"max_workers: 2\n  task_runner: 'dask://{cluster.address[6:]}'"
            "\n  dask_threads_per_worker: 2"), encoding="utf-8")
        settings = load_settings(settings_path)
        assert settings.schedule.task_runner.startswith("dask://127.0.0.1:")
        before = executed_per_worker(cluster.address)
        from distributed import Client

        with Client(cluster.address, timeout=30) as client:
            assert set(client.run(profiling).values()) == {False}, "started as the README says"
        result = crawl_all_with_runner(settings)(
            registry=str(registry), db=str(tmp_path / "pantau.duckdb"),
            settings_file=str(settings_path), today=TODAY)
        after = executed_per_worker(cluster.address)
        processes = list(cluster.processes)
    assert all(p.poll() is not None for p in processes), "scheduler and workers stopped"
    assert len(after) == 2
    assert all(after[w] > before.get(w, 0) for w in after), ("both workers ran crawl tasks",
                                                             before, after)
    agencies = load_registry(registry)
    assert result["agencies"] == len(agencies)
    con = duckdb.connect(str(tmp_path / "pantau.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT count(*), count(DISTINCT agency_id) FROM latest_findings"
                           ).fetchall()[0]
        reachable = con.execute("SELECT count(*) FROM agency_runs WHERE reachable").fetchall()
    finally:
        con.close()
    assert rows[1] == len(agencies)
    assert reachable[0][0] >= len(agencies) - 2, "the sample sites that are up were crawled"


def test_task_runner_setting():
    from prefect.task_runners import ThreadPoolTaskRunner

    from flows.runners import task_runner_for

    settings = load_settings(env={})
    assert isinstance(task_runner_for(settings.schedule), ThreadPoolTaskRunner)
    dask = task_runner_for(settings.replace("schedule", task_runner="dask://10.0.0.5:8786").schedule)
    assert type(dask).__name__ == "DaskTaskRunner"
    local = task_runner_for(settings.replace("schedule", task_runner="dask", max_workers=3,
                                             dask_threads_per_worker=2).schedule)
    assert local.cluster_kwargs["n_workers"] == 3 and local.cluster_kwargs["threads_per_worker"] == 2
    with pytest.raises(ValueError, match="use 'threads', 'dask'"):
        task_runner_for(settings.replace("schedule", task_runner="ray").schedule)


def test_the_local_dask_cluster_starts_its_workers_without_the_profiler():
    """The profiler's ``sys._current_frames()`` can deadlock a crawling worker on CPython
    3.11 (``flows.runners``); the ``dask`` runner's own workers run without it."""
    from flows.runners import task_runner_for

    settings = load_settings(env={}).replace("schedule", task_runner="dask", max_workers=2,
                                              dask_threads_per_worker=1)
    with task_runner_for(settings.schedule) as runner:
        states = runner.client.run(profiling)
    assert len(states) == 2 and set(states.values()) == {False}
