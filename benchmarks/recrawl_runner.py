"""Child process: the same unchanged world crawled twice, the second time incrementally.

``python -m benchmarks.recrawl_runner WORLD_JSON WORKDIR OUT_JSON [--concurrency N] [--mode flow|direct]``

``flow`` (the default) runs the real ``flows.crawl.crawl_all`` twice against a Prefect test
server (``prefect_test_harness``): registry → fetch-site tasks on the thread runner → detection →
one warehouse write per run; the second run reads the HTTP cache back from the warehouse and
sends conditional requests. ``direct`` does the same without Prefect (``crawl_site`` per
site with the cache from ``warehouse.load.load_http_cache``, then ``write_run``), for when the
flow cannot run. Each run's wall time covers the whole run (cache read, crawl, detection, the
warehouse write), not the Prefect server's start.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path


def write_inputs(world, workdir: Path, concurrency: int) -> tuple[Path, Path]:
    import yaml

    registry = workdir / "registry.yaml"
    registry.write_text(yaml.safe_dump({"agencies": [
        {"id": s.name, "name": f"PPID Perangkat Daerah {s.index}", "url": s.url,
         "email": f"ppid@{s.name}.example.go.id", "role": "utama", "parent": ""}
        for s in world.sites
    ]}, sort_keys=False))
    settings = workdir / "settings.yaml"
    settings.write_text(yaml.safe_dump({
        "crawl": {"host_delay": 0.0, "use_sitemaps": False,
                  "connect_timeout": 5, "read_timeout": 10, "page_timeout": 20, "retries": 1},
        "schedule": {"max_workers": concurrency, "agency_task_retries": 0},
    }))
    return registry, settings


def run_flow(registry: Path, db: Path, settings: Path, runs: int) -> list[float]:
    from prefect.testing.utilities import prefect_test_harness

    from flows.crawl import crawl_all

    walls = []
    with prefect_test_harness(server_startup_timeout=180):
        for _ in range(runs):
            start = time.perf_counter()
            crawl_all(registry=str(registry), db=str(db), settings_file=str(settings),
                      today=date.today())
            walls.append(time.perf_counter() - start)
    return walls


def run_direct(registry: Path, db: Path, settings_path: Path, runs: int,
               concurrency: int) -> tuple[list[float], list[dict[str, float]]]:
    """Both runs without Prefect; also each phase's seconds (cache read, crawl, detect, write)."""
    from core.checklist import load_checklist
    from core.registry import load_registry
    from core.settings import load_settings
    from scrapers.crawling.crawler import crawl_site
    from scrapers.detection.detect import detect_site
    from warehouse.db import writing
    from warehouse.load import AgencyOutcome, RunRecord, load_http_cache, write_run

    reg = load_registry(registry)
    settings = load_settings(settings_path)
    checklist = load_checklist()
    walls, phases = [], []
    for _ in range(runs):
        start = time.perf_counter()
        started = datetime.now()
        caches = {}
        if db.exists():
            with writing(db) as con:
                caches = {a.id: load_http_cache(con, a.id) for a in reg}
        t_cache = time.perf_counter()

        def one(agency, caches=caches):
            pages, docs = caches.get(agency.id, ({}, {}))
            return crawl_site(agency.url, settings.crawl, cache=pages, doc_cache=docs)

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            crawls = list(pool.map(one, reg))
        t_crawl = time.perf_counter()
        outcomes = [AgencyOutcome(agency=a, findings=detect_site(c, checklist, date.today()),
                                  crawl=c, error=c.error, checked_at=c.finished_at)
                    for a, c in zip(reg, crawls, strict=False)]
        t_detect = time.perf_counter()
        record = RunRecord(started_at=started, finished_at=datetime.now(),
                           categories=list(checklist), outcomes=outcomes, registry=str(registry))
        with writing(db) as con:
            write_run(con, record)
        end = time.perf_counter()
        walls.append(end - start)
        phases.append({"cache read": t_cache - start, "crawl": t_crawl - t_cache,
                       "detection": t_detect - t_crawl, "warehouse write": end - t_detect})
    return walls, phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("world")
    parser.add_argument("workdir")
    parser.add_argument("out")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--mode", choices=("flow", "direct"), default="flow")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    import duckdb

    from benchmarks.world import World

    world = World.load(args.world)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    registry, settings = write_inputs(world, workdir, args.concurrency)
    db = workdir / "recrawl.duckdb"
    mode = args.mode
    note = ""
    if mode == "flow":
        try:
            import flows.crawl  # noqa: F401
        except Exception as exc:  # noqa: BLE001 - fall back, and say so in the results
            mode, note = "direct", f"flow not importable ({exc!r}); crawled with crawl_site directly"
    phases: list[dict[str, float]] = []
    if mode == "flow":
        walls = run_flow(registry, db, settings, 2)
    else:
        walls, phases = run_direct(registry, db, settings, 2, args.concurrency)

    con = duckdb.connect(str(db), read_only=True)
    try:
        per_run = con.execute(
            "SELECT run_id, sum(body_bytes), sum(requests), sum(pages), sum(documents), "
            "count(*) FILTER (WHERE NOT reachable) FROM agency_runs GROUP BY run_id ORDER BY run_id"
        ).fetchall()
        cached = dict(con.execute(
            "SELECT run_id, count(*) FILTER (WHERE from_cache) FROM pages GROUP BY run_id"
        ).fetchall())
        doc_cached = dict(con.execute(
            "SELECT run_id, count(*) FILTER (WHERE from_cache) FROM documents GROUP BY run_id"
        ).fetchall())
        differing = con.execute(
            "SELECT count(*) FROM findings a JOIN findings b ON a.agency_id = b.agency_id "
            "AND a.category_id = b.category_id AND a.run_id = 1 AND b.run_id = 2 "
            "WHERE a.status <> b.status OR a.evidence_url IS DISTINCT FROM b.evidence_url"
        ).fetchall()[0][0]
    finally:
        con.close()
    runs = [
        {"run_id": r, "wall": w, "body_bytes": b or 0, "requests": q or 0, "pages": p or 0,
         "documents": d or 0, "unreachable": u, "pages_from_cache": cached.get(r, 0),
         "documents_from_cache": doc_cached.get(r, 0)}
        for (r, b, q, p, d, u), w in zip(per_run, walls, strict=False)
    ]
    Path(args.out).write_text(json.dumps({"mode": mode, "note": note, "runs": runs,
                                          "phases": phases, "findings_differing": differing}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
