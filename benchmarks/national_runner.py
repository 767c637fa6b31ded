"""Child process of (9)/(10): one run of a registry, through the flow or without Prefect.

``python -m benchmarks.national_runner flow|direct REGISTRY DB SETTINGS --out OUT_JSON``

``flow`` runs the real ``flows.crawl.crawl_all`` against the Prefect server ``PREFECT_API_URL``
names (the benchmarks start a real ``prefect server``: ``benchmarks.national.PrefectServer``),
or a Prefect test server when it is unset, with the task runner the settings name (``dask://…`` for the simulation, ``threads`` for the overhead
figure). ``direct`` does the same work without Prefect: the same ``flows.crawl.CrawlRun``
(the same batches, the same staging file and commit) with each batch run by
``check_agencies.fn`` on a thread pool of ``schedule.max_workers`` threads. Both report the
wall time of the run (not the Prefect server's start), this process's peak RSS (VmHWM), also
per phase of the run (crawl, staging flushes, commit: ``PhasePeaks``), and CPU seconds, the
DuckDB write, and the rows stored.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path


class RssSampler:
    """This process's RSS every ``every`` seconds in a daemon thread: the footprint when the
    run starts (imports, Prefect client, engines) and its highest point during the run."""

    def __init__(self, every: float = 0.25) -> None:
        self.every, self.samples = every, []
        self.thread = threading.Thread(target=self._loop, daemon=True, name="rss-sampler")
        self.running = True

    @staticmethod
    def rss_mb() -> float:
        return _status_mb("VmRSS")

    def _loop(self) -> None:
        while self.running:
            self.samples.append(self.rss_mb())
            time.sleep(self.every)

    def __enter__(self) -> RssSampler:
        self.at_start = self.rss_mb()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.running = False
        self.thread.join()

    def figures(self) -> dict:
        return {"rss_at_start_mb": self.at_start,
                "rss_peak_during_run_mb": max(self.samples or [self.at_start])}


class PhasePeaks:
    """This process's peak RSS in each phase of the run: the crawl (with detection when it runs
    here), the staging flushes (while the crawl goes on) and the commit; what explains the
    run's peak. At each change of phase the kernel's peak (VmHWM) is read and reset (Linux:
    ``/proc/self/clear_refs``), so a phase's figure is the highest RSS while it lasted. The
    phases are marked by wrapping ``RunStage.flush`` and ``RunStage.commit`` for the run."""

    def __init__(self) -> None:
        self.phase, self.peaks = "crawl", {}
        self.lock = threading.Lock()
        self.resettable = Path("/proc/self/clear_refs").exists()

    def enter(self, phase: str) -> str:
        """Close the current phase at its peak and start ``phase``; returns the one closed."""
        with self.lock:
            closed, self.phase = self.phase, phase
            self.peaks[closed] = max(self.peaks.get(closed, 0.0), _status_mb("VmHWM"))
            if self.resettable:
                Path("/proc/self/clear_refs").write_text("5")
            return closed

    def __enter__(self) -> PhasePeaks:
        from warehouse.staging import RunStage

        self.saved = RunStage.flush, RunStage.commit
        flush, commit = self.saved
        peaks = self

        def marked(method, phase):
            def run(stage, *args, **kwargs):
                before = peaks.enter(phase)
                try:
                    return method(stage, *args, **kwargs)
                finally:
                    peaks.enter(before)
            return run

        RunStage.flush, RunStage.commit = marked(flush, "flush"), marked(commit, "commit")
        return self

    def __exit__(self, *exc) -> None:
        from warehouse.staging import RunStage

        RunStage.flush, RunStage.commit = self.saved
        self.enter("after")

    def figures(self) -> dict:
        """MB by phase, and the run's peak (the highest of them: VmHWM was reset)."""
        peaks = {k: v for k, v in self.peaks.items() if k != "after"}
        return {"phase_peak_mb": peaks, "peak_rss_mb": max(self.peaks.values(), default=0.0)}


def _status_mb(key: str) -> float:
    """A size from this process's ``/proc/self/status`` (``VmRSS``, ``VmHWM``) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_flow(registry: str, db: str, settings: str, dask_workers: int = 0,
             dask_threads: int = 1) -> dict:
    """The flow against the Prefect server ``PREFECT_API_URL`` names (as a work pool's run
    is), or a Prefect test server when none is set; with ``dask_workers``, on a loopback Dask
    cluster (a scheduler and that many workers, which report to the same server)."""
    if os.environ.get("PREFECT_API_URL"):
        return _flow_on(registry, db, settings, dask_workers, dask_threads)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        return _flow_on(registry, db, settings, dask_workers, dask_threads)


def _flow_on(registry: str, db: str, settings: str, dask_workers: int,
             dask_threads: int) -> dict:
    from prefect.settings import PREFECT_API_URL

    from benchmarks.national import LoopbackDask, peak_rss_of

    if not dask_workers:
        return _timed_flow(registry, db, settings)
    workdir = Path(db).with_suffix(".dask")
    env = {"PREFECT_API_URL": PREFECT_API_URL.value()}
    with LoopbackDask(workdir, dask_workers, dask_threads, env) as cluster:
        text = Path(settings).read_text().replace(
            "task_runner: 'threads'", f"task_runner: 'dask://{cluster.address[6:]}'")
        dask_settings = Path(settings).with_suffix(".dask.yaml")
        dask_settings.write_text(text)
        result = _timed_flow(registry, db, str(dask_settings))
        result["worker_peak_rss_mb"] = [peak_rss_of(pid) for pid in cluster.worker_pids()]
    return result


def _timed_flow(registry: str, db: str, settings: str) -> dict:
    from core.settings import load_settings
    from flows.crawl import crawl_all_with_runner

    flow = crawl_all_with_runner(load_settings(settings))
    traced = bool(os.environ.get("PANTAU_BENCH_TRACEMALLOC"))
    if traced:  # where the flow process's memory is at the end of the run (slows it down)
        import tracemalloc

        tracemalloc.start(8)
    with RssSampler() as rss, PhasePeaks() as phases:
        started, cpu = time.perf_counter(), cpu_seconds()
        summary = flow(registry=registry, db=db, settings_file=settings)
        wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    result = {"wall": wall, "cpu_seconds": cpu, "write_seconds": summary["write_seconds"],
              "write_cpu_seconds": summary["write_cpu_seconds"],
              "flushes": summary["staging_flushes"], "write_tables": summary["write_tables"],
              **rss.figures(), **phases.figures()}
    if traced:
        snapshot = tracemalloc.take_snapshot()
        result["memory_profile"] = [
            f"{stat.size / 1e6:.1f} MB in {stat.count} blocks: "
            + " < ".join(f"{f.filename.split('site-packages/')[-1]}:{f.lineno}"
                         for f in stat.traceback[:4])
            for stat in snapshot.statistics("traceback")[:15]]
    return result


class ThreadFuture:
    """What ``CrawlRun`` needs of a Prefect future, over a ``concurrent.futures.Future``."""

    def __init__(self, future: Future) -> None:
        self.future = future

    @property
    def wrapped_future(self) -> Future:
        return self.future

    def add_done_callback(self, fn) -> None:
        self.future.add_done_callback(lambda _: fn(self))

    def wait(self, timeout: float | None = None) -> None:
        wait([self.future], timeout=timeout)

    @property
    def state(self):
        ok = self.future.exception() is None

        class State:
            name = "Completed" if ok else "Failed"

            @staticmethod
            def is_completed() -> bool:
                return ok

            @staticmethod
            def result(raise_on_failure: bool = False):
                return self.future.exception()

            message = ""
        return State

    def result(self):
        return self.future.result()


def run_direct(registry: str, db: str, settings_path: str) -> dict:
    from datetime import UTC, datetime

    from core.checklist import load_checklist
    from core.clock import local_today
    from core.registry import load_registry
    from core.settings import load_settings
    from flows.crawl import BatchSettings, CrawlRun, task_slots
    from flows.summary import run_summary
    from warehouse.load import RunMeta
    from warehouse.staging import RunStage

    settings = load_settings(settings_path)
    rss, phases = RssSampler().__enter__(), PhasePeaks().__enter__()
    started, cpu = time.perf_counter(), cpu_seconds()
    start_time = datetime.now(UTC)
    reg = load_registry(registry)
    checklist = load_checklist()
    shared = BatchSettings.of(settings, checklist, local_today(settings))
    slots = task_slots(settings.schedule)
    with ThreadPoolExecutor(max_workers=slots) as pool, \
            RunStage.open(Path(db), [a.id for a in reg], started=start_time) as stage:
        def submit(task, *args):
            return ThreadFuture(pool.submit(task.fn, *args))

        crawl = CrawlRun(stage, reg, shared, slots, settings.schedule.agencies_per_task,
                         settings=settings, submit=submit)
        summaries = crawl.run()
        summary = run_summary(summaries, stage.previous_scores())
        meta = RunMeta(start_time, datetime.now(UTC), list(checklist), reg.source,
                       {"crawl": settings.crawl.model_dump()}, summary)
        _, write = stage.commit(meta, crawl.after_insert)
        flushes, write_cpu = stage.flushes, stage.commit_cpu_seconds
    rss.__exit__()
    phases.__exit__()
    return {"wall": time.perf_counter() - started, "cpu_seconds": cpu_seconds() - cpu,
            "write_seconds": write, "write_cpu_seconds": write_cpu, "flushes": flushes,
            **rss.figures(), **phases.figures()}


def stored(db: str) -> dict:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        return {
            "agencies": con.execute("SELECT count(*) FROM agency_runs").fetchall()[0][0],
            "unreachable": con.execute(
                "SELECT count(*) FROM agency_runs WHERE NOT reachable").fetchall()[0][0],
            "findings": con.execute("SELECT count(*) FROM findings").fetchall()[0][0],
            "found": con.execute(
                "SELECT count(*) FROM findings WHERE status = 'found'").fetchall()[0][0],
            "pages": con.execute("SELECT count(*) FROM pages").fetchall()[0][0],
        }
    finally:
        con.close()


def peak_rss_mb() -> float:
    return _status_mb("VmHWM")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("flow", "direct"))
    parser.add_argument("registry")
    parser.add_argument("db")
    parser.add_argument("settings")
    parser.add_argument("--out", required=True)
    parser.add_argument("--dask-workers", type=int, default=0)
    parser.add_argument("--dask-threads", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if args.mode == "flow":
        result = run_flow(args.registry, args.db, args.settings, args.dask_workers,
                          args.dask_threads)
    else:
        result = run_direct(args.registry, args.db, args.settings)
    # VmHWM was reset at each phase (PhasePeaks): the run's peak is the highest phase's
    result.update(stored(args.db), mode=args.mode,
                  peak_rss_mb=max(result.get("peak_rss_mb", 0.0), peak_rss_mb()))
    Path(args.out).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
